"""Reads for ontzorgen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from portal.caseload.models import Resident

MONTHS = 6


def _month_starts(start: date, months: int) -> date:
    """The day `months` calendar months after `start`; a day the month lacks becomes its last day
    (31 January + 1 month = 28 or 29 February, + 2 months = 31 March)."""
    return start + relativedelta(months=months)


@dataclass(frozen=True)
class OntzorgenPeriod:
    starts_on: date
    ends_on: date  # first day after the period
    month: int  # 1..6 while running, 0 before, 7 after
    days_left: int

    @property
    def running(self) -> bool:
        return 1 <= self.month <= MONTHS

    @property
    def ended(self) -> bool:
        return self.month > MONTHS


def ontzorgen_period(resident: Resident, *, today: date | None = None) -> OntzorgenPeriod | None:
    """Where this resident stands in the six months of ontzorgen, or None without a benefit."""
    start = resident.benefit_started_on
    if start is None:
        return None
    today = today or date.today()
    end = _month_starts(start, MONTHS)
    if today < start:
        month = 0
    elif today >= end:
        month = MONTHS + 1
    else:
        month = next(m for m in range(1, MONTHS + 1) if today < _month_starts(start, m))
    return OntzorgenPeriod(starts_on=start, ends_on=end, month=month, days_left=max(0, (end - today).days))
