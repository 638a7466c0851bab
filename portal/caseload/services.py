"""Writes for the caseload: creating a resident with an account."""

from __future__ import annotations

from datetime import date

from portal.accounts.models import User
from portal.accounts.services import username_suggest
from portal.caseload.models import Resident
from portal.db import db
from portal.domain import DomainError
from portal.i18n import LANGUAGES, _l
from portal.roles import Role
from portal.web.forms import has_forbidden_characters


def resident_create(
    *,
    name: str,
    language: str,
    contact_person: User,
    date_of_birth: date | None = None,
    linked_on: date | None = None,
    benefit_started_on: date | None = None,
    counsellor: User | None = None,
    username: str | None = None,
    today: date | None = None,
) -> Resident:
    """A resident's file and account, without a password: it is activated with a code."""
    name = name.strip()
    if not name or len(name) > 120 or has_forbidden_characters(name):
        raise DomainError(_l("Vul een geldige naam in."), field="name")
    if language not in LANGUAGES:
        raise DomainError(_l("Kies een taal uit de lijst."), field="language")
    if contact_person.role != Role.CASEWORKER:
        raise DomainError(_l("Een contactpersoon moet een regievoerder zijn."))
    if counsellor is not None and counsellor.role != Role.COUNSELLOR:
        raise DomainError(_l("Kies een maatschappelijk begeleider uit de lijst."), field="counsellor_id")
    today = today or date.today()
    if date_of_birth is not None and not (date(1900, 1, 1) <= date_of_birth <= today):
        raise DomainError(_l("Deze geboortedatum kan niet kloppen."), field="date_of_birth")
    if linked_on is not None and linked_on > today:
        raise DomainError(_l("De koppeling kan niet in de toekomst liggen."), field="linked_on")
    user = User(
        username=username or username_suggest(name),
        name=name,
        role=Role.RESIDENT.value,
        language=language,
    )
    db.session.add(user)
    db.session.flush()
    resident = Resident(
        user=user,
        contact_person=contact_person,
        counsellor=counsellor,
        client_number=f"W{user.id:06d}",
        date_of_birth=date_of_birth,
        linked_on=linked_on,
        benefit_started_on=benefit_started_on,
    )
    db.session.add(resident)
    db.session.flush()
    return resident


def resident_guidance_end(*, resident: Resident, on: date | None) -> Resident:
    """Record the last day of the municipality's guidance (None: guidance runs again); retention counts from it."""
    from portal.audit.services import audit_record

    resident.guidance_ended_on = on
    audit_record(action="resident.guidance_end", resident_id=resident.id, detail=on.isoformat() if on else "reopened")
    return resident
