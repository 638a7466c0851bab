"""Loading a resident's file for staff: only from one's own caseload, and always audited."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from portal.audit.services import audit_record, audit_refused
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
    audit_record(action=action, resident_id=resident.id, detail=detail)
    return resident
