"""Notification e-mails, sent by a cron job: `flask --app wsgi messages notify` every few minutes.

Why a command and not inline after a reply: sending never blocks or breaks a request, a mail
server that is down only delays mail (the next run tries again, since nothing is marked as
sent), and batching comes for free.

- A resident with an e-mail address gets "you have a new message" in their own language,
  never with the content, at most once per MESSAGES_RESIDENT_MAIL_MINUTES (60), and only for
  unread replies newer than the previous e-mail.
- A contact person gets one digest of new unread messages over their caseload, at most once
  per MESSAGES_STAFF_MAIL_MINUTES (60); again only counts, no names, no content.
Both can be switched off on /account. Each e-mail is committed on its own, so a crash halfway
sends nobody a second copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, format_date, format_time

from portal.accounts.models import User
from portal.db import db
from portal.i18n import _, ngettext
from portal.mail import MailError, mail_configured, public_link, send_mail
from portal.messages import queries, services


@dataclass
class NotifyResult:
    residents: int = 0
    staff: int = 0
    failed: int = 0


def _minutes(key: str) -> timedelta:
    return timedelta(minutes=int(current_app.config.get(key, 60)))


def _link(endpoint: str) -> str | None:
    return public_link(endpoint)


def resident_mail(user: User, *, count: int, last: datetime) -> tuple[str, str]:
    """Subject and body for a resident, in their language; never the content of a message."""
    link = _link("messages.index")
    with current_app.test_request_context("/"), force_locale(user.language):
        lines = [
            _("Hallo %(name)s,", name=user.name),
            "",
            ngettext("Je hebt %(num)s nieuw bericht in Wegwijs.", "Je hebt %(num)s nieuwe berichten in Wegwijs.",
                     count),
            _("Het laatste kwam op %(day)s om %(time)s.", day=format_date(last, "long"),
              time=format_time(last, "short")),
            _("Log in om het te lezen: %(link)s", link=link) if link else _("Log in op Wegwijs om het te lezen."),
            "",
            _("In deze e-mail staat niet wat er in het bericht staat. Zo blijft het veilig."),
            _("Wil je deze e-mails niet meer? Zet ze uit bij Mijn account."),
        ]
        return _("Je hebt een nieuw bericht in Wegwijs"), "\n".join(lines) + "\n"


def staff_mail(user: User, *, count: int, residents: int) -> tuple[str, str]:
    """Subject and body of a contact person's digest: counts only, no names, no content."""
    link = _link("messages.staff_inbox")
    with current_app.test_request_context("/"), force_locale(user.language):
        lines = [
            _("Hallo %(name)s,", name=user.name),
            "",
            ngettext("Er is %(num)s nieuw bericht van bewoners uit je caseload.",
                     "Er zijn %(num)s nieuwe berichten van bewoners uit je caseload.", count),
            ngettext("Het komt van %(num)s bewoner.", "Ze komen van %(num)s bewoners.", residents),
            _("Naar je berichten: %(link)s", link=link) if link else _("Open Berichten in Wegwijs om ze te lezen."),
            "",
            _("Je krijgt hoogstens één e-mail per uur. Zet deze e-mails uit bij Mijn account."),
        ]
        subject = ngettext("Wegwijs: %(num)s nieuw bericht", "Wegwijs: %(num)s nieuwe berichten", count)
        return subject, "\n".join(lines) + "\n"


def notify_run(*, now: datetime, dry_run: bool = False) -> NotifyResult:
    """Send what is due now; commit after every e-mail."""
    result = NotifyResult()
    if not mail_configured() and not dry_run:
        current_app.logger.warning("messages notify: SMTP_HOST is not set, no e-mail sent")
        return result
    residents = queries.residents_due_for_mail(now=now, interval=_minutes("MESSAGES_RESIDENT_MAIL_MINUTES"))
    for resident, count, last in residents:
        user = resident.user
        subject, body = resident_mail(user, count=count, last=last)
        if dry_run:
            result.residents += 1
            continue
        try:
            send_mail(to=user.email, subject=subject, body=body)
        except MailError as error:
            result.failed += 1
            current_app.logger.warning("messages notify: mail to resident failed",
                                       extra={"resident_id": resident.id, "error": str(error)})
            continue
        services.resident_notified(resident_id=resident.id, now=now)
        db.session.commit()
        result.residents += 1
    digests = queries.staff_due_for_digest(now=now, interval=_minutes("MESSAGES_STAFF_MAIL_MINUTES"))
    for staff, count, senders in digests:
        subject, body = staff_mail(staff, count=count, residents=senders)
        if dry_run:
            result.staff += 1
            continue
        try:
            send_mail(to=staff.email, subject=subject, body=body)
        except MailError as error:
            result.failed += 1
            current_app.logger.warning("messages notify: digest failed",
                                       extra={"user_id": staff.id, "error": str(error)})
            continue
        services.staff_notified(user_id=staff.id, now=now)
        db.session.commit()
        result.staff += 1
    return result
