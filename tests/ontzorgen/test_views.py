"""The resident's ontzorgen page: which of the six months it is and how long it still runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import update

from portal.caseload.models import Resident
from portal.db import db
from tests.conftest import login

pytestmark = pytest.mark.residents_read_dutch


def _benefit_started_on(app, world, start: date | None) -> None:
    with app.app_context():
        db.session.execute(update(Resident).where(Resident.id == world.amina_id).values(benefit_started_on=start))
        db.session.commit()


def test_the_page_shows_the_month_and_the_days_left(app, client, world) -> None:
    today = date.today()
    start = today - timedelta(days=70)  # month 3 on any day of the year: 2 months <= 70 days < 3 months
    _benefit_started_on(app, world, start)
    login(client, "amina")
    response = client.get("/ontzorgen")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    days_left = (start + relativedelta(months=6) - today).days
    assert "Je bent in maand 3 van 6." in html
    assert f"Nog {days_left} dagen." in html
    assert '<progress class="progress" max="6" value="3"' in html
    assert "Ontzorgen is klaar." not in html


def test_the_page_says_when_ontzorgen_has_ended(app, client, world) -> None:
    _benefit_started_on(app, world, date.today() - relativedelta(months=6))
    login(client, "amina")
    html = client.get("/ontzorgen").get_data(as_text=True)
    assert "Ontzorgen is klaar. Je betaalt je vaste lasten nu zelf." in html
    assert "Je bent in maand" not in html


def test_the_page_without_a_benefit(app, client, world) -> None:
    _benefit_started_on(app, world, None)
    login(client, "amina")
    html = client.get("/ontzorgen").get_data(as_text=True)
    assert "Je hebt nog geen uitkering. Ontzorgen begint als je uitkering begint." in html
    assert "Je bent in maand" not in html
