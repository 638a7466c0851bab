"""The ontzorgen demo: amina in month 3 with her five fixed costs paid every month and one solved return; yonas
ended with the whole checklist done; about a third of the others with plausible arrangements."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date

from dateutil.relativedelta import relativedelta
from schwifty import IBAN
from sqlalchemy import func, select

from portal.db import db
from portal.demo import demo_load
from portal.ontzorgen.demo import CREDITORS
from portal.ontzorgen.models import Arrangement, Creditor, Payment, PaymentState
from portal.ontzorgen.queries import ontzorgen_view

AMINA_KINDS = {"rent", "energy", "water", "health_insurance", "municipal_tax"}


def test_the_demo_gives_amina_month_3_and_yonas_an_ended_arrangement(ctx) -> None:
    started = time.perf_counter()
    demo = demo_load()
    db.session.commit()
    assert time.perf_counter() - started < 30  # the whole demo, ontzorgen included, stays quick

    amina = ontzorgen_view(demo.amina, today=demo.today)
    assert amina.arrangement is not None and amina.arrangement.starts_on == demo.amina.benefit_started_on
    assert (amina.period.month, amina.period.months, amina.period.running) == (3, 6, True)
    assert {row.cost.kind for row in amina.active_costs} == AMINA_KINDS and len(amina.costs) == 5
    payments = [p for group in amina.months for p in group.payments]
    months, month = set(), amina.arrangement.starts_on.replace(day=1)
    while month <= demo.today:
        months.add(month)
        month += relativedelta(months=1)
    assert {p.period for p in payments} == months and len(months) in (3, 4)  # from its first month to this one
    for row in amina.costs:  # every cost paid every month so far
        assert row.last is not None and row.last.state == PaymentState.PAID
        paid = {p.period for p in payments if p.cost_id == row.cost.id and p.state == PaymentState.PAID}
        assert len(paid) >= 3 and paid <= months
    assert Counter(p.state for p in payments)[PaymentState.SCHEDULED] == 0
    returned = [p for p in payments if p.state == PaymentState.RETURNED]
    assert len(returned) == 1 and not amina.open_returns
    back = returned[0]
    assert back.solved_at is not None and back.return_reason.startswith("Het betalingskenmerk ontbrak.")
    again = [p for p in payments if p.cost_id == back.cost_id and p.period == back.period and p.id != back.id]
    assert len(again) == 1 and again[0].state == PaymentState.PAID and again[0].paid_on > back.returned_on

    yonas = ontzorgen_view(demo.yonas, today=demo.today)
    assert yonas.period.ended and not yonas.period.running
    assert yonas.arrangement.starts_on == demo.today - relativedelta(months=8)
    assert all(yonas.handover.values()) and len(yonas.handover) == 4
    assert yonas.months and all(p.state == PaymentState.PAID for g in yonas.months for p in g.payments)
    assert yonas.active_costs  # what he pays himself now

    # Creditors once each, with checksum-valid IBANs, the same on every load.
    creditors = db.session.scalars(select(Creditor)).all()
    assert {c.name for c in creditors} == {name for name, _, _ in CREDITORS.values()}
    for creditor in creditors:
        assert IBAN(creditor.iban).compact == creditor.iban
    assert len({c.iban_masked for c in creditors}) == len(creditors)  # told apart when masked too
    assert db.session.scalar(select(Creditor.iban).where(Creditor.name == "Woonstichting De Linde")) == (
        IBAN.generate("NL", bank_code="ABNA", account_code="0123456789").compact)

    # About a third of the others: some running, some ended, a few with a return that is not solved yet.
    arrangements = db.session.scalars(select(Arrangement)).all()
    others = len(demo.residents) - 2
    assert others // 4 <= len(arrangements) - 2 <= others // 3 + 1
    today = demo.today
    running = [a for a in arrangements if a.starts_on <= today < a.ends_on]
    ended = [a for a in arrangements if a.ends_on <= today]
    assert len(running) >= 10 and len(ended) >= 50
    open_returns = db.session.scalar(select(func.count(Payment.id)).where(
        Payment.state == PaymentState.RETURNED.value, Payment.solved_at.is_(None)))
    assert 1 <= open_returns <= 5
    assert any(a.extension_reason for a in arrangements)


def test_the_demo_on_a_month_end(ctx, monkeypatch) -> None:
    """Loaded on 31 January amina is still in month 3, yonas's period still ended."""
    monkeypatch.setattr("portal.demo.RESIDENT_COUNT", 40)  # a smaller demo: this test is about amina and yonas
    demo = demo_load(today=date(2027, 1, 31))
    db.session.flush()
    amina = ontzorgen_view(demo.amina, today=demo.today)
    assert amina.period.month == 3 and not amina.open_returns
    assert ontzorgen_view(demo.yonas, today=demo.today).period.ended
