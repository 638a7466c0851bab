"""`flask messages notify` against a real SMTP server (aiosmtpd on 127.0.0.1): no content, rate limits, off switch."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from babel.dates import format_date
from sqlalchemy import select

from portal.caseload.models import Resident
from portal.db import db
from portal.messages.models import ResidentMessageSettings, StaffMessageProfile
from portal.messages.notify import notify_run
from tests.messages.factories import make_message, make_profile, make_settings

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SECRET = "Je huurtoeslag-nummer is 4411"


class Inbox:
    """Keeps what it receives, or refuses it while `down` is set."""

    def __init__(self) -> None:
        self.messages: list = []
        self.down = False

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.down:
            return "451 Requested action aborted: try again later"
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for rcpt, m in self.messages if rcpt == [address]]


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
                      SMTP_USER="", SMTP_TIMEOUT=5, PUBLIC_URL="https://wegwijs.example")
    yield handler
    controller.stop()


@pytest.fixture
def people(app, world):
    with app.app_context():
        amina = db.session.get(Resident, world.amina_id)
        amina.user.email = "amina@example.org"
        amina.contact_person.email = "sanne@gemeente.example"
        db.session.commit()
    return world


def _reply(app, world, at: datetime, body: str = SECRET, rid: int | None = None) -> None:
    with app.app_context():
        make_message(db.session.get(Resident, rid or world.amina_id), from_resident=False, body=body, created_at=at)
        db.session.commit()


def _question(app, rid: int, at: datetime) -> None:
    with app.app_context():
        make_message(db.session.get(Resident, rid), from_resident=True, body=SECRET, created_at=at)
        db.session.commit()


def _run(app, now: datetime):
    with app.app_context():
        return notify_run(now=now)


def test_a_resident_gets_one_mail_an_hour_in_their_language_without_content(app, inbox, people) -> None:
    _reply(app, people, T0)
    first = _run(app, T0 + timedelta(minutes=2))
    assert (first.residents, first.failed) == (1, 0)
    (mail,) = inbox.to("amina@example.org")
    body = mail.get_content()
    assert SECRET not in body and SECRET not in mail["Subject"]
    assert "Amina Haddad" in body and "https://wegwijs.example/messages" in body
    assert format_date(T0.date(), "long", locale="ar") in body  # the date in Arabic
    # A second reply ten minutes later: no second mail within the hour.
    _reply(app, people, T0 + timedelta(minutes=10))
    assert _run(app, T0 + timedelta(minutes=12)).residents == 0
    assert _run(app, T0 + timedelta(minutes=50)).residents == 0
    # After the hour, the unread reply gets one mail; then nothing new means no more mail.
    assert _run(app, T0 + timedelta(minutes=63)).residents == 1
    assert _run(app, T0 + timedelta(hours=3)).residents == 0
    assert len(inbox.to("amina@example.org")) == 2


def test_no_mail_once_the_resident_has_read_it(app, inbox, people) -> None:
    with app.app_context():
        make_message(db.session.get(Resident, people.amina_id), from_resident=False, created_at=T0, read_at=T0)
        db.session.commit()
    assert _run(app, T0 + timedelta(minutes=5)).residents == 0
    assert inbox.messages == []


def test_residents_without_an_address_or_who_switched_it_off_get_nothing(app, inbox, people) -> None:
    _reply(app, people, T0, rid=people.yonas_id)  # yonas has no e-mail address
    with app.app_context():
        make_settings(db.session.get(Resident, people.amina_id), notify_email=False)
        db.session.commit()
    _reply(app, people, T0)
    assert _run(app, T0 + timedelta(minutes=5)).residents == 0
    assert inbox.to("amina@example.org") == []


def test_caseworker_gets_a_batched_digest(app, inbox, people) -> None:
    _question(app, people.amina_id, T0)
    _question(app, people.amina_id, T0 + timedelta(minutes=1))
    _question(app, people.yonas_id, T0 + timedelta(minutes=2))
    _question(app, people.bob_id, T0 + timedelta(minutes=3))  # ruben's, who has no address
    result = _run(app, T0 + timedelta(minutes=5))
    assert result.staff == 1
    (digest,) = inbox.to("sanne@gemeente.example")
    body = digest.get_content()
    assert "3 nieuwe berichten" in digest["Subject"]
    assert "Ze komen van 2 bewoners." in body and "https://wegwijs.example/staff/messages" in body
    assert SECRET not in body and "Amina" not in body and "Yonas" not in body
    _question(app, people.amina_id, T0 + timedelta(minutes=20))
    assert _run(app, T0 + timedelta(minutes=25)).staff == 0  # batched: not again within the hour
    assert _run(app, T0 + timedelta(minutes=70)).staff == 1
    (_, second) = inbox.to("sanne@gemeente.example")
    assert "1 nieuw bericht" in second["Subject"]  # only what came after the first digest
    with app.app_context():
        assert db.session.get(StaffMessageProfile, people.sanne_id).notified_at == T0 + timedelta(minutes=70)


def test_caseworker_can_switch_the_digest_off(app, inbox, people) -> None:
    with app.app_context():
        from portal.accounts.models import User

        make_profile(db.session.get(User, people.sanne_id), notify_email=False)
        db.session.commit()
    _question(app, people.amina_id, T0)
    assert _run(app, T0 + timedelta(minutes=5)).staff == 0


def test_a_mail_server_that_is_down_is_tried_again_next_run(app, inbox, people) -> None:
    _reply(app, people, T0)
    inbox.down = True
    failed = _run(app, T0 + timedelta(minutes=1))
    assert (failed.residents, failed.failed) == (0, 1)
    with app.app_context():
        assert db.session.scalar(select(ResidentMessageSettings.notified_at)) is None
    inbox.down = False
    assert _run(app, T0 + timedelta(minutes=6)).residents == 1


def test_the_command(app, inbox, people) -> None:
    _reply(app, people, datetime.now(UTC) - timedelta(minutes=1))
    result = app.test_cli_runner().invoke(args=["messages", "notify"])
    assert result.exit_code == 0, result.output
    assert "residents: 1 sent" in result.output
    assert len(inbox.to("amina@example.org")) == 1


def test_without_smtp_nothing_is_sent_and_nothing_is_marked(app, people) -> None:
    _reply(app, people, T0)
    assert _run(app, T0 + timedelta(minutes=1)).residents == 0
    with app.app_context():
        assert db.session.scalar(select(ResidentMessageSettings.notified_at)) is None
