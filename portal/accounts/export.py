""""Download all my data" (AVG, right of access): one ZIP with a readable overview in the resident's own
language, the same data as JSON for machines, and the files that belong to it (message attachments).

What goes in comes from the registry (portal/registry.py): every area adds its section and its files, so
this module imports no area. The overview is a document to keep, opened from disk without the app: it
carries its own styles and loads nothing from anywhere.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from flask import render_template
from flask_babel import format_date, format_datetime, get_locale

from portal.i18n import text_direction
from portal.registry import export_files_for, export_for

FOLDER = "wegwijs-mijn-gegevens"
OVERVIEW = f"{FOLDER}/overzicht.html"
DATA = f"{FOLDER}/gegevens.json"


def account_export(resident) -> dict:
    """The account part of a resident's data export."""
    user = resident.user
    return {
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "language": user.language,
        "show_dutch": user.show_dutch,
        "created_at": user.created_at.isoformat(),
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
    }


def _when(value: str | None, fmt: str = "medium") -> str:
    """An ISO date or date-time from the export data, written the reader's way."""
    if not value:
        return ""
    if len(value) == 10:
        return format_date(date.fromisoformat(value), fmt)
    return format_datetime(datetime.fromisoformat(value), fmt)


def export_overview(resident, data: dict[str, Any], *, made_at: datetime) -> str:
    """The readable overview (HTML) of the exported data, in the language of the current request."""
    return render_template("accounts/export/overview.html", data=data, resident=resident, made_at=made_at,
                           lang=str(get_locale()), direction=text_direction(), export_when=_when)


def export_archive(resident, *, made_at: datetime) -> bytes:
    """The ZIP of everything Wegwijs holds about this resident.

    Built in memory: attachments are re-encoded photos (at most 2000 pixels a side) and PDFs, so even a long
    conversation stays within tens of megabytes.
    """
    data = export_for(resident)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(OVERVIEW, export_overview(resident, data, made_at=made_at))
        zf.writestr(DATA, json.dumps(data, ensure_ascii=False, indent=2, default=str))
        for name, path in export_files_for(resident):
            zf.write(path, f"{FOLDER}/{name}")
    return archive.getvalue()
