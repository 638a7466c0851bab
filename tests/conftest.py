"""Fixtures: app (per test, on a migrated database), client, sign-in helper and a small world."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, select, text, update

from portal import create_app
from portal.accounts.models import User
from portal.accounts.twofactor import totp_set
from portal.config import TestConfig
from portal.db import db
from portal.demo import DEMO_TOTP_SECRET
from portal.extensions import limiter
from portal.roles import Role
from tests.factories import PASSWORD, make_caseworker, make_counsellor, make_resident, make_user

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database for the whole run: SQLite by default, PostgreSQL when asked."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'wegwijs-test.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and is_postgres(url):
        url = _worker_database(url, worker)
    app = create_app(TestConfig(), SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        if is_postgres(url):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "portal" / "migrations"))
        db.engine.dispose()
    return url


def _worker_database(url: str, worker: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database, made fresh for the run."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def empty_database() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))  # noqa: S608
    db.session.commit()


_made_apps: list[Flask] = []


def make_test_app(database_url: str, **overrides) -> Flask:
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False}
    settings.update(overrides)
    app = create_app(TestConfig(), **settings)
    _made_apps.append(app)
    return app


@pytest.fixture(autouse=True)
def _close_database_connections() -> Iterator[None]:
    """Every app a test made gives its connections back (psycopg warns about ones left open)."""
    yield
    while _made_apps:
        made = _made_apps.pop()
        with made.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


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


def login(client: FlaskClient, username: str, password: str = PASSWORD, **extra):
    """Sign in as a person would: the password, then (staff, or who turned it on) the code from the app."""
    response = client.post("/login", data={"username": username, "password": password, **extra})
    assert response.status_code == 303, f"sign-in of {username} failed: {response.status_code}"
    return second_step(client, username, response, **extra)


def totp_code(secret: str = DEMO_TOTP_SECRET, *, at: float | None = None) -> str:
    """The code an authenticator app shows now (or at a moment) for this secret."""
    return pyotp.TOTP(secret).at(time.time() if at is None else at)


def second_step(client: FlaskClient, username: str, response, *, base_url: str = "http://localhost", **extra):
    """After the password: give the code (or enrol a staff account that has none) like its app would.

    The test world's staff have the demo secret. The account's last used time step is forgotten first,
    so one test can sign the same person in more than once within 30 seconds.
    """
    location = response.headers.get("Location", "")
    if "csrf_token" in extra and location.endswith(("/login/code", "/login/enrol")):
        # The password step starts a fresh session, so the form carries a new token.
        page = client.get(location, base_url=base_url).get_data(as_text=True)
        extra = {**extra, "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)}
    if location.endswith("/login/code"):
        with client.application.app_context():
            db.session.execute(update(User).where(User.username == username).values(totp_last_step=None))
            secret = db.session.scalar(select(User.totp_secret).where(User.username == username))
            db.session.commit()
        response = client.post("/login/code", data={"code": totp_code(secret), **extra}, base_url=base_url)
    elif location.endswith("/login/enrol"):
        page = client.get("/login/enrol", base_url=base_url).get_data(as_text=True)
        secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
        response = client.post("/login/enrol", data={"code": totp_code(secret), **extra}, base_url=base_url)
    else:
        return response
    assert response.status_code == 303, f"second step of {username} failed: {response.status_code}"
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
    for staff in db.session.scalars(select(User).where(User.role != Role.RESIDENT.value)):
        totp_set(user=staff, secret=DEMO_TOTP_SECRET)  # as in the demo: every app with this secret works
    db.session.commit()
    return World(
        sanne="sanne", other_caseworker="ruben", pieter="pieter", other_counsellor="ineke", lead="lead",
        admin="admin", amina="amina", amina_id=amina.id, amina_user_id=amina.user_id, yonas="yonas",
        yonas_id=yonas.id, bob="bob", bob_id=bob.id, sanne_id=sanne.id, pieter_id=pieter.id,
    )


@pytest.fixture
def world(app: Flask, request: pytest.FixtureRequest) -> World:
    with app.app_context():
        built = build_world()
        marker = request.node.get_closest_marker("residents_read_dutch")
        if marker is not None and marker.args[:1] != (False,):
            # The test reads the interface text as written (Dutch, the source language). That
            # every other language renders is proven by tests/test_i18n.py and the browser tests.
            db.session.execute(update(User).where(User.role == Role.RESIDENT.value).values(language="nl"))
            db.session.commit()
        return built


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement != "BEGIN":  # SQLite's explicit transaction start (portal/db.py); PostgreSQL sends none
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
