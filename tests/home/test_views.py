"""The resident home page: cards per area, at a fixed number of SQL statements."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from dateutil.relativedelta import relativedelta
from sqlalchemy import update

from portal.caseload.models import Resident
from portal.db import db
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
    login(client, "amina")
    small = _home_statements(client, count_queries)
    with app.app_context():
        from portal.caseload.models import Resident
        from portal.db import db
        from tests.home.bulk import fill_resident

        amina = db.session.get(Resident, world.amina_id)
        for _ in range(40):  # lots of other residents with the same contact person
            make_resident(contact_person=amina.contact_person)
        fill_resident(amina)
        db.session.commit()
    large = _home_statements(client, count_queries)
    assert large == small
    assert large <= 6, count_queries.statements
