"""`flask reminders send`: e-mail reminders the day before and two hours before, each exactly once.

Meant for cron every few minutes. Each reminder is claimed (and committed) before it is sent and
marked after, so a second run never sends it again and a failed send is tried again next run.
The e-mail only says when: what and where stay inside Wegwijs, as the account page promises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale, format_date, format_time
from sqlalchemy.exc import IntegrityError

from portal.appointments.models import Appointment
from portal.appointments.queries import reminders_due
from portal.appointments.services import reminder_claim, reminder_mark_failed, reminder_mark_sent
from portal.db import db, utcnow
from portal.i18n import _
from portal.mail import mail_configured, public_link, send_mail


@dataclass
class ReminderRun:
    sent: int = 0
    failed: int = 0
    skipped: int = 0


def _page_url() -> str | None:
    return public_link("appointments.index")


def reminder_message(appointment: Appointment, kind: str) -> tuple[str, str]:
    """Subject and body in the resident's language."""
    with force_locale(appointment.resident.language):
        day = format_date(appointment.starts_at, "full")
        clock = format_time(appointment.starts_at, "short")
        if kind == "day_before":
            subject = _("Herinnering: afspraak op %(day)s", day=day)
        else:
            subject = _("Herinnering: afspraak om %(time)s", time=clock)
        lines = [
            _("Hallo,"),
            "",
            _("Je hebt een afspraak op %(day)s om %(time)s.", day=day, time=clock),
            _("Kijk in Wegwijs wat voor afspraak het is, waar het is en wat je meeneemt."),
        ]
        url = _page_url()
        if url:
            lines.append(url)
        lines += ["", _("Kun je niet komen? Vraag in Wegwijs om een andere tijd."), "", _("Groet,"), "Wegwijs"]
    return subject, "\n".join(lines)


def reminders_run(*, now: datetime | None = None, send: Callable[..., str] = send_mail) -> ReminderRun:
    """Send every due reminder once; commits after each claim and each result."""
    now = now or utcnow()
    result = ReminderRun()
    for appointment, kind in reminders_due(now=now):
        try:
            delivery = reminder_claim(appointment=appointment, kind=kind, now=now)
            db.session.commit()
        except IntegrityError:  # another run claimed it between our read and our insert
            db.session.rollback()
            delivery = None
        if delivery is None:
            result.skipped += 1
            continue
        try:
            subject, body = reminder_message(appointment, kind)
            send(to=appointment.resident.user.email, subject=subject, body=body)
        except Exception as error:  # any failure: keep it for the next run, go on with the others
            current_app.logger.warning("reminder not sent", extra={"delivery": delivery.id, "error": repr(error)})
            reminder_mark_failed(delivery=delivery, error=f"{type(error).__name__}: {error}")
            db.session.commit()
            result.failed += 1
        else:
            reminder_mark_sent(delivery=delivery, now=now)
            db.session.commit()
            result.sent += 1
    return result


reminders_cli = AppGroup("reminders", help="Appointment reminders by e-mail.")


@reminders_cli.command("send")
def send_command() -> None:
    """Send the reminders that are due; run from cron every few minutes."""
    if not mail_configured():
        raise click.ClickException("SMTP_HOST is not set: no reminders sent.")
    result = reminders_run()
    click.echo(f"Reminders: {result.sent} sent, {result.failed} failed (tried again next run), "
               f"{result.skipped} skipped.")
    if result.failed:
        click.get_current_context().exit(1)
