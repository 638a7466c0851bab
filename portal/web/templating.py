"""Template globals that are not about language: QR codes, roles, area hooks."""

from __future__ import annotations

from datetime import timedelta

import segno
from flask import Flask, current_app, g
from flask_login import current_user
from markupsafe import Markup, escape

from portal.i18n import _l

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
        counter = current_app.extensions.get("wegwijs.unread_counter")
        g.unread_messages = (
            counter(current_user) if counter and current_user.is_authenticated and current_user.is_resident else 0
        )
    return g.unread_messages


def resident_panels() -> list[str]:
    """Partials that areas add to the staff view of a resident's file, in order."""
    return list(current_app.extensions.get("wegwijs.resident_panels", []))


def add_resident_panel(app: Flask, template: str) -> None:
    app.extensions.setdefault("wegwijs.resident_panels", []).append(template)


def install(app: Flask) -> None:
    app.jinja_env.globals.update(
        role_label=role_label,
        qr_svg=qr_svg,
        config_endpoints=config_endpoints,
        unread_messages=unread_messages,
        resident_panels=resident_panels,
        timedelta=timedelta,
    )
