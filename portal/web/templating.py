"""Template globals that are not about language: QR codes, roles, area hooks."""

from __future__ import annotations

from datetime import datetime, timedelta

import segno
from babel import Locale
from flask import Flask, current_app, g
from flask_babel import format_time, get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from portal.i18n import _l
from portal.registry import resident_panels, unread_counter

ROLE_LABELS = {
    "resident": _l("bewoner"),
    "caseworker": _l("contactpersoon"),
    "counsellor": _l("maatschappelijk begeleider"),
    "lead": _l("teamleider"),
    "admin": _l("beheerder"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def qr_svg(data: str, title: str) -> Markup:
    """An inline SVG QR code (no inline styles, so the CSP holds)."""
    label = str(escape(title))
    svg = segno.make(data, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff", title=label)
    # segno writes the markup itself; the only outside text, the title, is escaped above.
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S704


def config_endpoints() -> set[str]:
    return set(current_app.view_functions)


def unread_messages() -> int:
    """Unread messages for the signed-in resident, once per request (the messages area counts)."""
    if "unread_messages" not in g:
        counter = unread_counter()
        g.unread_messages = (
            counter(current_user) if counter and current_user.is_authenticated and current_user.is_resident else 0
        )
    return g.unread_messages


def clock(value: datetime | None) -> str:
    """A time of day in the reader's language and time zone (Amsterdam)."""
    return format_time(value, "short") if value is not None else ""


def language_label(code: str) -> str:
    """A language's name in the reader's language, for staff who may not read the native name."""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (ValueError, TypeError):
        return code


def install(app: Flask) -> None:
    app.jinja_env.filters.update(clock=clock, message_time=clock)
    app.jinja_env.globals.update(
        role_label=role_label,
        qr_svg=qr_svg,
        config_endpoints=config_endpoints,
        unread_messages=unread_messages,
        resident_panels=resident_panels,
        timedelta=timedelta,
        language_label=language_label,
    )
