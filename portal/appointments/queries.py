"""Reads of the appointments area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased, joinedload

from portal.accounts.models import User
from portal.appointments.feedtoken import feed_digest
from portal.appointments.models import LOCAL_TZ, Appointment, CalendarFeed, ReminderDelivery
from portal.caseload.models import Resident
from portal.caseload.queries import resident_visible_to
from portal.db import db, utcnow

PAST_SHOWN = 30
FEED_PAST = timedelta(days=180)
FEED_CANCELLED = timedelta(days=60)
DAY_BEFORE = timedelta(hours=24)
TWO_HOURS = timedelta(hours=2)


@dataclass(frozen=True)
class Overlap:
    other: Appointment
    same_resident: bool
    # False when the other appointment is of a resident outside the viewer's caseload: no name shown.
    visible: bool


def appointment_list_for_resident(*, resident: Resident, now: datetime | None = None
                                  ) -> tuple[list[Appointment], list[Appointment]]:
    """The resident's upcoming appointments (soonest first) and recent past ones (latest first)."""
    now = now or utcnow()
    rows = db.session.scalars(
        select(Appointment).options(joinedload(Appointment.staff))
        .where(Appointment.resident_id == resident.id)
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()
    upcoming = [a for a in rows if a.ends_at > now]
    past = [a for a in reversed(rows) if a.ends_at <= now][:PAST_SHOWN]
    return upcoming, past


def appointment_get_for_resident(*, resident: Resident, appointment_id: int) -> Appointment | None:
    """One of this resident's own appointments, or None (also for someone else's)."""
    return db.session.scalar(
        select(Appointment).options(joinedload(Appointment.staff))
        .where(Appointment.id == appointment_id, Appointment.resident_id == resident.id)
    )


def appointment_overlaps(appointments: list[Appointment], *, viewer: User) -> dict[int, list[Overlap]]:
    """Per planned appointment, the other planned ones of the same resident or the same staff member."""
    ids = [a.id for a in appointments if not a.cancelled]
    if not ids:
        return {}
    other = aliased(Appointment)
    stmt = (
        select(Appointment.id, Appointment.resident_id, other)
        .join(other, and_(
            other.id != Appointment.id,
            other.status == "planned",
            other.starts_at < Appointment.ends_at,
            Appointment.starts_at < other.ends_at,
            or_(other.resident_id == Appointment.resident_id,
                and_(Appointment.staff_id.is_not(None), other.staff_id == Appointment.staff_id)),
        ))
        .options(joinedload(other.resident), joinedload(other.staff))
        .where(Appointment.id.in_(ids), Appointment.status == "planned")
        .order_by(other.starts_at, other.id)
    )
    found: dict[int, list[Overlap]] = {}
    for appointment_id, resident_id, match in db.session.execute(stmt).unique():
        visible = viewer.id in (match.resident.contact_person_id, match.resident.counsellor_id)
        found.setdefault(appointment_id, []).append(
            Overlap(other=match, same_resident=match.resident_id == resident_id, visible=visible))
    return found


def working_week(today: date) -> date:
    """The Monday of this week; at the weekend, of the coming one."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(days=7) if today.weekday() >= 5 else monday


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 in Amsterdam, as UTC (a DST week has 167 or 169 hours)."""
    start = datetime.combine(monday, time(0, 0), tzinfo=LOCAL_TZ).astimezone(UTC)
    end = datetime.combine(monday + timedelta(days=7), time(0, 0), tzinfo=LOCAL_TZ).astimezone(UTC)
    return start, end


def appointment_week_for_staff(*, staff: User, monday: date) -> list[Appointment]:
    """All appointments starting in one week, of the residents whose contact person this staff member is."""
    start, end = week_bounds(monday)
    return list(db.session.scalars(
        select(Appointment)
        .join(Resident, Resident.id == Appointment.resident_id)
        .options(joinedload(Appointment.resident), joinedload(Appointment.staff))
        .where(resident_visible_to(staff), Appointment.starts_at >= start, Appointment.starts_at < end)
        .order_by(Appointment.starts_at, Appointment.id)
    ).unique())


def appointment_home_card(resident: Resident, *, now: datetime | None = None) -> Appointment | None:
    """What the home page shows of appointments (the next one), or None."""
    now = now or utcnow()
    return db.session.scalar(
        select(Appointment).options(joinedload(Appointment.staff))
        .where(Appointment.resident_id == resident.id, Appointment.status == "planned", Appointment.ends_at > now)
        .order_by(Appointment.starts_at, Appointment.id)
        .limit(1)
    )


def calendar_feed_for_resident(*, resident_id: int) -> CalendarFeed | None:
    """The resident's calendar feed, if they made one."""
    return db.session.get(CalendarFeed, resident_id)


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    """The feed behind a secret token, or None for a wrong or reset one (only the token's hash is stored)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(CalendarFeed).options(joinedload(CalendarFeed.resident))
        .where(CalendarFeed.token == feed_digest(token)))


def appointment_list_for_feed(*, resident_id: int, now: datetime | None = None) -> list[Appointment]:
    """What the feed carries: the last half year and everything ahead, with recent cancellations."""
    now = now or utcnow()
    return list(db.session.scalars(
        select(Appointment).options(joinedload(Appointment.staff))
        .where(
            Appointment.resident_id == resident_id,
            Appointment.starts_at >= now - FEED_PAST,
            or_(Appointment.status == "planned", Appointment.starts_at >= now,
                Appointment.cancelled_at >= now - FEED_CANCELLED),
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ))


def reminders_due(*, now: datetime | None = None) -> list[tuple[Appointment, str]]:
    """Reminders whose moment has come and that have not gone out: (appointment, kind) pairs."""
    now = now or utcnow()
    appointments = db.session.scalars(
        select(Appointment)
        .join(Resident, Resident.id == Appointment.resident_id)
        .join(User, User.id == Resident.user_id)
        .options(joinedload(Appointment.resident))
        .where(
            Appointment.status == "planned",
            Appointment.starts_at > now,
            Appointment.starts_at <= now + DAY_BEFORE,
            User.active.is_(True),
            User.email.is_not(None),
            User.email != "",
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ).unique().all()
    if not appointments:
        return []
    sent = {tuple(row) for row in db.session.execute(
        select(ReminderDelivery.appointment_id, ReminderDelivery.kind, ReminderDelivery.starts_at)
        .where(ReminderDelivery.appointment_id.in_([a.id for a in appointments]),
               ReminderDelivery.status == "sent")
    )}
    due = []
    for appointment in appointments:
        kind = "two_hours" if appointment.starts_at - TWO_HOURS <= now else "day_before"
        if (appointment.id, kind, appointment.starts_at) not in sent:
            due.append((appointment, kind))
    return due


def export_for_resident(resident: Resident) -> dict[str, Any]:
    """This area's part of the resident's data download (/account/data)."""
    rows = db.session.scalars(
        select(Appointment).options(joinedload(Appointment.staff))
        .where(Appointment.resident_id == resident.id).order_by(Appointment.starts_at, Appointment.id)
    ).all()
    reminders = db.session.scalars(
        select(ReminderDelivery).join(Appointment, Appointment.id == ReminderDelivery.appointment_id)
        .where(Appointment.resident_id == resident.id, ReminderDelivery.status == "sent")
        .order_by(ReminderDelivery.sent_at)
    ).all()
    feed = calendar_feed_for_resident(resident_id=resident.id)
    return {
        "appointments": [
            {
                "id": a.id,
                "kind": a.kind,
                "starts_at": a.starts_at.isoformat(),
                "ends_at": a.ends_at.isoformat(),
                "location_kind": a.location_kind,
                "location": a.location,
                "with": a.with_whom,
                "interpreter_language": a.interpreter_language,
                "bring": a.bring,
                "status": a.status,
                "cancelled_at": a.cancelled_at.isoformat() if a.cancelled_at else None,
                "my_answer": a.response,
                "my_answer_at": a.response_at.isoformat() if a.response_at else None,
                "my_reason_for_another_time": a.change_reason or None,
            }
            for a in rows
        ],
        "reminders_sent": [
            {"appointment_id": r.appointment_id, "kind": r.kind,
             "sent_at": r.sent_at.isoformat() if r.sent_at else None}
            for r in reminders
        ],
        "calendar_feed": {"made_at": feed.created_at.isoformat()} if feed else None,
    }
