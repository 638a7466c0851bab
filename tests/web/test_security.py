"""Headers, CSRF, error pages, request ids and the health check."""

from __future__ import annotations

import json
import logging

from flask import abort

from portal.db import db
from portal.web import access
from tests.conftest import login, make_test_app, second_step


def test_security_headers_on_every_page(client, world) -> None:
    login(client, "amina")
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"  # shared phones
    assert "HX-Request" in response.headers["Vary"]


def test_session_cookie_flags(client, world) -> None:
    response = client.post("/login", data={"username": "amina", "password": "demo-password"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_in_production(monkeypatch, database_url) -> None:
    from portal.config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    from portal import create_app

    app = create_app(ProductionConfig(), SQLALCHEMY_DATABASE_URI=database_url, FORCE_HTTPS=False)
    response = app.test_client().get("/login", base_url="https://wegwijs.example")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_production_session_cookie_is_host_prefixed(monkeypatch, database_url, world) -> None:
    from portal import create_app
    from portal.config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app(ProductionConfig(), SQLALCHEMY_DATABASE_URI=database_url, FORCE_HTTPS=False,
                     WTF_CSRF_ENABLED=False)
    response = app.test_client().post("/login", data={"username": "amina", "password": "demo-password"},
                                      base_url="https://wegwijs.example")
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-wegwijs_session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Domain=" not in cookie  # a __Host- cookie may not name a domain


def test_trusted_hosts_come_from_the_environment(monkeypatch) -> None:
    import inspect

    from portal import config

    monkeypatch.setenv("TRUSTED_HOSTS", " wegwijs.gemeente.example, localhost ,")
    assert config._env_list("TRUSTED_HOSTS") == ["wegwijs.gemeente.example", "localhost"]
    monkeypatch.setenv("TRUSTED_HOSTS", "")
    assert config._env_list("TRUSTED_HOSTS") is None  # unset: any host, as in development
    assert 'TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS")' in inspect.getsource(config.Config)


def test_a_forged_host_cannot_steer_external_urls(database_url, world) -> None:
    app = make_test_app(database_url, TRUSTED_HOSTS=["wegwijs.gemeente.example", "localhost"])
    client = app.test_client()
    host = "http://wegwijs.gemeente.example"
    password_step = client.post("/login", data={"username": "admin", "password": "demo-password"}, base_url=host)
    second_step(client, "admin", password_step, base_url=host)
    forged = client.post(f"/admin/staff/{world.sanne_id}/code", headers={"Host": "evil.example"}, base_url=host)
    assert forged.status_code == 400
    assert "evil.example" not in forged.get_data(as_text=True)
    letter = client.post(f"/admin/staff/{world.sanne_id}/code", base_url=host)
    assert letter.status_code == 200 and "http://wegwijs.gemeente.example/activate/" in letter.get_data(as_text=True)


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, database_url) -> None:
    import pytest

    from portal import create_app
    from portal.config import ProductionConfig

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig(), SQLALCHEMY_DATABASE_URI=database_url)


def test_post_without_csrf_token_is_refused_and_changes_nothing(database_url, world) -> None:
    app = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/login", data={"username": "amina", "password": "demo-password"})
    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in


def test_htmx_post_with_csrf_header_is_accepted(database_url, world) -> None:
    import re

    app = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "amina", "password": "demo-password", "csrf_token": token})
    home = client.get("/").get_data(as_text=True)
    header_token = json.loads(re.search(r"hx-headers='([^']+)'", home).group(1))["X-CSRFToken"]
    refused = client.post("/account/preferences", data={"show_dutch": "y"})
    assert refused.status_code == 400
    accepted = client.post("/account/preferences", data={"show_dutch": "y"},
                           headers={"X-CSRFToken": header_token, "HX-Request": "true"})
    assert accepted.status_code == 200 and accepted.headers["HX-Redirect"] == "/account?saved=preferences"


def test_404_and_405_pages_speak_the_users_language(client) -> None:
    not_found = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert not_found.status_code == 404
    assert '<html lang="en"' in not_found.get_data(as_text=True)
    wrong_method = client.delete("/login")
    assert wrong_method.status_code == 405
    assert "Traceback" not in wrong_method.get_data(as_text=True)


def test_413_for_a_body_that_is_too_big(client) -> None:
    response = client.post("/login", data={"username": "x" * (13 * 1024 * 1024), "password": "y"})
    assert response.status_code == 413
    assert "te groot" in response.get_data(as_text=True)


def test_500_shows_a_reference_that_is_in_the_log(database_url, caplog) -> None:
    app = make_test_app(database_url)

    @app.route("/boom")
    @access.public
    def boom():
        raise RuntimeError("secret internals")

    caplog.set_level(logging.ERROR)
    app.logger.addHandler(caplog.handler)
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    reference = response.headers["X-Request-ID"]
    assert reference in body
    assert "secret internals" not in body and "Traceback" not in body
    records = [r for r in caplog.records if getattr(r, "request_id", None) == reference]
    assert records and records[0].exc_info is not None


def test_htmx_error_answers_with_a_message_fragment(client, world) -> None:
    login(client, "amina")
    response = client.get("/no-such-thing", headers={"HX-Request": "true"})
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "<html" not in body and "data-error-message=" in body


def test_endpoint_without_access_rule_is_refused(database_url) -> None:
    app = make_test_app(database_url)

    @app.route("/forgotten")
    def forgotten():
        return "should never be served"

    response = app.test_client().get("/forgotten")
    assert response.status_code == 403


def test_healthz_with_a_working_database(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(database_url) -> None:
    if database_url.startswith("postgresql"):
        broken = "postgresql+psycopg://postgres@127.0.0.1:1/nothing?connect_timeout=1"
    else:
        broken = "sqlite:////nonexistent-dir/wegwijs/none.db"
    app = make_test_app(broken)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_abort_inside_a_view_keeps_the_error_page(database_url) -> None:
    app = make_test_app(database_url)

    @app.route("/teapot-403")
    @access.public
    def teapot():
        abort(403)

    assert app.test_client().get("/teapot-403").status_code == 403


def test_request_id_from_the_proxy_is_kept(client) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "proxy-abc-123"})
    assert response.headers["X-Request-ID"] == "proxy-abc-123"
    junk = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert junk.headers["X-Request-ID"] != "<script>"


def test_sqlite_connection_pragmas(ctx) -> None:
    if db.engine.dialect.name != "sqlite":
        return
    assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1
    assert db.session.execute(db.text("PRAGMA busy_timeout")).scalar() == 5000
