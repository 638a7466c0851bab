"""Writes of the appointments area: plan, change, cancel, answer; calendar feed; reminder bookkeeping."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update

from portal.accounts.models import User
from portal.appointments.feedtoken import feed_digest, feed_secret
from portal.appointments.models import (
    KINDS,
    LOCAL_TZ,
    LOCATION_KINDS,
    Appointment,
    CalendarFeed,
    ReminderDelivery,
)
from portal.caseload.models import Resident
from portal.db import db, get_or_add, utcnow
from portal.domain import DomainError
from portal.i18n import LANGUAGES, _l
from portal.web.forms import text_check

MAX_DURATION = timedelta(hours=10)
MAX_AHEAD = timedelta(days=2 * 366)
INTERPRETER_LANGUAGES = tuple(code for code in LANGUAGES if code != "nl")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,24}$")
# A claim older than this belongs to a run that died mid-send: it may be tried again.
STALE_CLAIM = timedelta(minutes=15)


def local_to_utc(day: date, clock: time, *, field: str) -> datetime:
    """A wall-clock time in Amsterdam as an aware UTC datetime; refuses the hour skipped in spring."""
    local = datetime.combine(day, clock.replace(second=0, microsecond=0), tzinfo=LOCAL_TZ)
    as_utc = local.astimezone(UTC)
    if as_utc.astimezone(LOCAL_TZ).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise DomainError(_l("Deze tijd bestaat niet op deze dag: de klok gaat dan een uur vooruit."), field=field)
    return as_utc




def _clean_location(location_kind: str, location: str | None) -> str:
    if location_kind not in LOCATION_KINDS:
        raise DomainError(_l("Kies waar de afspraak is."), field="location_kind")
    value = text_check(location, limit=300, field="location", required=False)
    if location_kind == "address" and not value:
        raise DomainError(_l("Vul het adres in."), field="location")
    if location_kind == "phone" and value and not PHONE.match(value):
        raise DomainError(_l("Vul een geldig telefoonnummer in, bijvoorbeeld 030 123 45 67."), field="location")
    if location_kind == "video":
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc or " " in value:
            raise DomainError(_l("Vul de link naar het videogesprek in; die begint met https://"), field="location")
    return value


def _times(day: date, start: time, end: time, *, now: datetime) -> tuple[datetime, datetime]:
    starts_at = local_to_utc(day, start, field="start")
    ends_at = local_to_utc(day, end, field="end")
    if ends_at <= starts_at:
        raise DomainError(_l("De eindtijd moet na de begintijd liggen."), field="end")
    if ends_at - starts_at > MAX_DURATION:
        raise DomainError(_l("Een afspraak duurt hoogstens 10 uur."), field="end")
    if starts_at > now + MAX_AHEAD:
        raise DomainError(_l("Plan een afspraak hoogstens twee jaar vooruit."), field="day")
    return starts_at, ends_at


def _check_staff(resident: Resident, staff: User | None) -> None:
    if staff is not None and staff.id not in (resident.contact_person_id, resident.counsellor_id):
        raise DomainError(_l("Kies een optie uit de lijst."), field="with_whom")


def _details(*, resident: Resident, kind: str, day: date, start: time, end: time, location_kind: str,
             location: str | None, staff: User | None, with_other: str | None, interpreter_language: str | None,
             bring: str | None, now: datetime) -> dict:
    if kind not in KINDS:
        raise DomainError(_l("Kies een soort afspraak uit de lijst."), field="kind")
    starts_at, ends_at = _times(day, start, end, now=now)
    interpreter_language = interpreter_language or None
    if interpreter_language is not None and interpreter_language not in INTERPRETER_LANGUAGES:
        raise DomainError(_l("Kies een taal uit de lijst."), field="interpreter_language")
    _check_staff(resident, staff)
    return {
        "kind": kind,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "location_kind": location_kind,
        "location": _clean_location(location_kind, location),
        "staff_id": staff.id if staff is not None else None,
        "with_other": text_check(with_other, limit=120, field="with_other", required=False),
        "interpreter_language": interpreter_language,
        "bring": text_check(bring, limit=500, field="bring", multiline=True, required=False),
    }


def appointment_create(*, resident: Resident, created_by: User | None, kind: str, day: date, start: time,
                       end: time, location_kind: str, location: str | None = "", staff: User | None = None,
                       with_other: str | None = "", interpreter_language: str | None = None,
                       bring: str | None = "", now: datetime | None = None) -> Appointment:
    """Plan a new appointment for a resident; times are Amsterdam wall-clock times, never in the past."""
    now = now or utcnow()
    values = _details(resident=resident, kind=kind, day=day, start=start, end=end, location_kind=location_kind,
                      location=location, staff=staff, with_other=with_other,
                      interpreter_language=interpreter_language, bring=bring, now=now)
    if values["starts_at"] < now:
        raise DomainError(_l("Deze datum en tijd zijn al voorbij. Kies een moment in de toekomst."), field="day")
    appointment = Appointment(resident_id=resident.id, created_by_id=created_by.id if created_by else None,
                              created_at=now, updated_at=now, status="planned", sequence=0, **values)
    db.session.add(appointment)
    db.session.flush()
    return appointment


def appointment_update(*, appointment: Appointment, kind: str, day: date, start: time, end: time,
                       location_kind: str, location: str | None = "", staff: User | None = None,
                       with_other: str | None = "", interpreter_language: str | None = None,
                       bring: str | None = "", now: datetime | None = None) -> Appointment:
    """Change an appointment; a new time asks the resident to confirm again. Raises SEQUENCE."""
    now = now or utcnow()
    if appointment.cancelled:
        raise DomainError(_l("Deze afspraak is geannuleerd en kan niet meer veranderen."))
    values = _details(resident=appointment.resident, kind=kind, day=day, start=start, end=end,
                      location_kind=location_kind, location=location, staff=staff, with_other=with_other,
                      interpreter_language=interpreter_language, bring=bring, now=now)
    moved = (values["starts_at"], values["ends_at"]) != (appointment.starts_at, appointment.ends_at)
    if moved and values["starts_at"] < now:
        raise DomainError(_l("Deze datum en tijd zijn al voorbij. Kies een moment in de toekomst."), field="day")
    changed = {key: value for key, value in values.items() if getattr(appointment, key) != value}
    if not changed:
        return appointment
    for key, value in changed.items():
        setattr(appointment, key, value)
    if moved:
        # The resident agreed to (or asked to change) the old time; the new one needs a new answer.
        appointment.response = None
        appointment.response_at = None
        appointment.change_reason = ""
    appointment.sequence += 1
    appointment.updated_at = now
    db.session.flush()
    return appointment


def appointment_cancel(*, appointment: Appointment, now: datetime | None = None) -> Appointment:
    """Cancel an appointment that has not ended; calendars get STATUS:CANCELLED."""
    now = now or utcnow()
    if appointment.cancelled:
        raise DomainError(_l("Deze afspraak is al geannuleerd."))
    if appointment.ends_at <= now:
        raise DomainError(_l("Deze afspraak is al voorbij."))
    appointment.status = "cancelled"
    appointment.cancelled_at = now
    appointment.sequence += 1
    appointment.updated_at = now
    db.session.flush()
    return appointment


def _check_answerable(appointment: Appointment, now: datetime) -> None:
    if appointment.cancelled:
        raise DomainError(_l("Deze afspraak is geannuleerd."))
    if appointment.starts_at <= now:
        raise DomainError(_l("Deze afspraak is al begonnen of voorbij."))


def appointment_confirm(*, appointment: Appointment, now: datetime | None = None) -> Appointment:
    """The resident says they will come."""
    now = now or utcnow()
    _check_answerable(appointment, now)
    appointment.response = "confirmed"
    appointment.response_at = now
    appointment.change_reason = ""
    db.session.flush()
    return appointment


def appointment_request_change(*, appointment: Appointment, reason: str | None,
                               now: datetime | None = None) -> Appointment:
    """The resident asks for another time, with a short reason their contact person reads."""
    now = now or utcnow()
    _check_answerable(appointment, now)
    reason = text_check(reason, limit=300, field="reason", multiline=True, required=False)
    if not reason:
        raise DomainError(_l("Schrijf kort waarom je een andere tijd wilt."), field="reason")
    appointment.response = "change_requested"
    appointment.response_at = now
    appointment.change_reason = reason
    db.session.flush()
    return appointment


def calendar_feed_reset(*, resident: Resident, now: datetime | None = None) -> CalendarFeed:
    """A new secret feed URL for the resident; the old one stops working at once."""
    feed = get_or_add(CalendarFeed, resident_id=resident.id)
    made_at = now or utcnow()
    if feed.created_at is not None and made_at <= feed.created_at:
        made_at = feed.created_at + timedelta(microseconds=1)  # a new moment is a new secret
    feed.created_at = made_at
    feed.token = feed_digest(feed_secret(resident_id=resident.id, created_at=made_at))
    db.session.flush()
    return feed


def calendar_feed_renew_if_made(*, user: User) -> None:
    """When a new activation code ends a resident's password, an existing feed URL stops working too."""
    resident = user.resident
    if resident is not None and db.session.get(CalendarFeed, resident.id) is not None:
        calendar_feed_reset(resident=resident)


def reminder_claim(*, appointment: Appointment, kind: str, now: datetime) -> ReminderDelivery | None:
    """Claim one reminder for sending, or None when it went out already or another run holds it."""
    key = (ReminderDelivery.appointment_id == appointment.id, ReminderDelivery.kind == kind,
           ReminderDelivery.starts_at == appointment.starts_at)
    existing = db.session.scalar(select(ReminderDelivery).where(*key))
    if existing is None:
        # The unique key refuses a second row if another run inserts first (IntegrityError at flush).
        delivery = ReminderDelivery(appointment_id=appointment.id, kind=kind, starts_at=appointment.starts_at,
                                    status="sending", attempts=1, claimed_at=now)
        db.session.add(delivery)
        db.session.flush()
        return delivery
    if existing.status == "sent":
        return None
    if existing.status == "sending" and existing.claimed_at > now - STALE_CLAIM:
        return None
    # A failed send, or the claim of a run that died: take it over in one statement.
    taken = db.session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id == existing.id, ReminderDelivery.status == existing.status,
               ReminderDelivery.claimed_at == existing.claimed_at)
        .values(status="sending", claimed_at=now, attempts=ReminderDelivery.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        return None
    db.session.refresh(existing)
    return existing


def reminder_mark_sent(*, delivery: ReminderDelivery, now: datetime) -> ReminderDelivery:
    """The reminder went out."""
    delivery.status = "sent"
    delivery.sent_at = now
    delivery.last_error = ""
    db.session.flush()
    return delivery


def reminder_mark_failed(*, delivery: ReminderDelivery, error: str) -> ReminderDelivery:
    """Sending failed; the next run tries again."""
    delivery.status = "failed"
    delivery.last_error = error[:255]
    db.session.flush()
    return delivery
