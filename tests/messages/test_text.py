"""Message text on the page: escaped, and only web addresses become links."""

from __future__ import annotations

import pytest

from portal.messages.text import message_html

LINK = '<a href="{href}" rel="nofollow noopener noreferrer" class="utrecht-link">{text}</a>'


def test_plain_text_and_nothing_stay_as_they_are() -> None:
    assert message_html(None) == message_html("") == ""
    assert message_html("Goedemorgen, tot morgen.") == "Goedemorgen, tot morgen."


def test_an_address_becomes_a_link_with_its_query_escaped() -> None:
    html = message_html("Kijk op https://www.toeslagen.nl/zorgtoeslag?a=1&b=2.")
    href = "https://www.toeslagen.nl/zorgtoeslag?a=1&amp;b=2"
    assert html == "Kijk op " + LINK.format(href=href, text=href) + "."


def test_a_bare_host_name_links_over_http() -> None:
    assert message_html("ga naar www.duo.nl") == "ga naar " + LINK.format(href="http://www.duo.nl", text="www.duo.nl")


@pytest.mark.parametrize("text", [
    "javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)", "mailto:sanne@gemeente.example", "sanne@gemeente.example", "ftp://files.example.com/a",
    "//evil.example.com/x", "file:///etc/passwd", "versie 1.2.3",
])
def test_other_schemes_and_e_mail_addresses_stay_text(text) -> None:
    assert "<a" not in message_html(text)


@pytest.mark.parametrize(("text", "expected"), [
    ('"https://a.nl/x"', "&#34;{link}&#34;"),
    ("<https://a.nl/x>", "&lt;{link}&gt;"),
    ("(https://a.nl/x)", "({link})"),
])
def test_quotes_and_brackets_around_an_address_stay_outside_the_link(text, expected) -> None:
    assert message_html(text) == expected.format(link=LINK.format(href="https://a.nl/x", text="https://a.nl/x"))


def test_markup_in_or_after_an_address_is_escaped() -> None:
    html = message_html('https://a.nl/" onmouseover="alert(1) <script>alert(2)</script>')
    assert "<script" not in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert 'onmouseover="' not in html and html.count("<a ") == 1
    assert html.startswith(LINK.format(href="https://a.nl/", text="https://a.nl/"))
