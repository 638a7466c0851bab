"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.db import db


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
