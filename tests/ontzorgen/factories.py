"""Ontzorgen test data: an arrangement for a resident, fixed costs with creditors, payments.

make_arrangement(resident, starts_on=..., costs=[{"kind": "rent"}, ...]) makes the arrangement and its costs;
make_cost(arrangement, kind=..., iban=..., amount_cents=...) one cost (its creditor found or made by IBAN);
make_payment(cost, ...) one payment. Call inside an app context; they flush, the test commits.

Every IBAN here is fictitious: checksum valid, with the bank code DEMO that no Dutch bank has.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from schwifty import IBAN
from sqlalchemy import select

from portal.caseload.models import Resident
from portal.db import db
from portal.ontzorgen.models import MONTHS, Arrangement, CostKind, Creditor, FixedCost, Payment, PaymentState


def fictitious_iban(account: int) -> str:
    """A checksum-valid Dutch IBAN of a bank that does not exist (code DEMO)."""
    return IBAN.generate("NL", bank_code="DEMO", account_code=f"{account:010d}").compact


# One creditor per kind of cost, as the sample files use them.
CREDITORS: dict[str, tuple[str, str]] = {
    CostKind.RENT.value: ("Woonstichting De Linde", fictitious_iban(1001)),
    CostKind.ENERGY.value: ("Energie Samen", fictitious_iban(1002)),
    CostKind.WATER.value: ("Waterbedrijf Midden", fictitious_iban(1003)),
    CostKind.HEALTH_INSURANCE.value: ("Zorgverzekeraar Gezond", fictitious_iban(1004)),
    CostKind.MUNICIPAL_TAX.value: ("Belastingsamenwerking Regio", fictitious_iban(1005)),
    CostKind.WATER_BOARD_TAX.value: ("Belastingsamenwerking Regio", fictitious_iban(1005)),
    CostKind.OTHER.value: ("Internet Thuis", fictitious_iban(1006)),
}
AMOUNTS: dict[str, int] = {
    CostKind.RENT.value: 812_50,
    CostKind.ENERGY.value: 120_00,
    CostKind.WATER.value: 21_35,
    CostKind.HEALTH_INSURANCE.value: 145_95,
    CostKind.MUNICIPAL_TAX.value: 35_00,
    CostKind.WATER_BOARD_TAX.value: 12_40,
    CostKind.OTHER.value: 30_00,
}
_references = itertools.count(1)


def creditor_for(*, iban: str, name: str) -> Creditor:
    compact = IBAN(iban).compact
    creditor = db.session.scalar(select(Creditor).where(Creditor.iban == compact))
    if creditor is None:
        creditor = Creditor(name=name, iban=compact)
        db.session.add(creditor)
        db.session.flush()
    return creditor


def make_cost(arrangement: Arrangement, *, kind: str = CostKind.RENT.value, iban: str | None = None,
              amount_cents: int | None = None, creditor_name: str | None = None, label: str = "",
              frequency: str = "monthly", ended_on: date | None = None) -> FixedCost:
    default_name, default_iban = CREDITORS[kind]
    cost = FixedCost(arrangement_id=arrangement.id, kind=kind,
                     label=label or ("Internet" if kind == CostKind.OTHER.value else ""),
                     creditor=creditor_for(iban=iban or default_iban, name=creditor_name or default_name),
                     amount_cents=amount_cents if amount_cents is not None else AMOUNTS[kind],
                     frequency=frequency, ended_on=ended_on)
    db.session.add(cost)
    db.session.flush()
    return cost


def make_arrangement(resident: Resident, *, starts_on: date | None = None, ends_on: date | None = None,
                     costs: Iterable[dict[str, Any] | str] = ()) -> Arrangement:
    """The arrangement (six months from the start, by default the start of the benefit) and its costs:
    each item a kind ("rent") or the keyword arguments of make_cost."""
    starts_on = starts_on or resident.benefit_started_on or date(2026, 9, 1)
    arrangement = Arrangement(resident_id=resident.id, starts_on=starts_on,
                              ends_on=ends_on or starts_on + relativedelta(months=MONTHS))
    db.session.add(arrangement)
    db.session.flush()
    for spec in costs:
        make_cost(arrangement, **({"kind": spec} if isinstance(spec, str) else spec))
    db.session.expire(arrangement, ["costs"])
    return arrangement


def make_payment(cost: FixedCost, *, amount_cents: int | None = None, paid_on: date | None = None,
                 period: date | None = None, state: str = PaymentState.SCHEDULED.value,
                 reference: str | None = None, source: str = "import", **overrides: Any) -> Payment:
    arrangement = db.session.get(Arrangement, cost.arrangement_id)
    paid_on = paid_on or arrangement.starts_on
    payment = Payment(arrangement_id=cost.arrangement_id, cost_id=cost.id, creditor_id=cost.creditor_id,
                      amount_cents=amount_cents if amount_cents is not None else cost.amount_cents,
                      paid_on=paid_on, period=(period or paid_on).replace(day=1), state=state,
                      reference=reference or f"TEST-{next(_references):06d}", source=source, **overrides)
    db.session.add(payment)
    db.session.flush()
    return payment
