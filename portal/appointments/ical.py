"""Appointments as iCalendar (RFC 5545): one file per appointment, and the resident's feed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import url_for
from flask_babel import force_locale
from icalendar import Calendar, Event

from portal.appointments.models import LOCATION_KINDS, Appointment
from portal.caseload.models import Resident
from portal.db import utcnow
from portal.i18n import _, language_name

PRODID = "-//Wegwijs//Afspraken//NL"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def appointment_uid(appointment: Appointment) -> str:
    """Stable across every change, so a calendar updates its copy instead of adding one."""
    return f"appointment-{appointment.id}@wegwijs"


def _location(appointment: Appointment) -> str:
    if appointment.location_kind == "address":
        return appointment.location
    label = str(LOCATION_KINDS[appointment.location_kind])
    return f"{label}: {appointment.location}" if appointment.location else label


def _description(appointment: Appointment, page_url: str) -> str:
    lines = []
    if appointment.with_whom:
        lines.append(_("Met wie: %(names)s", names=appointment.with_whom))
    if appointment.interpreter_language:
        lines.append(_("Er is een tolk: %(language)s", language=language_name(appointment.interpreter_language)))
    if appointment.bring:
        lines.append(_("Neem mee: %(things)s", things=appointment.bring))
    if appointment.cancelled:
        lines.append(_("Deze afspraak gaat niet door."))
    lines.append(_("Meer in Wegwijs: %(url)s", url=page_url))
    return "\n".join(lines)


def _event(appointment: Appointment, *, now: datetime, page_url: str) -> Event:
    summary = appointment.kind_label
    if appointment.cancelled:
        summary = _("Geannuleerd: %(what)s", what=summary)
    event = Event.new(
        uid=appointment_uid(appointment),
        stamp=now,
        start=appointment.local_start,
        end=appointment.local_end,
        sequence=appointment.sequence,
        status="CANCELLED" if appointment.cancelled else "CONFIRMED",
        summary=summary,
        location=_location(appointment),
        description=_description(appointment, page_url),
        created=appointment.created_at,
        last_modified=appointment.updated_at,
    )
    if appointment.location_kind == "video" and appointment.location:
        event.add("url", appointment.location)
    return event


def calendar_ics(appointments: list[Appointment], *, resident: Resident, feed: bool,
                 now: datetime | None = None) -> bytes:
    """A VCALENDAR in the resident's language with a VTIMEZONE for Europe/Amsterdam."""
    now = now or utcnow()
    page_url = url_for("appointments.index", _external=True)
    with force_locale(resident.language):
        calendar = Calendar.new(prodid=PRODID, method="PUBLISH",
                                name=_("Afspraken in Wegwijs") if feed else None,
                                refresh_interval=timedelta(hours=1) if feed else None)
        if feed:
            calendar.add("x-published-ttl", timedelta(hours=1))
        for appointment in appointments:
            calendar.add_component(_event(appointment, now=now, page_url=page_url))
    if appointments:
        # Transitions only for the years these appointments span (a short VTIMEZONE).
        first = min(a.local_start for a in appointments).date()
        last = max(a.local_end for a in appointments).date()
        calendar.add_missing_timezones(first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 2, 1, 1))
    return calendar.to_ical()
