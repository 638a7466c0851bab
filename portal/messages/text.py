"""Ready-made phrases, and message text made safe for the page."""

from __future__ import annotations

import threading

from bleach.linkifier import Linker
from flask_babel import force_locale
from markupsafe import Markup, escape

from portal.i18n import _l

# Fixed keys: a stored message keeps its key, so the phrase can change wording later.
PHRASES: dict[str, object] = {
    "letter": _l("Ik heb een brief gekregen die ik niet begrijp."),
    "appointment": _l("Ik kan niet naar mijn afspraak komen."),
    "allowance": _l("Ik heb hulp nodig met een toeslag."),
    "bill": _l("Ik heb een rekening gekregen die ik niet kan betalen."),
    "call": _l("Wil je mij bellen?"),
    "meeting": _l("Ik wil graag een afspraak met je maken."),
    "house": _l("Ik heb een probleem met mijn huis."),
    "health": _l("Ik heb hulp nodig met de dokter of mijn gezondheid."),
    "school": _l("Ik heb een vraag over mijn taalles of school."),
    "thanks": _l("Dank je wel!"),
}


def phrase_text(key: str, language: str) -> str:
    """The phrase in one language (Dutch is the source text)."""
    with force_locale(language):
        return str(PHRASES[key])


def phrase_choices() -> list[tuple[str, str, str]]:
    """Every phrase as (key, text in the reader's language, Dutch text)."""
    return [(key, str(text), phrase_text(key, "nl")) for key, text in PHRASES.items()]


def _safe_link(attrs: dict, new: bool = False) -> dict | None:
    href = attrs.get((None, "href"), "")
    if not href.lower().startswith(("http://", "https://")):
        return None  # leave it as text
    attrs[(None, "rel")] = "nofollow noopener noreferrer"
    attrs[(None, "class")] = "utrecht-link"
    return attrs


_local = threading.local()


def _linker() -> Linker:
    """One linker per thread: its HTML parser keeps state while it works."""
    if not hasattr(_local, "linker"):
        _local.linker = Linker(callbacks=[_safe_link], parse_email=False)
    return _local.linker


def message_html(text: str | None) -> Markup:
    """Plain text, escaped first, then only http(s) addresses turned into links. Line breaks stay (CSS)."""
    if not text:
        return Markup("")
    escaped = str(escape(text))
    # The linker only wraps address-like text of already escaped input in <a>; it adds no other markup.
    return Markup(_linker().linkify(escaped))  # noqa: S704
