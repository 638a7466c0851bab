"""Lots of data for one resident, from every area that has some: for query-count tests."""

from __future__ import annotations


def fill_resident(resident) -> None:
    """Give the resident many rows in every area (areas add theirs here)."""
    _fill_appointments(resident)
    _fill_plan(resident)
    _fill_messages(resident)


def _fill_messages(resident) -> None:
    from tests.messages.factories import make_message

    for n in range(40):
        make_message(resident, from_resident=n % 2 == 0, read_at=None if n % 3 else resident.created_at)


def _fill_plan(resident) -> None:
    from tests.plan.factories import make_comment, make_goal, make_step

    for n in range(30):
        goal = make_goal(resident=resident, status="in_progress" if n % 3 else "done")
        for done in (True, False, False):
            make_step(goal=goal, done=done)
        make_comment(goal=goal, author=resident.contact_person)


def _fill_appointments(resident) -> None:
    from datetime import timedelta

    from portal.db import utcnow
    from tests.appointments.factories import make_appointment

    for days in range(-30, 30, 2):
        make_appointment(resident=resident, starts_at=utcnow() + timedelta(days=days, hours=1))
