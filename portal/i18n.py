"""Locale selection, text direction, formatters; _, _l and ngettext re-exported."""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale
from flask import g, has_request_context, request, session
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

__all__ = ["LANGUAGES", "STAFF_LANGUAGES", "_", "_l", "ngettext"]

# Native names; shown as they are, never translated.
LANGUAGES: dict[str, str] = {
    "nl": "Nederlands",
    "en": "English",
    "ar": "العربية",
    "ti": "ትግርኛ",
    "fa": "فارسی",
    "tr": "Türkçe",
}
STAFF_LANGUAGES: tuple[str, ...] = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def N_(message: str) -> str:
    """Marks a label for extraction; templates translate it where it is shown (also under force_locale),
    so bi() can put the Dutch beside it."""
    return message


def languages_for(user: object) -> dict[str, str]:
    """Code → native name of the languages `user` may choose: Dutch or English for staff, all six for anyone else."""
    return {code: LANGUAGES[code] for code in (STAFF_LANGUAGES if getattr(user, "is_staff", False) else LANGUAGES)}


def allowed_languages() -> tuple[str, ...]:
    """Staff screens are Dutch or English; everyone else may pick any of the six."""
    return tuple(languages_for(current_user if has_request_context() else None))


def select_locale() -> str:
    """Account, then session, then Accept-Language, then Dutch."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    override = g.get("locale_override")
    allowed = allowed_languages()
    if override in allowed:
        return override
    if current_user.is_authenticated and current_user.language in allowed:
        return current_user.language
    chosen = session.get("lang")
    if chosen in allowed:
        return chosen
    return request.accept_languages.best_match(allowed) or DEFAULT_LANGUAGE


def text_direction() -> str:
    return Locale.parse(str(get_locale())).text_direction


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


def show_dutch() -> bool:
    """True when the signed-in resident asked to see Dutch beneath their own language."""
    return bool(
        has_request_context()
        and current_user.is_authenticated
        and getattr(current_user, "show_dutch", False)
        and str(get_locale()) != "nl"
    )


def bilingual(message: str) -> Markup:
    """With "also show Dutch" on: the Dutch text, with the resident's own language beneath it
    (PRODUCT.md: to help learning Dutch). Otherwise just the translation."""
    translated = _(message)
    if show_dutch() and translated != message:
        return Markup(
            '<span class="bilingual__nl" lang="nl" dir="ltr">{}</span><span class="bilingual__own">{}</span>'
        ).format(message, translated)
    return escape(translated)


def money(cents: int | None) -> str:
    """Euro amount in the reader's locale."""
    if cents is None:
        return ""
    return format_currency(cents / 100, "EUR")


def install_template_helpers(app) -> None:
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(
        bi=bilingual,
        text_direction=text_direction,
        current_locale=lambda: str(get_locale()),
        language_name=language_name,
        LANGUAGES=LANGUAGES,
        show_dutch=show_dutch,
    )
    app.jinja_env.filters.update(
        money=money,
        date=_format_date,
        datetime=_format_datetime,
        number=format_decimal,
    )


def _format_date(value: date | datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return format_date(value, fmt)


def _format_datetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return format_datetime(value, fmt)
