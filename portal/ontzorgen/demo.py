"""Demo data of ontzorgen: amina in month 3 with five fixed costs paid every month and one returned payment
that was solved; yonas whose six months ended with the whole handover checklist done; and plausible
arrangements for about a third of the other residents (running, ended, extended, a few with a payment that
came back and is not solved yet).

Every creditor is invented; their IBANs are checksum-valid numbers made from fixed account codes, so they are
the same on every load. amina and yonas go through the services; the others are inserted in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from schwifty import IBAN
from sqlalchemy import insert, select

from portal.caseload.models import Resident
from portal.db import db
from portal.ontzorgen import services
from portal.ontzorgen.models import (
    FREQUENCY_MONTHS,
    MONTHS,
    Arrangement,
    Creditor,
    FixedCost,
    Frequency,
    HandoverCheck,
    HandoverItem,
    Payment,
    PaymentState,
)

# key: (name, bank code, account code). Fictitious organisations; fixed codes give the same IBAN every load,
# each ending in other digits so the masked numbers differ too.
CREDITORS = {
    "linde": ("Woonstichting De Linde", "ABNA", "0123456789"),
    "anker": ("Wooncorporatie Het Anker", "RABO", "0318245601"),
    "energy": ("Energie Samen", "INGB", "0006643120"),
    "water": ("Waterbedrijf Midden", "TRIO", "0212904417"),
    "insurer": ("Zorgverzekeraar Samen", "SNSB", "0907733542"),
    "municipality": ("Gemeente Belastingen", "BNGH", "0285019978"),
    "water_board": ("Waterschap De Vallei", "ASNB", "0711286034"),
    "internet": ("Glasnet Midden", "KNAB", "0412750283"),
}

# The day of the month each kind is paid (the first month: from the first day of ontzorgen).
PAY_DAY = {"rent": 1, "health_insurance": 1, "energy": 3, "water": 5, "municipal_tax": 8, "water_board_tax": 12,
           "other": 15}

# (code, reason in plain words): what a resident reads when a payment came back.
RETURNS = [
    ("AC01", "Het rekeningnummer van de ontvanger klopt niet. Daarom kwam het geld terug."),
    ("AC04", "De rekening van de ontvanger bestaat niet meer. Daarom kwam het geld terug."),
    ("MS03", "De bank van de ontvanger stuurde het geld terug zonder reden. Je contactpersoon zoekt het uit."),
]
AMINA_RETURN = ("Het betalingskenmerk ontbrak. Daarom kwam het geld terug. De gemeente heeft het opnieuw betaald "
                "met het goede kenmerk.")
EXTENSIONS = [
    "Je huurtoeslag is nog niet geregeld. Daarom betaalt de gemeente twee maanden langer.",
    "Je zorgtoeslag is nog niet toegekend. Daarom betaalt de gemeente nog even door.",
]


@dataclass(frozen=True)
class DemoCost:
    kind: str
    creditor: str  # key of CREDITORS
    cents: int
    frequency: str = Frequency.MONTHLY.value
    label: str = ""


AMINA_COSTS = [
    DemoCost("rent", "linde", 65240),
    DemoCost("energy", "energy", 14500),
    DemoCost("water", "water", 2150),
    DemoCost("health_insurance", "insurer", 13895),
    DemoCost("municipal_tax", "municipality", 3460),
]
YONAS_COSTS = [
    DemoCost("rent", "anker", 59875),
    DemoCost("energy", "energy", 11800),
    DemoCost("water", "water", 5820, Frequency.QUARTERLY.value),
    DemoCost("health_insurance", "insurer", 14120),
    DemoCost("municipal_tax", "municipality", 3140),
    DemoCost("water_board_tax", "water_board", 10450, Frequency.YEARLY.value),
]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _iban(bank: str, account: str) -> str:
    return IBAN.generate("NL", bank_code=bank, account_code=account).compact


def _creditors() -> dict[str, Creditor]:
    """Each creditor once, through the service (kept per IBAN, reused by every resident)."""
    return {key: services.creditor_get_or_add(name=name, iban=_iban(bank, account))
            for key, (name, bank, account) in CREDITORS.items()}


def _due(starts_on: date, ends_on: date, today: date, kind: str, frequency: str) -> list[tuple[date, date]]:
    """(month it is for, day paid) of every payment of one cost from the start until today."""
    step = FREQUENCY_MONTHS[Frequency(frequency)]
    first = starts_on.replace(day=1)
    due: list[tuple[date, date]] = []
    period = first
    while period < ends_on:
        paid_on = max(period.replace(day=PAY_DAY[kind]), starts_on)
        if paid_on > today or paid_on >= ends_on:
            break
        due.append((period, paid_on))
        period += relativedelta(months=step)
    return due


def _reference(resident: Resident, kind: str, period: date, attempt: int = 1) -> str:
    suffix = f"-{attempt}" if attempt > 1 else ""
    return f"WW-{resident.client_number}-{period:%Y%m}-{kind}{suffix}"


def _with_services(resident: Resident, today: date, starts_on: date, costs: list[DemoCost],
                   creditors: dict[str, Creditor]) -> tuple[Arrangement, dict[str, FixedCost]]:
    actor = resident.contact_person
    arrangement = services.arrangement_start(resident=resident, actor=actor, starts_on=starts_on)
    made: dict[str, FixedCost] = {}
    for cost in costs:
        creditor = creditors[cost.creditor]
        made[cost.kind] = fixed = services.cost_add(
            arrangement=arrangement, actor=actor, kind=cost.kind, creditor_name=creditor.name, iban=creditor.iban,
            amount_cents=cost.cents, frequency=cost.frequency, label=cost.label)
        for period, paid_on in _due(arrangement.starts_on, arrangement.ends_on, today, cost.kind, cost.frequency):
            services.payment_record(arrangement=arrangement, actor=actor, cost=fixed, amount_cents=cost.cents,
                                    paid_on=paid_on, period=period,
                                    reference=_reference(resident, cost.kind, period))
    return arrangement, made


def _amina(resident: Resident, today: date, creditors: dict[str, Creditor]) -> None:
    """Month 3: the arrangement starts with the benefit; the energy bill of the second month came back once."""
    starts_on = resident.benefit_started_on or today - timedelta(days=75)
    arrangement, costs = _with_services(resident, today, starts_on, AMINA_COSTS, creditors)
    energy = costs["energy"]
    period = starts_on.replace(day=1) + relativedelta(months=1)
    first = next(p for p in db.session.scalars(select(Payment).where(Payment.cost_id == energy.id))
                 if p.period == period)
    returned_on = first.paid_on + timedelta(days=4)
    services.payment_return(payment=first, actor=resident.contact_person, reason=AMINA_RETURN, code="RR04",
                            returned_on=returned_on)
    again = returned_on + timedelta(days=2)
    services.payment_record(arrangement=arrangement, actor=resident.contact_person, cost=energy,
                            amount_cents=energy.amount_cents, paid_on=again, period=period,
                            reference=_reference(resident, "energy", period, attempt=2))
    services.payment_solve(payment=first, actor=resident.contact_person)
    first.solved_at = _at(again, 11)  # on the demo's own calendar


def _yonas(resident: Resident, today: date, creditors: dict[str, Creditor]) -> None:
    """Started about eight months ago, so it ended two months ago; everything of the handover is done."""
    arrangement, _ = _with_services(resident, today, today - relativedelta(months=8), YONAS_COSTS, creditors)
    for item in HandoverItem:
        services.handover_set(arrangement=arrangement, actor=resident.contact_person, item=item.value, done=True)
    done_on = arrangement.ends_on - timedelta(days=30)
    for n, check in enumerate(db.session.scalars(select(HandoverCheck).where(
            HandoverCheck.arrangement_id == arrangement.id).order_by(HandoverCheck.id))):
        check.done_at = _at(done_on + timedelta(days=7 * n))


def _cents(rng, low: int, high: int) -> int:
    """A plausible amount: whole or five cents."""
    return rng.randint(low // 5, high // 5) * 5


def _costs_for(rng) -> list[DemoCost]:
    costs = [
        DemoCost("rent", rng.choice(("linde", "anker")), _cents(rng, 52000, 86000)),
        DemoCost("energy", "energy", _cents(rng, 8500, 19500)),
        DemoCost("health_insurance", "insurer", _cents(rng, 13500, 16500)),
    ]
    if rng.random() < 0.8:
        quarterly = rng.random() < 0.3
        costs.append(DemoCost("water", "water", _cents(rng, 5400, 7800) if quarterly else _cents(rng, 1500, 2800),
                              Frequency.QUARTERLY.value if quarterly else Frequency.MONTHLY.value))
    if rng.random() < 0.7:
        costs.append(DemoCost("municipal_tax", "municipality", _cents(rng, 2500, 4500)))
    if rng.random() < 0.4:
        costs.append(DemoCost("water_board_tax", "water_board", _cents(rng, 9000, 13000), Frequency.YEARLY.value))
    if rng.random() < 0.1:
        costs.append(DemoCost("other", "internet", _cents(rng, 3000, 5500), label="Internet en telefoon"))
    return costs


def _others(ctx, creditors: dict[str, Creditor]) -> None:
    """About a third of the other residents, the most recent benefits first (most never needed it again)."""
    rng, today = ctx.rng, ctx.today
    fixed = {ctx.amina.id, ctx.yonas.id}
    candidates = sorted((r for r in ctx.residents if r.id not in fixed and r.benefit_started_on is not None),
                        key=lambda r: (r.benefit_started_on, r.id), reverse=True)
    wanted = (len(ctx.residents) - len(fixed)) // 3
    chosen = [r for r in candidates if rng.random() < 0.9][:wanted]  # a few recent ones not started yet

    arrangements, plans = [], []
    for resident in chosen:
        starts_on = resident.benefit_started_on
        extended = rng.random() < 0.05
        arrangements.append({
            "resident_id": resident.id, "starts_on": starts_on,
            "ends_on": starts_on + relativedelta(months=MONTHS + (2 if extended else 0)),
            "extension_reason": rng.choice(EXTENSIONS) if extended else None,
            "created_at": _at(starts_on, 9), "created_by_id": resident.contact_person_id,
        })
        plans.append((resident, _costs_for(rng)))
    if not arrangements:
        return
    arrangement_ids = db.session.scalars(
        insert(Arrangement).returning(Arrangement.id, sort_by_parameter_order=True), arrangements).all()

    cost_rows, cost_keys = [], []
    for arrangement_id, row, (resident, costs) in zip(arrangement_ids, arrangements, plans, strict=True):
        for cost in costs:
            cost_rows.append({"arrangement_id": arrangement_id, "kind": cost.kind, "label": cost.label,
                              "creditor_id": creditors[cost.creditor].id, "amount_cents": cost.cents,
                              "frequency": cost.frequency, "created_at": _at(row["starts_on"], 9)})
            cost_keys.append((arrangement_id, row, resident, cost))
    cost_ids = db.session.scalars(
        insert(FixedCost).returning(FixedCost.id, sort_by_parameter_order=True), cost_rows).all()

    payments: list[dict] = []
    last_of: dict[int, dict] = {}  # arrangement id → its latest payment (for an open return)
    for cost_id, (arrangement_id, row, resident, cost) in zip(cost_ids, cost_keys, strict=True):
        for period, paid_on in _due(row["starts_on"], row["ends_on"], today, cost.kind, cost.frequency):
            payment = {"arrangement_id": arrangement_id, "cost_id": cost_id,
                       "creditor_id": creditors[cost.creditor].id, "amount_cents": cost.cents, "paid_on": paid_on,
                       "period": period, "state": PaymentState.PAID.value, "source": "import",
                       "reference": _reference(resident, cost.kind, period), "created_at": _at(paid_on, 8)}
            payments.append(payment)
            if arrangement_id not in last_of or paid_on > last_of[arrangement_id]["paid_on"]:
                last_of[arrangement_id] = payment

    running = [a_id for a_id, row in zip(arrangement_ids, arrangements, strict=True)
               if row["starts_on"] <= today < row["ends_on"] and a_id in last_of]
    for arrangement_id in rng.sample(running, min(5, len(running))):  # came back, not solved yet
        payment = last_of[arrangement_id]
        code, reason = rng.choice(RETURNS)
        payment.update(state=PaymentState.RETURNED.value, return_code=code, return_reason=reason,
                       returned_on=min(today, payment["paid_on"] + timedelta(days=3)))
    for payment in payments:
        payment.setdefault("return_code", None)
        payment.setdefault("return_reason", None)
        payment.setdefault("returned_on", None)
    if payments:
        db.session.execute(insert(Payment), payments)

    checks = []
    for arrangement_id, row, resident in zip(arrangement_ids, arrangements, chosen, strict=True):
        ended = row["ends_on"] <= today
        month_5 = row["ends_on"] - relativedelta(months=2)
        if not ended and today < month_5:
            continue
        items = list(HandoverItem) if ended and rng.random() < 0.85 else rng.sample(list(HandoverItem),
                                                                                     rng.randint(1, 3))
        for n, item in enumerate(items):
            done_on = min(today, month_5 + timedelta(days=5 + 6 * n))
            checks.append({"arrangement_id": arrangement_id, "item": item.value, "done_at": _at(done_on, 14),
                           "done_by_id": resident.contact_person_id})
    if checks:
        db.session.execute(insert(HandoverCheck), checks)


def seed(ctx) -> None:
    """Add this area's fictitious demo data (ctx: portal.demo.DemoContext)."""
    creditors = _creditors()
    _amina(ctx.amina, ctx.today, creditors)
    _yonas(ctx.yonas, ctx.today, creditors)
    _others(ctx, creditors)
    db.session.flush()
