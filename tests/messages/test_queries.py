"""Reads of the messages area: what they return and how many statements they take."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.db import db, utcnow
from portal.messages import queries
from portal.messages.services import conversation_set_handled
from portal.roles import Role
from tests.factories import make_caseworker, make_counsellor, make_resident, make_user
from tests.messages.factories import make_message, make_profile, make_settings


@pytest.fixture
def cast(ctx):
    sanne = make_caseworker(username="sanne")
    ruben = make_caseworker(username="ruben")
    pieter = make_counsellor(username="pieter")
    amina = make_resident(contact_person=sanne, counsellor=pieter, username="amina", language="ar")
    yonas = make_resident(contact_person=sanne, username="yonas", language="ti")
    bob = make_resident(contact_person=ruben, counsellor=pieter, username="bob", language="en")
    return sanne, ruben, pieter, amina, yonas, bob


def test_unread_counts_only_replies_not_yet_read_in_one_statement(cast, count_queries) -> None:
    sanne, _, _, amina, yonas, _ = cast
    make_message(amina, from_resident=True)
    make_message(amina, from_resident=False, sender=sanne)
    make_message(amina, from_resident=False, sender=sanne, read_at=utcnow())
    last = make_message(amina, from_resident=False, sender=sanne)
    make_message(yonas, from_resident=False, sender=sanne)
    before = count_queries.count
    assert queries.unread_count_for_user(amina.user) == 2
    assert count_queries.count - before == 1
    card = queries.messages_home_card(amina)
    assert (card.unread, card.last_reply_at, card.contact_name) == (2, last.created_at, sanne.name)
    assert card.last_reply_at.tzinfo is not None
    assert queries.unread_count_for_user(make_resident(contact_person=sanne).user) == 0


def test_home_card_and_badge_share_one_statement_per_request(app, cast, count_queries) -> None:
    _, _, _, amina, _, _ = cast
    make_message(amina, from_resident=False)
    with app.test_request_context():
        before = count_queries.count
        card = queries.messages_home_card(amina)
        assert queries.unread_count_for_user(amina.user) == card.unread == 1
        assert count_queries.count - before == 1


def test_the_conversation_loads_in_a_fixed_number_of_statements(cast, count_queries) -> None:
    amina = cast[3]
    start = utcnow() - timedelta(days=3)
    ids = [make_message(amina, from_resident=n % 2 == 0, created_at=start + timedelta(hours=n)).id for n in range(60)]
    resident_id = amina.id
    db.session.expire_all()
    before = count_queries.count
    messages, older = queries.conversation_messages(resident_id=resident_id)
    for message in messages:
        _ = message.sender.name if message.sender else None, list(message.attachments)
    assert count_queries.count - before == 2  # messages with senders, then attachments
    assert older and [m.id for m in messages] == ids[-50:]
    earlier, more = queries.conversation_messages(resident_id=resident_id, before=ids[-50])
    assert [m.id for m in earlier] == ids[:10] and not more


def test_another_residents_messages_never_mix_in(cast) -> None:
    _, _, _, amina, yonas, _ = cast
    make_message(amina, body="voor amina")
    make_message(yonas, body="voor yonas")
    messages, _ = queries.conversation_messages(resident_id=yonas.id)
    assert [m.body for m in messages] == ["voor yonas"]
    newer, _ = queries.messages_after(resident_id=yonas.id, after=0)
    assert [m.body for m in newer] == ["voor yonas"]


def test_messages_after_returns_only_newer_ones_and_the_one_before(cast) -> None:
    _, _, _, amina, _, _ = cast
    first, second, third = (make_message(amina, body=str(n)) for n in range(3))
    newer, previous = queries.messages_after(resident_id=amina.id, after=first.id)
    assert [m.id for m in newer] == [second.id, third.id] and previous.id == first.id
    newer, previous = queries.messages_after(resident_id=amina.id, after=third.id)
    assert newer == [] and previous.id == third.id
    newer, previous = queries.messages_after(resident_id=amina.id, after=0)
    assert len(newer) == 3 and previous is None


def test_own_messages_read_since(cast) -> None:
    _, _, _, amina, _, _ = cast
    a = make_message(amina, read_at=utcnow())
    b = make_message(amina, from_resident=False)
    c = make_message(amina)
    read, first_unread = queries.own_messages_read(resident_id=amina.id, from_id=a.id, upto=c.id)
    assert read == [a.id] and first_unread == c.id
    assert b.id not in read


def test_day_separators_follow_the_amsterdam_calendar(app, cast) -> None:
    _, _, _, amina, _, _ = cast
    late = make_message(amina, created_at=datetime(2026, 3, 9, 22, 30, tzinfo=UTC))  # 23:30 in Amsterdam
    later = make_message(amina, created_at=datetime(2026, 3, 9, 23, 30, tzinfo=UTC))  # 00:30 the next day
    same_day = make_message(amina, created_at=datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
    with app.test_request_context():
        items = queries.with_days([late, later, same_day])
        assert [(i.day, i.message and i.message.id) for i in items] == [
            (date(2026, 3, 9), None), (None, late.id), (date(2026, 3, 10), None), (None, later.id),
            (None, same_day.id)]
        continued = queries.with_days([same_day], previous=later)
        assert [i.message.id for i in continued] == [same_day.id]


def test_inbox_shows_the_own_caseload_unread_first(cast, count_queries) -> None:
    sanne, ruben, _, amina, yonas, bob = cast
    quiet = make_resident(contact_person=sanne, username="quiet")
    make_message(quiet, created_at=utcnow() - timedelta(hours=1), read_at=utcnow())
    make_message(quiet, from_resident=False, created_at=utcnow() - timedelta(minutes=50))
    make_message(amina, created_at=utcnow() - timedelta(days=2))  # old but unread
    make_message(yonas, created_at=utcnow() - timedelta(minutes=5), read_at=utcnow())  # waiting for an answer
    make_message(bob, created_at=utcnow())
    handled = make_resident(contact_person=sanne, username="handled")
    make_message(handled, created_at=utcnow() - timedelta(minutes=1), read_at=utcnow())
    conversation_set_handled(resident=handled, staff=sanne, handled=True)
    make_resident(contact_person=sanne, username="nothing")  # no messages: not in the inbox
    before = count_queries.count
    rows, total = queries.inbox_for_staff(staff=sanne)
    assert count_queries.count - before == 2
    assert total == 4
    assert [(r.resident.user.username, r.status) for r in rows] == [
        ("amina", "new"), ("yonas", "waiting"), ("handled", "handled"), ("quiet", "answered")]
    assert rows[0].unread == 1
    rows, _ = queries.inbox_for_staff(staff=ruben)
    assert [r.resident.user.username for r in rows] == ["bob"]
    assert queries.unread_for_staff(staff=sanne) == 1
    row = queries.inbox_row(staff=sanne, resident_id=amina.id)
    assert row.unread == 1 and row.status == "new"
    assert queries.inbox_row(staff=ruben, resident_id=amina.id) is None


def test_counsellor_inbox_only_with_consent_and_lead_sees_nothing(cast) -> None:
    _, _, pieter, amina, _, bob = cast
    make_message(amina)
    make_message(bob)
    assert queries.inbox_for_staff(staff=pieter) == ([], 0)
    make_settings(amina, counsellor_may_read=True)
    make_settings(bob, counsellor_may_read=False)
    rows, total = queries.inbox_for_staff(staff=pieter)
    assert [r.resident.user.username for r in rows] == ["amina"] and total == 1
    lead = make_user(role=Role.LEAD)
    assert queries.inbox_for_staff(staff=lead) == ([], 0)


def test_availability(cast) -> None:
    sanne, *_ = cast
    default = queries.availability_for(staff_id=sanne.id, today=date(2026, 3, 14))  # a Saturday
    assert default.working_days == [1, 2, 3, 4, 5] and default.reply_days == 1
    assert not default.works_today and default.next_working_day == date(2026, 3, 16)
    make_profile(sanne, working_days="24", reply_days=0)
    tuesday = queries.availability_for(staff_id=sanne.id, today=date(2026, 3, 10))
    assert tuesday.works_today and tuesday.next_working_day == date(2026, 3, 12) and tuesday.reply_days == 0


def test_mail_is_due_for_new_unread_replies_to_residents_with_an_address(cast) -> None:
    sanne, _, _, amina, yonas, _ = cast
    now = utcnow()
    amina.user.email = "amina@example.org"
    make_message(amina, from_resident=False, sender=sanne, created_at=now - timedelta(minutes=3))
    make_message(yonas, from_resident=False, sender=sanne, created_at=now - timedelta(minutes=3))  # no address
    due = queries.residents_due_for_mail(now=now, interval=timedelta(hours=1))
    assert [(r.id, n) for r, n, _ in due] == [(amina.id, 1)]
    make_settings(amina, notified_at=now - timedelta(minutes=30))
    assert queries.residents_due_for_mail(now=now, interval=timedelta(hours=1)) == []


def test_export_holds_the_conversation_and_the_settings(cast) -> None:
    sanne, _, _, amina, _, _ = cast
    make_message(amina, body="Mijn vraag")
    make_message(amina, from_resident=False, sender=sanne, body="Mijn antwoord")
    make_settings(amina, counsellor_may_read=True)
    data = queries.export_for_resident(amina)
    assert data["settings"]["counsellor_may_read"] is True
    assert [(m["from"], m["text"]) for m in data["conversation"]] == [
        ("me", "Mijn vraag"), (sanne.name, "Mijn antwoord")]
