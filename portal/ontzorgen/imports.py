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

import codecs
import csv
import hashlib
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.caseload.queries import resident_visible_to
from portal.db import db, utcnow
from portal.domain import DomainError, NotFound
from portal.i18n import _
from portal.ontzorgen.models import Arrangement, FixedCost, Payment, PaymentState, Upload
from portal.ontzorgen.services import _period_check, amount_check, iban_normalise
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

MAX_UPLOAD_BYTES = 5 * 2**20
MAX_ROWS = 20_000
KINDS = ("payments", "statement")
IN_CHUNK = 900  # values per IN (...): below SQLite's old limit of 999 bound values
FILENAME_MAX = 255
STALE_UPLOAD = timedelta(days=1)  # an unconfirmed upload older than this is removed at the next upload
REFERENCE_MAX = Payment.__table__.c.reference.type.length  # 64

# Column → the header names accepted for it (compared in lower case, '_' and '-' read as spaces).
# The first name is the one the messages use.
COLUMNS: dict[str, tuple[str, ...]] = {
    "client_number": ("klantnummer", "resident reference", "client number", "clientnummer"),
    "creditor": ("crediteur", "creditor"),
    "iban": ("iban",),
    "amount": ("bedrag", "amount"),
    "paid_on": ("datum", "date"),
    "period": ("periode", "period"),
    "reference": ("betalingskenmerk", "payment reference"),
}
REQUIRED = ("client_number", "iban", "amount", "paid_on", "reference")  # creditor and period may be left out
_HEADER_NAMES = {name: column for column, names in COLUMNS.items() for name in names}


# ---------------------------------------------------------------------------------------------------- uploads

def _clean_filename(name: str) -> str:
    """The last path part, without control or invisible characters, at most 255 characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C")).strip()
    return name[:FILENAME_MAX].strip() or "bestand"


def upload_store(*, kind: str, filename: str, data: bytes, actor: User) -> Upload:
    """Keep an uploaded file until it is confirmed. Refuses an empty file and one over 5 MB.

    Also removes the actor's own unconfirmed uploads of this kind older than a day: they were left behind.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown upload kind {kind!r}")
    if not data:
        raise DomainError(_("Dit bestand is leeg. Kies een ander bestand."), field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(_("Dit bestand is te groot. Een bestand mag hoogstens %(mb)s MB zijn.",
                            mb=MAX_UPLOAD_BYTES // 2**20), field="file")
    db.session.execute(delete(Upload).where(
        Upload.uploaded_by_id == actor.id, Upload.kind == kind, Upload.confirmed_at.is_(None),
        Upload.uploaded_at < utcnow() - STALE_UPLOAD,
    ))
    upload = Upload(kind=kind, filename=_clean_filename(filename), sha256=hashlib.sha256(data).hexdigest(),
                    data=data, uploaded_by_id=actor.id)
    db.session.add(upload)
    db.session.flush()
    return upload


def upload_get(*, upload_id: int, staff: User, kind: str) -> Upload | None:
    """The staff member's own upload of this kind that is not confirmed yet, or None."""
    return db.session.scalar(select(Upload).where(
        Upload.id == upload_id, Upload.uploaded_by_id == staff.id, Upload.kind == kind,
        Upload.confirmed_at.is_(None),
    ))


def upload_check(upload: Upload, *, staff: User, kind: str) -> None:
    """Refuses an upload of someone else or of another kind (the views find it with upload_get)."""
    if upload.uploaded_by_id != staff.id or upload.kind != kind:
        raise NotFound(_("Dit bestand is niet gevonden. Lees het opnieuw in."), field="file")


def upload_claim(upload: Upload) -> None:
    """Mark the upload confirmed, once: a second confirmation (a double click, two tabs) is refused.

    The conditional UPDATE makes this hold across concurrent requests too: only one of them changes the row.
    """
    now = utcnow()
    claimed = db.session.execute(
        update(Upload).where(Upload.id == upload.id, Upload.confirmed_at.is_(None)).values(confirmed_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise DomainError(_("Dit bestand is al verwerkt. Lees het opnieuw in als dat nodig is."), field="file")
    set_committed_value(upload, "confirmed_at", now)  # what the row now holds, without a second UPDATE


def chunked(values: Iterable[str], size: int = IN_CHUNK) -> Iterator[list[str]]:
    """Distinct values in lists of at most `size`, for IN (...) lists."""
    values = sorted(set(values))
    for start in range(0, len(values), size):
        yield values[start:start + size]


# ---------------------------------------------------------------------------------------------- reading values

class _Bad(Exception):
    """A row that cannot be booked; the message says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_AMOUNT_JUNK = re.compile(r"(?i)€|eur\b|euro\b|[\s\u00a0\u202f']")
_DIGITS = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def _malformed_amount() -> _Bad:
    return _Bad(_("Dit bedrag klopt niet. Schrijf het bedrag als 812,50 of 812.50."))


def parse_amount(text: str) -> int:
    """Cents from `812.50`, `812,50`, `1.234,56`, `1,234.56`, `€ 812,50`, `1234`. Refuses what is unclear:
    `1.234` could be 1234 euro or a little over 1 euro, so it is refused, as is anything with three decimals.
    The sign is kept; zero, negative and too high amounts are refused by amount_check."""
    value = _AMOUNT_JUNK.sub("", text or "")
    sign = 1
    if value.startswith("-"):
        sign, value = -1, value[1:]
    elif value.endswith("-"):
        sign, value = -1, value[:-1]
    elif value.startswith("+"):
        value = value[1:]
    if not value:
        raise _malformed_amount()
    last = max(value.rfind("."), value.rfind(","))
    if last == -1:
        whole, decimals = value, ""
    else:
        whole, separator, decimals = value[:last], value[last], value[last + 1:]
        other = "," if separator == "." else "."
        if separator in whole:  # `1.234.567`: only thousands separators, no decimals
            if other in whole or not _GROUPED.fullmatch(value):
                raise _malformed_amount()
            whole, decimals = value.replace(separator, ""), ""
        elif other in whole:  # `1.234,56`: the other one groups thousands
            if not _GROUPED.fullmatch(whole):
                raise _malformed_amount()
            whole = whole.replace(other, "")
        # `1.234` or `1,234` is left: thousands or decimals? Never guessed: three decimals are refused below.
    if not _DIGITS.fullmatch(whole or "0") or (decimals and not _DIGITS.fullmatch(decimals)) or len(decimals) > 2:
        raise _malformed_amount()
    if len(whole) > 12:
        raise _Bad(_("Dit bedrag is te hoog voor een vaste last."))
    return sign * (int(whole or "0") * 100 + int((decimals or "0").ljust(2, "0")))


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO_MONTH = re.compile(r"(\d{4})[-/](\d{1,2})")
_DUTCH_MONTH = re.compile(r"(\d{1,2})[-/](\d{4})")


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_date(text: str) -> date:
    """A day from `2026-09-01` or `01-09-2026` (also with `/` or `.`)."""
    text = (text or "").strip()
    if match := _ISO_DATE.fullmatch(text):
        found = _date(*match.groups())
    elif match := _DUTCH_DATE.fullmatch(text):
        day, month, year = match.groups()
        found = _date(year, month, day)
    else:
        found = None
    if found is None:
        raise _Bad(_("Deze datum klopt niet. Schrijf de datum als 2026-09-01 of 01-09-2026."))
    return found


def parse_period(text: str) -> date | None:
    """The first day of the month from `2026-09` or `09-2026` (a whole date is read as its month); None when
    empty: then the month of the payment's date counts."""
    text = (text or "").strip()
    if not text:
        return None
    if match := _ISO_MONTH.fullmatch(text):
        found = _date(*match.groups(), "1")
    elif match := _DUTCH_MONTH.fullmatch(text):
        month, year = match.groups()
        found = _date(year, month, "1")
    else:
        try:
            found = parse_date(text).replace(day=1)
        except _Bad:
            found = None
    if found is None:
        raise _Bad(_("Deze maand klopt niet. Schrijf de maand als 2026-09 of 09-2026."))
    return found


# ------------------------------------------------------------------------------------------------ the CSV file

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


class _FileError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252. Refuses a binary file (an .xlsx, UTF-16 text)."""
    if b"\x00" in data:
        raise _FileError(_("Dit is geen CSV-bestand. Sla het bestand in Excel op als CSV en probeer het opnieuw."))
    data = data.removeprefix(codecs.BOM_UTF8)
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _FileError(_("De tekens in dit bestand zijn niet te lezen. Sla het bestand op als CSV UTF-8 en "
                       "probeer het opnieuw."))


def _header_key(cell: str) -> str:
    return " ".join(cell.replace("_", " ").replace("-", " ").lower().split())


def _delimiter(text: str) -> str:
    """The separator the header line uses most: `;` (Dutch Excel), `,` or tab."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


@dataclass
class _RawRow:
    line: int
    values: dict[str, str]


def read_rows(data: bytes) -> list[_RawRow]:
    """The data rows of the CSV as column → text; raises _FileError for a file that cannot be read as a whole."""
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    positions: dict[str, int] | None = None
    rows: list[_RawRow] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if positions is None:
                positions = _header(cells)
                continue
            if len(rows) >= MAX_ROWS:
                raise _FileError(_("Dit bestand heeft meer dan %(max)s betalingen. Maak er kleinere bestanden van.",
                                   max=MAX_ROWS))
            rows.append(_RawRow(line=reader.line_num, values={
                column: cells[index].strip().replace("\u00a0", " ") if index < len(cells) else ""
                for column, index in positions.items()
            }))
    except csv.Error:
        raise _FileError(_("Dit bestand is niet te lezen als CSV. Sla het bestand in Excel op als CSV en probeer "
                           "het opnieuw.")) from None
    if positions is None:
        raise _FileError(_("Dit bestand is leeg. Kies een ander bestand."))
    if not rows:
        raise _FileError(_("Er staan geen betalingen in dit bestand, alleen de kopregel."))
    return rows


def _header(cells: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _HEADER_NAMES.get(_header_key(cell))
        if column is None:
            continue  # columns we do not use are left alone
        if column in positions:
            raise _FileError(_("De kolom %(column)s staat twee keer in de kopregel. Haal er één weg.",
                               column=COLUMNS[column][0]))
        positions[column] = index
    if not positions:
        raise _FileError(_("De eerste regel moet de namen van de kolommen hebben, zoals klantnummer, iban, "
                           "bedrag, datum en betalingskenmerk."))
    missing = [COLUMNS[column][0] for column in REQUIRED if column not in positions]
    if missing:
        raise _FileError(_("Deze kolommen ontbreken in de kopregel: %(columns)s.", columns=", ".join(missing)))
    return positions


# ------------------------------------------------------------------------------------------------- validation

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
