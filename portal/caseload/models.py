"""A resident's file: the person, their contact person and counsellor."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import UTCDateTime, db, utcnow


class Resident(db.Model):
    __tablename__ = "residents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    contact_person_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    client_number: Mapped[str] = mapped_column(String(16), unique=True)
    date_of_birth: Mapped[date | None]
    linked_on: Mapped[date | None]  # koppeling: COA linked the person to the municipality
    # Start of the benefit: ontzorgen runs six months from here.
    benefit_started_on: Mapped[date | None]
    # The last day of the municipality's guidance (set by resident_guidance_end); retention counts from here.
    guidance_ended_on: Mapped[date | None]
    # When retention removed the file's personal data (portal/retention.py); the shell stays for the audit log.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(
        foreign_keys=[user_id], back_populates="resident", lazy="joined", innerjoin=True
    )
    contact_person: Mapped[User] = relationship(foreign_keys=[contact_person_id])
    counsellor: Mapped[User | None] = relationship(foreign_keys=[counsellor_id])

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def language(self) -> str:
        return self.user.language

    def __repr__(self) -> str:
        return f"<Resident {self.id}>"
