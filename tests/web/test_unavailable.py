"""A lost database connection answers a quick 503 that asks to try again, stores nothing, and the next request works."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from portal.accounts.models import User
from portal.db import db
from portal.web import access
from tests.factories import make_user

GONE = OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"),
                        connection_invalidated=True)


@pytest.fixture
def routes(app: Flask) -> Flask:
    """Test-only endpoints on this test's app."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.post("/_db/<what>")
    @access.public
    def lose_the_database(what: str):
        make_user(username=f"db-{what}", name=what)
        db.session.flush()
        if what == "killed":  # PostgreSQL: this very connection is ended by the server, as pg_terminate_backend does
            db.session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
            db.session.execute(text("SELECT 1"))
        if what == "gone":
            raise GONE
        if what == "bug":
            raise RuntimeError("a bug in a view")
        return "saved"

    return app


def _stored(app: Flask, username: str) -> bool:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username)) is not None


def _is_503(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert "Even niet bereikbaar" in response.text and "Traceback" not in response.text


def test_a_lost_connection_in_a_view_answers_503_and_stores_nothing(routes: Flask) -> None:
    response = routes.test_client().post("/_db/gone")
    _is_503(response)
    assert not _stored(routes, "db-gone")


def test_a_lost_connection_at_commit_answers_503_and_stores_nothing(routes: Flask, monkeypatch) -> None:
    def commit_fails() -> None:
        raise GONE

    client = routes.test_client()
    monkeypatch.setattr(db.session, "commit", commit_fails)
    _is_503(client.post("/_db/ok"))
    monkeypatch.undo()
    assert not _stored(routes, "db-ok")
    assert client.post("/_db/ok").status_code == 200
    assert _stored(routes, "db-ok")


def test_a_bug_is_still_a_500(routes: Flask) -> None:
    response = routes.test_client().post("/_db/bug")
    assert response.status_code == 500 and "Retry-After" not in response.headers


def test_a_connection_killed_by_postgresql_answers_503_and_the_next_request_works(routes: Flask) -> None:
    with routes.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("pg_terminate_backend needs PostgreSQL (TEST_DATABASE_URL)")
    client = routes.test_client()
    _is_503(client.post("/_db/killed"))
    assert not _stored(routes, "db-killed")
    assert client.post("/_db/ok").status_code == 200
    assert _stored(routes, "db-ok")
