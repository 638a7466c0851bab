"""`flask reminders send` against a real SMTP server (aiosmtpd on 127.0.0.1): each reminder exactly once."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from babel.dates import format_date
from sqlalchemy import select

from portal.appointments import services
from portal.appointments.models import LOCAL_TZ, ReminderDelivery
from portal.appointments.reminders import reminders_run
from portal.db import db, utcnow
from tests.appointments.factories import make_appointment
from tests.factories import make_resident


class Inbox:
    """An SMTP handler that keeps what it receives, or refuses it while `down` is set."""

    def __init__(self) -> None:
        self.messages: list = []
        self.down = False

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.down:
            return "451 Requested action aborted: try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(app):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_STARTTLS=False, SMTP_SSL=False,
                      SMTP_USER="", SMTP_TIMEOUT=5)
    yield handler
    controller.stop()


def _resident(language: str = "ar", email: str | None = "bewoner@example.org"):
    resident = make_resident(language=language)
    resident.user.email = email
    return resident


def _deliveries() -> list[tuple[int, str, str, int]]:
    rows = db.session.scalars(select(ReminderDelivery).order_by(ReminderDelivery.id))
    return [(d.appointment_id, d.kind, d.status, d.attempts) for d in rows]


def test_each_reminder_goes_out_once_in_the_residents_language(app, inbox) -> None:
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with app.app_context():
        amina = _resident("ar", "amina@example.org")
        tomorrow = make_appointment(resident=amina, starts_at=now + timedelta(hours=22), location="Geheimstraat 9")
        db.session.commit()
        result = reminders_run(now=now)
        again = reminders_run(now=now + timedelta(minutes=5))
        assert (result.sent, result.failed, again.sent) == (1, 0, 0)
        assert _deliveries() == [(tomorrow.id, "day_before", "sent", 1)]
        start = tomorrow.starts_at
    (recipients, message), = inbox.messages
    assert recipients == ["amina@example.org"]
    body = message.get_content()
    # The date in Arabic, in Amsterdam time.
    assert format_date(start.astimezone(LOCAL_TZ).date(), "full", locale="ar") in body
    assert format_date(start.astimezone(LOCAL_TZ).date(), "full", locale="ar") in message["Subject"]
    # Only when: what and where stay inside Wegwijs.
    assert "Geheimstraat" not in body

    with app.app_context():
        later = reminders_run(now=start - timedelta(minutes=90))
        reminders_run(now=start - timedelta(minutes=60))
        assert later.sent == 1
        assert [(kind, status) for _, kind, status, _ in _deliveries()] == [("day_before", "sent"),
                                                                          ("two_hours", "sent")]
    assert len(inbox.messages) == 2


def test_a_failed_send_is_kept_and_sent_on_the_next_run(app, inbox) -> None:
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with app.app_context():
        appointment = make_appointment(resident=_resident("ti"), starts_at=now + timedelta(hours=90 / 60))
        db.session.commit()
        inbox.down = True
        failed = reminders_run(now=now)
        assert (failed.sent, failed.failed) == (0, 1)
        (delivery,) = db.session.scalars(select(ReminderDelivery)).all()
        assert (delivery.status, delivery.attempts) == ("failed", 1)
        assert "451" in delivery.last_error
        inbox.down = False
        retried = reminders_run(now=now + timedelta(minutes=5))
        assert retried.sent == 1
        assert _deliveries() == [(appointment.id, "two_hours", "sent", 2)]
        assert reminders_run(now=now + timedelta(minutes=10)).sent == 0
    assert len(inbox.messages) == 1


def test_an_unreachable_server_loses_nothing(app) -> None:
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=_free_port(), SMTP_STARTTLS=False, SMTP_TIMEOUT=2)
    with app.app_context():
        make_appointment(resident=_resident(), starts_at=now + timedelta(hours=5))
        db.session.commit()
        assert reminders_run(now=now).failed == 1
        assert [status for _, _, status, _ in _deliveries()] == ["failed"]


def test_no_reminder_when_cancelled_without_email_or_already_started(app, inbox) -> None:
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with app.app_context():
        make_appointment(resident=_resident(), starts_at=now + timedelta(hours=3), status="cancelled")
        make_appointment(resident=_resident(email=None), starts_at=now + timedelta(hours=3))
        make_appointment(resident=_resident(), starts_at=now - timedelta(minutes=1))
        db.session.commit()
        assert reminders_run(now=now).sent == 0
        assert _deliveries() == []
    assert inbox.messages == []


def test_a_moved_appointment_gets_fresh_reminders(app, inbox) -> None:
    now = utcnow().replace(microsecond=0)
    with app.app_context():
        resident = _resident("en")
        appointment = make_appointment(resident=resident, starts_at=now + timedelta(hours=20))
        db.session.commit()
        assert reminders_run(now=now).sent == 1
        new_day = (now + timedelta(days=2)).astimezone(LOCAL_TZ).date()
        services.appointment_update(appointment=appointment, kind="contact_talk", day=new_day, start=time(11, 0),
                                    end=time(12, 0), location_kind="address", location="Marktplein 1", now=now)
        db.session.commit()
        moved_start = appointment.starts_at
        assert reminders_run(now=moved_start - timedelta(hours=23)).sent == 1
        assert reminders_run(now=moved_start - timedelta(hours=1)).sent == 1
        kinds = [(kind, status) for _, kind, status, _ in _deliveries()]
        assert kinds == [("day_before", "sent"), ("day_before", "sent"), ("two_hours", "sent")]
    assert len(inbox.messages) == 3


def test_cli_command_sends_and_is_idempotent(app, inbox) -> None:
    with app.app_context():
        make_appointment(resident=_resident("nl"), starts_at=utcnow() + timedelta(hours=1))
        db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["reminders", "send"])
    second = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0, first.output
    assert "1 sent" in first.output and "0 sent" in second.output
    assert len(inbox.messages) == 1
    assert inbox.messages[0][1]["Subject"].startswith("Herinnering")


def test_cli_refuses_without_smtp_settings(app) -> None:
    with app.app_context():
        make_appointment(resident=_resident(), starts_at=utcnow() + timedelta(hours=1))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code != 0 and "SMTP_HOST" in result.output
    with app.app_context():
        assert _deliveries() == []


def test_cli_exit_code_tells_cron_about_failures(app, inbox) -> None:
    with app.app_context():
        make_appointment(resident=_resident(), starts_at=utcnow() + timedelta(hours=1))
        db.session.commit()
    inbox.down = True
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 1 and "1 failed" in result.output


def test_dst_day_reminder_names_the_local_time(app, inbox) -> None:
    start = datetime.combine(date(2027, 3, 28), time(10, 0), tzinfo=LOCAL_TZ).astimezone(UTC)
    with app.app_context():
        make_appointment(resident=_resident("nl"), starts_at=start)
        db.session.commit()
        reminders_run(now=start - timedelta(hours=1))
    assert "10:00" in inbox.messages[0][1].get_content()
