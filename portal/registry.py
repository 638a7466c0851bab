"""Registries for features that cross areas. Each area fills them when its blueprint is registered;
the code that uses them (the staff file, the data export) imports no area.

- file panels: partials the staff view of a resident's file shows, in order
- export sections: `section(resident) -> JSON-able` parts of "download all my data"
- export files: `files(resident) -> [(name in the ZIP, path on disk)]`, the files that go with it (attachments)
- the unread counter: how many unread messages the signed-in resident has (the menu badge)
- account context: what areas add to the resident's /account page (who looked at my file)
- the refusal recorder: how web/access.py logs a refused request without importing the audit area
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

PANELS = "wegwijs.resident_panels"
EXPORTS = "wegwijs.export_sections"

ExportSection = Callable[[Any], Any]


def add_resident_panel(app: Flask, template: str) -> None:
    app.extensions.setdefault(PANELS, []).append(template)


def resident_panels() -> list[str]:
    """Partials that areas add to the staff view of a resident's file, in order."""
    return list(current_app.extensions.get(PANELS, []))


def add_export_section(app: Flask, name: str, section: ExportSection) -> None:
    app.extensions.setdefault(EXPORTS, {})[name] = section


def export_sections() -> dict[str, ExportSection]:
    """Name → function giving that area's part of a resident's data export, in registration order."""
    return dict(current_app.extensions.get(EXPORTS, {}))


def export_for(resident: Any) -> dict[str, Any]:
    """Everything Wegwijs holds about this resident, section by section, for "download all my data"."""
    return {name: section(resident) for name, section in export_sections().items()}


EXPORT_FILES = "wegwijs.export_files"


def add_export_files(app: Flask, files: Callable[[Any], list[tuple[str, Any]]]) -> None:
    app.extensions.setdefault(EXPORT_FILES, []).append(files)


def export_files_for(resident: Any) -> list[tuple[str, Any]]:
    """(name inside the ZIP, path on disk) of every file that belongs to this resident's data export."""
    return [item for files in current_app.extensions.get(EXPORT_FILES, []) for item in files(resident)]


UNREAD = "wegwijs.unread_counter"


def set_unread_counter(app: Flask, counter: Callable[[Any], int]) -> None:
    """The messages area counts a resident's unread messages for the menu badge."""
    app.extensions[UNREAD] = counter


def unread_counter() -> Callable[[Any], int] | None:
    return current_app.extensions.get(UNREAD)


ACCOUNT = "wegwijs.account_context"
REFUSAL = "wegwijs.refusal_recorder"


def add_account_context(app: Flask, context: Callable[[Any], dict[str, Any]]) -> None:
    """`context(user) -> dict` is merged into the /account page's template context."""
    app.extensions.setdefault(ACCOUNT, []).append(context)


def account_context(user: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for context in current_app.extensions.get(ACCOUNT, []):
        merged.update(context(user))
    return merged


def set_refusal_recorder(app: Flask, record: Callable[..., Any]) -> None:
    app.extensions[REFUSAL] = record


def record_refusal(*, action: str) -> None:
    """Log a refused request through whatever the app set (the audit log); nothing when none is set."""
    record = current_app.extensions.get(REFUSAL)
    if record is not None:
        record(action=action)


ACCOUNT_EVENTS = "wegwijs.account_event_recorder"
CREDENTIALS_RESET = "wegwijs.credentials_reset"


def set_account_event_recorder(app: Flask, record: Callable[..., Any]) -> None:
    """`record(action=, ok=, detail=)` writes an account event (a sign-in attempt) to the audit log."""
    app.extensions[ACCOUNT_EVENTS] = record


def record_account_event(*, action: str, ok: bool, detail: str = "") -> None:
    """Log an account event through whatever the app set (the audit log); nothing when none is set."""
    record = current_app.extensions.get(ACCOUNT_EVENTS)
    if record is not None:
        record(action=action, ok=ok, detail=detail)


def add_credentials_reset(app: Flask, reset: Callable[[Any], Any]) -> None:
    """`reset(user)` runs when a new activation code ends a user's password (the calendar feed renews)."""
    app.extensions.setdefault(CREDENTIALS_RESET, []).append(reset)


def credentials_reset(user: Any) -> None:
    """Let every area end what the old credentials gave access to."""
    for reset in current_app.extensions.get(CREDENTIALS_RESET, []):
        reset(user)
