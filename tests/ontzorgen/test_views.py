"""The resident's ontzorgen page: how long it runs, the fixed costs, what was paid per month, what comes after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from babel.numbers import format_currency
from dateutil.relativedelta import relativedelta
from sqlalchemy import select, update

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db
from portal.ontzorgen import services
from portal.ontzorgen.models import Arrangement, FixedCost, HandoverItem, Payment
from tests.conftest import login
from tests.factories import make_resident

pytestmark = pytest.mark.residents_read_dutch

HX = {"HX-Request": "true"}
LANDLORD_IBAN = "NL91ABNA0417164300"  # the checksum-valid example IBAN of the Dutch banks' documentation
INSURER_IBAN = "NL20INGB0001234567"
TODAY = date.today()
MONTH_3 = TODAY - timedelta(days=70)  # month 3 on any day of the year: 2 months <= 70 days < 3 months
MONTH_5 = TODAY - timedelta(days=130)  # month 5: 4 months <= 130 days < 5 months


def nl_money(cents: int) -> str:
    return format_currency(cents / 100, "EUR", locale="nl")


def nl_date(day: date) -> str:
    return format_date(day, "long", locale="nl")


def nl_month(day: date) -> str:
    return format_date(day, "MMMM y", locale="nl")


# Small local helpers through the services (tests/ontzorgen/factories.py did not exist yet).

def _start(resident_id: int, starts_on: date) -> Arrangement:
    resident = db.session.get(Resident, resident_id)
    return services.arrangement_start(resident=resident, actor=resident.contact_person, starts_on=starts_on)


def _cost(arrangement: Arrangement, kind: str, creditor: str, iban: str, cents: int, **extra) -> FixedCost:
    return services.cost_add(arrangement=arrangement, actor=arrangement.resident.contact_person, kind=kind,
                             creditor_name=creditor, iban=iban, amount_cents=cents, **extra)


def _pay(arrangement: Arrangement, cost: FixedCost, period: date, cents: int | None = None) -> Payment:
    return services.payment_record(arrangement=arrangement, actor=None, cost=cost,
                                   amount_cents=cents or cost.amount_cents,
                                   paid_on=max(period, arrangement.starts_on), period=period)


def _months(starts_on: date, count: int) -> list[date]:
    first = starts_on.replace(day=1)
    return [first + relativedelta(months=n) for n in range(count)]


RENT, PREMIUM = 81250, 13995


def _amina_in_month_3(app, world, *, returned: bool = True) -> dict:
    """Rent and health insurance, paid three months; the premium of the second month came back."""
    with app.app_context():
        arrangement = _start(world.amina_id, MONTH_3)
        rent = _cost(arrangement, "rent", "Woonstichting De Linde", LANDLORD_IBAN, RENT)
        premium = _cost(arrangement, "health_insurance", "Zorgverzekeraar Samen", INSURER_IBAN, PREMIUM)
        months = _months(MONTH_3, 3)
        for month in months:
            _pay(arrangement, rent, month)
            payment = _pay(arrangement, premium, month)
            if returned and month == months[1]:
                services.payment_return(payment=payment, actor=None, returned_on=month + timedelta(days=5),
                                        reason="Het rekeningnummer van de zorgverzekeraar was veranderd.")
        db.session.commit()
        return {"months": months, "ends_on": arrangement.ends_on, "arrangement_id": arrangement.id}


def _page(client, headers=None) -> str:
    response = client.get("/ontzorgen", headers=headers or {})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_month_3_shows_the_period_the_costs_and_the_payments_per_month(app, client, world) -> None:
    data = _amina_in_month_3(app, world)
    login(client, "amina")
    html = _page(client)
    assert "Je bent in maand 3 van 6." in html
    assert '<progress class="progress" max="6" value="3" aria-label="Maand 3 van 6">' in html
    assert f"Nog {(data['ends_on'] - TODAY).days} dagen." in html
    assert nl_date(MONTH_3) in html and nl_date(data["ends_on"]) in html
    assert "Ontzorgen stopt bijna" not in html  # not before month five
    # My fixed costs: one card per cost, kind, receiver, amount, how often
    assert html.count('class="card ontzorgen-cost"') == 2
    assert "Huur" in html and "Zorgverzekering" in html and "Woonstichting De Linde" in html
    assert f"<strong>{nl_money(RENT)}</strong> <span>elke maand</span>" in html
    assert '<use href="/static/img/icons.svg?v=' in html and "#home" in html and "#health" in html
    # The last payment of the rent, and the next one a month later
    last_rent = max(data["months"][-1], MONTH_3)
    assert f"<dt>Laatst betaald</dt><dd>{nl_date(last_rent)}</dd>" in html
    # Per month, newest first, the month's total of paid payments and the total since the start
    months = data["months"]
    headings = [f">{nl_month(month)}</h3>" for month in months]
    assert all(h in html for h in headings)
    assert html.index(headings[2]) < html.index(headings[1]) < html.index(headings[0])
    assert f"Betaald voor {nl_month(months[2])}: {nl_money(RENT + PREMIUM)}" in html
    assert f"Betaald voor {nl_month(months[1])}: {nl_money(RENT)}" in html  # the returned premium not counted
    total = 3 * RENT + 2 * PREMIUM
    assert f"Sinds {nl_date(MONTH_3)} betaalde de gemeente in totaal {nl_money(total)} voor je." in html
    assert html.count("<span>Betaald</span>") == 5 and html.count("<span>Teruggekomen</span>") == 1
    # After ontzorgen: the same costs, and the checklist read-only
    assert f"Vanaf {nl_date(data['ends_on'])} betaal je dit zelf:" in html
    assert html.count('class="ontzorgen-check ontzorgen-check--open"') == len(HandoverItem)
    assert "Zorgtoeslag is aangevraagd" in html
    fragment = _page(client, HX)
    assert "<form" not in fragment and "<button" not in fragment  # nothing to tick off for the resident


def test_a_returned_payment_shows_its_reason_until_it_is_solved(app, client, world) -> None:
    data = _amina_in_month_3(app, world)
    login(client, "amina")
    html = _page(client)
    reason = "Het rekeningnummer van de zorgverzekeraar was veranderd."
    assert 'id="ontzorgen-returns"' in html
    assert "1 betaling is teruggekomen. Het geld is niet bij de ontvanger aangekomen." in html
    assert f"{nl_money(PREMIUM)} aan Zorgverzekeraar Samen, voor {nl_month(data['months'][1])}" in html
    assert html.count(f"Waarom: <span class=\"user-text\" dir=\"auto\">{reason}</span>") == 2  # on top and in its month
    assert f"Het geld kwam terug op {nl_date(data['months'][1] + timedelta(days=5))}." in html
    assert "Dit is nog niet opgelost." in html
    with app.app_context():
        payment = db.session.scalars(select(Payment).where(Payment.state == "returned")).one()
        services.payment_solve(payment=payment, actor=payment.arrangement.resident.contact_person)
        db.session.commit()
    html = _page(client)
    assert 'id="ontzorgen-returns"' not in html
    assert "Dit is opgelost." in html and reason in html  # the history still says what happened
    assert "Dit is nog niet opgelost." not in html


def test_from_month_5_a_notice_says_what_changes_and_what_to_do(app, client, world) -> None:
    with app.app_context():
        arrangement = _start(world.amina_id, MONTH_5)
        _cost(arrangement, "energy", "Energie Samen", LANDLORD_IBAN, 14500)
        ends_on = arrangement.ends_on
        db.session.commit()
    login(client, "amina")
    html = _page(client)
    assert "Je bent in maand 5 van 6." in html
    assert 'id="ontzorgen-notice"' in html and "Ontzorgen stopt bijna" in html
    assert f"Vanaf {nl_date(ends_on)} betaal je je vaste lasten zelf. De gemeente betaalt ze dan niet meer." in html
    assert 'href="#ontzorgen-after">Kijk welke vaste lasten je straks zelf betaalt.</a>' in html
    assert 'href="#ontzorgen-handover">Kijk wat er nog geregeld moet worden.</a>' in html
    assert "Vraag je contactpersoon om hulp." in html
    assert html.index('id="ontzorgen-notice"') < html.index('id="ontzorgen-costs"')


def test_after_the_end_you_pay_it_yourself_and_the_checklist_shows_what_is_done(app, client, world) -> None:
    with app.app_context():
        starts_on = TODAY - relativedelta(months=8)
        arrangement = _start(world.amina_id, starts_on)
        _cost(arrangement, "rent", "Woonstichting De Linde", LANDLORD_IBAN, RENT)
        _cost(arrangement, "water_board_tax", "Waterschap De Vallei", INSURER_IBAN, 11820, frequency="yearly")
        for item in (HandoverItem.DIRECT_DEBITS, HandoverItem.ZORGTOESLAG):
            services.handover_set(arrangement=arrangement, actor=arrangement.resident.contact_person, item=item,
                                  done=True)
        ends_on = arrangement.ends_on
        db.session.commit()
    login(client, "amina")
    html = _page(client)
    assert "Ontzorgen is klaar. Je betaalt je vaste lasten nu zelf." in html
    assert "Je bent in maand" not in html and "Ontzorgen stopt bijna" not in html
    assert f"Sinds {nl_date(ends_on)} betaal je dit zelf:" in html
    assert f"<strong>{nl_money(11820)}</strong> elk jaar" in html and "aan Waterschap De Vallei" in html
    assert 'id="ontzorgen-costs"' not in html  # what the municipality pays is over; the list is under "after"
    done = html.split('class="ontzorgen-checklist"', 1)[1]
    assert done.count('<span class="ontzorgen-check__state">Klaar</span>') == 2
    assert done.count('<span class="ontzorgen-check__state">Nog niet</span>') == 2
    assert html.index('id="ontzorgen-after"') < html.index('id="ontzorgen-paid"')


def test_an_extension_shows_the_new_end_and_the_reason(app, client, world) -> None:
    reason = "Je huurtoeslag is nog niet geregeld. Daarom betaalt de gemeente twee maanden langer."
    with app.app_context():
        arrangement = _start(world.amina_id, MONTH_3)
        ends_on = MONTH_3 + relativedelta(months=8)
        services.arrangement_extend(arrangement=arrangement, actor=arrangement.resident.contact_person,
                                    ends_on=ends_on, reason=reason)
        db.session.commit()
    login(client, "amina")
    html = _page(client)
    assert "Je bent in maand 3 van 8." in html and 'max="8" value="3"' in html
    assert f"Je contactpersoon heeft ontzorgen verlengd tot {nl_date(ends_on)}." in html
    assert f'Waarom: <span class="user-text" dir="auto">{reason}</span>' in html


def test_the_iban_shows_only_its_last_four_characters(app, client, world) -> None:
    _amina_in_month_3(app, world)
    login(client, "amina")
    html = _page(client)
    assert '<span aria-hidden="true" dir="ltr">•••• 4300</span>' in html
    assert '<span class="visually-hidden">eindigt op 4300</span>' in html
    for full in (LANDLORD_IBAN, "NL91 ABNA 0417 1643 00", "0417164300", INSURER_IBAN, "0001234567"):
        assert full not in html


def test_page_and_fragment(app, client, world) -> None:
    _amina_in_month_3(app, world)
    login(client, "amina")
    page = client.get("/ontzorgen")
    fragment = client.get("/ontzorgen", headers=HX)
    for response in (page, fragment):
        assert response.status_code == 200
        assert "HX-Request" in response.headers.get("Vary", "")
    page_html, fragment_html = page.get_data(as_text=True), fragment.get_data(as_text=True)
    assert "<html" in page_html and '<h1 class="utrecht-heading-1">Ontzorgen</h1>' in page_html
    assert fragment_html.lstrip().startswith('<div id="ontzorgen" class="ontzorgen stack">')
    assert "<html" not in fragment_html and 'id="ontzorgen-paid"' in fragment_html


def _benefit_started_on(app, world, start: date | None) -> None:
    with app.app_context():
        db.session.execute(update(Resident).where(Resident.id == world.amina_id).values(benefit_started_on=start))
        db.session.commit()


def test_without_an_arrangement_the_page_explains(app, client, world) -> None:
    _benefit_started_on(app, world, None)
    login(client, "amina")
    html = _page(client)
    assert "Je hebt nog geen uitkering. Ontzorgen begint als je uitkering begint." in html
    _benefit_started_on(app, world, MONTH_3)
    html = _page(client)
    assert "Je bent in maand 3 van 6." in html  # counted from the start of the benefit
    assert "Je contactpersoon zet hier welke vaste lasten de gemeente voor je betaalt." in html
    assert 'id="ontzorgen-paid"' not in html and 'id="ontzorgen-costs"' not in html


def test_the_page_when_ontzorgen_from_the_benefit_has_ended(app, client, world) -> None:
    _benefit_started_on(app, world, TODAY - relativedelta(months=6))
    login(client, "amina")
    html = _page(client)
    assert "Ontzorgen is klaar. Je betaalt je vaste lasten nu zelf." in html
    assert "Je bent in maand" not in html and "Je contactpersoon zet hier" not in html


def test_another_resident_s_payments_never_appear(app, client, world) -> None:
    _amina_in_month_3(app, world)
    with app.app_context():
        arrangement = _start(world.bob_id, MONTH_3)
        cost = _cost(arrangement, "rent", "Verhuurder Bob Anders", "NL81RABO0312345678", 77777)
        _pay(arrangement, cost, MONTH_3.replace(day=1))
        services.payment_return(payment=_pay(arrangement, cost, MONTH_3.replace(day=1), 12321), actor=None,
                                reason="Reden van iemand anders")
        db.session.commit()
    login(client, "amina")
    html = _page(client)
    for other in ("Verhuurder Bob Anders", nl_money(77777), nl_money(12321), "Reden van iemand anders", "•••• 5678"):
        assert other not in html
    client.post("/logout")
    login(client, "bob")
    bob = _page(client)
    assert "Verhuurder Bob Anders" in bob and "Woonstichting De Linde" not in bob and "Zorgverzekeraar" not in bob


def test_the_page_needs_the_same_statements_for_1_or_60_payments(app, client, world, count_queries) -> None:
    with app.app_context():
        small = make_resident(contact_person=db.session.get(Resident, world.amina_id).contact_person,
                              username="klein", language="nl")
        arrangement = _start(small.id, MONTH_3)
        _pay(arrangement, _cost(arrangement, "rent", "Woonstichting De Linde", LANDLORD_IBAN, RENT),
             MONTH_3.replace(day=1))
        big = _start(world.amina_id, MONTH_3)
        kinds = ["rent", "energy", "water", "health_insurance", "municipal_tax", "other"]
        ibans = ["NL91ABNA0417164300", "NL20INGB0001234567", "NL81RABO0312345678", "NL63TRIO0212345678",
                 "NL22SNSB0912345678", "NL76ASNB0712345678"]
        costs = [_cost(big, kind, f"Ontvanger {n}", iban, 1000 * (n + 1), label="Internet" if kind == "other" else "")
                 for n, (kind, iban) in enumerate(zip(kinds, ibans, strict=True))]
        months = _months(MONTH_3, 3)
        for n in range(60):
            payment = _pay(big, costs[n % 6], months[n % 3], 500 + n)
            if n % 20 == 0:
                services.payment_return(payment=payment, actor=None, reason=f"Reden {n}")
        services.handover_set(arrangement=big, actor=big.resident.contact_person, item="zorgtoeslag", done=True)
        db.session.commit()

    def statements(username: str) -> tuple[int, str]:
        client.post("/logout")
        login(client, username)
        before = count_queries.count
        html = _page(client)
        return count_queries.count - before, html

    one, _ = statements("klein")
    many, html = statements("amina")
    assert html.count('class="ontzorgen-payment ontzorgen-payment--') == 60
    assert "Internet" in html and "Reden 40" in html
    assert one == many, count_queries.statements[-many:]
    assert many <= 8


@pytest.mark.residents_read_dutch(False)
def test_money_is_formatted_for_arabic(app, client, world) -> None:
    _amina_in_month_3(app, world)  # amina reads Arabic
    login(client, "amina")
    html = _page(client)
    assert '<html lang="ar" dir="rtl"' in html
    for cents in (RENT, RENT + PREMIUM, 3 * RENT + 2 * PREMIUM):
        assert format_currency(cents / 100, "EUR", locale="ar") in html
        assert nl_money(cents) not in html


@pytest.mark.residents_read_dutch(False)
def test_also_show_dutch_puts_the_dutch_headings_above_arabic(app, client, world) -> None:
    _amina_in_month_3(app, world)
    with app.app_context():
        db.session.execute(update(User).where(User.id == world.amina_user_id).values(show_dutch=True))
        db.session.commit()
    login(client, "amina")
    html = _page(client)
    for heading in ("Ontzorgen", "Hoe lang nog"):  # headings whose Arabic is in the catalogue already
        assert f'<span class="bilingual__nl" lang="nl" dir="ltr">{heading}</span><span class="bilingual__own">' in html


@pytest.mark.residents_read_dutch(False)
def test_the_banks_reason_shows_in_the_residents_language_and_a_written_one_as_written(app, client, world) -> None:
    from markupsafe import escape

    from portal.ontzorgen.statement import stored_reason
    from tests.i18n_text import t
    from tests.ontzorgen.factories import make_arrangement, make_payment

    start = date.today() - relativedelta(months=2)
    with app.app_context():
        arrangement = make_arrangement(db.session.get(Resident, world.amina_id), starts_on=start,
                                       costs=["rent", "water"])
        rent, water = arrangement.costs
        make_payment(rent, paid_on=start, state="returned", return_code="AC04", return_reason=stored_reason("AC04"),
                     returned_on=start + timedelta(days=3))
        make_payment(water, paid_on=start, state="returned", return_code="RR04", returned_on=start,
                     return_reason="Het kenmerk ontbrak; de gemeente betaalt opnieuw.")
        db.session.commit()
    login(client, "amina")  # reads Arabic
    page = client.get("/ontzorgen").get_data(as_text=True)
    assert str(escape(t("ar", "De rekening is opgeheven."))) in page
    assert "De rekening is opgeheven." not in page
    assert "Het kenmerk ontbrak; de gemeente betaalt opnieuw." in page
