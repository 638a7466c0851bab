"""Appointment reads: lists, overlaps, the week, the home card, the feed, due reminders, the data export."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event

from portal.appointments import queries, services
from portal.appointments.feedtoken import feed_url_token
from portal.appointments.models import LOCAL_TZ
from portal.db import db
from tests.appointments.factories import make_appointment
from tests.factories import make_caseworker, make_counsellor, make_resident

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


class _Statements:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args) -> None:
        self.count += 1

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(db.engine, "before_cursor_execute", self)


def test_list_splits_upcoming_and_past_for_this_resident_only(ctx) -> None:
    resident, other = make_resident(), make_resident()
    later = make_appointment(resident=resident, starts_at=NOW + timedelta(days=5))
    soon = make_appointment(resident=resident, starts_at=NOW + timedelta(days=1), status="cancelled")
    running = make_appointment(resident=resident, starts_at=NOW - timedelta(minutes=30))
    old = make_appointment(resident=resident, starts_at=NOW - timedelta(days=30))
    older = make_appointment(resident=resident, starts_at=NOW - timedelta(days=60))
    make_appointment(resident=other, starts_at=NOW + timedelta(days=2))
    db.session.expire_all()
    assert resident.id  # loaded again before counting
    with _Statements() as statements:
        upcoming, past = queries.appointment_list_for_resident(resident=resident, now=NOW)
        names = [a.with_whom for a in upcoming + past]
    assert [a.id for a in upcoming] == [running.id, soon.id, later.id]
    assert [a.id for a in past] == [old.id, older.id]
    assert statements.count == 1 and all(names)


def test_get_for_resident_refuses_someone_elses_appointment(ctx) -> None:
    resident, other = make_resident(), make_resident()
    theirs = make_appointment(resident=other)
    assert queries.appointment_get_for_resident(resident=resident, appointment_id=theirs.id) is None
    assert queries.appointment_get_for_resident(resident=other, appointment_id=theirs.id) is theirs


def test_overlaps_of_the_same_resident_and_the_same_staff_member(ctx) -> None:
    sanne = make_caseworker()
    amina, yonas = make_resident(contact_person=sanne), make_resident(contact_person=sanne)
    start = NOW + timedelta(days=2)
    first = make_appointment(resident=amina, starts_at=start, staff_id=sanne.id)
    same_resident = make_appointment(resident=amina, starts_at=start + timedelta(minutes=30), staff_id=None,
                                     kind="language_school")
    same_staff = make_appointment(resident=yonas, starts_at=start + timedelta(minutes=45), staff_id=sanne.id)
    make_appointment(resident=yonas, starts_at=start + timedelta(minutes=15), staff_id=sanne.id, status="cancelled")
    back_to_back = make_appointment(resident=amina, starts_at=start + timedelta(minutes=90), staff_id=None,
                                    minutes=15)
    found = queries.appointment_overlaps([first, same_resident, same_staff, back_to_back], viewer=sanne)
    assert {(o.other.id, o.same_resident, o.visible) for o in found[first.id]} == {
        (same_resident.id, True, True), (same_staff.id, False, True)}
    assert [o.other.id for o in found[same_staff.id]] == [first.id]
    assert [o.other.id for o in found[same_resident.id]] == [first.id]
    # Touching is not overlapping; a cancelled appointment overlaps nothing.
    assert back_to_back.id not in found


def test_overlap_with_a_resident_outside_the_viewers_caseload_hides_the_name(ctx) -> None:
    counsellor = make_counsellor()
    mine = make_resident(counsellor=counsellor)
    theirs = make_resident(counsellor=counsellor)
    start = NOW + timedelta(days=1)
    a = make_appointment(resident=mine, starts_at=start, staff_id=counsellor.id)
    make_appointment(resident=theirs, starts_at=start, staff_id=counsellor.id)
    viewer = mine.contact_person
    assert [o.visible for o in queries.appointment_overlaps([a], viewer=viewer)[a.id]] == [False]


def test_week_bounds_follow_amsterdam_time_across_dst() -> None:
    start, end = queries.week_bounds(date(2027, 3, 22))
    assert start == datetime(2027, 3, 21, 23, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=167)
    start, end = queries.week_bounds(date(2027, 10, 25))
    assert end - start == timedelta(hours=169)
    assert start == datetime(2027, 10, 24, 22, 0, tzinfo=UTC)
    assert end == datetime(2027, 11, 1, 0, 0, tzinfo=LOCAL_TZ)
    assert queries.week_bounds(date(2027, 11, 1))[1] - queries.week_bounds(date(2027, 11, 1))[0] == timedelta(days=7)


def test_week_holds_the_caseworkers_residents_only(ctx) -> None:
    sanne, ruben = make_caseworker(), make_caseworker()
    mine, other = make_resident(contact_person=sanne), make_resident(contact_person=ruben)
    monday = date(2026, 11, 23)
    sunday_late = datetime(2026, 11, 29, 22, 30, tzinfo=UTC)  # 23:30 in Amsterdam, still Sunday
    a = make_appointment(resident=mine, starts_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    b = make_appointment(resident=mine, starts_at=sunday_late, minutes=20)
    make_appointment(resident=mine, starts_at=datetime(2026, 11, 29, 23, 30, tzinfo=UTC))  # Monday 00:30 local
    make_appointment(resident=other, starts_at=datetime(2026, 11, 24, 8, 0, tzinfo=UTC), staff_id=sanne.id)
    with _Statements() as statements:
        week = queries.appointment_week_for_staff(staff=sanne, monday=monday)
        names = [x.resident.name for x in week]
    assert [x.id for x in week] == [a.id, b.id]
    assert statements.count == 1 and all(names)


def test_home_card_is_the_next_planned_appointment_in_one_statement(ctx) -> None:
    resident = make_resident()
    make_appointment(resident=resident, starts_at=NOW - timedelta(days=1))
    make_appointment(resident=resident, starts_at=NOW + timedelta(hours=2), status="cancelled")
    nxt = make_appointment(resident=resident, starts_at=NOW + timedelta(days=1))
    make_appointment(resident=resident, starts_at=NOW + timedelta(days=9))
    db.session.expire_all()
    assert resident.id  # loaded again before counting
    with _Statements() as statements:
        card = queries.appointment_home_card(resident, now=NOW)
        assert card.staff.name
    assert card.id == nxt.id and statements.count == 1
    assert queries.appointment_home_card(make_resident(), now=NOW) is None


def test_feed_carries_recent_past_future_and_recent_cancellations(ctx) -> None:
    resident = make_resident()
    keep = [
        make_appointment(resident=resident, starts_at=NOW - timedelta(days=100)),
        make_appointment(resident=resident, starts_at=NOW + timedelta(days=5)),
        make_appointment(resident=resident, starts_at=NOW + timedelta(days=6), status="cancelled",
                         cancelled_at=NOW - timedelta(days=1)),
        make_appointment(resident=resident, starts_at=NOW - timedelta(days=20), status="cancelled",
                         cancelled_at=NOW - timedelta(days=25)),
    ]
    make_appointment(resident=resident, starts_at=NOW - timedelta(days=200))
    make_appointment(resident=resident, starts_at=NOW - timedelta(days=100), status="cancelled",
                     cancelled_at=NOW - timedelta(days=101))
    make_appointment(resident=make_resident(), starts_at=NOW + timedelta(days=5))
    found = queries.appointment_list_for_feed(resident_id=resident.id, now=NOW)
    assert sorted(a.id for a in found) == sorted(a.id for a in keep)


def test_feed_token_lookup(ctx) -> None:
    resident = make_resident()
    feed = services.calendar_feed_reset(resident=resident)
    token = feed_url_token(feed)
    assert queries.calendar_feed_by_token(token).resident is resident
    assert queries.calendar_feed_by_token(feed.token) is None, "the stored hash is not a way in"
    assert queries.calendar_feed_by_token(token[:-1]) is None
    assert queries.calendar_feed_by_token("") is None
    assert queries.calendar_feed_by_token("x" * 500) is None


def test_due_reminders_by_window_email_and_status(ctx) -> None:
    with_mail = make_resident()
    with_mail.user.email = "amina@example.org"
    without_mail = make_resident()
    day_before = make_appointment(resident=with_mail, starts_at=NOW + timedelta(hours=23))
    two_hours = make_appointment(resident=with_mail, starts_at=NOW + timedelta(minutes=100))
    make_appointment(resident=with_mail, starts_at=NOW + timedelta(hours=25))  # not yet
    make_appointment(resident=with_mail, starts_at=NOW + timedelta(hours=3), status="cancelled")
    make_appointment(resident=with_mail, starts_at=NOW - timedelta(minutes=5))  # started
    make_appointment(resident=without_mail, starts_at=NOW + timedelta(hours=5))
    due = queries.reminders_due(now=NOW)
    assert [(a.id, kind) for a, kind in due] == [(two_hours.id, "two_hours"), (day_before.id, "day_before")]
    delivery = services.reminder_claim(appointment=two_hours, kind="two_hours", now=NOW)
    services.reminder_mark_sent(delivery=delivery, now=NOW)
    assert [(a.id, kind) for a, kind in queries.reminders_due(now=NOW)] == [(day_before.id, "day_before")]
    with_mail.user.active = False
    assert queries.reminders_due(now=NOW) == []


def test_export_lists_appointments_answers_and_sent_reminders(ctx) -> None:
    resident = make_resident()
    appointment = make_appointment(resident=resident, starts_at=NOW + timedelta(days=1), bring="Paspoort")
    services.appointment_request_change(appointment=appointment, reason="Ik werk dan.", now=NOW)
    delivery = services.reminder_claim(appointment=appointment, kind="day_before", now=NOW)
    services.reminder_mark_sent(delivery=delivery, now=NOW)
    services.calendar_feed_reset(resident=resident, now=NOW)
    make_appointment(resident=make_resident())
    data = queries.export_for_resident(resident)
    assert [a["id"] for a in data["appointments"]] == [appointment.id]
    row = data["appointments"][0]
    assert (row["bring"], row["my_answer"], row["my_reason_for_another_time"]) == (
        "Paspoort", "change_requested", "Ik werk dan.")
    assert data["reminders_sent"][0]["kind"] == "day_before"
    assert data["calendar_feed"] == {"made_at": NOW.isoformat()}
    assert "token" not in str(data)


def test_working_week_is_the_coming_one_at_the_weekend() -> None:
    assert queries.working_week(date(2026, 11, 25)) == date(2026, 11, 23)  # Wednesday
    assert queries.working_week(date(2026, 11, 23)) == date(2026, 11, 23)  # Monday
    assert queries.working_week(date(2026, 11, 28)) == date(2026, 11, 30)  # Saturday
    assert queries.working_week(date(2026, 11, 29)) == date(2026, 11, 30)  # Sunday
