"""The demo: amina and yonas have a varied agenda, everyone a history, sanne a busy week; quickly."""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from portal.accounts.services import password_hash
from portal.appointments import queries
from portal.appointments.demo import seed
from portal.appointments.models import LOCAL_TZ, Appointment
from portal.db import db
from portal.demo import DEMO_PASSWORD, DemoContext, _seed_residents, _seed_staff

TODAY = date(2026, 11, 25)  # a Wednesday


def _demo_context() -> DemoContext:
    ctx = DemoContext(today=TODAY, rng=random.Random(2019))
    hashed = password_hash(DEMO_PASSWORD)
    _seed_staff(ctx, hashed)
    _seed_residents(ctx, hashed)
    db.session.flush()
    return ctx


def _of(resident_id: int) -> list[Appointment]:
    return list(db.session.scalars(select(Appointment).where(Appointment.resident_id == resident_id)))


def test_demo_appointments(ctx) -> None:
    demo = _demo_context()
    started = time.perf_counter()
    seed(demo)
    db.session.flush()
    assert time.perf_counter() - started < 15  # a guard against a per-row slowdown

    now = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    for person in (demo.amina, demo.yonas):
        mine = _of(person.id)
        upcoming = [a for a in mine if a.starts_at > now]
        past = [a for a in mine if a.starts_at <= now]
        assert len(upcoming) >= 3 and len(past) >= 3
        assert len({a.kind for a in mine}) >= 4
        assert {a.location_kind for a in upcoming} >= {"address"}
    everything = _of(demo.amina.id) + _of(demo.yonas.id)
    assert any(a.status == "cancelled" and a.starts_at > now for a in _of(demo.amina.id))
    asked = [a for a in everything if a.response == "change_requested"]
    assert len(asked) == 1 and asked[0].change_reason and asked[0].resident_id == demo.yonas.id

    per_resident = Counter(db.session.scalars(select(Appointment.resident_id)))
    assert len(per_resident) == len(demo.residents) == 634
    # Someone linked a few weeks ago has had two; most have had five or more.
    assert min(per_resident.values()) >= 2
    assert sorted(per_resident.values())[len(per_resident) // 2] >= 5
    backwards = select(func.count(Appointment.id)).where(Appointment.ends_at <= Appointment.starts_at)
    assert db.session.scalar(backwards) == 0

    sanne = demo.staff["sanne"]
    week = queries.appointment_week_for_staff(staff=sanne, monday=queries.working_week(TODAY))
    assert len(week) >= 10
    assert {a.local_start.weekday() for a in week} >= {0, 1, 2, 3, 4}
    assert all(9 <= a.starts_at.astimezone(LOCAL_TZ).hour < 17 or a.kind == "broad_intake" for a in week)
    assert queries.appointment_overlaps(week, viewer=sanne), "one overlap to show the warning"
