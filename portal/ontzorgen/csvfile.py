"""Reading a payment-run CSV: the bytes as text, the separator, the header, and amounts, dates and months as
people write them. Refusals are plain words in the reader's language."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from portal.i18n import _

MAX_ROWS = 20_000

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


