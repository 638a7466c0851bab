"""The audit log is append-only and hash-chained: `flask audit verify` finds a changed, deleted or inserted line."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from portal.audit.chain import GENESIS, line_hash
from portal.audit.models import AuditChainHead, AuditEvent
from portal.audit.services import audit_record
from portal.db import db
from tests.conftest import login


def _add_lines(n: int, *, resident_id: int | None = None) -> None:
    for i in range(n):
        audit_record(action=f"test.line{i}", resident_id=resident_id, detail=f"regel {i}")
    db.session.commit()


def _verify(app: Flask):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def _tamper(sql: str, **params) -> None:
    """Change the table behind the application's back (on PostgreSQL as the owner, with the trigger off)."""
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as conn:
        if postgres:
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
        conn.execute(text(sql), params)
        if postgres:
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))


def test_every_line_carries_the_hash_of_the_line_before(ctx) -> None:
    _add_lines(3)
    lines = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [line.prev_hash for line in lines] == [GENESIS, lines[0].hash, lines[1].hash]
    first = lines[0]
    assert first.hash == line_hash(prev_hash=GENESIS, at=first.at, actor_id=None, actor_role=None, resident_id=None,
                                   action="test.line0", outcome="ok", detail="regel 0", request_id="")
    head = db.session.get(AuditChainHead, 1)
    assert (head.last_hash, head.count) == (lines[-1].hash, 3)


def test_lines_stored_by_requests_chain_too(app, client, world) -> None:
    login(client, "sanne")
    assert client.get(f"/staff/residents/{world.amina_id}").status_code == 200
    assert client.get(f"/staff/residents/{world.bob_id}").status_code == 404  # a refused look, kept after rollback
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert "hash chain unbroken" in result.output
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.outcome == "refused")) is not None


def test_a_changed_line_is_found(app, ctx) -> None:
    _add_lines(4)
    assert _verify(app).exit_code == 0
    _tamper("UPDATE audit_events SET detail = 'niets gezien' WHERE action = 'test.line1'")
    result = _verify(app)
    assert result.exit_code == 1
    assert "was changed" in result.output


def test_a_deleted_line_is_found(app, ctx) -> None:
    _add_lines(4)
    _tamper("DELETE FROM audit_events WHERE action = 'test.line2'")
    result = _verify(app)
    assert result.exit_code == 1 and "deleted or inserted" in result.output


def test_lines_cut_off_at_the_end_are_found(app, ctx) -> None:
    _add_lines(4)
    _tamper("DELETE FROM audit_events WHERE action = 'test.line3'")
    result = _verify(app)
    assert result.exit_code == 1 and "lines at the end were removed" in result.output


def test_an_inserted_line_is_found(app, ctx) -> None:
    _add_lines(2)
    last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    at = datetime(2026, 1, 1, tzinfo=UTC)
    forged = line_hash(prev_hash=last.hash, at=at, actor_id=None, actor_role=None, resident_id=7,
                       action="caseload.view", outcome="ok", detail="", request_id="")
    db.session.rollback()
    _tamper("INSERT INTO audit_events (at, resident_id, action, outcome, detail, request_id, prev_hash, hash) "
            "VALUES (:at, 7, 'caseload.view', 'ok', '', '', :prev, :hash)",
            at=at.replace(tzinfo=None), prev=last.hash, hash=forged)
    result = _verify(app)
    assert result.exit_code == 1 and "lines at the end were removed" in result.output  # the head counts lines


def test_concurrent_writers_keep_one_chain(app, ctx) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with app.app_context():
                for i in range(10):
                    audit_record(action=f"test.w{n}", resident_id=None, detail=str(i))
                    db.session.commit()
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.rollback()
    assert db.session.get(AuditChainHead, 1).count == 40
    result = _verify(app)
    assert result.exit_code == 0, result.output


def test_the_application_cannot_change_or_delete_audit_lines_on_postgresql(ctx) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only (CI runs it via TEST_DATABASE_URL)")
    _add_lines(1)
    for statement in ("UPDATE audit_events SET detail = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalar(select(AuditEvent.detail)) == "regel 0"


def test_emptying_the_whole_database_still_works_and_starts_a_new_chain(app, ctx) -> None:
    from portal.demo import database_empty

    _add_lines(2)
    database_empty()  # demo --reset: on PostgreSQL the trigger refuses DELETE, so the audit table is truncated
    db.session.commit()
    assert db.session.scalar(select(AuditEvent.id)) is None
    _add_lines(1)
    assert _verify(app).exit_code == 0
