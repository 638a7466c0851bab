"""make_<thing>(**overrides) for appointments. Call inside an app context."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.appointments.models import Appointment
from portal.caseload.models import Resident
from portal.db import db, utcnow
from tests.factories import make_resident


def make_appointment(*, resident: Resident | None = None, starts_at: datetime | None = None, minutes: int = 60,
                     **overrides) -> Appointment:
    """An appointment stored as is (no service rules), so tests can also place it in the past."""
    resident = resident or make_resident()
    starts_at = starts_at or (utcnow() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    now = overrides.pop("now", None) or datetime.now(UTC)
    appointment = Appointment(
        resident_id=resident.id,
        kind=overrides.pop("kind", "contact_talk"),
        starts_at=starts_at,
        ends_at=overrides.pop("ends_at", starts_at + timedelta(minutes=minutes)),
        location_kind=overrides.pop("location_kind", "address"),
        location=overrides.pop("location", "Stadskantoor, Marktplein 1, Wegwijk"),
        staff_id=overrides.pop("staff_id", resident.contact_person_id),
        created_by_id=overrides.pop("created_by_id", resident.contact_person_id),
        created_at=overrides.pop("created_at", now),
        updated_at=overrides.pop("updated_at", now),
        status=overrides.pop("status", "planned"),
        sequence=overrides.pop("sequence", 0),
        **overrides,
    )
    db.session.add(appointment)
    db.session.flush()
    return appointment
