"""Reads for the caseload and the resident's file."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db
from portal.roles import Role

PAGE_SIZE = 50
MAX_PAGE = 100_000  # a larger page number is a wish for the last page, not an offset for the database


def resident_visible_to(staff: User) -> ColumnElement[bool]:
    """The one rule of which residents a staff member may see: the contact person's and the counsellor's own.

    A condition on Resident, for any query of any area that must keep to a caseload.
    """
    if staff.role == Role.CASEWORKER:
        return Resident.contact_person_id == staff.id
    if staff.role == Role.COUNSELLOR:
        return Resident.counsellor_id == staff.id
    return false()


def _visible_to(staff: User) -> Select:
    return select(Resident).join(Resident.user).where(resident_visible_to(staff))


def caseload_list_for_staff(*, staff: User, search: str = "", page: int = 1) -> tuple[list[Resident], int]:
    """One page of the staff member's own caseload, by name, and the total count.

    A page number below 1 gives the first page, one past the end the last.
    """
    stmt = _visible_to(staff)
    if search:
        pattern = f"%{search.lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(pattern), func.lower(Resident.client_number).like(pattern)))
    stmt = stmt.options(joinedload(Resident.contact_person)).order_by(User.name, Resident.id)
    found = db.paginate(stmt, page=min(max(page, 1), MAX_PAGE), per_page=PAGE_SIZE, error_out=False)
    if not found.items and found.page > 1 and found.total:
        found = db.paginate(stmt, page=found.pages, per_page=PAGE_SIZE, error_out=False)
    return found.items, found.total or 0


def resident_get_for_staff(*, staff: User, resident_id: int) -> Resident | None:
    """The resident if they are in this staff member's caseload, else None."""
    return db.session.scalar(
        _visible_to(staff)
        .options(joinedload(Resident.contact_person), joinedload(Resident.counsellor))
        .where(Resident.id == resident_id)
    )


def staff_list(*, role: Role) -> list[User]:
    """Active staff of one role, by name."""
    return list(
        db.session.scalars(select(User).where(User.role == role.value, User.active.is_(True)).order_by(User.name))
    )


def resident_file_export(resident: Resident) -> dict[str, Any]:
    """The file part of a resident's data export."""
    return {
        "client_number": resident.client_number,
        "date_of_birth": resident.date_of_birth.isoformat() if resident.date_of_birth else None,
        "linked_on": resident.linked_on.isoformat() if resident.linked_on else None,
        "benefit_started_on": resident.benefit_started_on.isoformat() if resident.benefit_started_on else None,
        "contact_person": resident.contact_person.name,
        "counsellor": resident.counsellor.name if resident.counsellor else None,
    }
