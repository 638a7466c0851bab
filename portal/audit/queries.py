"""Reads of the audit log."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.db import db


def audit_views_for_resident(*, resident_id: int, limit: int = 50) -> list[tuple[str, str, object, int]]:
    """Who of the staff looked at this resident's file: name, role, last time, how often."""
    stmt = (
        select(User.name, User.role, func.max(AuditEvent.at), func.count(AuditEvent.id))
        .join(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.resident_id == resident_id, AuditEvent.outcome == "ok")
        .group_by(User.id, User.name, User.role)
        .order_by(func.max(AuditEvent.at).desc())
        .limit(limit)
    )
    return [tuple(row) for row in db.session.execute(stmt)]


def audit_list(*, resident_id: int | None = None, limit: int = 200) -> list[AuditEvent]:
    """Latest audit events, newest first."""
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if resident_id is not None:
        stmt = stmt.where(AuditEvent.resident_id == resident_id)
    return list(db.session.scalars(stmt))
