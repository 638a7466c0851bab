"""The payment run CSV: upload, preview (writes nothing, says why a row is wrong), confirm (books good rows once).

Amina (sanne's) has an arrangement from 1 September 2026 to 1 March 2027 with rent, energy and health
insurance; yonas (also sanne's) has none; bob belongs to ruben and has one too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text, update

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db
from portal.domain import DomainError, NotFound
from portal.ontzorgen import imports
from portal.ontzorgen.bench import import_benchmark
from portal.ontzorgen.imports import (
    MAX_UPLOAD_BYTES,
    RunPreview,
    parse_amount,
    payment_run_confirm,
    payment_run_preview,
    upload_get,
    upload_store,
)
from portal.ontzorgen.models import Arrangement, Creditor, FixedCost, Payment, Upload
from tests.ontzorgen.factories import CREDITORS, fictitious_iban, make_arrangement, make_cost, make_payment

RENT_IBAN = CREDITORS["rent"][1]
ENERGY_IBAN = CREDITORS["energy"][1]
HEALTH_IBAN = CREDITORS["health_insurance"][1]
HEADER = "klantnummer,crediteur,iban,bedrag,datum,periode,betalingskenmerk"


@pytest.fixture
def run(ctx, world):
    """Arrangements for amina and bob; returns sanne, ruben and the client numbers."""
    amina = db.session.get(Resident, world.amina_id)
    bob = db.session.get(Resident, world.bob_id)
    make_arrangement(amina, starts_on=date(2026, 9, 1), costs=["rent", "energy", "health_insurance"])
    make_arrangement(bob, starts_on=date(2026, 9, 1), costs=["rent"])
    db.session.commit()
    yonas = db.session.get(Resident, world.yonas_id)
    return {
        "sanne": _user("sanne"), "ruben": _user("ruben"),
        "amina": amina.client_number, "yonas": yonas.client_number, "bob": bob.client_number,
    }


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _preview(data: bytes, staff: User) -> tuple[Upload, RunPreview]:
    upload = upload_store(kind="payments", filename="betaalrun.csv", data=data, actor=staff)
    return upload, payment_run_preview(upload=upload, staff=staff)


def _payments() -> int:
    return db.session.scalar(select(func.count(Payment.id)))


def _good(run, *, reference: str = "RUN-0001", amount: str = "812.50", iban: str = RENT_IBAN,
          day: str = "2026-10-01", period: str = "2026-10", client: str | None = None) -> str:
    return f"{client or run['amina']},Woonstichting De Linde,{iban},{amount},{day},{period},{reference}"


# ------------------------------------------------------------------------------------------- a good file

def test_a_good_file_books_each_row_as_a_scheduled_import(run) -> None:
    data = _csv(
        _good(run, reference="RUN-0001"),
        f"{run['amina']},Energie Samen,{ENERGY_IBAN},120.00,2026-10-01,2026-10,RUN-0002",
        f"{run['amina']},,{HEALTH_IBAN},145.95,2026-10-02,,RUN-0003",
    )
    upload, preview = _preview(data, run["sanne"])
    assert preview.error is None
    assert [row.line for row in preview.ok] == [2, 3, 4]
    assert (preview.bad, preview.duplicates, preview.total_cents) == ([], [], 812_50 + 120_00 + 145_95)
    assert preview.ok[2].creditor_name == "Zorgverzekeraar Gezond"  # from the cost when the column is empty
    assert _payments() == 0

    result = payment_run_confirm(upload=upload, staff=run["sanne"])
    db.session.commit()

    assert (result.booked, result.skipped, result.total_cents) == (3, 0, 1078_45)
    payments = db.session.scalars(select(Payment).order_by(Payment.reference)).all()
    assert [(p.reference, p.amount_cents, p.paid_on, p.period, p.state, p.source) for p in payments] == [
        ("RUN-0001", 812_50, date(2026, 10, 1), date(2026, 10, 1), "scheduled", "import"),
        ("RUN-0002", 120_00, date(2026, 10, 1), date(2026, 10, 1), "scheduled", "import"),
        ("RUN-0003", 145_95, date(2026, 10, 2), date(2026, 10, 1), "scheduled", "import"),
    ]
    kinds = {p.reference: db.session.get(FixedCost, p.cost_id).kind for p in payments}
    assert kinds == {"RUN-0001": "rent", "RUN-0002": "energy", "RUN-0003": "health_insurance"}
    assert {p.created_by_id for p in payments} == {run["sanne"].id}
    assert all(p.created_at is not None and p.return_code is None for p in payments)
    assert {p.creditor.iban for p in payments} == {RENT_IBAN, ENERGY_IBAN, HEALTH_IBAN}
    assert db.session.get(Upload, upload.id).confirmed_at is not None


def test_the_same_file_again_books_nothing_twice(run) -> None:
    data = _csv(_good(run, reference="RUN-0001"), _good(run, reference="RUN-0002", day="2026-11-01",
                                                       period="2026-11"))
    first, _ = _preview(data, run["sanne"])
    payment_run_confirm(upload=first, staff=run["sanne"])
    db.session.commit()

    second, preview = _preview(data, run["sanne"])
    assert (len(preview.ok), len(preview.duplicates), preview.bad) == (0, 2, [])
    assert all(row.error is None for row in preview.duplicates)
    result = payment_run_confirm(upload=second, staff=run["sanne"])
    db.session.commit()
    assert (result.booked, result.skipped, result.total_cents) == (0, 2, 0)
    assert _payments() == 2


def test_a_file_with_new_and_booked_rows_books_only_the_new_ones(run) -> None:
    amina_rent = db.session.scalar(select(FixedCost).where(FixedCost.kind == "rent").join(Arrangement).join(
        Resident).where(Resident.client_number == run["amina"]))
    make_payment(amina_rent, reference="RUN-0001", amount_cents=812_50)
    db.session.commit()
    upload, preview = _preview(_csv(_good(run, reference="RUN-0001"), _good(run, reference="RUN-0002",
                                                                            day="2026-11-01", period="2026-11")),
                               run["sanne"])
    assert [row.reference for row in preview.duplicates] == ["RUN-0001"]
    assert [row.reference for row in preview.ok] == ["RUN-0002"]
    result = payment_run_confirm(upload=upload, staff=run["sanne"])
    assert (result.booked, result.skipped) == (1, 1)
    assert _payments() == 2


def test_confirming_the_same_upload_twice_is_refused(run) -> None:
    upload, _ = _preview(_csv(_good(run)), run["sanne"])
    payment_run_confirm(upload=upload, staff=run["sanne"])
    db.session.commit()
    with pytest.raises(DomainError, match="al verwerkt"):
        payment_run_confirm(upload=upload, staff=run["sanne"])
    assert _payments() == 1
    assert upload_get(upload_id=upload.id, staff=run["sanne"], kind="payments") is None


def test_a_second_confirmation_is_refused_even_when_the_object_in_memory_looks_unconfirmed(run) -> None:
    """Two requests confirming the same upload: the conditional UPDATE lets only one through."""
    upload, _ = _preview(_csv(_good(run)), run["sanne"])
    db.session.commit()
    db.session.execute(text("UPDATE ontzorgen_uploads SET confirmed_at = CURRENT_TIMESTAMP WHERE id = :id"),
                       {"id": upload.id})
    assert upload.confirmed_at is None  # what a request that loaded it earlier still sees
    with pytest.raises(DomainError, match="al verwerkt"):
        payment_run_confirm(upload=upload, staff=run["sanne"])
    assert _payments() == 0


def test_a_bad_row_is_not_booked_and_the_good_rows_are(run) -> None:
    upload, preview = _preview(_csv(_good(run, reference="RUN-0001"), _good(run, reference="RUN-0002",
                                                                            iban="NL00DEMO0000001001")),
                               run["sanne"])
    assert [row.reference for row in preview.ok] == ["RUN-0001"]
    assert [(row.line, row.error) for row in preview.bad] == [(3, "Dit IBAN klopt niet. Kijk het nummer nog eens na.")]
    result = payment_run_confirm(upload=upload, staff=run["sanne"])
    assert (result.booked, result.skipped, result.total_cents) == (1, 1, 812_50)
    assert db.session.scalars(select(Payment.reference)).all() == ["RUN-0001"]


# ------------------------------------------------------------------------------------------- bad rows

UNKNOWN = "Onbekende bewoner of niet in jouw caseload."
OUTSIDE_MONTH = "Deze maand valt buiten de periode van ontzorgen."
OUTSIDE_DAY = "Deze datum valt buiten de periode van ontzorgen."
BAD_AMOUNT = "Dit bedrag klopt niet. Schrijf het bedrag als 812,50 of 812.50."
BAD_DATE = "Deze datum klopt niet. Schrijf de datum als 2026-09-01 of 01-09-2026."
NO_COST = "Deze bewoner heeft geen vaste last bij deze crediteur (IBAN)."


@pytest.mark.parametrize(("changes", "reason"), [
    ({"client": "W999999"}, UNKNOWN),
    ({"client": "bob"}, UNKNOWN),  # a resident of ruben: the same words, nothing leaks
    ({"client": "yonas"}, "Voor deze bewoner is ontzorgen niet gestart."),
    ({"iban": "NL21DEMO0000001001"}, "Dit IBAN klopt niet. Kijk het nummer nog eens na."),
    ({"iban": "geen iban"}, "Dit IBAN klopt niet. Kijk het nummer nog eens na."),
    ({"iban": ""}, "Dit IBAN klopt niet. Kijk het nummer nog eens na."),
    ({"iban": fictitious_iban(4242)}, NO_COST),  # a valid IBAN, but not one of amina's creditors
    ({"amount": "-812.50"}, "Dit bedrag is negatief. Een betaling moet groter dan nul zijn."),
    ({"amount": "0,00"}, "Vul een bedrag groter dan nul in."),
    ({"amount": "0"}, "Vul een bedrag groter dan nul in."),
    ({"amount": "100000.01"}, "Dit bedrag is te hoog voor een vaste last."),
    ({"amount": "9999999999999999"}, "Dit bedrag is te hoog voor een vaste last."),
    ({"amount": "acht"}, BAD_AMOUNT),
    ({"amount": ""}, BAD_AMOUNT),
    ({"amount": "812.505"}, BAD_AMOUNT),
    ({"amount": "1.234"}, BAD_AMOUNT),  # 1234 euro or 1,234 euro: never guessed
    ({"amount": "8.12.50"}, BAD_AMOUNT),
    ({"day": "31-02-2026"}, BAD_DATE),
    ({"day": "2026-13-01"}, BAD_DATE),
    ({"day": "morgen"}, BAD_DATE),
    ({"day": ""}, BAD_DATE),
    ({"period": "2026-13"}, "Deze maand klopt niet. Schrijf de maand als 2026-09 of 09-2026."),
    ({"period": "oktober"}, "Deze maand klopt niet. Schrijf de maand als 2026-09 of 09-2026."),
    ({"period": "2026-08"}, OUTSIDE_MONTH),  # the month before the arrangement starts
    ({"period": "2027-03", "day": "2027-03-01"}, OUTSIDE_MONTH),  # the first month after it ends
    ({"period": "2026-09", "day": "2027-06-01"}, OUTSIDE_DAY),
    ({"period": "", "day": "2026-07-15"}, OUTSIDE_MONTH),  # no period: the month of the date counts
    ({"reference": ""}, "Het betalingskenmerk ontbreekt."),
    ({"reference": "R" * 65}, "Het betalingskenmerk is te lang: hoogstens 64 tekens."),
    ({"reference": "RUN\u202e0001"}, "Het betalingskenmerk bevat onzichtbare of verboden tekens."),
    ({"client": ""}, "Het klantnummer ontbreekt."),
])
def test_each_bad_row_says_why_in_plain_words_and_books_nothing(run, changes, reason) -> None:
    changes = dict(changes)
    if changes.get("client") in ("bob", "yonas"):
        changes["client"] = run[changes["client"]]
    if changes.get("client") == "":
        line = f",Woonstichting De Linde,{RENT_IBAN},812.50,2026-10-01,2026-10,RUN-0001"
    else:
        line = _good(run, **changes)
    upload, preview = _preview(_csv(line), run["sanne"])
    assert preview.error is None
    assert [(row.line, row.error, row.duplicate) for row in preview.rows] == [(2, reason, False)]
    assert preview.ok == [] and preview.total_cents == 0
    result = payment_run_confirm(upload=upload, staff=run["sanne"])
    assert (result.booked, result.skipped) == (0, 1)
    assert _payments() == 0


def test_someone_elses_resident_is_not_shown(run) -> None:
    _, preview = _preview(_csv(_good(run, client=run["bob"]), _good(run, client="W999999", reference="X")),
                          run["sanne"])
    assert [row.resident for row in preview.rows] == [None, None]
    assert preview.rows[0].error == preview.rows[1].error == UNKNOWN


def test_ruben_may_book_for_his_own_resident(run) -> None:
    upload, preview = _preview(_csv(_good(run, client=run["bob"])), run["ruben"])
    assert [row.resident.client_number for row in preview.ok] == [run["bob"]]
    assert payment_run_confirm(upload=upload, staff=run["ruben"]).booked == 1


def test_the_same_reference_twice_in_the_file_books_neither(run) -> None:
    upload, preview = _preview(_csv(_good(run, reference="RUN-7"), _good(run, reference="RUN-8"),
                                    _good(run, reference="RUN-7", day="2026-11-01", period="2026-11")),
                               run["sanne"])
    reason = "Dit betalingskenmerk staat meer dan één keer in het bestand (regels 2, 4)."
    assert [(row.line, row.error) for row in preview.bad] == [(2, reason), (4, reason)]
    assert [row.reference for row in preview.ok] == ["RUN-8"]
    assert payment_run_confirm(upload=upload, staff=run["sanne"]).booked == 1


def test_a_reference_booked_for_someone_else_is_an_error_not_a_duplicate(run) -> None:
    bob_rent = db.session.scalar(select(FixedCost).join(Arrangement).join(Resident).where(
        Resident.client_number == run["bob"]))
    make_payment(bob_rent, reference="RUN-0001")
    db.session.commit()
    _, preview = _preview(_csv(_good(run, reference="RUN-0001")), run["sanne"])
    assert [(row.error, row.duplicate) for row in preview.rows] == [
        ("Dit betalingskenmerk is al gebruikt voor een andere betaling.", False)]


def test_a_reference_booked_with_another_amount_is_an_error(run) -> None:
    rent = db.session.scalar(select(FixedCost).join(Arrangement).join(Resident).where(
        Resident.client_number == run["amina"], FixedCost.kind == "rent"))
    make_payment(rent, reference="RUN-0001", amount_cents=800_00)
    db.session.commit()
    _, preview = _preview(_csv(_good(run, reference="RUN-0001")), run["sanne"])
    assert [(row.error, row.duplicate) for row in preview.rows] == [
        ("Dit betalingskenmerk is al geboekt, met een ander bedrag.", False)]


def test_an_ended_cost_takes_no_payments_after_its_end(run) -> None:
    rent = db.session.scalar(select(FixedCost).join(Arrangement).join(Resident).where(
        Resident.client_number == run["amina"], FixedCost.kind == "rent"))
    rent.ended_on = date(2026, 11, 1)
    db.session.commit()
    _, preview = _preview(_csv(_good(run, reference="OCT", day="2026-10-01", period="2026-10"),
                               _good(run, reference="NOV", day="2026-11-01", period="2026-11")), run["sanne"])
    assert [row.reference for row in preview.ok] == ["OCT"]
    assert [(row.reference, row.error) for row in preview.bad] == [("NOV", NO_COST)]


def test_two_costs_at_one_creditor_are_told_apart_by_amount_or_refused(run) -> None:
    arrangement = db.session.scalar(select(Arrangement).join(Resident).where(Resident.client_number == run["amina"]))
    tax = make_cost(arrangement, kind="municipal_tax")
    board = make_cost(arrangement, kind="water_board_tax")  # the same creditor and IBAN
    db.session.commit()
    iban = tax.creditor.iban
    _, preview = _preview(_csv(_good(run, reference="T1", iban=iban, amount="35.00"),
                               _good(run, reference="T2", iban=iban, amount="\"12,40\""),
                               _good(run, reference="T3", iban=iban, amount="50.00")), run["sanne"])
    assert [(row.reference, row.cost.id) for row in preview.ok] == [("T1", tax.id), ("T2", board.id)]
    assert [(row.reference, row.error) for row in preview.bad] == [
        ("T3", "Deze bewoner heeft meer vaste lasten bij deze crediteur. Aan het bedrag is niet te zien welke het "
               "is.")]


# ------------------------------------------------------------------------------------- reading the file

def test_a_dutch_excel_export_semicolons_decimal_comma_and_bom(run) -> None:
    data = "\ufeffKlantnummer;Crediteur;IBAN;Bedrag;Datum;Periode;Betalingskenmerk\r\n".encode() + (
        f'{run["amina"]};"Woonstichting De Linde";{RENT_IBAN[:4]} {RENT_IBAN[4:8]} {RENT_IBAN[8:12]} '
        f'{RENT_IBAN[12:16]} {RENT_IBAN[16:]};€ 812,50;01-10-2026;10-2026;RUN-0001\r\n'
        f'{run["amina"]};Energie Samen;{ENERGY_IBAN};"1.120,00";2-11-2026;11-2026;RUN-0002\r\n'
        ";;;;;;\r\n"  # the empty rows Excel leaves at the end
    ).encode()
    upload, preview = _preview(data, run["sanne"])
    assert preview.error is None and preview.bad == []
    assert [(row.line, row.amount_cents, row.paid_on, row.period) for row in preview.ok] == [
        (2, 812_50, date(2026, 10, 1), date(2026, 10, 1)),
        (3, 1120_00, date(2026, 11, 2), date(2026, 11, 1)),
    ]
    assert payment_run_confirm(upload=upload, staff=run["sanne"]).booked == 2


def test_english_headers_in_any_case_and_order_with_extra_columns(run) -> None:
    data = (f"Payment_Reference,Amount,Notes,IBAN,Date,Resident Reference,CREDITOR\n"
            f"RUN-0001,812.50,first month,{RENT_IBAN},2026-10-01,{run['amina']},Woonstichting De Linde\n").encode()
    _, preview = _preview(data, run["sanne"])
    assert [(row.reference, row.amount_cents, row.period) for row in preview.ok] == [
        ("RUN-0001", 812_50, date(2026, 10, 1))]


def test_a_windows_1252_file_is_read(run) -> None:
    data = (f"klantnummer;crediteur;iban;bedrag;datum;betalingskenmerk\n"
            f"{run['amina']};Energie Coöperatie Zuid – één;{ENERGY_IBAN};120,00;01-10-2026;RUN-0001\n"
            ).encode("cp1252")
    _, preview = _preview(data, run["sanne"])
    assert preview.error is None
    assert [row.creditor_name for row in preview.ok] == ["Energie Coöperatie Zuid – één"]


@pytest.mark.parametrize(("data", "error"), [
    (b"klantnummer,iban\n\x81\x8d\x8f\x90\x9d\n",
     "De tekens in dit bestand zijn niet te lezen. Sla het bestand op als CSV UTF-8 en probeer het opnieuw."),
    ("klantnummer,iban,bedrag\n".encode("utf-16"),
     "Dit is geen CSV-bestand. Sla het bestand in Excel op als CSV en probeer het opnieuw."),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",  # the start of an .xlsx
     "Dit is geen CSV-bestand. Sla het bestand in Excel op als CSV en probeer het opnieuw."),
    (b"\n\n  \n", "Dit bestand is leeg. Kies een ander bestand."),
    (HEADER.encode() + b"\n", "Er staan geen betalingen in dit bestand, alleen de kopregel."),
    (b"W000001,Woonstichting,NL20INGB0001234567,812.50,2026-10-01,2026-10,RUN-1\n",
     "De eerste regel moet de namen van de kolommen hebben, zoals klantnummer, iban, bedrag, datum en "
     "betalingskenmerk."),
    (b"klantnummer;crediteur;iban;datum\nW1;X;Y;2026-10-01\n",
     "Deze kolommen ontbreken in de kopregel: bedrag, betalingskenmerk."),
    (b"klantnummer,bedrag,iban,amount,datum,betalingskenmerk\n",
     "De kolom bedrag staat twee keer in de kopregel. Haal er één weg."),
    (b'klantnummer,iban,bedrag,datum,betalingskenmerk\n"W1,' + b"x" * 200_000 + b"\n",
     "Dit bestand is niet te lezen als CSV. Sla het bestand in Excel op als CSV en probeer het opnieuw."),
])
def test_a_file_that_cannot_be_read_gives_one_message_and_no_rows(run, data, error) -> None:
    upload, preview = _preview(data, run["sanne"])
    assert (preview.error, preview.rows) == (error, [])
    with pytest.raises(DomainError) as refused:
        payment_run_confirm(upload=upload, staff=run["sanne"])
    assert str(refused.value.message) == error
    assert _payments() == 0
    assert db.session.get(Upload, upload.id).confirmed_at is None


def test_more_than_twenty_thousand_rows_is_refused_as_a_whole(run) -> None:
    rows = [f"W{n},X,Y,1,2026-10-01,,R{n}" for n in range(imports.MAX_ROWS + 1)]
    _, preview = _preview(_csv(*rows), run["sanne"])
    assert preview.error == "Dit bestand heeft meer dan 20000 betalingen. Maak er kleinere bestanden van."
    assert preview.rows == []
    _, preview = _preview(_csv(*rows[:-1]), run["sanne"])
    assert preview.error is None and len(preview.rows) == imports.MAX_ROWS


@pytest.mark.parametrize(("given", "cents"), [
    ("812.50", 812_50), ("812,50", 812_50), ("812,5", 812_50), ("812", 812_00), ("1.234,56", 1234_56),
    ("1,234.56", 1234_56), ("€ 812,50", 812_50), ("€812,50", 812_50), ("812,50 EUR", 812_50), ("1.234.567", 1234567_00),
    ("1 234,56", 1234_56), ("-12,00", -12_00), ("0,05", 5), (",50", 50), ("+7", 7_00),
])
def test_amounts_as_people_write_them(given: str, cents: int) -> None:
    assert parse_amount(given) == cents


@pytest.mark.parametrize("given", ["1.234", "1,234", "12.345,6.7", "1.23.45", "12,3456", "€", "1e5", "--5", "1,2,3"])
def test_unclear_amounts_are_refused(ctx, given: str) -> None:
    with pytest.raises(imports._Bad):
        parse_amount(given)


# --------------------------------------------------------------------------------------- writes nothing

def _row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def test_the_preview_writes_nothing(run) -> None:
    upload = upload_store(kind="payments", filename="betaalrun.csv", actor=run["sanne"], data=_csv(
        _good(run, reference="RUN-0001"), _good(run, reference="RUN-0002", amount="-1"),
        _good(run, reference="RUN-0003", client="W999999")))
    db.session.commit()
    before = _row_counts()
    preview = payment_run_preview(upload=upload, staff=run["sanne"])
    assert (len(preview.ok), len(preview.bad)) == (1, 2)
    assert not (db.session.new or db.session.dirty or db.session.deleted)
    db.session.commit()
    assert _row_counts() == before
    assert before["ontzorgen_payments"] == 0 and before["ontzorgen_creditors"] == 3


def test_the_checks_take_the_same_number_of_statements_for_ten_rows_or_four_hundred(run, count_queries) -> None:
    def statements(rows: int) -> int:
        lines = [_good(run, reference=f"RUN-{n}", client=run["amina"] if n % 3 else f"W9{n:05d}")
                 for n in range(rows)]
        upload = upload_store(kind="payments", filename="run.csv", data=_csv(*lines), actor=run["sanne"])
        db.session.commit()
        db.session.expire_all()
        assert upload.data and run["sanne"].role  # loaded again before counting
        count_queries.statements.clear()
        payment_run_preview(upload=upload, staff=run["sanne"])
        return count_queries.count

    assert statements(10) == statements(400) == 2


# ----------------------------------------------------------------------------------------------- uploads

def test_upload_store_refuses_empty_and_too_large_files(run) -> None:
    with pytest.raises(DomainError) as empty:
        upload_store(kind="payments", filename="leeg.csv", data=b"", actor=run["sanne"])
    assert (str(empty.value.message), empty.value.field) == ("Dit bestand is leeg. Kies een ander bestand.", "file")
    with pytest.raises(DomainError) as large:
        upload_store(kind="payments", filename="groot.csv", data=b"x" * (20 * 2**20), actor=run["sanne"])
    assert (str(large.value.message), large.value.field) == (
        "Dit bestand is te groot. Een bestand mag hoogstens 5 MB zijn.", "file")
    with pytest.raises(DomainError):
        upload_store(kind="payments", filename="net-te-groot.csv", data=b"x" * (MAX_UPLOAD_BYTES + 1),
                     actor=run["sanne"])
    upload_store(kind="payments", filename="precies.csv", data=b"x" * MAX_UPLOAD_BYTES, actor=run["sanne"])
    assert db.session.scalar(select(func.count(Upload.id))) == 1


@pytest.mark.parametrize(("given", "kept"), [
    ("betaalrun.csv", "betaalrun.csv"),
    ("C:\\Users\\sanne\\Documents\\betaalrun.csv", "betaalrun.csv"),
    ("../../etc/passwd", "passwd"),
    ("run\u202egnp.csv", "rungnp.csv"),
    ("run\x00\r\n.csv", "run.csv"),
    ("", "bestand"),
    ("a" * 300 + ".csv", "a" * 255),
])
def test_upload_store_keeps_a_clean_file_name_and_the_hash(run, given: str, kept: str) -> None:
    upload = upload_store(kind="payments", filename=given, data=b"abc", actor=run["sanne"])
    assert upload.filename == kept
    assert upload.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert (upload.kind, upload.uploaded_by_id, upload.confirmed_at) == ("payments", run["sanne"].id, None)


def test_upload_get_finds_only_my_own_unconfirmed_upload_of_that_kind(run) -> None:
    upload = upload_store(kind="payments", filename="run.csv", data=_csv(_good(run)), actor=run["sanne"])
    db.session.commit()
    assert upload_get(upload_id=upload.id, staff=run["sanne"], kind="payments") is upload
    assert upload_get(upload_id=upload.id, staff=run["sanne"], kind="statement") is None
    assert upload_get(upload_id=upload.id, staff=run["ruben"], kind="payments") is None
    with pytest.raises(NotFound):
        payment_run_preview(upload=upload, staff=run["ruben"])
    with pytest.raises(NotFound):
        payment_run_confirm(upload=upload, staff=run["ruben"])
    payment_run_confirm(upload=upload, staff=run["sanne"])
    assert upload_get(upload_id=upload.id, staff=run["sanne"], kind="payments") is None


def test_upload_store_removes_my_own_stale_unconfirmed_uploads(run) -> None:
    old = upload_store(kind="payments", filename="oud.csv", data=b"a", actor=run["sanne"])
    others = upload_store(kind="payments", filename="van-ruben.csv", data=b"a", actor=run["ruben"])
    db.session.execute(update(Upload).values(uploaded_at=datetime(2020, 1, 1, tzinfo=UTC)))
    db.session.commit()
    old_id, others_id = old.id, others.id
    upload_store(kind="payments", filename="nieuw.csv", data=b"b", actor=run["sanne"])
    db.session.commit()
    assert db.session.get(Upload, old_id) is None
    assert db.session.get(Upload, others_id) is not None


def test_confirm_books_the_creditor_of_the_cost_not_a_new_one(run) -> None:
    upload, _ = _preview(_csv(_good(run).replace("Woonstichting De Linde", "Andere Naam BV")), run["sanne"])
    payment_run_confirm(upload=upload, staff=run["sanne"])
    assert db.session.scalar(select(func.count(Creditor.id))) == 3


# ------------------------------------------------------------------------------------------- the benchmark

def test_the_benchmark_books_every_row_and_leaves_nothing_behind(ctx) -> None:
    users = db.session.scalar(select(func.count(User.id)))
    result = import_benchmark(rows=200)
    assert (result["rows"], result["booked"], result["database"]) == (200, 200, db.engine.dialect.name)
    assert result["seconds"] > 0 and result["rows_per_second"] > 0
    assert result["statements"] == result["preview_statements"] + result["confirm_statements"]
    assert db.session.scalar(select(func.count(Payment.id))) == 0
    assert db.session.scalar(select(func.count(User.id))) == users


def test_the_statements_of_an_import_do_not_grow_with_its_rows(ctx) -> None:
    small, large = import_benchmark(rows=100), import_benchmark(rows=400)
    assert (small["preview_statements"], small["confirm_statements"]) == (
        large["preview_statements"], large["confirm_statements"])
    assert small["preview_statements"] == 2  # residents with arrangements and costs; booked references
    assert small["confirm_statements"] == 4  # the same two, claiming the upload, one insert of every payment
