"""What the home page shows, gathered in a fixed number of statements (one per card)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from portal.appointments.queries import appointment_home_card
from portal.caseload.models import Resident
from portal.learn.queries import learn_home_card
from portal.messages.queries import messages_home_card
from portal.ontzorgen.queries import HomeCard, ontzorgen_home_card
from portal.plan.queries import plan_home_card


@dataclass
class HomeSummary:
    appointment: Any
    plan: Any
    ontzorgen: HomeCard
    messages: Any
    learn: Any


def home_summary(resident: Resident, *, today: date | None = None, now: datetime | None = None) -> HomeSummary:
    """The cards of the home page for this resident."""
    return HomeSummary(
        appointment=appointment_home_card(resident, now=now),
        plan=plan_home_card(resident),
        ontzorgen=ontzorgen_home_card(resident, today=today),
        messages=messages_home_card(resident),
        learn=learn_home_card(resident),
    )
