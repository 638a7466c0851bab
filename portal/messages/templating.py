"""Template filters and globals of the messages area."""

from __future__ import annotations

from datetime import date

from babel.dates import get_day_names
from babel.lists import format_list
from flask import Flask
from flask_babel import format_date, get_locale, to_user_timezone
from flask_login import current_user

from portal.db import utcnow
from portal.i18n import _
from portal.messages import queries
from portal.messages.forms import ResidentSettingsForm, StaffProfileForm
from portal.messages.text import message_html
from portal.roles import Role


def message_day(day: date) -> str:
    today = to_user_timezone(utcnow()).date()
    if day == today:
        return _("Vandaag")
    if (today - day).days == 1:
        return _("Gisteren")
    return format_date(day, "full")


def working_days_text(days: list[int]) -> str:
    """Weekday names in the reader's language, Monday = 1."""
    locale = get_locale()
    names = get_day_names("wide", locale=locale)
    return format_list([names[day - 1] for day in days], locale=locale)


def profile_form() -> StaffProfileForm:
    """The contact person's availability form, filled in with what is stored."""
    profile = queries.staff_profile_get(current_user.id)
    availability = queries.availability_from(profile)
    return StaffProfileForm(
        formdata=None,
        working_days=[str(d) for d in availability.working_days],
        reply_days=str(availability.reply_days),
        notify_email=profile.notify_email if profile else True,
    )


def messages_account() -> dict | None:
    """The messages part of /account: the resident's choices, or the contact person's availability."""
    if current_user.is_resident and current_user.resident is not None:
        resident = current_user.resident
        settings = queries.resident_settings_get(resident.id)
        form = ResidentSettingsForm(formdata=None, counsellor_may_read=bool(settings and settings.counsellor_may_read),
                                    notify_email=settings.notify_email if settings else True)
        return {"kind": "resident", "form": form, "resident": resident}
    if current_user.role == Role.CASEWORKER:
        return {"kind": "staff", "form": profile_form()}
    return None


def install(app: Flask) -> None:
    app.jinja_env.filters["message_html"] = message_html
    app.jinja_env.globals.update(message_day=message_day, working_days_text=working_days_text,
                                 messages_account=messages_account)
