"""Appointment services without HTTP: planning rules, DST, changes, answers, feed tokens, reminder claims."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from portal.appointments import services
from portal.appointments.feedtoken import feed_url_token
from portal.appointments.models import Appointment, CalendarFeed, ReminderDelivery
from portal.db import db
from portal.domain import DomainError
from tests.appointments.factories import make_appointment
from tests.factories import make_caseworker, make_counsellor, make_resident

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _plan(resident, **overrides) -> Appointment:
    values = dict(resident=resident, created_by=resident.contact_person, kind="pip_talk", day=date(2026, 12, 2),
                  start=time(10, 0), end=time(11, 0), location_kind="address", location="Marktplein 1, Wegwijk",
                  staff=resident.contact_person, now=NOW)
    values.update(overrides)
    return services.appointment_create(**values)


def _count() -> int:
    return db.session.scalar(select(func.count(Appointment.id)))


# The services' messages (Dutch source text, as str() of the DomainError gives it outside a request).
PAST = "Deze datum en tijd zijn al voorbij. Kies een moment in de toekomst."
FORBIDDEN = "Dit veld bevat onzichtbare of verboden tekens. Haal die weg."
END_BEFORE_START = "De eindtijd moet na de begintijd liggen."
VIDEO_LINK = "Vul de link naar het videogesprek in; die begint met https://"
CHOOSE_LANGUAGE = "Kies een taal uit de lijst."
NO_REASON = "Schrijf kort waarom je een andere tijd wilt."


def too_long(limit: int) -> str:
    return f"Dit mag hoogstens {limit} tekens zijn."


def refusal(error: DomainError) -> tuple[str | None, str]:
    return error.field, str(error)


def test_create_stores_amsterdam_wall_clock_as_utc(ctx) -> None:
    resident = make_resident()
    appointment = _plan(resident, interpreter_language="ar", bring="Paspoort\nBrief", with_other="Tolk via telefoon")
    # 2 December is winter time: 10:00 in Amsterdam is 09:00 UTC.
    assert appointment.starts_at == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    assert appointment.local_start.strftime("%H:%M") == "10:00"
    assert (appointment.status, appointment.sequence, appointment.response) == ("planned", 0, None)
    assert appointment.staff_id == resident.contact_person_id
    assert appointment.bring == "Paspoort\nBrief"


@pytest.mark.parametrize("day, utc_hour", [
    (date(2027, 3, 27), 9),   # Saturday before the clocks go forward: CET, UTC+1
    (date(2027, 3, 28), 8),   # last Sunday of March: CEST from 02:00, UTC+2
    (date(2027, 10, 30), 8),  # Saturday before the clocks go back: CEST
    (date(2027, 10, 31), 9),  # last Sunday of October: CET from 03:00, UTC+1
])
def test_dst_edges_keep_the_local_time(ctx, day, utc_hour) -> None:
    resident = make_resident()
    appointment = _plan(resident, day=day)
    assert appointment.starts_at == datetime(day.year, day.month, day.day, utc_hour, 0, tzinfo=UTC)
    assert appointment.local_start.hour == 10 and appointment.local_start.date() == day


def test_the_hour_skipped_in_spring_is_refused(ctx) -> None:
    with pytest.raises(DomainError) as error:
        services.local_to_utc(date(2027, 3, 28), time(2, 30), field="start")
    assert refusal(error.value) == ("start", "Deze tijd bestaat niet op deze dag: de klok gaat dan een uur vooruit.")
    # The hour that happens twice in autumn is read as the first (summer time) one.
    assert services.local_to_utc(date(2027, 10, 31), time(2, 30), field="start") == datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("overrides, field, message", [
    ({"kind": "dinner"}, "kind", "Kies een soort afspraak uit de lijst."),
    ({"start": time(11, 0), "end": time(10, 0)}, "end", END_BEFORE_START),
    ({"start": time(10, 0), "end": time(10, 0)}, "end", END_BEFORE_START),
    ({"day": date(2026, 11, 19)}, "day", PAST),
    ({"day": date(2026, 11, 20), "start": time(9, 30), "end": time(10, 0)}, "day", PAST),  # 08:30 UTC < NOW
    ({"day": date(2030, 1, 1)}, "day", "Plan een afspraak hoogstens twee jaar vooruit."),
    ({"start": time(6, 0), "end": time(18, 0)}, "end", "Een afspraak duurt hoogstens 10 uur."),
    ({"location_kind": "moon"}, "location_kind", "Kies waar de afspraak is."),
    ({"location": ""}, "location", "Vul het adres in."),
    ({"location": "Markt\u202eplein 1"}, "location", FORBIDDEN),
    ({"location": "x" * 301}, "location", too_long(300)),
    ({"location_kind": "video", "location": "http://video.example/room"}, "location", VIDEO_LINK),
    ({"location_kind": "video", "location": "javascript:alert(1)"}, "location", VIDEO_LINK),
    ({"location_kind": "phone", "location": "bel me maar"}, "location",
     "Vul een geldig telefoonnummer in, bijvoorbeeld 030 123 45 67."),
    ({"interpreter_language": "nl"}, "interpreter_language", CHOOSE_LANGUAGE),
    ({"interpreter_language": "xx"}, "interpreter_language", CHOOSE_LANGUAGE),
    ({"with_other": "a" * 121}, "with_other", too_long(120)),
    ({"with_other": "Docent\x00"}, "with_other", FORBIDDEN),
    ({"bring": "p" * 501}, "bring", too_long(500)),
])
def test_create_refuses_bad_input_and_stores_nothing(ctx, overrides, field, message) -> None:
    resident = make_resident()
    with pytest.raises(DomainError) as error:
        _plan(resident, **overrides)
    assert refusal(error.value) == (field, message)
    assert _count() == 0


def test_with_whom_must_be_the_residents_own_contact_person_or_counsellor(ctx) -> None:
    counsellor = make_counsellor()
    resident = make_resident(counsellor=counsellor)
    assert _plan(resident, staff=counsellor).staff_id == counsellor.id
    assert _plan(resident, staff=None, with_other="Docent").staff_id is None
    with pytest.raises(DomainError) as error:
        _plan(resident, staff=make_caseworker())
    assert refusal(error.value) == ("with_whom", "Kies een optie uit de lijst.")
    assert _count() == 2


def test_phone_without_number_and_video_with_https_link(ctx) -> None:
    resident = make_resident()
    assert _plan(resident, location_kind="phone", location="").location == ""
    assert _plan(resident, location_kind="phone", location="+31 30 000 12 34").tel_uri == "tel:+31300001234"
    assert _plan(resident, location_kind="video", location="https://video.example/r/1").location.startswith("https")


def test_update_raises_sequence_and_a_new_time_asks_for_a_new_answer(ctx) -> None:
    resident = make_resident()
    appointment = _plan(resident)
    services.appointment_request_change(appointment=appointment, reason="Ik heb dan les.", now=NOW)
    values = dict(kind="pip_talk", day=date(2026, 12, 2), start=time(10, 0), end=time(11, 0), location_kind="address",
                  location="Marktplein 1, Wegwijk", staff=resident.contact_person, now=NOW)
    services.appointment_update(appointment=appointment, **values)
    assert appointment.sequence == 0, "nothing changed, nothing to tell calendars"
    services.appointment_update(appointment=appointment, **{**values, "bring": "Pen"})
    assert (appointment.sequence, appointment.response) == (1, "change_requested")
    services.appointment_update(appointment=appointment, **{**values, "bring": "Pen", "start": time(14, 0),
                                                            "end": time(15, 0)})
    assert appointment.sequence == 2
    assert (appointment.response, appointment.change_reason) == (None, "")
    assert appointment.local_start.hour == 14


def test_update_may_keep_a_past_time_but_not_move_into_the_past(ctx) -> None:
    resident = make_resident()
    appointment = make_appointment(resident=resident, starts_at=NOW - timedelta(days=2))
    day = appointment.local_start.date()
    start, end = appointment.local_start.time(), appointment.local_end.time()
    base = dict(kind="contact_talk", day=day, start=start, end=end, location_kind="address",
                location="Verbeterd adres 2", staff=resident.contact_person, now=NOW)
    services.appointment_update(appointment=appointment, **base)
    assert appointment.location == "Verbeterd adres 2"
    with pytest.raises(DomainError) as error:
        services.appointment_update(appointment=appointment, **{**base, "start": time(7, 0)})
    assert refusal(error.value) == ("day", PAST)
    assert (appointment.local_start.time(), appointment.sequence) == (start, 1)


def test_cancel_once_and_only_before_the_end(ctx) -> None:
    resident = make_resident()
    appointment = _plan(resident)
    services.appointment_cancel(appointment=appointment, now=NOW)
    assert (appointment.status, appointment.sequence, appointment.cancelled_at) == ("cancelled", 1, NOW)
    with pytest.raises(DomainError) as error:
        services.appointment_cancel(appointment=appointment, now=NOW)
    assert refusal(error.value) == (None, "Deze afspraak is al geannuleerd.")
    with pytest.raises(DomainError) as error:
        services.appointment_update(appointment=appointment, kind="pip_talk", day=date(2026, 12, 3),
                                    start=time(10), end=time(11), location_kind="address", location="x", now=NOW)
    assert refusal(error.value) == (None, "Deze afspraak is geannuleerd en kan niet meer veranderen.")
    assert (appointment.status, appointment.sequence, appointment.location) == (
        "cancelled", 1, "Marktplein 1, Wegwijk")
    past = make_appointment(resident=resident, starts_at=NOW - timedelta(hours=3))
    with pytest.raises(DomainError) as error:
        services.appointment_cancel(appointment=past, now=NOW)
    assert refusal(error.value) == (None, "Deze afspraak is al voorbij.")
    assert past.status == "planned"


def test_resident_confirms_or_asks_for_another_time(ctx) -> None:
    appointment = _plan(make_resident())
    services.appointment_confirm(appointment=appointment, now=NOW)
    assert (appointment.response, appointment.response_at) == ("confirmed", NOW)
    services.appointment_request_change(appointment=appointment, reason="  Ik heb dan les.\nKan het later?  ",
                                        now=NOW)
    assert appointment.response == "change_requested"
    assert appointment.change_reason == "Ik heb dan les.\nKan het later?"
    assert appointment.sequence == 0


@pytest.mark.parametrize("reason, message", [
    ("", NO_REASON), ("   ", NO_REASON), ("x" * 301, too_long(300)), ("Ik kan\u202e niet", FORBIDDEN),
    ("nee\x00", FORBIDDEN),
])
def test_change_request_needs_a_short_clean_reason(ctx, reason, message) -> None:
    appointment = _plan(make_resident())
    with pytest.raises(DomainError) as error:
        services.appointment_request_change(appointment=appointment, reason=reason, now=NOW)
    assert refusal(error.value) == ("reason", message)
    assert appointment.response is None


def test_no_answer_to_a_cancelled_or_started_appointment(ctx) -> None:
    resident = make_resident()
    cancelled = make_appointment(resident=resident, starts_at=NOW + timedelta(days=1), status="cancelled")
    started = make_appointment(resident=resident, starts_at=NOW - timedelta(minutes=10))
    for appointment, message in ((cancelled, "Deze afspraak is geannuleerd."),
                                 (started, "Deze afspraak is al begonnen of voorbij.")):
        with pytest.raises(DomainError) as error:
            services.appointment_confirm(appointment=appointment, now=NOW)
        assert refusal(error.value) == (None, message)
        with pytest.raises(DomainError) as error:
            services.appointment_request_change(appointment=appointment, reason="Later graag", now=NOW)
        assert refusal(error.value) == (None, message)
        assert appointment.response is None


def test_feed_reset_replaces_the_token(ctx) -> None:
    resident = make_resident()
    first = feed_url_token(services.calendar_feed_reset(resident=resident))
    second = feed_url_token(services.calendar_feed_reset(resident=resident))
    assert first != second and len(second) >= 40
    assert db.session.scalar(select(func.count()).select_from(CalendarFeed)) == 1
    # The same moment twice (a clock that stands still) still gives a new secret.
    third = feed_url_token(services.calendar_feed_reset(resident=resident, now=NOW))
    fourth = feed_url_token(services.calendar_feed_reset(resident=resident, now=NOW))
    assert len({first, second, third, fourth}) == 4


def test_feed_token_is_stored_as_a_hash_only(ctx) -> None:
    resident = make_resident()
    feed = services.calendar_feed_reset(resident=resident)
    secret = feed_url_token(feed)
    stored = db.session.scalar(select(CalendarFeed.token).where(CalendarFeed.resident_id == resident.id))
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in stored


def test_feed_url_needs_the_secret_key(ctx) -> None:
    feed = services.calendar_feed_reset(resident=make_resident())
    assert feed_url_token(feed) is not None
    ctx.config["SECRET_KEY"] = "another-secret-key-of-enough-length-0123456789"
    assert feed_url_token(feed) is None, "a copy of the database alone gives no working URL"


def test_reminder_claim_is_once_per_appointment_kind_and_start(ctx) -> None:
    appointment = make_appointment(starts_at=NOW + timedelta(hours=20))
    delivery = services.reminder_claim(appointment=appointment, kind="day_before", now=NOW)
    assert delivery is not None and delivery.status == "sending"
    # Held by a running send: nobody else takes it.
    assert services.reminder_claim(appointment=appointment, kind="day_before", now=NOW + timedelta(minutes=1)) is None
    services.reminder_mark_failed(delivery=delivery, error="SMTPServerDisconnected")
    again = services.reminder_claim(appointment=appointment, kind="day_before", now=NOW + timedelta(minutes=5))
    assert again is not None and again.id == delivery.id and again.attempts == 2
    services.reminder_mark_sent(delivery=again, now=NOW + timedelta(minutes=5))
    assert services.reminder_claim(appointment=appointment, kind="day_before", now=NOW + timedelta(minutes=9)) is None
    # The same appointment at a new time is a new reminder.
    appointment.starts_at += timedelta(days=1)
    appointment.ends_at += timedelta(days=1)
    assert services.reminder_claim(appointment=appointment, kind="day_before", now=NOW) is not None
    assert db.session.scalar(select(func.count(ReminderDelivery.id))) == 2


def test_a_claim_left_by_a_crashed_run_is_taken_over_later(ctx) -> None:
    appointment = make_appointment(starts_at=NOW + timedelta(hours=1))
    services.reminder_claim(appointment=appointment, kind="two_hours", now=NOW)
    assert services.reminder_claim(appointment=appointment, kind="two_hours", now=NOW + timedelta(minutes=5)) is None
    taken = services.reminder_claim(appointment=appointment, kind="two_hours", now=NOW + timedelta(minutes=20))
    assert taken is not None and taken.attempts == 2
