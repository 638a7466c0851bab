"""safe_next: a redirect target from the outside is a path on this site, or nothing.

A browser reads a URL after stripping outer control characters and spaces and removing every tab and
newline (WHATWG URL standard), and it reads a backslash as a slash. So "\\t//evil.example" is a
protocol-relative URL to another site, and the check must see what the browser will see."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.web.urls import safe_next
from tests.factories import PASSWORD

HOSTILE = [
    "//evil.example",
    "//evil.example/plan",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "http:/evil.example",
    "http://evil.example/",
    "https://evil.example/plan",
    "https://localhost@evil.example/",
    "http://localhost:80@evil.example/",
    "%2F%2Fevil.example",
    "\t//evil.example",
    "\n//evil.example",
    "\r//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\x00//evil.example",
    "  //evil.example",
    " \t /\\evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,x",
    "vbscript:msgbox(1)",
    "//[evil",
    "http://[::1",
]
GOOD = {
    "/plan": "/plan",
    "/plan?x=1": "/plan?x=1",
    "/staff/residents/3": "/staff/residents/3",
    "http://localhost/staff/": "/staff/",  # htmx sends the page it was on as a full URL
    "/%2F%2Fevil.example": "/%2F%2Fevil.example",  # a path on this site: the browser does not decode it
    "  /plan\n": "/plan",
}
C0 = "".join(chr(code) for code in range(0x20))
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# safe_next reads only the request's host: a bare Flask app is enough (and fast, for hypothesis).
BARE = Flask(__name__)


def _next(target: str | None) -> str | None:
    with BARE.test_request_context("/", base_url="http://localhost"):
        return safe_next(target)


def assert_local_path(result: str) -> None:
    """Starts with exactly one "/" (not "//", not "/\\"), no backslash, no control character, no host."""
    assert result.startswith("/"), result
    assert result[1:2] not in ("/", "\\"), result
    assert "\\" not in result, result
    assert not CONTROL.search(result), repr(result)
    parts = urlsplit(result)
    assert parts.scheme == "" and parts.netloc == "", result


@pytest.mark.parametrize("target", HOSTILE, ids=repr)
def test_hostile_targets_give_none(target: str) -> None:
    assert _next(target) is None


@pytest.mark.parametrize("target, expected", list(GOOD.items()), ids=repr)
def test_local_targets_stay(target: str, expected: str) -> None:
    result = _next(target)
    assert result == expected
    assert_local_path(result)


@pytest.mark.parametrize("target", [None, ""])
def test_nothing_gives_none(target) -> None:
    assert _next(target) is None


def browser_form(target: str) -> str:
    """The URL as the WHATWG URL parser reads it: outer C0 controls and spaces gone, tabs and newlines
    gone everywhere, and (for http and https) a backslash read as a slash."""
    return target.strip(C0 + " ").replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")


def plainly_on_this_site(target: str) -> bool:
    """Conservative: True only for what a browser surely keeps on http://localhost. A one-slash path,
    or an absolute http(s) URL whose host is exactly localhost. Everything else counts as off-site."""
    url = browser_form(target)
    if url.startswith("/"):
        return not url.startswith("//")
    return bool(re.match(r"https?://localhost(?:[/?#]|$)", url, flags=re.IGNORECASE))


URL_TEXT = st.text(alphabet=st.sampled_from(list("/\\:@.%?#\t\n\r \x00\x0b") + list("evilxamphtsjcrpt")), max_size=30)


@settings(max_examples=300, deadline=None, database=None)
@given(prefix=st.sampled_from(["", "/", "//", "http://", "https:", "javascript:", " ", "\t", "http://localhost"]),
       text=URL_TEXT)
def test_any_text_gives_none_or_a_local_path(prefix: str, text: str) -> None:
    target = prefix + text
    result = _next(target)
    if result is not None:
        assert_local_path(result)
    if not plainly_on_this_site(target):
        assert result is None, f"{target!r} leaves the site in a browser but gave {result!r}"


def test_the_oracle_agrees_with_the_examples() -> None:
    assert all(not plainly_on_this_site(target) for target in HOSTILE)
    assert all(plainly_on_this_site(target) for target in GOOD)


@pytest.mark.parametrize("target", ["//evil.example", "/\t/evil.example", "\n//evil.example", "https:evil.example",
                                    "/\\evil.example", "http://[::1"], ids=repr)
def test_sign_in_with_a_hostile_next_goes_home(client, world, target: str) -> None:
    response = client.post("/login", query_string={"next": target}, data={"username": "amina", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_sign_in_with_a_local_next_goes_there(client, world) -> None:
    response = client.post("/login", query_string={"next": "/plan?x=1"},
                           data={"username": "amina", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/plan?x=1"


@pytest.mark.parametrize("target", ["//evil.example", "/\t/evil.example", "https://evil.example/"], ids=repr)
def test_login_page_with_a_hostile_next_then_sign_in_goes_home(client, world, target: str) -> None:
    """GET /login?next=... shows a form that posts to this site (next in its query); the redirect stays here."""
    page = client.get("/login", query_string={"next": target})
    assert page.status_code == 200
    action = re.search(r'<form id="login-form" method="post" action="([^"]*)"', page.get_data(as_text=True))
    assert action is not None
    url = html.unescape(action.group(1))
    assert url.startswith("/login?")
    response = client.post(url, data={"username": "amina", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_signed_in_user_opening_login_with_a_hostile_next_goes_home(client, world) -> None:
    client.post("/login", data={"username": "amina", "password": PASSWORD})
    response = client.get("/login", query_string={"next": "//evil.example"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_goes_back_only_to_this_site(client, world) -> None:
    response = client.post("/language", data={"language": "en", "next": "/\t/evil.example"},
                           headers={"Referer": "https://evil.example/"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
