"""Every state-changing request needs this session's CSRF token, or it is refused with 400 and changes nothing.

Generated from the access table: every POST row is sent, signed in as the first role the row allows,
(a) without a token, (b) with a valid token of another session (Flask-WTF binds a token to the raw
secret in its own session, so a token from someone else's session must not work), (c) as htmx without
the X-CSRFToken header and (d) as htmx with another session's token in that header. A new endpoint gets
these checks by having its row; an endpoint that takes POST without a POST row must be listed in EXTRA.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.db import db
from tests.access_table import ANONYMOUS, EVERYONE, ROLES, Row, all_rows
from tests.conftest import World, make_test_app, second_step
from tests.factories import PASSWORD

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
ROLE_USER = {"resident": "amina", "caseworker": "sanne", "counsellor": "pieter", "lead": "lead", "admin": "admin"}

# Endpoints that take a POST but whose access row is their GET: here with what a real form would send,
# so that without the CSRF check the post would really do something.
EXTRA = [
    Row("accounts.login", "POST", lambda w: "/login", EVERYONE,
        data=lambda w: {"username": "amina", "password": PASSWORD}),
    Row("accounts.logout", "POST", lambda w: "/logout", frozenset({"resident"})),
    Row("accounts.activate_start", "POST", lambda w: "/activate", EVERYONE,
        data=lambda w: {"code": "AAAA-BBBB-CCCC"}),
    Row("accounts.activate", "POST", lambda w: "/activate/AAAA-BBBB-CCCC", EVERYONE,
        data=lambda w: {"password": "een-lang-nieuw-wachtwoord", "confirm": "een-lang-nieuw-wachtwoord"}),
    Row("accounts.login_code", "POST", lambda w: "/login/code", EVERYONE, data=lambda w: {"code": "123456"}),
    Row("accounts.login_enrol", "POST", lambda w: "/login/enrol", EVERYONE, data=lambda w: {"code": "123456"}),
    Row("accounts.account_code", "POST", lambda w: "/account/code", frozenset({"resident"}),
        data=lambda w: {"code": "123456"}),
    Row("caseload.resident_new", "POST", lambda w: "/staff/residents/new", frozenset({"caseworker"}),
        data=lambda w: {"name": "Nieuwe Bewoner", "language": "ar", "date_of_birth": "1990-01-01",
                        "linked_on": "2026-01-05"}),
]
CASES = [row for row in all_rows() if row.method in UNSAFE] + EXTRA

MISSING = "The CSRF token is missing."
MISMATCH = "The CSRF tokens do not match."  # a genuine token, but bound to another session's secret
_HIDDEN_TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"|'
                           r'<input[^>]*value="([^"]+)"[^>]*name="csrf_token"')
_HX_HEADERS = re.compile(r"hx-headers='([^']+)'")


@pytest.fixture
def csrf_app(database_url: str, world: World) -> Iterator[Flask]:
    """The app as in production: CSRF on. Same database as `app`, whose fixture empties it afterwards."""
    yield make_test_app(database_url, WTF_CSRF_ENABLED=True)


def first_role(row: Row) -> str:
    return next(role for role in ROLES if role in row.allowed)


def page_token(client: FlaskClient, signed_in: bool) -> str:
    """This session's token, as a page gives it: the htmx header of a signed-in page, or the login form's input."""
    html = client.get("/account" if signed_in else "/login").get_data(as_text=True)
    headers = _HX_HEADERS.search(html)
    if headers:
        return json.loads(headers.group(1))["X-CSRFToken"]
    hidden = _HIDDEN_TOKEN.search(html)
    assert hidden, "no CSRF token on the page"
    return hidden.group(1) or hidden.group(2)


def sign_in(app: Flask, role: str) -> tuple[FlaskClient, str]:
    """A client signed in as the role (with a token, as a browser would), and a token of its session after."""
    client = app.test_client()
    if role != ANONYMOUS:
        token = page_token(client, signed_in=False)
        response = client.post("/login", data={"username": ROLE_USER[role], "password": PASSWORD,
                                                "csrf_token": token})
        assert response.status_code == 303, f"sign-in of {role} failed: {response.status_code}"
        second_step(client, ROLE_USER[role], response, csrf_token=token)
    return client, page_token(client, signed_in=role != ANONYMOUS)


def snapshot(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with app.app_context():
        tables = {}
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            tables[table.name] = [tuple(row) for row in db.session.execute(select(table).order_by(*order))]
        db.session.remove()
    return tables


def _signed_in(client: FlaskClient) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


@pytest.mark.parametrize("row", CASES, ids=lambda r: f"{r.method}-{r.endpoint}")
def test_post_without_this_sessions_token_is_refused(csrf_app: Flask, world: World, row: Row,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    role = first_role(row)
    client, own_token = sign_in(csrf_app, role)
    _, foreign_token = sign_in(csrf_app, role)  # the same person in another browser
    assert foreign_token != own_token
    url = row.url(world)
    data = row.data(world) if row.data else {}
    attempts = {  # what is sent, and why Flask-WTF must refuse it
        "no token": ({}, {}, MISSING),
        "token of another session": ({"csrf_token": foreign_token}, {}, MISMATCH),
        "htmx without X-CSRFToken": ({}, {"HX-Request": "true"}, MISSING),
        "htmx with another session's X-CSRFToken": ({}, {"HX-Request": "true", "X-CSRFToken": foreign_token},
                                                    MISMATCH),
    }
    before = snapshot(csrf_app)
    for attempt, (token_field, headers, reason) in attempts.items():
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="flask_wtf.csrf"):
            response = client.open(url, method=row.method, data={**data, **token_field},
                                   headers={**row.headers, **headers})
        where = f"{row.method} {url} as {role}, {attempt}"
        assert response.status_code == 400, f"{where}: {response.status_code}"
        assert [r.getMessage() for r in caplog.records if r.name == "flask_wtf.csrf"] == [reason], where
        assert snapshot(csrf_app) == before, f"{where}: the database changed"
    assert _signed_in(client) == (role != ANONYMOUS), "the refused posts must not sign in or out"


def test_a_valid_token_is_accepted(csrf_app: Flask, world: World) -> None:
    """The control: the same client with its own token gets through, as header (htmx) and as form field."""
    client, token = sign_in(csrf_app, "resident")
    response = client.post("/account/preferences", data={"show_dutch": "y"},
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200, response.status_code
    assert response.headers["HX-Redirect"] == "/account?saved=preferences"
    response = client.post("/account/language", data={"language": "en", "csrf_token": token})
    assert response.status_code == 303, response.status_code
    with csrf_app.app_context():
        from portal.accounts.models import User

        user = db.session.scalars(select(User).where(User.username == "amina")).one()
        assert (user.show_dutch, user.language) == (True, "en")


def test_a_valid_token_signs_in(csrf_app: Flask, world: World) -> None:
    client = csrf_app.test_client()
    token = page_token(client, signed_in=False)
    response = client.post("/login", data={"username": "amina", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    assert _signed_in(client)


def test_every_endpoint_that_takes_a_post_is_checked(csrf_app: Flask) -> None:
    covered = {row.endpoint for row in CASES}
    takes_post = {rule.endpoint for rule in csrf_app.url_map.iter_rules() if rule.methods & UNSAFE}
    assert sorted(takes_post - covered) == [], "add a POST row to the access table (or to EXTRA here)"
    assert sorted({row.endpoint for row in EXTRA} - takes_post) == [], "EXTRA names endpoints that take no POST"
