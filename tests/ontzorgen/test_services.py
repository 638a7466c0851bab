"""Ontzorgen services and the resident's view of them, without HTTP: dates, extension, costs, payments,
returns, handover, month grouping and totals."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db
from portal.domain import DomainError
from portal.ontzorgen import services
from portal.ontzorgen.models import Creditor, HandoverCheck
from portal.ontzorgen.queries import ontzorgen_view
from tests.conftest import build_world

IBAN = "NL91ABNA0417164300"
START = date(2026, 9, 17)


@pytest.fixture
def cast(ctx):
    world = build_world()
    amina = db.session.get(Resident, world.amina_id)
    amina.benefit_started_on = START
    sanne = db.session.scalar(select(User).where(User.username == "sanne"))
    return amina, sanne


def _refused(call, field: str, text: str) -> None:
    with pytest.raises(DomainError) as refused:
        call()
    assert refused.value.field == field
    assert text in str(refused.value.message)


def test_start_defaults_to_six_months_from_the_benefit_and_happens_once(cast) -> None:
    amina, sanne = cast
    arrangement = services.arrangement_start(resident=amina, actor=sanne)
    assert (arrangement.starts_on, arrangement.ends_on) == (START, date(2027, 3, 17))
    _refused(lambda: services.arrangement_start(resident=amina, actor=sanne), "starts_on", "al gestart")


def test_start_needs_a_day_when_there_is_no_benefit(cast) -> None:
    amina, sanne = cast
    amina.benefit_started_on = None
    _refused(lambda: services.arrangement_start(resident=amina, actor=sanne), "starts_on", "uitkering begon")
    _refused(lambda: services.arrangement_start(resident=amina, actor=sanne, starts_on=date(1990, 1, 1)),
             "starts_on", "kan niet kloppen")


def test_extension_moves_the_end_with_a_reason_and_no_further_than_two_years(cast) -> None:
    amina, sanne = cast
    arrangement = services.arrangement_start(resident=amina, actor=sanne)
    _refused(lambda: services.arrangement_extend(arrangement=arrangement, actor=sanne, ends_on=date(2027, 3, 1),
                                                 reason="Later"), "ends_on", "na de huidige einddatum")
    _refused(lambda: services.arrangement_extend(arrangement=arrangement, actor=sanne, ends_on=date(2029, 1, 1),
                                                 reason="Later"), "ends_on", "twee jaar")
    _refused(lambda: services.arrangement_extend(arrangement=arrangement, actor=sanne, ends_on=date(2027, 6, 17),
                                                 reason="  "), "reason", "Vul dit veld in.")
    services.arrangement_extend(arrangement=arrangement, actor=sanne, ends_on=date(2027, 6, 17),
                                reason="De bankpas komt later.")
    view = ontzorgen_view(amina, today=date(2027, 4, 1))
    assert (view.period.months, view.period.month, view.period.running) == (9, 7, True)
    assert view.arrangement.extension_reason == "De bankpas komt later."


def test_costs_keep_a_creditor_once_and_refuse_bad_iban_kind_and_amount(cast) -> None:
    amina, sanne = cast
    arrangement = services.arrangement_start(resident=amina, actor=sanne)
    rent = services.cost_add(arrangement=arrangement, actor=sanne, kind="rent", creditor_name="De Linde",
                             iban="nl91 abna 0417 1643 00", amount_cents=81250)
    water = services.cost_add(arrangement=arrangement, actor=sanne, kind="water", creditor_name="Anders",
                              iban=IBAN, amount_cents=2135)
    assert rent.creditor_id == water.creditor_id and rent.creditor.iban == IBAN
    assert db.session.scalar(select(Creditor.name)) == "De Linde"
    add = services.cost_add
    _refused(lambda: add(arrangement=arrangement, actor=sanne, kind="rent", creditor_name="X",
                         iban="NL91ABNA0417164301", amount_cents=100), "iban", "IBAN klopt niet")
    _refused(lambda: add(arrangement=arrangement, actor=sanne, kind="casino", creditor_name="X", iban=IBAN,
                         amount_cents=100), "kind", "Kies een optie")
    _refused(lambda: add(arrangement=arrangement, actor=sanne, kind="other", creditor_name="X", iban=IBAN,
                         amount_cents=100), "label", "Vul dit veld in.")
    _refused(lambda: add(arrangement=arrangement, actor=sanne, kind="rent", creditor_name="X", iban=IBAN,
                         amount_cents=-1), "amount", "groter dan nul")
    _refused(lambda: add(arrangement=arrangement, actor=sanne, kind="rent", creditor_name="X", iban=IBAN,
                         amount_cents=10**12), "amount", "te hoog")
    services.cost_end(cost=rent, actor=sanne, ended_on=date(2026, 12, 1))
    _refused(lambda: services.cost_end(cost=rent, actor=sanne), "ended_on", "al gestopt")


def test_payments_group_per_month_and_returned_ones_are_not_counted_as_paid(cast) -> None:
    amina, sanne = cast
    arrangement = services.arrangement_start(resident=amina, actor=sanne)
    rent = services.cost_add(arrangement=arrangement, actor=sanne, kind="rent", creditor_name="De Linde",
                             iban=IBAN, amount_cents=81250)
    for months in range(3):
        services.payment_record(arrangement=arrangement, actor=sanne, cost=rent, amount_cents=81250,
                                paid_on=START + relativedelta(months=months), reference=f"R{months}")
    returned = services.payment_record(arrangement=arrangement, actor=sanne, cost=rent, amount_cents=81250,
                                       paid_on=date(2026, 11, 20), period=date(2026, 11, 1), reference="R-extra")
    services.payment_return(payment=returned, actor=sanne, reason="Dubbel betaald.", code="AM05")
    _refused(lambda: services.payment_return(payment=returned, actor=sanne, reason="Nog eens"), "reason", "al")
    _refused(lambda: services.payment_record(arrangement=arrangement, actor=sanne, cost=rent, amount_cents=1,
                                             paid_on=START, reference="R0"), "reference", "al geboekt")
    _refused(lambda: services.payment_record(arrangement=arrangement, actor=sanne, cost=rent, amount_cents=1,
                                             paid_on=START, period=date(2027, 5, 1)), "period", "buiten de periode")

    view = ontzorgen_view(amina, today=date(2026, 11, 25))
    assert [(g.month, len(g.payments), g.total_cents) for g in view.months] == [
        (date(2026, 11, 1), 2, 81250), (date(2026, 10, 1), 1, 81250), (date(2026, 9, 1), 1, 81250)]
    assert view.total_cents == 3 * 81250
    assert [p.reference for p in view.open_returns] == ["R-extra"]
    [row] = view.costs
    assert (row.last.reference, row.next_on) == ("R2", date(2026, 12, 17))  # the returned one is no "last"
    services.payment_solve(payment=returned, actor=sanne)
    assert ontzorgen_view(amina, today=date(2026, 11, 25)).open_returns == []
    _refused(lambda: services.payment_solve(payment=returned, actor=sanne), "reason", "Alleen een teruggekomen")


def test_handover_items_tick_and_untick_once(cast) -> None:
    amina, sanne = cast
    arrangement = services.arrangement_start(resident=amina, actor=sanne)
    services.handover_set(arrangement=arrangement, actor=sanne, item="huurtoeslag", done=True)
    services.handover_set(arrangement=arrangement, actor=sanne, item="huurtoeslag", done=True)
    services.handover_set(arrangement=arrangement, actor=sanne, item="zorgtoeslag", done=True)
    services.handover_set(arrangement=arrangement, actor=sanne, item="zorgtoeslag", done=False)
    assert db.session.scalars(select(HandoverCheck.item)).all() == ["huurtoeslag"]
    assert ontzorgen_view(amina).handover == {"direct_debits": False, "zorgtoeslag": False, "huurtoeslag": True,
                                              "tax_credits": False}
    _refused(lambda: services.handover_set(arrangement=arrangement, actor=sanne, item="loterij", done=True),
             "item", "Kies een optie")


@pytest.mark.parametrize(("today", "month", "ending_soon"), [
    (date(2026, 9, 17), 1, False), (date(2026, 12, 16), 3, False), (date(2027, 1, 17), 5, True),
    (date(2027, 3, 16), 6, True), (date(2027, 3, 17), 7, False)])
def test_the_notice_starts_in_month_five(cast, today, month, ending_soon) -> None:
    amina, sanne = cast
    services.arrangement_start(resident=amina, actor=sanne)
    period = ontzorgen_view(amina, today=today).period
    assert (period.month, period.ending_soon) == (month, ending_soon)
