"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from pytest_alembic.tests import (
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal.db import db
from tests.conftest import is_postgres, make_test_app


def test_migrated_schema_matches_the_models(ctx) -> None:
    with db.engine.connect() as connection:
        migration = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(migration, db.metadata)
    assert differences == []


def test_database_is_at_the_latest_revision(ctx) -> None:
    from alembic.script import ScriptDirectory
    from flask import current_app

    config = current_app.extensions["migrate"].migrate.get_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head


# pytest-alembic's standard tests (single head, upgrade, up/down consistency, models match the DDL), on a database of
# their own: a fresh SQLite file always, and a fresh PostgreSQL database `<name>_alembic` when the run is on
# PostgreSQL. They read the chain from portal/migrations, so they hold for any number of revisions.

__all__ = ["test_model_definitions_match_ddl", "test_single_head_revision", "test_up_down_consistency",
           "test_upgrade"]


@pytest.fixture(params=["sqlite", "postgresql"])
def migration_app(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    admin = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'alembic.db'}"
    elif not is_postgres(database_url):
        pytest.skip("the PostgreSQL migration tests run when TEST_DATABASE_URL is PostgreSQL")
    else:
        base = make_url(database_url)
        name = f"{base.database}_alembic"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = base.set(database=name).render_as_string(hide_password=False)
    app = make_test_app(url)
    with app.app_context():  # env.py migrates through the app's engine
        yield app
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def alembic_config(migration_app: Flask):
    return migration_app.extensions["migrate"].migrate.get_config()


@pytest.fixture
def alembic_engine(migration_app: Flask):
    return db.engine
