"""The bank's MT940 statement: which transfers were made (scheduled → paid) and which came back (storno).

Same flow as the payment run (portal/ontzorgen/imports.py): upload, preview (nothing changes), confirm (the file
is read and checked again; the preview is never trusted). Confirming the same statement again changes nothing:
a paid payment stays paid and counts as "already done", a returned payment is not returned twice.

Matching, never guessed: a line matches a payment by its payment reference AND its amount, and only a payment of
a resident in the caseworker's own caseload. The reference is the end-to-end reference `/EREF/<reference>/` in
the :86: details (the Dutch ING, Rabobank and ABN AMRO layout); without one, the :61: customer reference. A debit
(money out) marks the payment paid. A credit (money back) with a SEPA return reason (`/RTRN/AC04/` in :86:) or
the transaction type RTI ("returned item") marks it returned, with the reason in plain words. Every other line
is listed as not matched, with the reason.

A file that cannot be read, or is cut off (each statement needs its opening and closing balance, and the lines
must add up from the one to the other), gives one message for the whole file and changes nothing.

Sample: samples/afschrift-voorbeeld.mt940, matching samples/betaalrun-voorbeeld.csv.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import mt940
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.caseload.queries import resident_visible_to
from portal.db import db
from portal.domain import DomainError
from portal.i18n import _, _l
from portal.ontzorgen.imports import chunked, upload_check, upload_claim
from portal.ontzorgen.models import Arrangement, Payment, PaymentState, Upload
from portal.ontzorgen.services import payment_mark_paid, payment_return

__all__ = [
    "RETURN_REASONS",
    "Match",
    "StatementPreview",
    "StatementResult",
    "Unmatched",
    "return_reason",
    "statement_confirm",
    "statement_preview",
]

log = logging.getLogger(__name__)
# The library logs a line it cannot parse in full at level ERROR: bank lines hold names and account numbers
# of other people, which stay out of the logs. A file that cannot be read is reported to the caseworker.
logging.getLogger("mt940").setLevel(logging.CRITICAL)

OPTIONS = mt940.Options(strip_bom=True, reversal_sign=True, case_insensitive_marks=True, unbounded_details=True,
                        merge_keeps_values=True)

# SEPA reason codes of a returned credit transfer, in plain words (B1) for the caseworker and the resident.
RETURN_REASONS = {
    "AC01": _l("Het rekeningnummer (IBAN) klopt niet."),
    "AC03": _l("Het rekeningnummer van de ontvanger klopt niet."),
    "AC04": _l("De rekening is opgeheven."),
    "AC06": _l("De rekening is geblokkeerd."),
    "AG01": _l("Deze betaling is niet toegestaan op deze rekening."),
    "AM04": _l("Er stond niet genoeg geld op de rekening."),
    "AM05": _l("Deze betaling is twee keer gedaan."),
    "MD01": _l("Er is geen machtiging voor deze betaling."),
    "MD06": _l("De betaler heeft het geld teruggevraagd."),
    "MD07": _l("De rekeninghouder is overleden."),
    "MS02": _l("De ontvanger heeft de betaling geweigerd."),
    "MS03": _l("De bank heeft geen reden gegeven."),
    "RR01": _l("Gegevens over de rekening of de betaler ontbreken (regels van de bank)."),
    "RR02": _l("De naam of het adres van de betaler ontbreekt (regels van de bank)."),
    "RR03": _l("De naam of het adres van de ontvanger ontbreekt (regels van de bank)."),
    "RR04": _l("De bank mocht de betaling niet uitvoeren (regels van de bank)."),
    "FOCR": _l("De betaling is teruggehaald op verzoek van de betaler."),
}

_NO_REFERENCE = {"", "NONREF", "EREF", "NOTPROVIDED"}
# The keys of Dutch structured :86: details; a value runs until the next key (values may hold a single '/').
_KEYS = ("EREF|RTRN|PREF|MARF|CSID|CNTP|REMI|PURP|ULTC|ULTD|ULTB|TRTP|IBAN|BIC|NAME|ORDP|BENM|ID|ADDR|SVCL|"
         "ACCW|CREF|IREF|KREF|RTYP|CODE|ISDT|EXCH|CHGS|ORIG|BUSP|FX")
_EREF = re.compile(rf"/EREF/(.*?)(?=//|/(?:{_KEYS})/|/?$)")
_RTRN = re.compile(r"/RTRN/\s*([A-Z0-9]{4})(?![A-Z0-9])", re.IGNORECASE)
_EUR = "EUR"


def return_reason(code: str | None) -> str:
    """The reason for a return code in plain words, in the current language."""
    if not code:
        return _("De bank heeft geen reden gegeven.")
    reason = RETURN_REASONS.get(code.upper())
    return str(reason) if reason is not None else _("Andere reden (code %(code)s).", code=code.upper())


def stored_reason(code: str | None) -> str:
    """The reason as the payment keeps it: the Dutch source text, whoever confirms (see return_reason)."""
    with force_locale("nl"):
        return return_reason(code)


@dataclass
class Match:
    line: int  # line of the :61: in the file
    date: date  # the day the bank booked it
    amount_cents: int
    reference: str
    payment: Payment
    code: str | None = None  # return reason code (returns only)
    reason: str | None = None  # the code in plain words

    @property
    def resident(self) -> Resident:
        return self.payment.arrangement.resident


@dataclass
class Unmatched:
    line: int
    date: date | None
    amount_cents: int  # negative: money out; positive: money in
    reference: str  # as found on the line, "" when none
    reason: str


@dataclass
class StatementPreview:
    error: str | None = None  # the whole file cannot be read: nothing else is filled in
    paid: list[Match] = field(default_factory=list)  # scheduled → paid
    returned: list[Match] = field(default_factory=list)  # → returned, with code and reason
    already: list[Match] = field(default_factory=list)  # done before: nothing changes
    unmatched: list[Unmatched] = field(default_factory=list)


@dataclass
class StatementResult:
    paid: int
    returned: int
    unmatched: int
    already: int = 0



class _FileError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Line:
    line: int
    date: date
    amount_cents: int  # signed
    status: str  # C, D, RC or RD
    kind: str  # transaction type, e.g. NTRF or NRTI
    reference: str
    return_code: str | None
    currency: str | None


def _not_mt940() -> _FileError:
    return _FileError(_("Dit is geen MT940-afschrift. Download het afschrift bij de bank als MT940 en probeer het "
                        "opnieuw."))


def _damaged() -> _FileError:
    return _FileError(_("Dit afschrift is niet compleet of beschadigd. Download het opnieuw bij de bank en probeer "
                        "het opnieuw."))


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise _not_mt940()
    data = data.removeprefix(codecs.BOM_UTF8)
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _FileError(_("De tekens in dit bestand zijn niet te lezen. Download het afschrift opnieuw bij de bank."))


def _cents(amount: object) -> int:
    value = getattr(amount, "amount", None)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise _damaged()
    cents = value * 100
    if cents != cents.to_integral_value():
        raise _damaged()
    return int(cents)


def _balance(data: dict, *names: str) -> int:
    balance = next((data[name] for name in names if data.get(name) is not None), None)
    if balance is None:
        raise _damaged()  # a statement without its opening or closing balance was cut off
    return _cents(getattr(balance, "amount", None))


def _reference(details: str, customer_reference: str) -> str:
    """The end-to-end reference from /EREF/ in the details; without one, the :61: customer reference."""
    for match in _EREF.finditer(details):
        found = match.group(1).strip()
        if found.upper() not in _NO_REFERENCE:
            return found
    customer_reference = (customer_reference or "").strip()
    return "" if customer_reference.upper() in _NO_REFERENCE else customer_reference


def read_statement(data: bytes) -> list[_Line]:
    """Every :61: line of every statement in the file; raises _FileError when it cannot be read in full."""
    text = _decode(data)
    try:
        statements = mt940.parse_statements(text, options=OPTIONS)
    except (RuntimeError, ValueError, ArithmeticError, LookupError, TypeError, AttributeError) as error:
        # RuntimeError: a tag that does not fit its pattern; ValueError: a date that does not exist;
        # decimal.InvalidOperation (an ArithmeticError): an amount like 1,2,3. The rest: a file the library trips on.
        log.info("MT940 not readable: %s", type(error).__name__)
        raise _damaged() from None
    if not statements:
        raise _not_mt940()
    numbers = [n for n, line in enumerate(text.split("\n"), start=1) if line.startswith(":61:")]
    lines: list[_Line] = []
    for statement in statements:
        opening = _balance(statement.data, "final_opening_balance", "opening_balance", "intermediate_opening_balance")
        closing = _balance(statement.data, "final_closing_balance", "closing_balance", "intermediate_closing_balance")
        total = 0
        for transaction in statement:
            found = transaction.data
            if found.get("date") is None:
                raise _damaged()
            cents = _cents(found.get("amount"))
            total += cents
            details = (found.get("transaction_details") or "").replace("\r", "").replace("\n", "")
            extra = (found.get("extra_details") or "").replace("\r", "").replace("\n", "")
            code = _RTRN.search(details) or _RTRN.search(extra)
            index = len(lines)
            lines.append(_Line(
                line=numbers[index] if len(numbers) > index else 0,
                date=found.get("entry_date") or found["date"],
                amount_cents=cents,
                status=(found.get("status") or "").upper(),
                kind=(found.get("id") or "").upper(),
                reference=_reference(details + extra, found.get("customer_reference") or ""),
                return_code=code.group(1).upper() if code else None,
                currency=found.get("currency"),
            ))
        if opening + total != closing:
            raise _damaged()  # lines are missing: the statement does not add up
    if not lines:
        raise _FileError(_("Er staan geen boekingen op dit afschrift."))
    return lines



def _payments(references: set[str], staff: User) -> dict[str, Payment]:
    """The payments with these references of residents in the staff member's caseload (one statement per 900)."""
    found: dict[str, Payment] = {}
    for chunk in chunked(references):
        for payment in db.session.scalars(
            select(Payment)
            .join(Payment.arrangement).join(Arrangement.resident)
            .where(resident_visible_to(staff), Payment.reference.in_(chunk))
            .options(contains_eager(Payment.arrangement).contains_eager(Arrangement.resident))
        ):
            found[payment.reference] = payment
    return found


def _match(lines: list[_Line], staff: User) -> StatementPreview:
    payments = _payments({line.reference for line in lines if line.reference}, staff)
    preview = StatementPreview()
    state = {payment.id: payment.state for payment in payments.values()}  # as it will be, line after line
    debited: set[int] = set()
    returned: set[int] = set()
    for line in lines:
        def unmatched(reason: str, line: _Line = line) -> None:
            preview.unmatched.append(Unmatched(line=line.line, date=line.date, amount_cents=line.amount_cents,
                                               reference=line.reference, reason=reason))

        payment = payments.get(line.reference) if line.reference else None
        if line.currency and line.currency.upper() != _EUR:
            unmatched(_("Dit bedrag is niet in euro."))
        elif not line.reference:
            unmatched(_("Op deze regel staat geen betalingskenmerk."))
        elif payment is None:
            # The same words for a reference that does not exist and for someone else's resident.
            unmatched(_("Onbekend betalingskenmerk of niet in jouw caseload."))
        elif abs(line.amount_cents) != payment.amount_cents:
            unmatched(_("Het bedrag is anders dan het bedrag van de betaling met dit kenmerk."))
        elif line.status.startswith("R") and line.status != "RD":
            unmatched(_("Een correctie door de bank. Kijk zelf wat er met deze betaling is gebeurd."))
        elif line.amount_cents < 0:  # money out: the transfer was made
            match = Match(line=line.line, date=line.date, amount_cents=-line.amount_cents, reference=line.reference,
                          payment=payment)
            if payment.id in debited:
                unmatched(_("Deze betaling staat twee keer op het afschrift."))
            elif state[payment.id] == PaymentState.SCHEDULED:
                preview.paid.append(match)
                state[payment.id] = PaymentState.PAID.value
            else:
                preview.already.append(match)
            debited.add(payment.id)
        elif line.return_code is None and not line.kind.endswith("RTI"):
            unmatched(_("Geld teruggekregen zonder reden van de bank. Kijk zelf wat er is gebeurd."))
        else:  # money back with a return reason: storno
            match = Match(line=line.line, date=line.date, amount_cents=line.amount_cents, reference=line.reference,
                          payment=payment, code=line.return_code, reason=return_reason(line.return_code))
            if payment.id in returned:
                unmatched(_("Deze terugboeking staat twee keer op het afschrift."))
            elif state[payment.id] == PaymentState.RETURNED:
                preview.already.append(match)
            else:
                preview.returned.append(match)
                state[payment.id] = PaymentState.RETURNED.value
            returned.add(payment.id)
    return preview


def _run(upload: Upload, staff: User) -> StatementPreview:
    try:
        lines = read_statement(upload.data)
    except _FileError as error:
        return StatementPreview(error=error.message)
    return _match(lines, staff)


def statement_preview(*, upload: Upload, staff: User) -> StatementPreview:
    """What the statement would change: paid, returned, already done, and the lines that match nothing.
    Changes nothing."""
    upload_check(upload, staff=staff, kind="statement")
    return _run(upload, staff)


def statement_confirm(*, upload: Upload, staff: User) -> StatementResult:
    """Read and match the statement again, then mark payments paid and returned. A second confirmation of the
    same upload is refused; the same statement in a new upload changes nothing."""
    upload_check(upload, staff=staff, kind="statement")
    preview = _run(upload, staff)
    if preview.error:
        raise DomainError(preview.error, field="file")
    upload_claim(upload)
    for match in preview.paid:
        payment_mark_paid(payment=match.payment)
    for match in preview.returned:
        payment_return(payment=match.payment, actor=staff, reason=stored_reason(match.code), code=match.code,
                       returned_on=match.date)
    return StatementResult(paid=len(preview.paid), returned=len(preview.returned), unmatched=len(preview.unmatched),
                           already=len(preview.already))
