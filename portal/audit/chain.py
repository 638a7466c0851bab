"""The audit log's hash chain: every line carries the hash of the line before it.

A line's hash covers its own fields and the previous line's hash, so changing, deleting or inserting a line
breaks the chain from that line on; `flask --app wsgi audit verify` walks it. The chain is extended when lines
are flushed (a `before_flush` hook, so every way of adding a line is covered), in insertion order, while the
one-row table `audit_chain_head` is locked: on PostgreSQL by `SELECT ... FOR UPDATE`, on SQLite by writing
to it first (one writer at a time). Concurrent requests therefore chain one after the other, and the ids the
database hands out follow the chain, because they are drawn inside the lock.

The hash is a plain SHA-256, not a keyed one: it shows that lines were changed by anyone who did not rewrite
the whole chain after them, and the head table's count shows lines cut off at the end.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import event, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

GENESIS = "0" * 64


def _when(at: datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def line_hash(*, prev_hash: str, at: datetime, actor_id: int | None, actor_role: str | None,
              resident_id: int | None, action: str, outcome: str, detail: str, request_id: str) -> str:
    """SHA-256 over the previous hash and the line's own fields, in a fixed canonical form."""
    body = json.dumps([prev_hash, _when(at), actor_id, actor_role, resident_id, action, outcome, detail,
                       request_id], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def hash_of(line) -> str:
    """The hash a stored line should carry, given its prev_hash."""
    return line_hash(prev_hash=line.prev_hash, at=line.at, actor_id=line.actor_id, actor_role=line.actor_role,
                     resident_id=line.resident_id, action=line.action, outcome=line.outcome,
                     detail=line.detail, request_id=line.request_id)


@dataclass(frozen=True)
class Break:
    line_id: int | None
    problem: str


def chain_breaks(lines: Iterable, *, head_hash: str, head_count: int) -> list[Break]:
    """Where a chain of lines (in id order) does not hold: a changed line, a missing or an inserted one."""
    breaks: list[Break] = []
    previous = GENESIS
    count = 0
    for line in lines:
        count += 1
        if line.prev_hash != previous:
            breaks.append(Break(line.id, "does not follow the line before it (a line was deleted or inserted)"))
        if hash_of(line) != line.hash:
            breaks.append(Break(line.id, "its content does not match its hash (the line was changed)"))
        previous = line.hash
    if head_count != count or head_hash != previous:
        breaks.append(Break(None, f"the chain holds {count} lines ending in {previous[:12]}, the head records "
                                  f"{head_count} ending in {(head_hash or '')[:12]} (lines at the end were removed)"))
    return breaks


def _chain_new_lines(session: Session, flush_context, instances) -> None:
    from portal.audit.models import AuditChainHead, AuditEvent
    from portal.db import utcnow

    new = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if not new:
        return
    new.sort(key=lambda obj: obj._sa_instance_state.insert_order)
    connection = session.connection()
    head_table = AuditChainHead.__table__
    if connection.dialect.name != "postgresql":
        # SQLite: take the write lock before reading the head, so no other writer can slip in between.
        connection.execute(update(head_table).where(head_table.c.id == 1).values(count=head_table.c.count))
    locked = select(head_table.c.last_hash, head_table.c.count).where(head_table.c.id == 1).with_for_update()
    row = connection.execute(locked).first()
    if row is None:  # the migration makes the row; a database emptied by hand has none: make it, once
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        connection.execute(insert(head_table).values(id=1, last_hash=GENESIS, count=0).on_conflict_do_nothing())
        row = connection.execute(locked).one()
    previous, count = row.last_hash, row.count
    for line in new:
        line.at = line.at or utcnow()
        line.outcome = line.outcome or "ok"
        line.detail = (line.detail or "")[:255]
        line.request_id = line.request_id or ""
        line.prev_hash = previous
        line.hash = previous = hash_of(line)
    connection.execute(update(head_table).where(head_table.c.id == 1)
                       .values(last_hash=previous, count=count + len(new)))


def install() -> None:
    if not event.contains(Session, "before_flush", _chain_new_lines):
        event.listen(Session, "before_flush", _chain_new_lines)
