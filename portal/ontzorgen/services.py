"""Writes of ontzorgen: the arrangement, fixed costs, creditors, payments and the handover checklist.

They flush, never commit, and raise DomainError with a translatable message and the form field.
"""

from __future__ import annotations

import secrets
from datetime import date

from dateutil.relativedelta import relativedelta
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from sqlalchemy import delete, select

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db, utcnow
from portal.domain import DomainError
from portal.i18n import _l
from portal.ontzorgen.models import (
    MONTHS,
    Arrangement,
    CostKind,
    Creditor,
    FixedCost,
    Frequency,
    HandoverCheck,
    HandoverItem,
    Payment,
    PaymentState,
)
from portal.web.forms import text_check

NAME_MAX = 120
REASON_MAX = 1000
AMOUNT_MAX_CENTS = 100_000_00  # € 100,000: far above any fixed cost, far below an integer overflow
EARLIEST = date(2015, 1, 1)




def amount_check(cents: int | None, *, field: str = "amount") -> int:
    """A positive amount in cents, at most € 100,000."""
    if cents is None or cents <= 0:
        raise DomainError(_l("Vul een bedrag groter dan nul in."), field=field)
    if cents > AMOUNT_MAX_CENTS:
        raise DomainError(_l("Dit bedrag is te hoog voor een vaste last."), field=field)
    return cents


def iban_normalise(value: str | None, *, field: str = "iban") -> str:
    """The IBAN in compact form; refused when its country, length or checksum is wrong."""
    try:
        return IBAN(value or "").compact
    except (SchwiftyException, ValueError):
        raise DomainError(_l("Dit IBAN klopt niet. Kijk het nummer nog eens na."), field=field) from None


def creditor_get_or_add(*, name: str, iban: str) -> Creditor:
    """The creditor with this IBAN (kept once, reused), or a new one; the name is kept as first given."""
    compact = iban_normalise(iban)
    name = text_check(name, limit=NAME_MAX, field="creditor")
    creditor = db.session.scalar(select(Creditor).where(Creditor.iban == compact))
    if creditor is None:
        creditor = Creditor(name=name, iban=compact)
        db.session.add(creditor)
        db.session.flush()
    return creditor


def arrangement_start(*, resident: Resident, actor: User, starts_on: date | None = None) -> Arrangement:
    """Start ontzorgen: six months from the given day, by default the day the benefit started."""
    if db.session.scalar(select(Arrangement.id).where(Arrangement.resident_id == resident.id)) is not None:
        raise DomainError(_l("Ontzorgen is voor deze bewoner al gestart."), field="starts_on")
    starts_on = starts_on or resident.benefit_started_on
    if starts_on is None:
        raise DomainError(_l("Vul de dag in waarop de uitkering begon."), field="starts_on")
    if starts_on < EARLIEST or starts_on > date.today() + relativedelta(years=1):
        raise DomainError(_l("Deze datum kan niet kloppen."), field="starts_on")
    arrangement = Arrangement(resident_id=resident.id, starts_on=starts_on,
                              ends_on=starts_on + relativedelta(months=MONTHS), created_by_id=actor.id)
    db.session.add(arrangement)
    db.session.flush()
    return arrangement


def arrangement_extend(*, arrangement: Arrangement, actor: User, ends_on: date | None, reason: str) -> Arrangement:
    """Let ontzorgen run longer, with a reason the resident reads."""
    reason = text_check(reason, limit=REASON_MAX, field="reason", multiline=True)
    if ends_on is None or ends_on <= arrangement.ends_on:
        raise DomainError(_l("Kies een einddatum na de huidige einddatum."), field="ends_on")
    if ends_on > arrangement.starts_on + relativedelta(months=24):
        raise DomainError(_l("Ontzorgen kan hoogstens twee jaar duren."), field="ends_on")
    arrangement.ends_on = ends_on
    arrangement.extension_reason = reason
    db.session.flush()
    return arrangement


def cost_add(*, arrangement: Arrangement, actor: User, kind: str, creditor_name: str, iban: str,
             amount_cents: int | None, frequency: str = Frequency.MONTHLY.value, label: str = "") -> FixedCost:
    """Add a fixed-cost agreement the municipality pays from now on."""
    if kind not in {k.value for k in CostKind}:
        raise DomainError(_l("Kies een optie uit de lijst."), field="kind")
    if frequency not in {f.value for f in Frequency}:
        raise DomainError(_l("Kies een optie uit de lijst."), field="frequency")
    label = text_check(label, limit=NAME_MAX, field="label", required=kind == CostKind.OTHER.value)
    cost = FixedCost(arrangement_id=arrangement.id, kind=kind, label=label,
                     creditor=creditor_get_or_add(name=creditor_name, iban=iban),
                     amount_cents=amount_check(amount_cents), frequency=frequency)
    db.session.add(cost)
    db.session.flush()
    return cost


def cost_update(*, cost: FixedCost, actor: User, amount_cents: int | None, frequency: str,
                creditor_name: str, iban: str, label: str = "") -> FixedCost:
    """Change the amount, frequency or creditor of a fixed cost."""
    if frequency not in {f.value for f in Frequency}:
        raise DomainError(_l("Kies een optie uit de lijst."), field="frequency")
    cost.amount_cents = amount_check(amount_cents)
    cost.frequency = frequency
    cost.creditor = creditor_get_or_add(name=creditor_name, iban=iban)
    cost.label = text_check(label, limit=NAME_MAX, field="label", required=cost.kind == CostKind.OTHER.value)
    db.session.flush()
    return cost


def cost_end(*, cost: FixedCost, actor: User, ended_on: date | None = None) -> FixedCost:
    """Stop paying this fixed cost (the agreement ended or the resident pays it now)."""
    if cost.ended_on is not None:
        raise DomainError(_l("Deze vaste last is al gestopt."), field="ended_on")
    cost.ended_on = ended_on or date.today()
    db.session.flush()
    return cost


def _period_check(arrangement: Arrangement, paid_on: date | None, period: date | None) -> tuple[date, date]:
    if paid_on is None:
        raise DomainError(_l("Vul een geldige datum in."), field="paid_on")
    if period is None:
        period = paid_on.replace(day=1)
    period = period.replace(day=1)
    if not arrangement.starts_on.replace(day=1) <= period < arrangement.ends_on:
        raise DomainError(_l("Deze maand valt buiten de periode van ontzorgen."), field="period")
    if not arrangement.starts_on - relativedelta(months=1) <= paid_on <= arrangement.ends_on + relativedelta(
            months=1):
        raise DomainError(_l("Deze datum valt buiten de periode van ontzorgen."), field="paid_on")
    return paid_on, period


def payment_record(*, arrangement: Arrangement, actor: User | None, cost: FixedCost, amount_cents: int | None,
                   paid_on: date | None, period: date | None = None, reference: str | None = None,
                   state: str = PaymentState.PAID.value, source: str = "manual") -> Payment:
    """Book one payment for a fixed cost of this arrangement."""
    if cost.arrangement_id != arrangement.id:
        raise DomainError(_l("Kies een optie uit de lijst."), field="cost")
    paid_on, period = _period_check(arrangement, paid_on, period)
    reference = (reference or "").strip() or f"WW-{secrets.token_hex(8).upper()}"
    if db.session.scalar(select(Payment.id).where(Payment.reference == reference)) is not None:
        raise DomainError(_l("Deze betaling is al geboekt (zelfde betalingskenmerk)."), field="reference")
    payment = Payment(arrangement_id=arrangement.id, cost_id=cost.id, creditor_id=cost.creditor_id,
                      amount_cents=amount_check(amount_cents), paid_on=paid_on, period=period, state=state,
                      reference=text_check(reference, limit=64, field="reference"), source=source,
                      created_by_id=actor.id if actor else None)
    db.session.add(payment)
    db.session.flush()
    return payment


def payment_return(*, payment: Payment, actor: User | None, reason: str, code: str | None = None,
                   returned_on: date | None = None) -> Payment:
    """Mark a payment as returned (storno), with the reason in plain words."""
    if payment.state == PaymentState.RETURNED:
        raise DomainError(_l("Deze betaling is al teruggekomen."), field="reason")
    payment.state = PaymentState.RETURNED.value
    payment.return_reason = text_check(reason, limit=REASON_MAX, field="reason", multiline=True)
    payment.return_code = (code or "")[:8] or None
    payment.returned_on = returned_on or date.today()
    payment.solved_at = None
    db.session.flush()
    return payment


def payment_solve(*, payment: Payment, actor: User) -> Payment:
    """A returned payment was sorted out (paid again, or settled otherwise): it stops showing as open."""
    if not payment.open_return:
        raise DomainError(_l("Alleen een teruggekomen betaling kan opgelost worden."), field="reason")
    payment.solved_at = utcnow()
    db.session.flush()
    return payment


def payment_mark_paid(*, payment: Payment) -> Payment:
    """The bank statement shows the transfer: a scheduled payment is paid."""
    if payment.state == PaymentState.SCHEDULED:
        payment.state = PaymentState.PAID.value
        db.session.flush()
    return payment


def handover_set(*, arrangement: Arrangement, actor: User, item: str, done: bool) -> None:
    """Tick (or untick) one item of the handover checklist."""
    if item not in {i.value for i in HandoverItem}:
        raise DomainError(_l("Kies een optie uit de lijst."), field="item")
    existing = db.session.scalar(select(HandoverCheck).where(HandoverCheck.arrangement_id == arrangement.id,
                                                             HandoverCheck.item == item))
    if done and existing is None:
        db.session.add(HandoverCheck(arrangement_id=arrangement.id, item=item, done_by_id=actor.id))
    elif not done and existing is not None:
        db.session.execute(delete(HandoverCheck).where(HandoverCheck.id == existing.id))
    db.session.flush()
    db.session.expire(arrangement, ["handover"])
