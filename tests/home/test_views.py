"""The resident home page: cards per area, at a fixed number of SQL statements."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.factories import make_resident

pytestmark = pytest.mark.residents_read_dutch


def test_home_shows_contact_person_and_ontzorgen(client, world) -> None:
    login(client, "amina")
    html = client.get("/").get_data(as_text=True)
    assert "Sanne de Vries" in html
    assert "Hallo Amina" in html


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
