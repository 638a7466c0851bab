"""Reads of the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select

from portal.accounts.models import User
from portal.audit.chain import GENESIS, Break, chain_breaks
from portal.audit.models import AuditChainHead, AuditEvent
from portal.db import db

# Looks by one person less than this apart belong to one visit.
VISIT_GAP = timedelta(minutes=15)


@dataclass(frozen=True)
class Viewer:
    name: str
    role: str
    last_at: datetime
    visits: int


def audit_look_recent(*, actor_id: int, resident_id: int, part: str, since: datetime) -> bool:
    """Whether this staff member already looked at this part of the file since `since`."""
    return bool(db.session.scalar(select(exists().where(
        AuditEvent.actor_id == actor_id, AuditEvent.resident_id == resident_id, AuditEvent.outcome == "ok",
        AuditEvent.action.startswith(f"{part}.", autoescape=True), AuditEvent.at >= since,
    ))))


def audit_views_for_resident(*, resident_id: int, limit: int = 50, scan: int = 5000) -> list[Viewer]:
    """Who of the staff looked at this resident's file: name, role, last time and number of visits.

    A visit is a run of looks by one person with less than VISIT_GAP between them, so the panels of
    one page load (and a morning's work on the file) count once.
    """
    rows = db.session.execute(
        select(User.id, User.name, User.role, AuditEvent.at)
        .join(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.resident_id == resident_id, AuditEvent.outcome == "ok")
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(scan)
    ).all()
    viewers: dict[int, list] = {}
    for user_id, name, role, at in rows:  # newest first
        entry = viewers.get(user_id)
        if entry is None:
            viewers[user_id] = [name, role, at, 1, at]
        elif entry[4] - at >= VISIT_GAP:
            entry[3] += 1
            entry[4] = at
        else:
            entry[4] = at
    ordered = sorted(viewers.values(), key=lambda e: e[2], reverse=True)[:limit]
    return [Viewer(name=e[0], role=e[1], last_at=e[2], visits=e[3]) for e in ordered]


def audit_list(*, resident_id: int | None = None, limit: int = 200) -> list[AuditEvent]:
    """Latest audit events, newest first."""
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if resident_id is not None:
        stmt = stmt.where(AuditEvent.resident_id == resident_id)
    return list(db.session.scalars(stmt))


def audit_export(resident) -> list[dict]:
    """Every audit line about this resident, for their data export: who looked at or did what, and when.

    A refused attempt (someone outside the case) carries no name or role: the resident learns that it
    happened and was stopped, not which colleague tried.
    """
    return [
        {
            "at": event.at.isoformat(),
            "by": event.actor.name if event.actor and event.outcome == "ok" else None,
            "role": event.actor_role if event.outcome == "ok" else None,
            "part": event.action.split(".", 1)[0],
            "action": event.action,
            "outcome": event.outcome,
        }
        for event in audit_list(resident_id=resident.id, limit=10_000)
    ]


def account_viewers(user) -> dict:
    """For the resident's /account page: who of the staff looked at their file."""
    resident = getattr(user, "resident", None)
    return {"viewers": audit_views_for_resident(resident_id=resident.id) if resident else []}


def audit_chain_verify() -> tuple[int, list[Break]]:
    """Walk the whole hash chain in id order: how many lines it holds and where it does not hold."""
    head = db.session.get(AuditChainHead, 1)
    count = 0

    def lines():
        nonlocal count
        for line in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)
                                       .execution_options(yield_per=1000)):
            count += 1
            yield line

    # No head row (a database emptied by hand) counts as an empty chain: any line left then shows up.
    breaks = chain_breaks(lines(), head_hash=head.last_hash if head else GENESIS,
                          head_count=head.count if head else 0)
    return count, breaks
