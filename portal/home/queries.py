"""What the home page shows, gathered in a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.caseload.models import Resident
from portal.ontzorgen.queries import OntzorgenPeriod, ontzorgen_period


@dataclass
class HomeSummary:
    ontzorgen: OntzorgenPeriod | None


def home_summary(resident: Resident, *, today: date | None = None) -> HomeSummary:
    """The cards of the home page for this resident."""
    return HomeSummary(ontzorgen=ontzorgen_period(resident, today=today))
