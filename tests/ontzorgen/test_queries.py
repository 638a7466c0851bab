"""Ontzorgen: six calendar months from the start of the benefit, counted per calendar month.

The period starts on `starts_on` and `ends_on` is the first day after it: six calendar months
after the start. Month n (1..6) starts n - 1 calendar months after the start. A day a month lacks
becomes that month's last day: from 31 January, month 2 starts on 28 February (29 in a leap year)
and month 3 on 31 March, each counted from the start, not from the month before.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.caseload.models import Resident
from portal.ontzorgen.queries import MONTHS, OntzorgenPeriod, ontzorgen_period


def _period(start: date | None, today: date) -> OntzorgenPeriod | None:
    return ontzorgen_period(Resident(benefit_started_on=start), today=today)


START = date(2026, 3, 15)
END = date(2026, 9, 15)  # six calendar months later: the first day without ontzorgen


def test_the_period_lasts_six_months() -> None:
    assert MONTHS == 6


def test_the_first_day_is_month_one() -> None:
    period = _period(START, START)
    assert period == OntzorgenPeriod(starts_on=START, ends_on=END, month=1, days_left=(END - START).days)
    assert (period.running, period.ended) == (True, False)


def test_the_last_day_is_still_month_six() -> None:
    period = _period(START, END - timedelta(days=1))
    assert (period.month, period.days_left, period.running, period.ended) == (6, 1, True, False)


def test_the_day_after_the_last_day_has_ended() -> None:
    period = _period(START, END)
    assert (period.month, period.days_left, period.running, period.ended) == (7, 0, False, True)
    later = _period(START, date(2027, 1, 1))
    assert (later.month, later.days_left, later.ended) == (7, 0, True)


def test_the_day_before_the_start_is_month_zero() -> None:
    period = _period(START, START - timedelta(days=1))
    assert (period.month, period.running, period.ended) == (0, False, False)
    assert period.days_left == (END - START).days + 1


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (date(2026, 4, 14), 1),
        (date(2026, 4, 15), 2),
        (date(2026, 5, 14), 2),
        (date(2026, 5, 15), 3),  # month 3 starts exactly two calendar months after the start
        (date(2026, 6, 14), 3),
        (date(2026, 6, 15), 4),
        (date(2026, 7, 15), 5),
        (date(2026, 8, 14), 5),
        (date(2026, 8, 15), 6),
    ],
)
def test_each_month_starts_on_the_same_day_of_the_month(today: date, month: int) -> None:
    assert _period(START, today).month == month


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (date(2026, 2, 27), 1),
        (date(2026, 2, 28), 2),  # 2026 has no 29 February: month 2 starts on its last day
        (date(2026, 3, 30), 2),
        (date(2026, 3, 31), 3),  # counted from the start, not from 28 February
        (date(2026, 4, 29), 3),
        (date(2026, 4, 30), 4),
        (date(2026, 7, 30), 6),
    ],
)
def test_a_start_on_31_january(today: date, month: int) -> None:
    period = _period(date(2026, 1, 31), today)
    assert period.ends_on == date(2026, 7, 31)
    assert period.month == month


def test_a_start_on_31_january_of_a_leap_year() -> None:
    assert _period(date(2028, 1, 31), date(2028, 2, 28)).month == 1
    assert _period(date(2028, 1, 31), date(2028, 2, 29)).month == 2


def test_a_start_on_29_february() -> None:
    start = date(2028, 2, 29)
    assert _period(start, start).ends_on == date(2028, 8, 29)
    assert _period(start, date(2028, 3, 28)).month == 1
    assert _period(start, date(2028, 3, 29)).month == 2
    assert _period(start, date(2028, 8, 28)).month == 6
    assert _period(start, date(2028, 8, 29)).month == 7


def test_without_a_benefit_there_is_no_period() -> None:
    assert _period(None, START) is None
