"""Reads for ontzorgen: where a resident stands in the period, their fixed costs and payments per month.

Each read loads what its page needs in a fixed number of statements, whatever the number of payments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.caseload.models import Resident
from portal.db import db
from portal.ontzorgen.models import (
    FREQUENCY_MONTHS,
    MONTHS,
    Arrangement,
    FixedCost,
    Frequency,
    HandoverItem,
    Payment,
    PaymentState,
)

__all__ = ["MONTHS", "OntzorgenPeriod", "OntzorgenView", "arrangement_get", "ontzorgen_period", "ontzorgen_view"]

NOTICE_FROM_MONTH = 5  # from month five the resident reads what changes for them, and when


def _month_starts(start: date, months: int) -> date:
    """The day `months` calendar months after `start`; a day the month lacks becomes its last day
    (31 January + 1 month = 28 or 29 February, + 2 months = 31 March)."""
    return start + relativedelta(months=months)


@dataclass(frozen=True)
class OntzorgenPeriod:
    starts_on: date
    ends_on: date  # first day after the period
    month: int  # 1..months while running, 0 before, months + 1 after
    days_left: int
    months: int = MONTHS  # six, or more when the contact person extended it

    @property
    def running(self) -> bool:
        return 1 <= self.month <= self.months

    @property
    def ended(self) -> bool:
        return self.month > self.months

    @property
    def ending_soon(self) -> bool:
        """From month five: time to read what changes."""
        return self.running and self.month >= min(NOTICE_FROM_MONTH, self.months)


def _months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end, a started month counting as one."""
    months = 0
    while _month_starts(start, months) < end:
        months += 1
    return months


def ontzorgen_period(resident: Resident, *, today: date | None = None,
                     arrangement: Arrangement | None = None) -> OntzorgenPeriod | None:
    """Where this resident stands in ontzorgen: from the arrangement when there is one, otherwise six months
    from the start of the benefit; None without either."""
    if arrangement is not None:
        start, end = arrangement.starts_on, arrangement.ends_on
    elif resident.benefit_started_on is not None:
        start = resident.benefit_started_on
        end = _month_starts(start, MONTHS)
    else:
        return None
    today = today or date.today()
    months = _months_between(start, end)
    if today < start:
        month = 0
    elif today >= end:
        month = months + 1
    else:
        month = next(m for m in range(1, months + 1) if today < min(_month_starts(start, m), end))
    return OntzorgenPeriod(starts_on=start, ends_on=end, month=month, days_left=max(0, (end - today).days),
                           months=months)


@dataclass
class CostRow:
    cost: FixedCost
    last: Payment | None = None
    next_on: date | None = None


@dataclass
class MonthGroup:
    month: date
    payments: list[Payment] = field(default_factory=list)

    @property
    def total_cents(self) -> int:
        return sum(p.amount_cents for p in self.payments if p.state == PaymentState.PAID)


@dataclass
class OntzorgenView:
    resident: Resident
    arrangement: Arrangement | None
    period: OntzorgenPeriod | None
    costs: list[CostRow]
    months: list[MonthGroup]  # newest month first
    open_returns: list[Payment]
    handover: dict[str, bool]
    today: date

    @property
    def total_cents(self) -> int:
        return sum(group.total_cents for group in self.months)

    @property
    def active_costs(self) -> list[CostRow]:
        return [row for row in self.costs if row.cost.active]

    @property
    def this_month(self) -> MonthGroup | None:
        first = self.today.replace(day=1)
        return next((group for group in self.months if group.month == first), None)


def arrangement_get(resident_id: int) -> Arrangement | None:
    """The resident's arrangement with its costs (and their creditors) and the handover checklist."""
    return db.session.scalar(
        select(Arrangement)
        .options(selectinload(Arrangement.costs), selectinload(Arrangement.handover))
        .where(Arrangement.resident_id == resident_id)
    )


def _next_payment(cost: FixedCost, last: Payment | None, arrangement: Arrangement, today: date) -> date | None:
    if not cost.active or last is None:
        return None
    step = FREQUENCY_MONTHS[Frequency(cost.frequency)]
    upcoming = last.paid_on + relativedelta(months=step)
    while upcoming < today:
        upcoming += relativedelta(months=step)
    return upcoming if upcoming < arrangement.ends_on else None


def ontzorgen_view(resident: Resident, *, today: date | None = None) -> OntzorgenView:
    """Everything /ontzorgen and the staff panel show, in three statements whatever the number of payments."""
    today = today or date.today()
    arrangement = arrangement_get(resident.id)
    period = ontzorgen_period(resident, today=today, arrangement=arrangement)
    if arrangement is None:
        return OntzorgenView(resident=resident, arrangement=None, period=period, costs=[], months=[],
                             open_returns=[], handover={item.value: False for item in HandoverItem}, today=today)
    payments = list(db.session.scalars(
        select(Payment).where(Payment.arrangement_id == arrangement.id)
        .order_by(Payment.paid_on.desc(), Payment.id.desc())
    ))
    by_month: dict[date, MonthGroup] = {}
    last_by_cost: dict[int, Payment] = {}
    for payment in payments:
        by_month.setdefault(payment.period, MonthGroup(month=payment.period)).payments.append(payment)
        if payment.cost_id is not None and payment.state != PaymentState.RETURNED:
            last_by_cost.setdefault(payment.cost_id, payment)
    costs = [CostRow(cost=cost, last=last_by_cost.get(cost.id),
                     next_on=_next_payment(cost, last_by_cost.get(cost.id), arrangement, today))
             for cost in arrangement.costs]
    done = {check.item for check in arrangement.handover}
    return OntzorgenView(
        resident=resident, arrangement=arrangement, period=period, costs=costs,
        months=sorted(by_month.values(), key=lambda group: group.month, reverse=True),
        open_returns=[p for p in payments if p.open_return],
        handover={item.value: item.value in done for item in HandoverItem}, today=today,
    )


@dataclass
class HomeCard:
    period: OntzorgenPeriod | None
    paid_this_month_cents: int
    paid_this_month: int  # how many payments
    open_returns: list[Payment]


def ontzorgen_home_card(resident: Resident, *, today: date | None = None) -> HomeCard:
    """The home page's statement: this month's paid costs and any returned payment not solved yet (2 statements)."""
    today = today or date.today()
    arrangement = db.session.scalar(select(Arrangement).where(Arrangement.resident_id == resident.id))
    period = ontzorgen_period(resident, today=today, arrangement=arrangement)
    if arrangement is None:
        return HomeCard(period=period, paid_this_month_cents=0, paid_this_month=0, open_returns=[])
    first = today.replace(day=1)
    payments = list(db.session.scalars(
        select(Payment).where(
            Payment.arrangement_id == arrangement.id,
            or_(Payment.period == first, (Payment.state == PaymentState.RETURNED.value) & Payment.solved_at.is_(None)),
        ).order_by(Payment.paid_on, Payment.id)
    ))
    paid = [p for p in payments if p.period == first and p.state == PaymentState.PAID]
    return HomeCard(period=period, paid_this_month_cents=sum(p.amount_cents for p in paid),
                    paid_this_month=len(paid), open_returns=[p for p in payments if p.open_return])


def payment_get(*, resident_id: int, payment_id: int) -> Payment | None:
    """One payment of this resident's arrangement, or None."""
    return db.session.scalar(
        select(Payment).join(Arrangement, Arrangement.id == Payment.arrangement_id)
        .where(Payment.id == payment_id, Arrangement.resident_id == resident_id)
    )


def cost_get(*, resident_id: int, cost_id: int) -> FixedCost | None:
    """One fixed cost of this resident's arrangement, or None."""
    return db.session.scalar(
        select(FixedCost).join(Arrangement, Arrangement.id == FixedCost.arrangement_id)
        .where(FixedCost.id == cost_id, Arrangement.resident_id == resident_id)
    )


def ontzorgen_totals(*, today: date | None = None) -> dict[str, Any]:
    """For the team lead: aggregates only — arrangements running and ended, paid and returned amounts."""
    today = today or date.today()
    running = db.session.scalar(select(func.count(Arrangement.id)).where(
        Arrangement.starts_on <= today, Arrangement.ends_on > today)) or 0
    ended = db.session.scalar(select(func.count(Arrangement.id)).where(Arrangement.ends_on <= today)) or 0
    sums = defaultdict(int)
    for state, total, count in db.session.execute(
            select(Payment.state, func.coalesce(func.sum(Payment.amount_cents), 0), func.count(Payment.id))
            .group_by(Payment.state)):
        sums[f"{state}_cents"] = int(total)
        sums[f"{state}_count"] = int(count)
    open_returns = db.session.scalar(select(func.count(Payment.id)).where(
        Payment.state == PaymentState.RETURNED.value, Payment.solved_at.is_(None))) or 0
    return {"running": running, "ended": ended, "open_returns": open_returns, **sums}


def export_for_resident(resident: Resident) -> dict[str, Any]:
    """The ontzorgen part of the resident's data download."""
    view = ontzorgen_view(resident)
    if view.arrangement is None:
        return {}
    arrangement = view.arrangement
    return {
        "starts_on": arrangement.starts_on.isoformat(),
        "ends_on": arrangement.ends_on.isoformat(),
        "extension_reason": arrangement.extension_reason,
        "costs": [{"kind": row.cost.kind, "label": row.cost.label, "creditor": row.cost.creditor.name,
                   "iban": row.cost.creditor.iban, "amount_cents": row.cost.amount_cents,
                   "frequency": row.cost.frequency,
                   "ended_on": row.cost.ended_on.isoformat() if row.cost.ended_on else None} for row in view.costs],
        "payments": [{"paid_on": p.paid_on.isoformat(), "period": p.period.isoformat(), "creditor": p.creditor.name,
                      "amount_cents": p.amount_cents, "state": p.state, "reference": p.reference,
                      "return_reason": p.return_reason} for group in view.months for p in group.payments],
        "handover": view.handover,
    }
