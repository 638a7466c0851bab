"""Tables of the appointments area: appointments, the resident's calendar feed, reminder deliveries."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import UTCDateTime, db, utcnow
from portal.i18n import _l

# Appointments happen in the municipality: shown and entered in Dutch local time, stored in UTC.
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")

KINDS = {
    "warm_handover": _l("Warme overdracht"),
    "broad_intake": _l("Brede intake"),
    "pip_talk": _l("Gesprek over je plan (PIP)"),
    "contact_talk": _l("Gesprek met je contactpersoon"),
    "language_school": _l("Taalschool"),
    "counsellor": _l("Maatschappelijk begeleider"),
    "pvt": _l("Participatieverklaring (PVT)"),
    "map": _l("Arbeidsmarkt en participatie (MAP)"),
    "other": _l("Andere afspraak"),
}
LOCATION_KINDS = {
    "address": _l("Op een adres"),
    "phone": _l("Telefonisch"),
    "video": _l("Videogesprek"),
}
STATUSES = ("planned", "cancelled")
RESPONSES = ("confirmed", "change_requested")
REMINDER_KINDS = ("day_before", "two_hours")
REMINDER_STATUSES = ("sending", "sent", "failed")


def _in(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


class Appointment(db.Model):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_in(KINDS)})", name="kind"),
        CheckConstraint(f"location_kind IN ({_in(LOCATION_KINDS)})", name="location_kind"),
        CheckConstraint(f"status IN ({_in(STATUSES)})", name="status"),
        CheckConstraint(f"response IS NULL OR response IN ({_in(RESPONSES)})", name="response"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_appointments_resident_starts", "resident_id", "starts_at"),
        Index("ix_appointments_staff_starts", "staff_id", "starts_at"),
        Index("ix_appointments_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location_kind: Mapped[str] = mapped_column(String(16), default="address")
    # An address, a phone number or a video link, depending on location_kind.
    location: Mapped[str] = mapped_column(String(300), default="")
    # With whom: a staff member of the portal, and/or someone outside it (a teacher, a doctor).
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    with_other: Mapped[str] = mapped_column(String(120), default="")
    # None: no interpreter; else the language code the interpreter speaks.
    interpreter_language: Mapped[str | None] = mapped_column(String(8))
    bring: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    # The resident's answer: None (not yet), confirmed, or change_requested with a reason.
    response: Mapped[str | None] = mapped_column(String(24))
    response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    change_reason: Mapped[str] = mapped_column(String(300), default="")
    # iCalendar SEQUENCE: raised on every change, so calendars replace their copy.
    sequence: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    resident: Mapped[Resident] = relationship()
    staff: Mapped[User | None] = relationship(foreign_keys=[staff_id])

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(LOCAL_TZ)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(LOCAL_TZ)

    @property
    def with_whom(self) -> str:
        """Who the resident meets, as shown: the staff member's name and/or the outside person."""
        names = [self.staff.name] if self.staff is not None else []
        if self.with_other:
            names.append(self.with_other)
        return ", ".join(names)

    @property
    def video_url(self) -> str | None:
        """The video link, only when it is an https address: a stored value is never a script link."""
        location = (self.location or "").strip()
        return location if self.location_kind == "video" and location.lower().startswith("https://") else None

    @property
    def tel_uri(self) -> str:
        return "tel:" + re.sub(r"[^0-9+]", "", self.location)

    def upcoming(self, now: datetime) -> bool:
        return self.ends_at > now

    def overlaps(self, other: Appointment) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def __repr__(self) -> str:
        return f"<Appointment {self.id} {self.kind} {self.starts_at:%Y-%m-%d %H:%M}Z>"


class CalendarFeed(db.Model):
    """The secret behind a resident's private calendar feed URL; a reset replaces it."""

    __tablename__ = "calendar_feeds"

    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    resident: Mapped[Resident] = relationship()


class ReminderDelivery(db.Model):
    """One reminder for one start time of one appointment; the unique key makes sending idempotent."""

    __tablename__ = "appointment_reminders"
    __table_args__ = (
        UniqueConstraint("appointment_id", "kind", "starts_at"),
        CheckConstraint(f"kind IN ({_in(REMINDER_KINDS)})", name="kind"),
        CheckConstraint(f"status IN ({_in(REMINDER_STATUSES)})", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    # The start the reminder was for: a moved appointment gets fresh reminders.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="sending")
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(255), default="")

    appointment: Mapped[Appointment] = relationship()
