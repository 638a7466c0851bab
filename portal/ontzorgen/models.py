"""Ontzorgen: the arrangement (how long the municipality pays), the fixed costs, creditors, payments, the
handover checklist, and uploaded payment runs and bank statements waiting for confirmation.

Money is integer cents. A payment's `reference` is unique: importing the same payment run twice books
nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import UTCDateTime, db, utcnow
from portal.i18n import N_

MONTHS = 6



class CostKind(StrEnum):
    RENT = "rent"
    ENERGY = "energy"
    WATER = "water"
    HEALTH_INSURANCE = "health_insurance"
    MUNICIPAL_TAX = "municipal_tax"
    WATER_BOARD_TAX = "water_board_tax"
    OTHER = "other"


COST_LABELS = {
    CostKind.RENT: N_("Huur"),
    CostKind.ENERGY: N_("Energie (gas en stroom)"),
    CostKind.WATER: N_("Water"),
    CostKind.HEALTH_INSURANCE: N_("Zorgverzekering"),
    CostKind.MUNICIPAL_TAX: N_("Gemeentelijke belastingen"),
    CostKind.WATER_BOARD_TAX: N_("Waterschapsbelasting"),
    CostKind.OTHER: N_("Andere vaste last"),
}
COST_ICONS = {
    CostKind.RENT: "home",
    CostKind.ENERGY: "bolt",
    CostKind.WATER: "drop",
    CostKind.HEALTH_INSURANCE: "health",
    CostKind.MUNICIPAL_TAX: "building",
    CostKind.WATER_BOARD_TAX: "wave",
    CostKind.OTHER: "receipt",
}


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


FREQUENCY_LABELS = {
    Frequency.MONTHLY: N_("elke maand"),
    Frequency.QUARTERLY: N_("elk kwartaal"),
    Frequency.YEARLY: N_("elk jaar"),
}
FREQUENCY_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}


class PaymentState(StrEnum):
    SCHEDULED = "scheduled"
    PAID = "paid"
    RETURNED = "returned"


STATE_LABELS = {
    PaymentState.SCHEDULED: N_("Gepland"),
    PaymentState.PAID: N_("Betaald"),
    PaymentState.RETURNED: N_("Teruggekomen"),
}


class HandoverItem(StrEnum):
    DIRECT_DEBITS = "direct_debits"
    ZORGTOESLAG = "zorgtoeslag"
    HUURTOESLAG = "huurtoeslag"
    TAX_CREDITS = "tax_credits"


HANDOVER_LABELS = {
    HandoverItem.DIRECT_DEBITS: N_("Automatische incasso's voor je vaste lasten zijn geregeld"),
    HandoverItem.ZORGTOESLAG: N_("Zorgtoeslag is aangevraagd"),
    HandoverItem.HUURTOESLAG: N_("Huurtoeslag is aangevraagd"),
    HandoverItem.TAX_CREDITS: N_("Heffingskortingen zijn geregeld"),
}


class Arrangement(db.Model):
    """The period in which the municipality pays this resident's fixed costs out of the benefit."""

    __tablename__ = "ontzorgen_arrangements"
    __table_args__ = (CheckConstraint("ends_on > starts_on", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]  # the first day the resident pays again
    extension_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    resident: Mapped[Resident] = relationship()
    costs: Mapped[list[FixedCost]] = relationship(back_populates="arrangement", order_by="FixedCost.id",
                                                  cascade="all, delete-orphan")
    handover: Mapped[list[HandoverCheck]] = relationship(back_populates="arrangement",
                                                         cascade="all, delete-orphan")

    @property
    def extended(self) -> bool:
        return self.extension_reason is not None


class Creditor(db.Model):
    """Who receives a payment: kept once per IBAN and reused."""

    __tablename__ = "ontzorgen_creditors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    iban: Mapped[str] = mapped_column(String(34), unique=True)  # compact, upper case, checksum valid
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def iban_masked(self) -> str:
        """Only the last four characters, the way a resident sees it."""
        return "•••• " + self.iban[-4:]


class FixedCost(db.Model):
    """One fixed-cost agreement: what, to whom, how much, how often."""

    __tablename__ = "ontzorgen_costs"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount"),
        CheckConstraint(f"kind IN ({', '.join(repr(k.value) for k in CostKind)})", name="kind"),
        CheckConstraint(f"frequency IN ({', '.join(repr(f.value) for f in Frequency)})", name="frequency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("ontzorgen_arrangements.id", ondelete="CASCADE"),
                                                index=True)
    kind: Mapped[str] = mapped_column(String(24))
    label: Mapped[str] = mapped_column(String(120), default="")  # for "other": what it is
    creditor_id: Mapped[int] = mapped_column(ForeignKey("ontzorgen_creditors.id"), index=True)
    amount_cents: Mapped[int]
    frequency: Mapped[str] = mapped_column(String(16), default=Frequency.MONTHLY.value)
    ended_on: Mapped[date | None]  # no longer paid from this day
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    arrangement: Mapped[Arrangement] = relationship(back_populates="costs")
    creditor: Mapped[Creditor] = relationship(lazy="joined", innerjoin=True)

    @property
    def active(self) -> bool:
        return self.ended_on is None


class Payment(db.Model):
    """A transfer the municipality made (or will make) for the resident."""

    __tablename__ = "ontzorgen_payments"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount"),
        CheckConstraint(f"state IN ({', '.join(repr(s.value) for s in PaymentState)})", name="state"),
        Index("ix_ontzorgen_payments_arrangement_paid_on", "arrangement_id", "paid_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("ontzorgen_arrangements.id", ondelete="CASCADE"))
    cost_id: Mapped[int | None] = mapped_column(ForeignKey("ontzorgen_costs.id", ondelete="SET NULL"), index=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("ontzorgen_creditors.id"), index=True)
    amount_cents: Mapped[int]
    paid_on: Mapped[date]  # the day of the transfer
    period: Mapped[date]  # first day of the month the payment is for
    state: Mapped[str] = mapped_column(String(16), default=PaymentState.SCHEDULED.value)
    reference: Mapped[str] = mapped_column(String(64), unique=True)  # payment reference (end-to-end id)
    return_code: Mapped[str | None] = mapped_column(String(8))
    return_reason: Mapped[str | None] = mapped_column(Text)
    returned_on: Mapped[date | None]
    solved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(16), default="manual")  # manual | import
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    arrangement: Mapped[Arrangement] = relationship()
    cost: Mapped[FixedCost | None] = relationship()
    creditor: Mapped[Creditor] = relationship(lazy="joined", innerjoin=True)

    @property
    def open_return(self) -> bool:
        """Returned and not solved yet: the resident and the contact person see it until it is."""
        return self.state == PaymentState.RETURNED and self.solved_at is None


class HandoverCheck(db.Model):
    """One ticked item of the handover checklist."""

    __tablename__ = "ontzorgen_handover"
    __table_args__ = (UniqueConstraint("arrangement_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("ontzorgen_arrangements.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(24))
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    arrangement: Mapped[Arrangement] = relationship(back_populates="handover")


class Upload(db.Model):
    """An uploaded payment run (CSV) or bank statement (MT940), kept between preview and confirmation."""

    __tablename__ = "ontzorgen_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # payments | statement
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    uploaded_by: Mapped[User] = relationship()
