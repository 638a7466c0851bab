"""Writes to the audit log: every staff look at or change of a resident's file, and every refusal.

Audit lines do not share the fate of the request's other writes: the unit of work stores them
whether the response succeeds or fails (portal/web/transaction.py).
"""

from __future__ import annotations

from datetime import timedelta

from flask import g, has_request_context, request
from flask_login import current_user

from portal.audit.models import AuditEvent
from portal.audit.queries import audit_look_recent
from portal.db import utcnow
from portal.web.transaction import keep_whatever_happens

# One look per staff member, resident and part of the file within this window counts as one visit.
VISIT_WINDOW = timedelta(minutes=15)


def _event(*, action: str, resident_id: int | None, detail: str, outcome: str) -> None:
    if has_request_context() and current_user.is_authenticated:
        actor_id, actor_role = current_user.id, current_user.role
    else:
        actor_id, actor_role = None, None
    request_id = g.get("request_id", "") if has_request_context() else ""
    at = utcnow()
    is_write = has_request_context() and request.method != "GET"

    def make(failed: bool) -> AuditEvent:
        # An allowed change whose request failed (refused input) stored nothing: say so, keep the look.
        text = f"{detail} (not saved)".strip() if failed and is_write and outcome == "ok" else detail
        return AuditEvent(actor_id=actor_id, actor_role=actor_role, resident_id=resident_id, action=action,
                          outcome=outcome, detail=text[:255], request_id=request_id, at=at)

    keep_whatever_happens(make)


def audit_record(*, action: str, resident_id: int | None, detail: str = "") -> None:
    """Record an allowed staff look at or change of a resident's file (a refused change is marked so)."""
    _event(action=action, resident_id=resident_id, detail=detail, outcome="ok")


def audit_look(*, action: str, resident_id: int, detail: str = "") -> None:
    """Record a look at a part of a file, once per visit: a GET within the visit window is not recorded again."""
    if has_request_context() and request.method == "GET" and current_user.is_authenticated:
        part = action.split(".", 1)[0]
        if audit_look_recent(actor_id=current_user.id, resident_id=resident_id, part=part,
                             since=utcnow() - VISIT_WINDOW):
            return
    audit_record(action=action, resident_id=resident_id, detail=detail)


def audit_refused(*, action: str, resident_id: int | None = None, detail: str = "") -> None:
    """Record a refused attempt; it is stored even though the request ends in an error."""
    _event(action=action, resident_id=resident_id, detail=detail, outcome="refused")
