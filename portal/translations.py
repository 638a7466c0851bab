"""Catalogue maintenance: Dutch is the source language, so its catalogue copies the source text.

`python -m portal.translations fill-source` (part of `make i18n`) sets every Dutch msgstr to
its msgid, and `python -m portal.translations status` prints per language how many
messages are translated, untranslated or fuzzy.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
SOURCE_LANGUAGE = "nl"


def catalogue_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def fill_source() -> None:
    path = catalogue_path(SOURCE_LANGUAGE)
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=SOURCE_LANGUAGE)
    for message in catalog:
        if not message.id:
            continue
        message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, sort_by_file=True, width=100)


def status() -> None:
    for language_dir in sorted(p for p in TRANSLATIONS.iterdir() if p.is_dir()):
        with catalogue_path(language_dir.name).open("rb") as fh:
            catalog = read_po(fh)
        messages = [m for m in catalog if m.id]
        untranslated = sum(1 for m in messages if not (m.string if isinstance(m.string, str) else all(m.string)))
        fuzzy = sum(1 for m in messages if m.fuzzy)
        print(f"{language_dir.name}: {len(messages)} messages, {untranslated} untranslated, {fuzzy} fuzzy")


if __name__ == "__main__":
    {"fill-source": fill_source, "status": status}[sys.argv[1] if len(sys.argv) > 1 else "status"]()
