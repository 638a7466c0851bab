"""Sending e-mail over SMTP, configured from the environment. Callers decide what and when."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app, url_for


class MailError(Exception):
    """Sending failed; the caller keeps the message to try again later."""


def mail_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def send_mail(*, to: str, subject: str, body: str, reply_to: str | None = None) -> str:
    """Send one plain-text message; returns its Message-ID. Raises MailError on any failure."""
    cfg = current_app.config
    if not cfg.get("SMTP_HOST"):
        raise MailError("SMTP_HOST is not set")
    message = EmailMessage()
    message["From"] = formataddr(("Wegwijs", cfg["MAIL_FROM"]))
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=cfg["MAIL_FROM"].rpartition("@")[2] or "wegwijs.local")
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(body)
    try:
        if cfg["SMTP_SSL"]:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=cfg["SMTP_TIMEOUT"],
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=cfg["SMTP_TIMEOUT"])
        with smtp:
            if cfg["SMTP_STARTTLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("SMTP_USER"):
                smtp.login(cfg["SMTP_USER"], cfg.get("SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"{type(error).__name__}: {error}") from error
    return message["Message-ID"]


def public_link(endpoint: str, **values) -> str | None:
    """An absolute link for an e-mail, from PUBLIC_URL; None when it is not configured."""
    base = current_app.config.get("PUBLIC_URL", "")
    if not base:
        return None
    with current_app.test_request_context("/", base_url=base):
        return url_for(endpoint, _external=True, **values)
