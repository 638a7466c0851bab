"""Declarative base with a naming convention, the db handle and small column types."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any, TypeVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

M = TypeVar("M", bound=Base)


def get_or_add(model: type[M], **keys: Any) -> M:
    """The row of `model` with these key values, or a new one with them added to the session (not yet flushed)."""
    mapper = inspect(model)
    primary_key = [mapper.get_property_by_column(column).key for column in mapper.primary_key]
    if set(keys) == set(primary_key):  # from the identity map when it is there already
        found = db.session.get(model, tuple(keys[name] for name in primary_key))
    else:
        found = db.session.scalar(select(model).filter_by(**keys))
    if found is None:
        found = model(**keys)
        db.session.add(found)
    return found


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, hands out aware UTC; refuses naive datetimes on the way in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL, foreign keys and a busy timeout on every SQLite connection."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "savepoint")
def _sqlite_begin_before_savepoint(connection, name) -> None:
    """pysqlite begins a transaction only before a write, so a SAVEPOINT sent first became the outermost
    transaction and its RELEASE committed: a refused request kept what its nested block wrote. Begin first.
    (Reads stay outside a transaction until the first write, so a waiting writer gets SQLite's busy timeout
    instead of "database is locked" from a stale read snapshot.)"""
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if not raw.in_transaction:
            raw.execute("BEGIN")
