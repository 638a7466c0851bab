"""iCalendar output, parsed back with the icalendar library: times, time zone, UID, SEQUENCE, cancellation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask_babel import force_locale
from icalendar import Calendar

from portal.appointments import services
from portal.appointments.ical import calendar_ics
from portal.appointments.models import KINDS
from tests.appointments.factories import make_appointment
from tests.factories import make_resident

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def _ics(app, appointments, resident, *, feed: bool = False) -> Calendar:
    with app.test_request_context():
        return _parse(calendar_ics(appointments, resident=resident, feed=feed, now=NOW))


def test_one_appointment_with_amsterdam_time_zone_and_stable_uid(ctx) -> None:
    resident = make_resident(language="en")
    appointment = services.appointment_create(
        resident=resident, created_by=None, kind="broad_intake", day=date(2027, 3, 28), start=time(10, 0),
        end=time(12, 0), location_kind="address", location="Marktplein 1, Wegwijk", staff=resident.contact_person,
        interpreter_language="ar", bring="Paspoort", now=NOW)
    calendar = _ics(ctx, [appointment], resident)
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    (event,) = calendar.events
    assert event["UID"] == f"appointment-{appointment.id}@wegwijs"
    # The last Sunday of March, after the clocks went forward: 10:00 CEST is 08:00 UTC.
    assert event.decoded("DTSTART") == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART").strftime("%H:%M") == "10:00"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=2)
    assert (event["SEQUENCE"], event["STATUS"]) == (0, "CONFIRMED")
    assert event["LOCATION"] == "Marktplein 1, Wegwijk"
    with force_locale("en"):
        assert event["SUMMARY"] == str(KINDS["broad_intake"])
    assert resident.contact_person.name in event["DESCRIPTION"] and "Paspoort" in event["DESCRIPTION"]
    assert "http://localhost/appointments" in event["DESCRIPTION"]


def test_october_dst_edge_in_the_file(ctx) -> None:
    resident = make_resident()
    appointment = services.appointment_create(
        resident=resident, created_by=None, kind="pvt", day=date(2027, 10, 31), start=time(10, 0), end=time(11, 0),
        location_kind="phone", location="", now=NOW)
    (event,) = _ics(ctx, [appointment], resident).events
    assert event.decoded("DTSTART") == datetime(2027, 10, 31, 9, 0, tzinfo=UTC)
    assert event.decoded("DTSTART").strftime("%H:%M") == "10:00"
    with ctx.test_request_context():
        raw = calendar_ics([appointment], resident=resident, feed=False, now=NOW).decode().replace("\r\n ", "")
    assert "DTSTART;TZID=Europe/Amsterdam:20271031T100000" in raw
    assert "20271031T030000" in raw  # the VTIMEZONE knows this autumn's change


def test_changes_raise_sequence_and_cancellation_is_carried_through(ctx) -> None:
    resident = make_resident()
    appointment = services.appointment_create(
        resident=resident, created_by=None, kind="pip_talk", day=date(2026, 12, 2), start=time(10, 0),
        end=time(11, 0), location_kind="video", location="https://video.example/room/7", now=NOW)
    uid = _ics(ctx, [appointment], resident).events[0]["UID"]
    services.appointment_update(appointment=appointment, kind="pip_talk", day=date(2026, 12, 3), start=time(14, 0),
                                end=time(15, 0), location_kind="video", location="https://video.example/room/7",
                                now=NOW)
    moved = _ics(ctx, [appointment], resident).events[0]
    assert (moved["UID"], moved["SEQUENCE"]) == (uid, 1)
    assert moved.decoded("DTSTART") == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    assert moved["URL"] == "https://video.example/room/7"
    services.appointment_cancel(appointment=appointment, now=NOW)
    cancelled = _ics(ctx, [appointment], resident).events[0]
    assert (cancelled["UID"], cancelled["SEQUENCE"], cancelled["STATUS"]) == (uid, 2, "CANCELLED")


def test_feed_calendar_has_a_name_and_a_refresh_hint(ctx) -> None:
    resident = make_resident()
    appointments = [make_appointment(resident=resident, starts_at=NOW + timedelta(days=d)) for d in (1, 400)]
    calendar = _ics(ctx, appointments, resident, feed=True)
    assert calendar["X-WR-CALNAME"]
    assert "X-PUBLISHED-TTL" in calendar
    assert len(calendar.events) == 2
    # One VTIMEZONE, covering both years.
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(NOW.year + 1) in timezone.to_ical().decode()


def test_empty_feed_is_still_a_valid_calendar(ctx) -> None:
    calendar = _ics(ctx, [], make_resident(), feed=True)
    assert calendar.events == [] and calendar["VERSION"] == "2.0"
