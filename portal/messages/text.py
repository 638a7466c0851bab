"""Ready-made phrases, and message text made safe for the page."""

from __future__ import annotations

from flask_babel import force_locale
from linkify_it import LinkifyIt
from markupsafe import Markup

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


# Only web addresses become links: no mailto:, ftp: or protocol-relative "//" links, no bare e-mail
# addresses. Bare host names ("www.duo.nl") get http://, as before. Matching keeps no state between calls.
_LINKS = LinkifyIt(options={"fuzzy_email": False, "fuzzy_ip": False}).add("ftp:", None).add("//", None)
_LINKS.add("mailto:", None)
_WEB = ("http://", "https://")


def message_html(text: str | None) -> Markup:
    """Plain text made safe: every piece escaped, only http(s) addresses turned into links. Line breaks stay (CSS).

    Addresses are found in the raw text, not in the escaped text, so an entity such as ``&gt;`` never
    ends up inside a link; the text between links, the address and the link text all go out escaped.
    """
    if not text:
        return Markup("")
    html = Markup("")
    at = 0
    for match in _LINKS.match(text) or []:
        if not match.url.lower().startswith(_WEB):
            continue  # stays text
        html += text[at:match.index]  # Markup escapes what is added to it
        html += Markup('<a href="{}" rel="nofollow noopener noreferrer" class="utrecht-link">{}</a>').format(
            match.url, match.text)
        at = match.last_index
    return html + text[at:]
