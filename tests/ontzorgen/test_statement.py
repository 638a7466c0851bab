"""The bank's MT940 statement: a debit makes a scheduled payment paid, a storno returns it with the reason in
plain words, every other line is listed with the reason it matches nothing. Nothing is ever guessed.

Amina (sanne's) has rent and energy payments scheduled; bob (ruben's) one rent payment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from schwifty import IBAN
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db
from portal.domain import DomainError, NotFound
from portal.ontzorgen import statement as st
from portal.ontzorgen.imports import payment_run_confirm, payment_run_preview, upload_get, upload_store
from portal.ontzorgen.models import Payment, Upload
from portal.ontzorgen.statement import RETURN_REASONS, return_reason, statement_confirm, statement_preview
from tests.ontzorgen.factories import make_arrangement, make_cost, make_payment


@dataclass
class Entry:
    """One :61: line and its :86: details."""

    cents: int  # negative: money out
    details: str = ""
    kind: str = "NTRF"
    customer_reference: str = "EREF"
    day: date = date(2026, 10, 1)
    status: str | None = None  # C or D from the sign, unless given (RC, RD)


def mt940(*entries: Entry, opening: int = 50_000_00, closing: int | None = None, currency: str = "EUR") -> bytes:
    """A statement in the Dutch (ING) layout; the closing balance adds up unless given."""
    total = opening + sum(entry.cents for entry in entries)
    closing = total if closing is None else closing

    def amount(cents: int) -> str:
        return f"{abs(cents) // 100},{abs(cents) % 100:02d}"

    lines = [":20:P261001000000001", ":25:NL44DEMO0001234567", ":28C:00001/00001",
             f":60F:C260930{currency}{amount(opening)}"]
    for entry in entries:
        mark = entry.status or ("D" if entry.cents < 0 else "C")
        lines.append(f":61:{entry.day:%y%m%d}{entry.day:%m%d}{mark}{amount(entry.cents)}{entry.kind}"
                     f"{entry.customer_reference}//2610010000{len(lines):04d}")
        if entry.details:
            lines.append(f":86:{entry.details}")
    lines.append(f":62F:C261001{currency}{amount(closing)}")
    return ("\r\n".join(lines) + "\r\n-").encode()


def debit(reference: str, cents: int, **kwargs) -> Entry:
    return Entry(-cents, f"/EREF/{reference}//CNTP/NL13DEMO0000001001/DEMONL2A/Woonstichting De Linde///REMI/USTD//"
                         "Huur oktober/", **kwargs)


def storno(reference: str, cents: int, code: str | None = "AC04", kind: str = "NRTI", **kwargs) -> Entry:
    reason = f"/RTRN/{code}" if code else ""
    return Entry(cents, f"{reason}/EREF/{reference}//CNTP/NL13DEMO0000001001/DEMONL2A/Woonstichting De Linde///",
                 kind=kind, **kwargs)


@pytest.fixture
def bank(ctx, world):
    amina = db.session.get(Resident, world.amina_id)
    bob = db.session.get(Resident, world.bob_id)
    mine = make_arrangement(amina, starts_on=date(2026, 9, 1), costs=["rent", "energy"])
    theirs = make_arrangement(bob, starts_on=date(2026, 9, 1), costs=["rent"])
    rent, energy = sorted(mine.costs, key=lambda cost: cost.kind != "rent")
    make_payment(rent, reference="RUN-RENT-10", paid_on=date(2026, 10, 1))
    make_payment(energy, reference="RUN-ENERGY-10", paid_on=date(2026, 10, 1))
    make_payment(rent, reference="RUN-RENT-09", paid_on=date(2026, 9, 1), state="paid")
    make_payment(theirs.costs[0], reference="RUN-BOB-10", paid_on=date(2026, 10, 1))
    db.session.commit()
    return {"sanne": _user("sanne"), "ruben": _user("ruben")}


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _upload(data: bytes, staff: User) -> Upload:
    return upload_store(kind="statement", filename="afschrift.mt940", data=data, actor=staff)


def _states() -> dict[str, tuple]:
    return {p.reference: (p.state, p.return_code, p.return_reason, p.returned_on)
            for p in db.session.scalars(select(Payment))}


def _payment(reference: str) -> Payment:
    return db.session.scalar(select(Payment).where(Payment.reference == reference))


# ----------------------------------------------------------------------------------------------- matching

def test_a_debit_makes_a_scheduled_payment_paid(bank) -> None:
    upload = _upload(mt940(debit("RUN-RENT-10", 812_50), debit("RUN-ENERGY-10", 120_00)), bank["sanne"])
    preview = statement_preview(upload=upload, staff=bank["sanne"])
    assert preview.error is None
    assert [(m.reference, m.amount_cents, m.line, m.date) for m in preview.paid] == [
        ("RUN-RENT-10", 812_50, 5, date(2026, 10, 1)), ("RUN-ENERGY-10", 120_00, 7, date(2026, 10, 1))]
    assert (preview.returned, preview.already, preview.unmatched) == ([], [], [])
    assert _payment("RUN-RENT-10").state == "scheduled"  # the preview changes nothing

    result = statement_confirm(upload=upload, staff=bank["sanne"])
    db.session.commit()
    assert (result.paid, result.returned, result.unmatched, result.already) == (2, 0, 0, 0)
    assert _payment("RUN-RENT-10").state == _payment("RUN-ENERGY-10").state == "paid"


def test_a_storno_returns_the_payment_with_the_reason_in_plain_words(bank) -> None:
    upload = _upload(mt940(storno("RUN-RENT-10", 812_50, code="AC04", day=date(2026, 10, 6))), bank["sanne"])
    preview = statement_preview(upload=upload, staff=bank["sanne"])
    assert [(m.reference, m.code, m.reason, m.date) for m in preview.returned] == [
        ("RUN-RENT-10", "AC04", "De rekening is opgeheven.", date(2026, 10, 6))]
    assert preview.returned[0].resident.id == _payment("RUN-RENT-10").arrangement.resident_id

    result = statement_confirm(upload=upload, staff=bank["sanne"])
    db.session.commit()
    assert (result.paid, result.returned) == (0, 1)
    assert _states()["RUN-RENT-10"] == ("returned", "AC04", "De rekening is opgeheven.", date(2026, 10, 6))
    assert _payment("RUN-RENT-10").open_return


def test_a_paid_payment_that_comes_back_is_returned_too(bank) -> None:
    upload = _upload(mt940(storno("RUN-RENT-09", 812_50, code="MD06")), bank["sanne"])
    statement_confirm(upload=upload, staff=bank["sanne"])
    assert _states()["RUN-RENT-09"][:3] == ("returned", "MD06", "De betaler heeft het geld teruggevraagd.")


def test_a_returned_item_without_a_reason_code_is_returned_without_a_reason(bank) -> None:
    upload = _upload(mt940(storno("RUN-RENT-10", 812_50, code=None, kind="NRTI")), bank["sanne"])
    preview = statement_preview(upload=upload, staff=bank["sanne"])
    assert [(m.code, m.reason) for m in preview.returned] == [(None, "De bank heeft geen reden gegeven.")]
    statement_confirm(upload=upload, staff=bank["sanne"])
    assert _states()["RUN-RENT-10"][:3] == ("returned", None, "De bank heeft geen reden gegeven.")


def test_an_unknown_return_code_is_named(bank) -> None:
    upload = _upload(mt940(storno("RUN-RENT-10", 812_50, code="XT99", kind="NTRF")), bank["sanne"])
    preview = statement_preview(upload=upload, staff=bank["sanne"])
    assert [(m.code, m.reason) for m in preview.returned] == [("XT99", "Andere reden (code XT99).")]


def test_paid_and_returned_on_one_statement_ends_returned(bank) -> None:
    upload = _upload(mt940(debit("RUN-RENT-10", 812_50), storno("RUN-RENT-10", 812_50, code="AC01",
                                                                day=date(2026, 10, 3))), bank["sanne"])
    preview = statement_preview(upload=upload, staff=bank["sanne"])
    assert ([m.reference for m in preview.paid], [m.reference for m in preview.returned]) == (
        ["RUN-RENT-10"], ["RUN-RENT-10"])
    result = statement_confirm(upload=upload, staff=bank["sanne"])
    assert (result.paid, result.returned) == (1, 1)
    assert _states()["RUN-RENT-10"] == ("returned", "AC01", "Het rekeningnummer (IBAN) klopt niet.",
                                        date(2026, 10, 3))


def test_the_customer_reference_counts_when_there_is_no_eref(bank) -> None:
    upload = _upload(mt940(Entry(-812_50, "Huur oktober", customer_reference="RUN-RENT-10")), bank["sanne"])
    preview = statement_preview(upload=upload, staff=bank["sanne"])
    assert [m.reference for m in preview.paid] == ["RUN-RENT-10"]


def test_an_eref_split_over_two_lines_is_read_whole(bank) -> None:
    entry = debit("RUN-RENT-10", 812_50)
    entry.details = "/EREF/RUN-RENT\n-10//CNTP/NL13DEMO0000001001/DEMONL2A/Woonstichting De Linde///"
    preview = statement_preview(upload=_upload(mt940(entry), bank["sanne"]), staff=bank["sanne"])
    assert [m.reference for m in preview.paid] == ["RUN-RENT-10"]


UNKNOWN = "Onbekend betalingskenmerk of niet in jouw caseload."


@pytest.mark.parametrize(("entry", "reason"), [
    (debit("RUN-ONBEKEND", 812_50), UNKNOWN),
    (debit("RUN-BOB-10", 812_50), UNKNOWN),  # ruben's resident: the same words
    (debit("RUN-RENT-10", 812_00), "Het bedrag is anders dan het bedrag van de betaling met dit kenmerk."),
    (storno("RUN-RENT-10", 800_00), "Het bedrag is anders dan het bedrag van de betaling met dit kenmerk."),
    (Entry(-812_50, "Huur oktober", customer_reference="NONREF"), "Op deze regel staat geen betalingskenmerk."),
    (Entry(-812_50, "/EREF/NOTPROVIDED//REMI/USTD//Huur/"), "Op deze regel staat geen betalingskenmerk."),
    (Entry(812_50, "/EREF/RUN-RENT-10//REMI/USTD//Terug/"),
     "Geld teruggekregen zonder reden van de bank. Kijk zelf wat er is gebeurd."),
    (Entry(-812_50, "/EREF/RUN-RENT-10/", status="RC"),
     "Een correctie door de bank. Kijk zelf wat er met deze betaling is gebeurd."),
])
def test_a_line_that_matches_nothing_is_listed_with_the_reason_and_changes_nothing(bank, entry, reason) -> None:
    before = _states()
    upload = _upload(mt940(entry), bank["sanne"])
    preview = statement_preview(upload=upload, staff=bank["sanne"])
    assert (preview.paid, preview.returned, preview.already) == ([], [], [])
    assert [(u.line, u.amount_cents, u.reason) for u in preview.unmatched] == [(5, entry.cents, reason)]
    assert preview.unmatched[0].date == date(2026, 10, 1)
    result = statement_confirm(upload=upload, staff=bank["sanne"])
    assert (result.paid, result.returned, result.unmatched) == (0, 0, 1)
    assert _states() == before


def test_a_statement_in_another_currency_matches_nothing(bank) -> None:
    preview = statement_preview(upload=_upload(mt940(debit("RUN-RENT-10", 812_50), currency="USD"), bank["sanne"]),
                                staff=bank["sanne"])
    assert [u.reason for u in preview.unmatched] == ["Dit bedrag is niet in euro."]


def test_ruben_matches_his_own_line_of_the_same_statement(bank) -> None:
    data = mt940(debit("RUN-RENT-10", 812_50), debit("RUN-BOB-10", 812_50))
    mine = statement_preview(upload=_upload(data, bank["sanne"]), staff=bank["sanne"])
    theirs = statement_preview(upload=_upload(data, bank["ruben"]), staff=bank["ruben"])
    assert ([m.reference for m in mine.paid], [u.reference for u in mine.unmatched]) == (
        ["RUN-RENT-10"], ["RUN-BOB-10"])
    assert ([m.reference for m in theirs.paid], [u.reference for u in theirs.unmatched]) == (
        ["RUN-BOB-10"], ["RUN-RENT-10"])


def test_the_same_debit_twice_on_one_statement_is_not_counted_twice(bank) -> None:
    preview = statement_preview(upload=_upload(mt940(debit("RUN-RENT-10", 812_50), debit("RUN-RENT-10", 812_50)),
                                               bank["sanne"]), staff=bank["sanne"])
    assert [m.line for m in preview.paid] == [5]
    assert [(u.line, u.reason) for u in preview.unmatched] == [
        (7, "Deze betaling staat twee keer op het afschrift.")]


# --------------------------------------------------------------------------------------------- idempotent

def test_the_same_statement_twice_changes_nothing_the_second_time(bank) -> None:
    data = mt940(debit("RUN-RENT-10", 812_50), debit("RUN-ENERGY-10", 120_00),
                 storno("RUN-ENERGY-10", 120_00, code="MS02", day=date(2026, 10, 5)), debit("RUN-ONBEKEND", 5_00))
    first = statement_confirm(upload=_upload(data, bank["sanne"]), staff=bank["sanne"])
    db.session.commit()
    assert (first.paid, first.returned, first.unmatched, first.already) == (2, 1, 1, 0)
    after_first = _states()

    again = _upload(data, bank["sanne"])
    preview = statement_preview(upload=again, staff=bank["sanne"])
    assert (preview.paid, preview.returned) == ([], [])
    assert [m.reference for m in preview.already] == ["RUN-RENT-10", "RUN-ENERGY-10", "RUN-ENERGY-10"]
    second = statement_confirm(upload=again, staff=bank["sanne"])
    db.session.commit()
    assert (second.paid, second.returned, second.unmatched, second.already) == (0, 0, 1, 3)
    assert _states() == after_first


def test_an_already_paid_payment_stays_paid_and_counts_as_already_done(bank) -> None:
    preview = statement_preview(upload=_upload(mt940(debit("RUN-RENT-09", 812_50)), bank["sanne"]),
                                staff=bank["sanne"])
    assert ([m.reference for m in preview.already], preview.paid) == (["RUN-RENT-09"], [])


def test_confirming_the_same_upload_twice_is_refused(bank) -> None:
    upload = _upload(mt940(debit("RUN-RENT-10", 812_50)), bank["sanne"])
    statement_confirm(upload=upload, staff=bank["sanne"])
    db.session.commit()
    with pytest.raises(DomainError, match="al verwerkt"):
        statement_confirm(upload=upload, staff=bank["sanne"])
    assert upload_get(upload_id=upload.id, staff=bank["sanne"], kind="statement") is None


def test_a_payment_run_upload_is_not_a_statement(bank) -> None:
    upload = upload_store(kind="payments", filename="run.csv", data=mt940(), actor=bank["sanne"])
    with pytest.raises(NotFound):
        statement_preview(upload=upload, staff=bank["sanne"])
    with pytest.raises(NotFound):
        statement_confirm(upload=_upload(mt940(), bank["sanne"]), staff=bank["ruben"])


def test_the_preview_writes_nothing(bank) -> None:
    upload = _upload(mt940(debit("RUN-RENT-10", 812_50), storno("RUN-ENERGY-10", 120_00)), bank["sanne"])
    db.session.commit()
    before = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}
    states = _states()
    preview = statement_preview(upload=upload, staff=bank["sanne"])
    assert (len(preview.paid), len(preview.returned)) == (1, 1)
    assert not (db.session.new or db.session.dirty or db.session.deleted)
    db.session.commit()
    assert {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables} == before
    assert _states() == states


def test_matching_takes_one_statement_whatever_the_number_of_lines(bank, count_queries) -> None:
    def statements(entries: list[Entry]) -> int:
        upload = _upload(mt940(*entries), bank["sanne"])
        db.session.commit()
        db.session.expire_all()
        assert upload.data and bank["sanne"].role
        count_queries.statements.clear()
        preview = statement_preview(upload=upload, staff=bank["sanne"])
        # What the preview page shows of each line, without a query more.
        assert all(m.payment.arrangement.resident.user.name and m.payment.creditor.name for m in preview.paid)
        return count_queries.count

    few = statements([debit("RUN-RENT-10", 812_50)])
    many = statements([debit("RUN-RENT-10", 812_50), debit("RUN-ENERGY-10", 120_00)]
                      + [debit(f"RUN-X-{n}", 1_00) for n in range(60)])
    assert few == many == 1


# ------------------------------------------------------------------------------------ files that are wrong

DAMAGED = "Dit afschrift is niet compleet of beschadigd. Download het opnieuw bij de bank en probeer het opnieuw."
NOT_MT940 = "Dit is geen MT940-afschrift. Download het afschrift bij de bank als MT940 en probeer het opnieuw."
GOOD = mt940(debit("RUN-RENT-10", 812_50), storno("RUN-ENERGY-10", 120_00), debit("RUN-ONBEKEND", 5_00))
CANCELLING = mt940(debit("RUN-RENT-10", 812_50), storno("RUN-RENT-10", 812_50), opening=0)


@pytest.mark.parametrize(("data", "error"), [
    (GOOD[: len(GOOD) // 2], DAMAGED),  # cut off halfway: no closing balance
    (GOOD[: GOOD.index(b":62F:")], DAMAGED),  # cut off just before the closing balance
    (GOOD[: GOOD.index(b":62F:") + 12], DAMAGED),  # ... in it
    (GOOD.replace(b":61:2610011001D5,00", b":61:2610011001D4,00"), DAMAGED),  # the statement does not add up
    (mt940(debit("RUN-RENT-10", 812_50), closing=1_00), DAMAGED),
    (GOOD.replace(b":61:261001", b":61:261301", 1), DAMAGED),  # month 13
    (GOOD.replace(b"D812,50", b"D8,1,2"), DAMAGED),
    (GOOD.replace(b":61:261001", b":61:26X", 1), DAMAGED),
    (GOOD.replace(b":60F:C260930EUR50000,00\r\n", b""), DAMAGED),  # no opening balance
    # Cut off before the closing balance, where the lines add up to nothing: only the missing balance tells.
    (CANCELLING[: CANCELLING.index(b":62F:")], DAMAGED),
    (mt940(), "Er staan geen boekingen op dit afschrift."),
    (b"   \r\n", NOT_MT940),
    (b"klantnummer;iban;bedrag\nW000014;NL44DEMO0001234567;812,50\n", NOT_MT940),
    ("Afschrift".encode("utf-16"), NOT_MT940),
    (b":20:X\r\n:25:\x81\x8d\r\n", "De tekens in dit bestand zijn niet te lezen. Download het afschrift opnieuw bij de "
                                   "bank."),
])
def test_a_file_that_cannot_be_read_changes_nothing(bank, data: bytes, error: str) -> None:
    before = _states()
    upload = _upload(data, bank["sanne"])
    preview = statement_preview(upload=upload, staff=bank["sanne"])
    assert (preview.error, preview.paid, preview.returned, preview.already, preview.unmatched) == (
        error, [], [], [], [])
    with pytest.raises(DomainError) as refused:
        statement_confirm(upload=upload, staff=bank["sanne"])
    assert str(refused.value.message) == error
    assert _states() == before
    assert db.session.get(Upload, upload.id).confirmed_at is None


def test_a_statement_cut_off_anywhere_is_refused_or_read_whole(ctx) -> None:
    """Cut at every byte: either one message for the whole file, or exactly the lines of the whole file
    (a cut in the trailing '-' or whitespace loses nothing)."""
    whole = st.read_statement(GOOD)
    assert len(whole) == 3
    for end in range(len(GOOD)):
        try:
            lines = st.read_statement(GOOD[:end])
        except st._FileError:
            continue
        assert lines == whole, f"cut at {end} read as a whole statement"


@pytest.mark.parametrize("data", [
    "\ufeff".encode() + GOOD.replace(b"Huur oktober", "Huur oktober – één".encode()),
    GOOD.replace(b"Huur oktober", "Huur oktober – één".encode("cp1252")),
], ids=["utf-8 with bom", "windows-1252"])
def test_a_bom_and_windows_1252_are_read(bank, data: bytes) -> None:
    preview = statement_preview(upload=_upload(data, bank["sanne"]), staff=bank["sanne"])
    assert preview.error is None and [m.reference for m in preview.paid] == ["RUN-RENT-10"]


def test_two_statements_in_one_file_are_both_read(bank) -> None:
    data = mt940(debit("RUN-RENT-10", 812_50)) + b"\r\n" + mt940(debit("RUN-ENERGY-10", 120_00),
                                                                 opening=50_000_00 - 812_50)
    preview = statement_preview(upload=_upload(data, bank["sanne"]), staff=bank["sanne"])
    assert [(m.reference, m.line) for m in preview.paid] == [("RUN-RENT-10", 5), ("RUN-ENERGY-10", 13)]


# -------------------------------------------------------------------------------------------- the reasons

@pytest.mark.parametrize(("code", "reason"), [
    ("AC01", "Het rekeningnummer (IBAN) klopt niet."),
    ("AC04", "De rekening is opgeheven."),
    ("AC06", "De rekening is geblokkeerd."),
    ("AG01", "Deze betaling is niet toegestaan op deze rekening."),
    ("AM04", "Er stond niet genoeg geld op de rekening."),
    ("MD01", "Er is geen machtiging voor deze betaling."),
    ("MD06", "De betaler heeft het geld teruggevraagd."),
    ("MS02", "De ontvanger heeft de betaling geweigerd."),
    ("MS03", "De bank heeft geen reden gegeven."),
    ("RR01", "Gegevens over de rekening of de betaler ontbreken (regels van de bank)."),
    ("RR04", "De bank mocht de betaling niet uitvoeren (regels van de bank)."),
    ("FOCR", "De betaling is teruggehaald op verzoek van de betaler."),
    ("ac04", "De rekening is opgeheven."),
    ("ZZ01", "Andere reden (code ZZ01)."),
    (None, "De bank heeft geen reden gegeven."),
])
def test_return_reasons_in_plain_words(ctx, code, reason) -> None:
    assert return_reason(code) == reason


def test_every_return_reason_is_a_full_sentence(ctx) -> None:
    assert {"RR01", "RR02", "RR03", "RR04"} <= set(RETURN_REASONS)
    assert all(str(text).endswith(".") and str(text)[0].isupper() for text in RETURN_REASONS.values())


# ---------------------------------------------------------------------------------------- the sample files

SAMPLES = Path(st.__file__).parent / "samples"


def test_the_sample_files_show_good_bad_booked_paid_returned_and_unmatched_lines(ctx, world) -> None:
    """The samples fit the demo (portal/ontzorgen/demo.py) as loaded in December 2026 on a fresh database:
    amina is W000014 (ontzorgen from 17 September), yonas W000015 (ended), with the demo's creditors."""
    from portal.ontzorgen.demo import AMINA_COSTS, CREDITORS

    amina, yonas = db.session.get(Resident, world.amina_id), db.session.get(Resident, world.yonas_id)
    amina.client_number, yonas.client_number = "W000014", "W000015"
    arrangement = make_arrangement(amina, starts_on=date(2026, 9, 17))
    for cost in AMINA_COSTS:
        name, bank, account = CREDITORS[cost.creditor]
        made = make_cost(arrangement, kind=cost.kind, creditor_name=name, amount_cents=cost.cents,
                         iban=IBAN.generate("NL", bank_code=bank, account_code=account).compact)
        if cost.kind == "rent":
            make_payment(made, reference="WW-W000014-202610-rent", paid_on=date(2026, 10, 1), state="paid")
    make_arrangement(yonas, starts_on=date(2026, 4, 1), costs=["rent"])
    db.session.commit()
    sanne = _user("sanne")

    run = upload_store(kind="payments", filename="betaalrun-voorbeeld.csv", actor=sanne,
                       data=(SAMPLES / "betaalrun-voorbeeld.csv").read_bytes())
    preview = payment_run_preview(upload=run, staff=sanne)
    assert (preview.error, len(preview.rows), len(preview.ok), len(preview.duplicates)) == (None, 12, 7, 1)
    assert [row.error for row in preview.bad] == [
        "Deze maand valt buiten de periode van ontzorgen.",
        "Dit IBAN klopt niet. Kijk het nummer nog eens na.",
        "Onbekende bewoner of niet in jouw caseload.",
        "Dit bedrag is negatief. Een betaling moet groter dan nul zijn.",
    ]
    assert payment_run_confirm(upload=run, staff=sanne).booked == 7

    bank_statement = _upload((SAMPLES / "afschrift-voorbeeld.mt940").read_bytes(), sanne)
    preview = statement_preview(upload=bank_statement, staff=sanne)
    assert preview.error is None
    assert [m.reference for m in preview.paid] == [
        "BR-2027-01-0001", "BR-2027-01-0004", "BR-2027-01-0002", "BR-2027-01-0003"]
    assert [(m.reference, m.code, m.reason) for m in preview.returned] == [
        ("BR-2027-01-0002", "AC04", "De rekening is opgeheven.")]
    assert [(u.reference, u.reason) for u in preview.unmatched] == [("GEM-2027-01-4471", UNKNOWN)]
