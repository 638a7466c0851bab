"""Reads for ontzorgen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.caseload.models import Resident

MONTHS = 6


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    # Clamp to the month's last day (31 January + 1 month = 28/29 February).
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


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
    end = _add_months(start, MONTHS)
    if today < start:
        month = 0
    elif today >= end:
        month = MONTHS + 1
    else:
        month = next(m for m in range(1, MONTHS + 1) if today < _add_months(start, m))
    return OntzorgenPeriod(starts_on=start, ends_on=end, month=month, days_left=max(0, (end - today).days))
