"""Fixtures: app (per test, on a migrated database), client, sign-in helper and a small world."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text

from portal import create_app
from portal.accounts.models import Role
from portal.config import TestConfig
from portal.db import db
from portal.extensions import limiter
from tests.factories import PASSWORD, make_caseworker, make_counsellor, make_resident, make_user

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database for the whole run: SQLite by default, PostgreSQL when asked."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'wegwijs-test.db'}"
    app = create_app(TestConfig(), SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        if is_postgres(url):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "portal" / "migrations"))
        db.engine.dispose()
    return url


def empty_database() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))  # noqa: S608
    db.session.commit()


def make_test_app(database_url: str, **overrides) -> Flask:
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False}
    settings.update(overrides)
    return create_app(TestConfig(), **settings)


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = make_test_app(database_url)
    limiter.reset()
    yield app
    with app.app_context():
        db.session.remove()
        empty_database()
        db.engine.dispose()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """An app context for service and query tests (never around requests)."""
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def login(client: FlaskClient, username: str, password: str = PASSWORD):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 303, f"sign-in of {username} failed: {response.status_code}"
    return response


@dataclass
class World:
    """Ids and usernames of a small, fixed cast; the objects themselves stay in the database."""

    sanne: str
    other_caseworker: str
    pieter: str
    other_counsellor: str
    lead: str
    admin: str
    amina: str
    amina_id: int
    amina_user_id: int
    yonas: str
    yonas_id: int
    bob: str
    bob_id: int
    sanne_id: int
    pieter_id: int


def build_world() -> World:
    sanne = make_caseworker(username="sanne", name="Sanne de Vries")
    other = make_caseworker(username="ruben", name="Ruben Jansen")
    pieter = make_counsellor(username="pieter", name="Pieter Hendriks")
    other_counsellor = make_counsellor(username="ineke", name="Ineke Kok")
    make_user(role=Role.LEAD, username="lead", name="Marleen Vos")
    make_user(role=Role.ADMIN, username="admin", name="Beheer")
    amina = make_resident(contact_person=sanne, counsellor=pieter, username="amina", name="Amina Haddad",
                          language="ar")
    yonas = make_resident(contact_person=sanne, counsellor=None, username="yonas", name="Yonas Tesfamariam",
                          language="ti")
    bob = make_resident(contact_person=other, counsellor=other_counsellor, username="bob", name="Bob Mensah",
                        language="en")
    db.session.commit()
    return World(
        sanne="sanne", other_caseworker="ruben", pieter="pieter", other_counsellor="ineke", lead="lead",
        admin="admin", amina="amina", amina_id=amina.id, amina_user_id=amina.user_id, yonas="yonas",
        yonas_id=yonas.id, bob="bob", bob_id=bob.id, sanne_id=sanne.id, pieter_id=pieter.id,
    )


@pytest.fixture
def world(app: Flask) -> World:
    with app.app_context():
        return build_world()


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask):
    """Counts SQL statements sent while the returned counter is active."""
    with app.app_context():
        engine = db.engine
    counter = QueryCounter()
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)
