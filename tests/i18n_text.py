"""What a user reading another language sees of a Dutch source string: for assertions."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import Translations

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


@cache
def _catalogue(language: str) -> Translations:
    return Translations.load(str(TRANSLATIONS), [language])


def t(language: str, message: str, **values) -> str:
    """The translation of `message` in `language`, with its placeholders filled in."""
    text = _catalogue(language).gettext(message)
    return text % values if values else text


def tn(language: str, singular: str, plural: str, n: int, **values) -> str:
    """The plural form for n in `language`, as Flask-Babel's ngettext fills it in (num=n)."""
    values.setdefault("num", n)
    return _catalogue(language).ngettext(singular, plural, n) % values
