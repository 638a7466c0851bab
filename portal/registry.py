"""Registries for features that cross areas. Each area fills them when its blueprint is registered;
the code that uses them (the staff file, the data export) imports no area.

- file panels: partials the staff view of a resident's file shows, in order
- export sections: `section(resident) -> JSON-able` parts of "download all my data"
- the unread counter: how many unread messages the signed-in resident has (the menu badge)
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


UNREAD = "wegwijs.unread_counter"


def set_unread_counter(app: Flask, counter: Callable[[Any], int]) -> None:
    """The messages area counts a resident's unread messages for the menu badge."""
    app.extensions[UNREAD] = counter


def unread_counter() -> Callable[[Any], int] | None:
    return current_app.extensions.get(UNREAD)
