"""Writes to the audit log."""

from __future__ import annotations

from flask import g, has_request_context
from flask_login import current_user

from portal.audit.models import AuditEvent
from portal.db import db


def _actor() -> tuple[int | None, str | None]:
    if has_request_context() and current_user.is_authenticated:
        return current_user.id, current_user.role
    return None, None


def _request_id() -> str:
    return g.get("request_id", "") if has_request_context() else ""


def audit_record(*, action: str, resident_id: int | None, detail: str = "") -> AuditEvent:
    """Record an allowed staff look at or change of a resident's file."""
    actor_id, actor_role = _actor()
    event = AuditEvent(
        actor_id=actor_id,
        actor_role=actor_role,
        resident_id=resident_id,
        action=action,
        outcome="ok",
        detail=detail[:255],
        request_id=_request_id(),
    )
    db.session.add(event)
    return event


def audit_refused(*, action: str, resident_id: int | None = None, detail: str = "") -> AuditEvent:
    """Record a refused attempt. The request ends in an error, so the error handler commits it."""
    actor_id, actor_role = _actor()
    db.session.rollback()
    event = AuditEvent(
        actor_id=actor_id,
        actor_role=actor_role,
        resident_id=resident_id,
        action=action,
        outcome="refused",
        detail=detail[:255],
        request_id=_request_id(),
    )
    db.session.add(event)
    if has_request_context():
        g.commit_on_error = True
    return event
