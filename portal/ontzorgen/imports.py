"""The municipality's payment run (CSV): upload, preview (nothing is written), confirm (books the good rows).

A caseworker uploads the CSV the payment run produced. The preview reads and checks every row and says, in
plain words, why a row cannot be booked; nothing is stored but the upload itself. Confirming reads and checks
the file again (the preview is never trusted) and books every good row as a *scheduled* payment: it becomes
*paid* only when the bank statement shows the transfer (portal/ontzorgen/statement.py).

The file: a header row, then one payment per row. Column names are matched without regard to case, in Dutch
or English (COLUMNS). Separator `;` (a Dutch Excel export) or `,` or tab; UTF-8 with or without BOM, or
Windows-1252 (what Excel saves as "CSV" on a Dutch Windows). Amounts `812.50`, `812,50`, `1.234,56`,
`€ 812,50`; dates `2026-09-01` or `01-09-2026`; period (the month the payment is for) `2026-09` or `09-2026`,
taken from the date when the column is left out or empty.

Only residents in the caseworker's own caseload count: a client number of someone else's resident gets the
same words as one that does not exist, so the file reveals nothing. A payment reference is unique: a row
whose reference is already booked (for the same resident and amount) shows as "al geboekt" and is skipped,
so importing the same file twice books nothing twice.

The checks of 5,000 rows take a fixed number of SQL statements: one per 900 distinct client numbers and one
per 900 references (SQLite's limit on bound values), then one insert (executemany) for all payments.

Sample: samples/betaalrun-voorbeeld.csv, for the demo residents amina (W000014) and yonas (W000015) as
numbered in a freshly loaded demo database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import contains_eager

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.caseload.queries import resident_visible_to
from portal.db import db, utcnow
from portal.domain import DomainError
from portal.i18n import _
from portal.ontzorgen.csvfile import (
    COLUMNS,
    MAX_ROWS,
    _Bad,
    _FileError,
    _RawRow,
    parse_amount,
    parse_date,
    parse_period,
    read_rows,
)
from portal.ontzorgen.models import Arrangement, FixedCost, Payment, PaymentState, Upload
from portal.ontzorgen.services import _period_check, amount_check, iban_normalise
from portal.ontzorgen.uploads import (
    MAX_UPLOAD_BYTES,
    chunked,
    upload_check,
    upload_claim,
    upload_get,
    upload_store,
)
from portal.web.forms import has_forbidden_characters

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "RunPreview",
    "RunResult",
    "RunRow",
    "chunked",
    "payment_run_confirm",
    "payment_run_preview",
    "upload_check",
    "upload_claim",
    "upload_get",
    "upload_store",
]

REFERENCE_MAX = Payment.__table__.c.reference.type.length  # 64


@dataclass
class RunRow:
    line: int  # line in the file, the header being line 1
    client_number: str
    resident: Resident | None  # only a resident of the caller's caseload
    creditor_name: str
    iban: str  # as given
    amount_cents: int | None
    paid_on: date | None
    period: date | None
    reference: str
    cost: FixedCost | None = None
    error: str | None = None
    duplicate: bool = False  # already booked: skipped, not an error

    @property
    def ok(self) -> bool:
        return self.error is None and not self.duplicate


@dataclass
class RunPreview:
    error: str | None = None  # the whole file cannot be read: no rows
    rows: list[RunRow] = field(default_factory=list)  # in file order

    @property
    def ok(self) -> list[RunRow]:
        return [row for row in self.rows if row.ok]

    @property
    def bad(self) -> list[RunRow]:
        return [row for row in self.rows if row.error is not None]

    @property
    def duplicates(self) -> list[RunRow]:
        return [row for row in self.rows if row.duplicate]

    @property
    def total_cents(self) -> int:
        return sum(row.amount_cents or 0 for row in self.ok)


@dataclass
class RunResult:
    booked: int
    skipped: int  # already booked or not right
    total_cents: int


@dataclass
class _Known:
    """What the database says about the file: loaded in a fixed number of statements."""

    residents: dict[str, Resident]  # client number → resident in the caller's caseload
    arrangements: dict[int, Arrangement]  # resident id → arrangement
    costs: dict[int, list[FixedCost]]  # arrangement id → its costs, creditors loaded
    booked: dict[str, tuple[int, int]]  # reference → (resident id, amount in cents) of the booked payment


def _load(raw: list[_RawRow], staff: User) -> _Known:
    numbers = {row.values["client_number"] for row in raw if row.values["client_number"]}
    references = {row.values["reference"] for row in raw if row.values["reference"]}
    known = _Known(residents={}, arrangements={}, costs={}, booked={})
    for chunk in chunked(numbers):
        # Resident (and its user, joined by the relationship), arrangement, costs and creditors in one statement.
        # The creditor is outer-joined here and filled in with contains_eager: the relationship's own inner join
        # would drop residents without costs.
        found = db.session.execute(
            select(Resident, Arrangement, FixedCost)
            .outerjoin(Arrangement, Arrangement.resident_id == Resident.id)
            .outerjoin(FixedCost, FixedCost.arrangement_id == Arrangement.id)
            .outerjoin(FixedCost.creditor)
            .where(resident_visible_to(staff), Resident.client_number.in_(chunk))
            .options(contains_eager(FixedCost.creditor))
            .order_by(Resident.id, FixedCost.id)
        )
        for resident, arrangement, cost in found:
            known.residents[resident.client_number] = resident
            if arrangement is not None:
                known.arrangements[resident.id] = arrangement
                costs = known.costs.setdefault(arrangement.id, [])
                if cost is not None:
                    costs.append(cost)
    for chunk in chunked(references):
        for reference, resident_id, amount in db.session.execute(
            select(Payment.reference, Arrangement.resident_id, Payment.amount_cents)
            .join(Arrangement, Arrangement.id == Payment.arrangement_id)
            .where(Payment.reference.in_(chunk))
        ):
            known.booked[reference] = (resident_id, amount)
    return known


def _cost_for(costs: list[FixedCost], iban: str, amount_cents: int, paid_on: date) -> FixedCost:
    """The one fixed cost at this creditor running on that day; by amount when there are more. Never a guess."""
    at_creditor = [c for c in costs if c.creditor.iban == iban and (c.ended_on is None or paid_on < c.ended_on)]
    if len(at_creditor) > 1:
        at_creditor = [c for c in at_creditor if c.amount_cents == amount_cents]
        if len(at_creditor) != 1:
            raise _Bad(_("Deze bewoner heeft meer vaste lasten bij deze crediteur. Aan het bedrag is niet te zien "
                         "welke het is."))
    if not at_creditor:
        raise _Bad(_("Deze bewoner heeft geen vaste last bij deze crediteur (IBAN)."))
    return at_creditor[0]


def _check_reference(reference: str) -> None:
    if not reference:
        raise _Bad(_("Het betalingskenmerk ontbreekt."))
    if len(reference) > REFERENCE_MAX:
        raise _Bad(_("Het betalingskenmerk is te lang: hoogstens %(max)s tekens.", max=REFERENCE_MAX))
    if has_forbidden_characters(reference):
        raise _Bad(_("Het betalingskenmerk bevat onzichtbare of verboden tekens."))


def _quiet_amount(text: str) -> int | None:
    try:
        return parse_amount(text)
    except _Bad:
        return None


def _validate(raw: list[_RawRow], staff: User) -> list[RunRow]:
    known = _load(raw, staff)
    repeated = Counter(row.values["reference"] for row in raw if row.values["reference"])
    lines_of: dict[str, list[int]] = {}
    for row in raw:
        if repeated[row.values["reference"]] > 1:
            lines_of.setdefault(row.values["reference"], []).append(row.line)
    ibans: dict[str, str | _Bad] = {}
    rows: list[RunRow] = []
    for raw_row in raw:
        values = raw_row.values
        row = RunRow(line=raw_row.line, client_number=values["client_number"], resident=None,
                     creditor_name=values.get("creditor", ""), iban=values["iban"],
                     amount_cents=_quiet_amount(values["amount"]), paid_on=None, period=None,
                     reference=values["reference"])
        try:
            _check_row(row, values, known, lines_of, ibans)
        except _Bad as bad:
            row.error = bad.message
        rows.append(row)
    return rows


def _check_row(row: RunRow, values: dict[str, str], known: _Known, lines_of: dict[str, list[int]],
               ibans: dict[str, str | _Bad]) -> None:
    """Fills in the row; raises _Bad with the first reason it cannot be booked. Marks an already booked one."""
    _check_reference(row.reference)
    if not row.client_number:
        raise _Bad(_("Het klantnummer ontbreekt."))
    resident = known.residents.get(row.client_number)
    if resident is None:
        # The same words for a number that does not exist and for someone else's resident: nothing leaks.
        raise _Bad(_("Onbekende bewoner of niet in jouw caseload."))
    row.resident = resident
    if row.reference in known.booked:
        booked_resident, booked_amount = known.booked[row.reference]
        if booked_resident != resident.id:
            raise _Bad(_("Dit betalingskenmerk is al gebruikt voor een andere betaling."))
        if booked_amount != row.amount_cents:
            raise _Bad(_("Dit betalingskenmerk is al geboekt, met een ander bedrag."))
        row.duplicate = True
        return
    if row.reference in lines_of:
        raise _Bad(_("Dit betalingskenmerk staat meer dan één keer in het bestand (regels %(lines)s).",
                     lines=", ".join(str(line) for line in lines_of[row.reference])))
    arrangement = known.arrangements.get(resident.id)
    if arrangement is None:
        raise _Bad(_("Voor deze bewoner is ontzorgen niet gestart."))
    if row.iban not in ibans:
        try:
            ibans[row.iban] = iban_normalise(row.iban)
        except DomainError as error:
            ibans[row.iban] = _Bad(str(error.message))
    iban = ibans[row.iban]
    if isinstance(iban, _Bad):
        raise iban
    cents = parse_amount(values["amount"])
    if cents < 0:
        raise _Bad(_("Dit bedrag is negatief. Een betaling moet groter dan nul zijn."))
    try:
        row.amount_cents = amount_check(cents)
    except DomainError as error:
        raise _Bad(str(error.message)) from None
    paid_on = parse_date(values["paid_on"])
    period = parse_period(values.get("period", ""))
    try:
        row.paid_on, row.period = _period_check(arrangement, paid_on, period)
    except DomainError as error:
        raise _Bad(str(error.message)) from None
    row.cost = _cost_for(known.costs.get(arrangement.id, []), iban, row.amount_cents, row.paid_on)
    row.creditor_name = row.creditor_name or row.cost.creditor.name


def _run(upload: Upload, staff: User) -> RunPreview:
    try:
        raw = read_rows(upload.data)
    except _FileError as error:
        return RunPreview(error=error.message)
    return RunPreview(rows=_validate(raw, staff))


def payment_run_preview(*, upload: Upload, staff: User) -> RunPreview:
    """Every row of the payment run, checked: what would be booked, what not and why. Writes nothing."""
    upload_check(upload, staff=staff, kind="payments")
    return _run(upload, staff)


def payment_run_confirm(*, upload: Upload, staff: User) -> RunResult:
    """Read and check the file again and book every good row as a scheduled payment (source "import").

    Already booked rows are skipped; a second confirmation of the same upload is refused.
    """
    upload_check(upload, staff=staff, kind="payments")
    preview = _run(upload, staff)
    if preview.error:
        raise DomainError(preview.error, field="file")
    upload_claim(upload)
    ok = preview.ok
    # Every rule of payment_record was checked row by row above (_check_row uses its helpers and limits). One
    # executemany inserts them all, instead of three statements per payment; nothing needs their ids.
    if ok:
        now = utcnow()
        db.session.execute(insert(Payment), [
            {"arrangement_id": row.cost.arrangement_id, "cost_id": row.cost.id, "creditor_id": row.cost.creditor_id,
             "amount_cents": row.amount_cents, "paid_on": row.paid_on, "period": row.period,
             "state": PaymentState.SCHEDULED.value, "reference": row.reference, "source": "import",
             "return_code": None, "return_reason": None, "returned_on": None, "solved_at": None,
             "created_at": now, "created_by_id": staff.id}
            for row in ok
        ])
    return RunResult(booked=len(ok), skipped=len(preview.rows) - len(ok), total_cents=preview.total_cents)

