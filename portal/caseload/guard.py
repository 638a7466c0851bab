"""Loading a resident's file for staff: only from one's own caseload, and always audited.

`staff_file` is the one way a staff view gets a resident: it loads through the caseload rule, records
the look (once per visit for reading, every time for a change) and answers 404 — logged — otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from portal.audit.services import audit_look, audit_refused
from portal.caseload.models import Resident
from portal.caseload.queries import resident_get_for_staff
from portal.roles import Role


def staff_resident_or_404(resident_id: int, *, action: str, detail: str = "",
                          contact_person_only: bool = False) -> Resident:
    """The resident from the caller's caseload, with the look logged; 404 and a logged refusal otherwise."""
    resident = resident_get_for_staff(staff=current_user, resident_id=resident_id)
    if resident is None:
        audit_refused(action=action, resident_id=resident_id, detail=detail)
        abort(404)
    if contact_person_only and current_user.role != Role.CASEWORKER:
        audit_refused(action=action, resident_id=resident_id, detail=detail)
        abort(403)
    audit_look(action=action, resident_id=resident.id, detail=detail)
    return resident


def describe(values: dict[str, Any]) -> str:
    """`goal_id=5, kind='pvt'` as 'goal 5 kind pvt' for the audit line (URL parts cut short)."""
    return " ".join(f"{key.removesuffix('_id')} {str(value)[:32]}" for key, value in values.items())


def staff_file(action: str, *, contact_person_only: bool = False) -> Callable:
    """Decorator: the view receives `resident` (from the caller's caseload, look logged) instead of `resident_id`."""
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(resident_id: int, **values: Any):
            resident = staff_resident_or_404(resident_id, action=action, detail=describe(values),
                                             contact_person_only=contact_person_only)
            return view(resident, **values)

        return wrapper

    return decorator
