"""Sessions end for real: sign-out, idle timeout, absolute lifetime; sign-out is POST only."""

from __future__ import annotations

import time

import pytest

from portal.accounts.sessions import SEEN_AT, SIGNED_IN_AT
from tests.conftest import login


def _cookie(client) -> str:
    return client.get_cookie("wegwijs_session").value


def _replay(app, cookie: str):
    thief = app.test_client()
    thief.set_cookie("wegwijs_session", cookie)
    return thief


@pytest.mark.parametrize("username, path", [
    ("amina", "/plan"),
    ("amina", "/account/data"),
    ("sanne", "/staff/residents/{amina_id}"),
])
def test_a_cookie_copied_before_sign_out_opens_nothing_afterwards(app, client, world, username, path) -> None:
    path = path.format(amina_id=world.amina_id)
    login(client, username)
    assert client.get(path).status_code == 200
    copied = _cookie(client)
    assert _replay(app, copied).get(path).status_code == 200  # the copy works while signed in
    signed_out = client.post("/logout")
    assert signed_out.status_code == 303
    assert signed_out.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    replayed = _replay(app, copied).get(path)
    assert replayed.status_code == 302 and replayed.headers["Location"].startswith("/login")


def test_sign_out_is_post_only(client, world) -> None:
    login(client, "amina")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200  # a link or image on another page cannot sign anyone out


def _age(client, *, idle: int = 0, signed_in: int = 0) -> None:
    with client.session_transaction() as session:
        session[SEEN_AT] = int(time.time()) - idle
        session[SIGNED_IN_AT] = int(time.time()) - signed_in


@pytest.mark.parametrize("username, path, minutes", [("amina", "/", 30), ("sanne", "/staff/", 60)])
def test_idle_timeout_per_kind_of_user(client, world, username, path, minutes) -> None:
    login(client, username)
    _age(client, idle=minutes * 60 - 30, signed_in=minutes * 60)
    assert client.get(path).status_code == 200  # just within: and this request counts as activity
    _age(client, idle=minutes * 60 - 30, signed_in=minutes * 60)
    assert client.get(path).status_code == 200
    _age(client, idle=minutes * 60 + 1, signed_in=minutes * 60)
    expired = client.get(path)
    assert expired.status_code == 302 and expired.headers["Location"].startswith("/login")
    assert client.get(path).status_code == 302  # ended for good, not just this once


def test_idle_timeouts_come_from_the_settings(app, client, world) -> None:
    app.config["SESSION_IDLE_RESIDENT_MINUTES"] = 5
    login(client, "amina")
    _age(client, idle=5 * 60 + 1)
    assert client.get("/").status_code == 302


def test_absolute_lifetime_ends_an_active_session(app, client, world) -> None:
    login(client, "sanne")
    _age(client, idle=10, signed_in=12 * 3600 - 60)
    assert client.get("/staff/").status_code == 200
    _age(client, idle=10, signed_in=12 * 3600 + 1)
    assert client.get("/staff/").status_code == 302


def test_an_expired_session_answers_htmx_with_401_and_a_redirect(client, world) -> None:
    login(client, "amina")
    _age(client, idle=31 * 60)
    response = client.get("/plan", headers={"HX-Request": "true"})
    assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/login")


def test_background_polling_does_not_keep_a_session_alive(client, world) -> None:
    login(client, "amina")
    _age(client, idle=29 * 60)
    background = {"HX-Request": "true", "X-Wegwijs-Background": "1"}
    assert client.get("/messages", headers=background).status_code == 200
    with client.session_transaction() as session:
        assert int(time.time()) - session[SEEN_AT] >= 29 * 60  # not refreshed by the poll


def test_stay_signed_in_ping_counts_as_activity(client, world) -> None:
    login(client, "amina")
    _age(client, idle=29 * 60)
    assert client.post("/session/ping").status_code == 204
    with client.session_transaction() as session:
        assert int(time.time()) - session[SEEN_AT] < 5


def test_a_session_without_timestamps_is_not_accepted(client, world) -> None:
    login(client, "amina")
    with client.session_transaction() as session:
        del session[SIGNED_IN_AT]
    assert client.get("/").status_code == 302


def test_pages_carry_the_idle_warning_for_signed_in_users_only(client, world) -> None:
    assert 'id="session-warning"' not in client.get("/login").get_data(as_text=True)
    login(client, "amina")
    html = client.get("/").get_data(as_text=True)
    assert 'id="session-warning"' in html and 'data-idle-seconds="1800"' in html and "js/session.js" in html
