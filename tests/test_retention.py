"""Retention: a former resident's file is emptied RETENTION_MONTHS after guidance ended, payments stay 7 years."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.accounts.models import User
from portal.appointments.models import Appointment
from portal.audit.models import AuditEvent
from portal.caseload.models import Resident
from portal.caseload.services import resident_guidance_end
from portal.db import db
from portal.messages.files import stored_path
from portal.messages.models import Attachment, Message
from portal.messages.services import Upload, message_send
from portal.ontzorgen.models import Arrangement, Payment
from portal.plan.models import Goal
from portal.retention import months_before, retention_run
from tests.appointments.factories import make_appointment
from tests.conftest import World, build_world
from tests.messages.factories import pdf_bytes
from tests.ontzorgen.factories import make_arrangement, make_cost, make_payment
from tests.plan.factories import make_goal

TODAY = date(2030, 6, 15)


def _file(resident: Resident) -> None:
    make_goal(resident=resident, title="Werk vinden")
    make_appointment(resident=resident)
    message_send(resident=resident, sender=resident.user, client_key=str(uuid.uuid4()), body="mijn vraag",
                 uploads=[Upload(filename="brief.pdf", data=pdf_bytes())])
    make_payment(make_cost(make_arrangement(resident)))


def _count(model, **where) -> int:
    stmt = select(func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.session.scalar(stmt)


def _world_with_files(ended_on: date) -> World:
    world = build_world()
    amina, bob = db.session.get(Resident, world.amina_id), db.session.get(Resident, world.bob_id)
    _file(amina)
    _file(bob)
    resident_guidance_end(resident=amina, on=ended_on)
    db.session.commit()
    return world


def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month() -> None:
    assert months_before(date(2030, 6, 15), 24) == date(2028, 6, 15)
    assert months_before(date(2030, 3, 31), 1) == date(2030, 2, 28)


def test_a_file_is_emptied_after_the_retention_period_and_payments_are_kept(ctx) -> None:
    world = _world_with_files(ended_on=months_before(TODAY, 24))
    stored = db.session.scalar(select(Attachment.stored_name).join(Message).where(Message.from_resident)
                               .order_by(Attachment.id))
    steps, files = retention_run(today=TODAY, months=24)
    db.session.commit()
    assert [(s.resident_id, s.what) for s in steps] == [(world.amina_id, "anonymise")]
    assert stored in files
    amina = db.session.get(Resident, world.amina_id)
    user = db.session.get(User, world.amina_user_id)
    assert (user.name, user.email, user.password_hash, user.active) == ("verwijderd", None, None, False)
    assert user.username != "amina" and amina.date_of_birth is None and amina.anonymised_at is not None
    for model in (Goal, Appointment):
        assert _count(model, resident_id=world.amina_id) == 0
        assert _count(model, resident_id=world.bob_id) == 1  # another resident is untouched
    assert _count(Message) == 1  # bob's message only
    arrangement = db.session.scalar(select(Arrangement).where(Arrangement.resident_id == world.amina_id))
    assert _count(Payment, arrangement_id=arrangement.id) == 1  # fiscal retention
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.anonymise"))
    assert event.resident_id == world.amina_id and "goals 1" in event.detail
    assert retention_run(today=TODAY, months=24)[0] == []  # done once


def test_nothing_happens_before_the_period_is_over_or_in_a_dry_run(ctx) -> None:
    world = _world_with_files(ended_on=months_before(TODAY, 24) + timedelta(days=1))
    assert retention_run(today=TODAY, months=24)[0] == []
    steps, _ = retention_run(today=TODAY + timedelta(days=1), months=24, dry_run=True)
    assert [s.resident_id for s in steps] == [world.amina_id]
    db.session.commit()
    assert _count(Goal, resident_id=world.amina_id) == 1
    assert db.session.get(User, world.amina_user_id).name == "Amina Haddad"


def test_payments_go_after_seven_years(ctx) -> None:
    world = _world_with_files(ended_on=months_before(TODAY, 7 * 12))
    steps, _ = retention_run(today=TODAY, months=24)
    db.session.commit()
    assert [s.what for s in steps] == ["anonymise", "delete_payments"]
    assert _count(Arrangement, resident_id=world.amina_id) == 0
    assert _count(Arrangement, resident_id=world.bob_id) == 1
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "retention.delete_payments"))


def test_the_command_lists_in_a_dry_run_and_removes_files_after_a_run(app, ctx) -> None:
    world = _world_with_files(ended_on=date.today() - timedelta(days=800))
    stored = db.session.scalar(select(Attachment.stored_name).join(Message).join(Message.conversation)
                               .where(Message.from_resident).order_by(Attachment.id))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run"])
    assert dry.exit_code == 0 and f"would anonymise: resident {world.amina_id}" in dry.output
    assert stored_path(stored) is not None
    done = runner.invoke(args=["retention", "run"])
    assert done.exit_code == 0 and f"anonymise: resident {world.amina_id}" in done.output
    assert stored_path(stored) is None
    db.session.rollback()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_end_guidance_command(app, ctx) -> None:
    world = build_world()
    result = app.test_cli_runner().invoke(args=["retention", "end-guidance", "yonas", "--on", "2030-01-31"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert db.session.get(Resident, world.yonas_id).guidance_ended_on == date(2030, 1, 31)
    assert app.test_cli_runner().invoke(args=["retention", "end-guidance", "nobody"]).exit_code == 1
