"""The resident home page: cards per area, at a fixed number of SQL statements."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from babel.numbers import format_currency
from dateutil.relativedelta import relativedelta
from sqlalchemy import update

from portal.caseload.models import Resident
from portal.db import db
from portal.ontzorgen import services
from portal.ontzorgen.models import Arrangement, FixedCost, Payment
from tests.conftest import login
from tests.factories import make_resident

pytestmark = pytest.mark.residents_read_dutch


def test_home_shows_contact_person_and_ontzorgen(app, client, world) -> None:
    start = date.today() - timedelta(days=70)  # month 3 on any day of the year: 2 months <= 70 days < 3 months
    with app.app_context():
        db.session.execute(update(Resident).where(Resident.id == world.amina_id).values(benefit_started_on=start))
        db.session.commit()
    login(client, "amina")
    html = client.get("/").get_data(as_text=True)
    assert "Hallo Amina" in html
    assert "Sanne de Vries helpt je met je inburgering. Heb je een vraag? Stuur een bericht." in html
    ends_on = format_date(start + relativedelta(months=6), "long", locale="nl")
    assert f"Maand 3 van 6: de gemeente betaalt je vaste lasten tot {ends_on}." in html
    assert 'href="/ontzorgen">Meer over ontzorgen</a>' in html


MONTH_3 = date.today() - timedelta(days=70)  # month 3 on any day of the year
RENT, PREMIUM = 81250, 42206


def _arrangement(resident_id: int, starts_on: date = MONTH_3) -> tuple[Arrangement, FixedCost, FixedCost]:
    resident = db.session.get(Resident, resident_id)
    actor = resident.contact_person
    arrangement = services.arrangement_start(resident=resident, actor=actor, starts_on=starts_on)
    rent = services.cost_add(arrangement=arrangement, actor=actor, kind="rent", creditor_name="Woonstichting De Linde",
                             iban="NL91ABNA0417164300", amount_cents=RENT)
    premium = services.cost_add(arrangement=arrangement, actor=actor, kind="health_insurance",
                                creditor_name="Zorgverzekeraar Samen", iban="NL20INGB0001234567", amount_cents=PREMIUM)
    return arrangement, rent, premium


def _pay(arrangement: Arrangement, cost: FixedCost, period: date, cents: int | None = None) -> Payment:
    return services.payment_record(arrangement=arrangement, actor=None, cost=cost,
                                   amount_cents=cents or cost.amount_cents,
                                   paid_on=max(period, arrangement.starts_on), period=period)


def _money(cents: int) -> str:
    return format_currency(cents / 100, "EUR", locale="nl")


def test_home_card_shows_what_was_paid_this_month(app, client, world) -> None:
    this_month = date.today().replace(day=1)
    with app.app_context():
        arrangement, rent, premium = _arrangement(world.amina_id)
        _pay(arrangement, rent, this_month)
        ids = arrangement.id, rent.id, premium.id
        db.session.commit()
    login(client, "amina")
    html = client.get("/").get_data(as_text=True)
    assert f"Deze maand betaalde de gemeente {_money(RENT)} voor je vaste lasten (1 betaling)." in html
    assert '<progress class="progress" max="6" value="3" aria-label="Maand 3 van 6">' in html
    with app.app_context():
        arrangement, rent, premium = (db.session.get(model, id_) for model, id_ in
                                      zip((Arrangement, FixedCost, FixedCost), ids, strict=True))
        _pay(arrangement, premium, this_month)
        _pay(arrangement, rent, this_month - relativedelta(months=1))  # last month's: not this month's sum
        db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert (f"Deze maand betaalde de gemeente {_money(RENT + PREMIUM)} voor je vaste lasten (2 betalingen)."
            in html)  # € 1.234,56
    assert _money(RENT + PREMIUM) == "€\xa01.234,56"
    assert "teruggekomen" not in html


def test_home_card_shows_a_returned_payment_until_it_is_solved(app, client, world) -> None:
    last_month = date.today().replace(day=1) - relativedelta(months=1)
    with app.app_context():
        arrangement, _rent, premium = _arrangement(world.amina_id)
        payment = _pay(arrangement, premium, last_month)
        services.payment_return(payment=payment, actor=None, reason="Het rekeningnummer klopte niet.")
        payment_id = payment.id
        db.session.commit()
    login(client, "amina")
    html = client.get("/").get_data(as_text=True)
    assert (f"Een betaling van {_money(PREMIUM)} aan Zorgverzekeraar Samen is teruggekomen. "
            "Je contactpersoon lost dit op.") in html
    assert 'href="/ontzorgen#ontzorgen-returns">Bekijk wat er is gebeurd</a>' in html
    assert "card--attention" in html.split('id="card-ontzorgen"', 1)[0].rsplit("<section", 1)[1]
    with app.app_context():
        payment = db.session.get(Payment, payment_id)
        services.payment_solve(payment=payment, actor=payment.arrangement.resident.contact_person)
        db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "is teruggekomen" not in html and "Bekijk wat er is gebeurd" not in html
    assert 'href="/ontzorgen">Meer over ontzorgen</a>' in html


def test_home_card_counts_an_extended_period(app, client, world) -> None:
    with app.app_context():
        arrangement, _rent, _premium = _arrangement(world.amina_id)
        ends_on = MONTH_3 + relativedelta(months=8)
        services.arrangement_extend(arrangement=arrangement, actor=arrangement.resident.contact_person,
                                    ends_on=ends_on, reason="De huurtoeslag is nog niet geregeld.")
        db.session.commit()
    login(client, "amina")
    html = client.get("/").get_data(as_text=True)
    ends = format_date(ends_on, "long", locale="nl")
    assert f"Maand 3 van 8: de gemeente betaalt je vaste lasten tot {ends}." in html
    assert "Deze maand betaalde de gemeente" not in html  # nothing paid yet this month


def test_home_says_when_ontzorgen_has_ended(app, client, world) -> None:
    with app.app_context():
        db.session.execute(update(Resident).where(Resident.id == world.amina_id)
                           .values(benefit_started_on=date.today() - relativedelta(months=6)))
        db.session.commit()
    login(client, "amina")
    html = client.get("/").get_data(as_text=True)
    assert "Ontzorgen is klaar. Je betaalt je vaste lasten nu zelf." in html
    assert "de gemeente betaalt je vaste lasten tot" not in html


def test_home_is_for_residents_only(client, world) -> None:
    login(client, "sanne")
    assert client.get("/").status_code == 403


def _home_statements(client, count_queries) -> int:
    count_queries.statements.clear()
    response = client.get("/")
    assert response.status_code == 200
    return count_queries.count


def test_home_uses_a_fixed_small_number_of_statements(app, client, world, count_queries) -> None:
    with app.app_context():  # ontzorgen with one payment: the card reads the arrangement and this month's payments
        arrangement, rent, _premium = _arrangement(world.amina_id)
        _pay(arrangement, rent, date.today().replace(day=1))
        arrangement_id = arrangement.id
        db.session.commit()
    login(client, "amina")
    small = _home_statements(client, count_queries)
    with app.app_context():
        from tests.home.bulk import fill_resident

        amina = db.session.get(Resident, world.amina_id)
        for _ in range(40):  # lots of other residents with the same contact person
            make_resident(contact_person=amina.contact_person)
        fill_resident(amina)
        arrangement = db.session.get(Arrangement, arrangement_id)
        this_month = date.today().replace(day=1)
        for n, cost in enumerate(arrangement.costs * 20):  # and lots of payments, some returned
            payment = _pay(arrangement, cost, this_month - relativedelta(months=n % 2), 1000 + n)
            if n % 10 == 0:
                services.payment_return(payment=payment, actor=None, reason=f"Reden {n}")
        db.session.commit()
    large = _home_statements(client, count_queries)
    assert large == small
    assert large <= 8, "\n".join(count_queries.statements)  # 6, and the learning card: 1, or 2 when nothing is started
