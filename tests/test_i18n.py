"""Six languages: every page renders in each, Arabic and Persian right-to-left, catalogues complete."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import update

from portal.accounts.models import User
from portal.db import db
from portal.i18n import LANGUAGES
from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
RTL = {"ar", "fa"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")

# Interface text as translations/<language>/LC_MESSAGES/messages.po has it, written out so that a page
# that falls back to Dutch, or a catalogue that loses the string, shows up here.
SIGN_IN_HEADING = {
    "nl": "Inloggen bij Wegwijs",
    "en": "Log in to Wegwijs",
    "ar": "تسجيل الدخول إلى Wegwijs",
    "ti": "ናብ Wegwijs እተዉ",
    "fa": "ورود به Wegwijs",
    "tr": "Wegwijs'e giriş yap",
}
CONTACT_PERSON_HEADING = {
    "nl": "Mijn contactpersoon",
    "en": "My contact person",
    "ar": "مسؤول التواصل معي",
    "ti": "ሰብ ርክበይ",
    "fa": "فرد رابط من",
    "tr": "İrtibat kişim",
}


def _catalog(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=language)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_sign_in_renders_in_every_language(client, language) -> None:
    client.post("/language", data={"language": language})
    html = client.get("/login").get_data(as_text=True)
    direction = "rtl" if language in RTL else "ltr"
    assert f'<html lang="{language}" dir="{direction}"' in html
    assert f'<h1 class="utrecht-heading-1">{SIGN_IN_HEADING[language]}</h1>' in html
    if language != "nl":
        assert "Inloggen bij Wegwijs" not in html, "the sign-in page is not translated"


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_home_renders_in_the_account_language(app, client, world, language) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.username == "amina").values(language=language))
        db.session.commit()
    login(client, "amina")
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    direction = "rtl" if language in RTL else "ltr"
    assert f'<html lang="{language}" dir="{direction}"' in html
    assert CONTACT_PERSON_HEADING[language] in html
    if language != "nl":
        assert "Mijn contactpersoon" not in html, "the home page is not translated"


def test_staff_screens_are_dutch_or_english(client, world) -> None:
    login(client, "sanne")
    html = client.get("/staff/").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr"' in html
    assert "Mijn caseload" in html
    client.post("/account/language", data={"language": "en"})
    html = client.get("/staff/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr"' in html
    assert "My caseload" in html
    assert "Mijn caseload" not in html, "the staff page is not translated"
    assert client.post("/account/language", data={"language": "ar"}).status_code == 422
    html = client.get("/staff/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr"' in html


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_catalogue_is_complete_and_placeholders_match(language) -> None:
    catalog = _catalog(language)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        expected = set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            # Plural forms may leave out %(num)s where the language says "one" as a word.
            if found != expected and not (len(ids) > 1 and found <= expected):
                problems.append(f"placeholders differ in {ids[0]!r}: {sorted(found)} vs {sorted(expected)}")
    assert problems == []


def test_catalogues_hold_every_string_of_the_code(tmp_path) -> None:
    """The gettext lint: extraction now gives exactly the strings in messages.pot (run `make i18n`)."""
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(TRANSLATIONS / "babel.cfg"),
                    "-k", "_l", "-k", "bi", "-o", str(fresh), "--omit-header", str(ROOT)], check=True,
                   capture_output=True, cwd=ROOT)
    with fresh.open("rb") as fh:
        now = {m.id for m in read_po(fh) if m.id}
    with (TRANSLATIONS / "messages.pot").open("rb") as fh:
        stored = {m.id for m in read_po(fh) if m.id}
    assert sorted(map(str, now - stored)) == [], "strings missing from messages.pot: run make i18n"
    assert sorted(map(str, stored - now)) == [], "messages.pot holds strings no longer used: run make i18n"
    for language in LANGUAGES:
        ids = {m.id for m in _catalog(language) if m.id}
        assert now <= ids, f"{language} lacks strings: run make i18n"


def test_translation_status_is_documented() -> None:
    status = (TRANSLATIONS / "STATUS.md").read_text()
    for language in LANGUAGES:
        assert f"`{language}`" in status


# Babel 2.19's CLDR data for these locales: Latin digits, with a direction mark where the locale has one.
LOCALE_FORMATS = {
    "ar": ("\u200f1,234.56\xa0€", "\u200f1.00\xa0€", "29 مارس 2026"),
    "fa": ("\u200e€\xa01,234.56", "\u200e€\xa01.00", "29 مارس 2026"),
    "ti": ("€1,234.56", "€1.00", "መጋቢት 29, 2026"),
}


@pytest.mark.parametrize("language", ["ar", "fa", "ti"])
def test_money_dates_and_numbers_follow_the_locale(app, language) -> None:
    from datetime import date

    from flask_babel import force_locale

    from portal.i18n import _format_date, money

    with app.test_request_context(), force_locale(language):
        assert (money(123456), money(100), _format_date(date(2026, 3, 29), "long")) == LOCALE_FORMATS[language]
    with app.test_request_context():  # the Dutch default, which none of the above may fall back to
        assert (money(123456), _format_date(date(2026, 3, 29), "long")) == ("€\xa01.234,56", "29 maart 2026")
