"""Retention (AVG, storage limitation): a former resident's data is removed a set time after their guidance ends.

- `Resident.guidance_ended_on` says when guidance ended (set with `flask retention end-guidance`).
- RETENTION_MONTHS (default 24) after that day the file is emptied: plan, appointments, messages and their
  files, learning results, the calendar feed and activation codes are deleted; the account is anonymised and
  can no longer sign in; what stays is a shell (the resident and user rows, without name, client number,
  date of birth or e-mail) so that the audit log's lines keep pointing at something.
- Kept for a legal duty: the ontzorgen payments (fiscal retention, FISCAL_YEARS = 7 years after guidance
  ended), without their free text; after that the arrangement with its costs and payments is deleted too.
- The audit log itself is append-only (portal/audit/chain.py) and is never changed or cut by retention.

Every step writes an audit line. `retention_run(dry_run=True)` says what it would do and changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import delete, select, update

from portal.accounts.models import ActivationCode, User
from portal.appointments.models import Appointment, CalendarFeed
from portal.audit.services import audit_record
from portal.caseload.models import Resident
from portal.db import db, utcnow
from portal.learn.models import CheckResult, LessonProgress, ModuleProgress, QuizAnswer
from portal.messages.files import remove_stored
from portal.messages.models import Attachment, Conversation, Message, ResidentMessageSettings
from portal.ontzorgen.models import Arrangement, HandoverCheck, Payment
from portal.plan.models import Baseline, Block, Goal, Plan

DEFAULT_MONTHS = 24
FISCAL_YEARS = 7


@dataclass(frozen=True)
class Step:
    resident_id: int
    what: str  # anonymise | delete_payments
    guidance_ended_on: date


def retention_months() -> int:
    """RETENTION_MONTHS: months after guidance ended before a file is emptied (at least 1)."""
    raw = current_app.config.get("RETENTION_MONTHS") or os.environ.get("RETENTION_MONTHS") or DEFAULT_MONTHS
    months = int(raw)
    if months < 1:
        raise ValueError("RETENTION_MONTHS must be at least 1")
    return months


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the last day of that month when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def retention_due(*, today: date, months: int) -> list[Step]:
    """What retention would do today: files to empty, and payments whose fiscal retention has passed."""
    file_limit = months_before(today, months)
    fiscal_limit = months_before(today, FISCAL_YEARS * 12)
    to_empty = db.session.execute(
        select(Resident.id, Resident.guidance_ended_on).where(
            Resident.guidance_ended_on.is_not(None), Resident.guidance_ended_on <= file_limit,
            Resident.anonymised_at.is_(None)).order_by(Resident.id)).all()
    payments = db.session.execute(
        select(Resident.id, Resident.guidance_ended_on).join(Arrangement, Arrangement.resident_id == Resident.id)
        .where(Resident.guidance_ended_on.is_not(None), Resident.guidance_ended_on <= fiscal_limit)
        .order_by(Resident.id)).all()
    return ([Step(rid, "anonymise", ended) for rid, ended in to_empty]
            + [Step(rid, "delete_payments", ended) for rid, ended in payments])


def _anonymise(resident: Resident) -> tuple[str, list[str]]:
    rid = resident.id
    conversation_ids = select(Conversation.id).where(Conversation.resident_id == rid)
    message_ids = select(Message.id).where(Message.conversation_id.in_(conversation_ids))
    files = [name for row in db.session.execute(select(Attachment.stored_name, Attachment.preview_name)
                                                .where(Attachment.message_id.in_(message_ids)))
             for name in row if name]
    counts = {}
    for label, model, column in (
        ("goals", Goal, Goal.resident_id), ("plan", Plan, Plan.resident_id),
        ("baselines", Baseline, Baseline.resident_id), ("blocks", Block, Block.resident_id),
        ("appointments", Appointment, Appointment.resident_id), ("feed", CalendarFeed, CalendarFeed.resident_id),
        ("messages", Message, Message.conversation_id), ("conversation", Conversation, Conversation.resident_id),
        ("message_settings", ResidentMessageSettings, ResidentMessageSettings.resident_id),
        ("self_checks", CheckResult, CheckResult.resident_id), ("modules", ModuleProgress, ModuleProgress.resident_id),
        ("lessons", LessonProgress, LessonProgress.resident_id), ("answers", QuizAnswer, QuizAnswer.resident_id),
    ):
        where = column.in_(conversation_ids) if model is Message else column == rid
        counts[label] = db.session.execute(delete(model).where(where)).rowcount
    db.session.execute(delete(Attachment).where(Attachment.message_id.in_(message_ids)))
    arrangement_ids = select(Arrangement.id).where(Arrangement.resident_id == rid)
    db.session.execute(delete(HandoverCheck).where(HandoverCheck.arrangement_id.in_(arrangement_ids)))
    db.session.execute(update(Arrangement).where(Arrangement.resident_id == rid).values(extension_reason=None))
    counts["payments_kept"] = db.session.execute(
        update(Payment).where(Payment.arrangement_id.in_(arrangement_ids)).values(return_reason=None)).rowcount
    db.session.execute(delete(ActivationCode).where(ActivationCode.user_id == resident.user_id))
    db.session.execute(update(User).where(User.id == resident.user_id).values(
        username=f"verwijderd-{resident.user_id}", name="verwijderd", email=None, password_hash=None, active=False,
        session_version=User.session_version + 1, last_login_at=None, show_dutch=False))
    db.session.execute(update(Resident).where(Resident.id == rid).values(
        client_number=f"VW{rid}"[:16], date_of_birth=None, linked_on=None, benefit_started_on=None,
        anonymised_at=utcnow()))
    return ", ".join(f"{k} {v}" for k, v in counts.items() if v), files


def retention_run(*, today: date, months: int, dry_run: bool = False) -> tuple[list[Step], list[str]]:
    """Carry out what is due (nothing when dry_run); returns the steps and the stored files to remove after commit."""
    steps = retention_due(today=today, months=months)
    files: list[str] = []
    if dry_run:
        return steps, files
    for step in steps:
        resident = db.session.get(Resident, step.resident_id)
        if step.what == "anonymise":
            detail, removed = _anonymise(resident)
            files.extend(removed)
            audit_record(action="retention.anonymise", resident_id=step.resident_id,
                         detail=f"guidance ended {step.guidance_ended_on}; deleted: {detail}")
        else:
            db.session.execute(delete(Arrangement).where(Arrangement.resident_id == step.resident_id))
            audit_record(action="retention.delete_payments", resident_id=step.resident_id,
                         detail=f"guidance ended {step.guidance_ended_on}; fiscal retention over")
    db.session.expire_all()
    return steps, files


def retention_files_remove(names: list[str]) -> None:
    """Remove the attachments of emptied files from disk (after the commit, so a failed run keeps them)."""
    for name in names:
        remove_stored(name)


retention_cli = AppGroup("retention", help="Retention: remove former residents' data after their guidance ended.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only list what would be done; change nothing.")
def retention_run_command(dry_run: bool) -> None:
    """Empty the files of residents whose guidance ended RETENTION_MONTHS ago; delete payments after 7 years."""
    months = retention_months()
    steps, files = retention_run(today=date.today(), months=months, dry_run=dry_run)
    for step in steps:
        click.echo(f"{'would ' if dry_run else ''}{step.what}: resident {step.resident_id} "
                   f"(guidance ended {step.guidance_ended_on})")
    if not dry_run:
        db.session.commit()
        retention_files_remove(files)
    click.echo(f"{len(steps)} step(s){' to do' if dry_run else ' done'}; retention {months} months after guidance")


@retention_cli.command("end-guidance")
@click.argument("username")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Last day of guidance (default: today).")
@click.option("--reopen", is_flag=True, help="Guidance runs again: clear the end date.")
def retention_end_guidance_command(username: str, on, reopen: bool) -> None:
    """Record that a resident's guidance ended (retention counts from that day)."""
    from portal.caseload.services import resident_guidance_end

    resident = db.session.scalar(select(Resident).join(User, User.id == Resident.user_id)
                                 .where(User.username == username))
    if resident is None:
        raise click.ClickException(f"No resident {username!r}.")
    day = None if reopen else (on.date() if on else date.today())
    resident_guidance_end(resident=resident, on=day)
    db.session.commit()
    click.echo(f"{username}: guidance {'reopened' if day is None else f'ended on {day}'}")
