"""Every endpoint declares who may use it, and each role gets exactly that."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.db import db
from portal.web.access import rule_for
from tests.access_table import ANONYMOUS, ROLES, Row, all_rows
from tests.conftest import login

ROWS = all_rows()
ROLE_USER = {"resident": "amina", "caseworker": "sanne", "counsellor": "pieter", "lead": "lead", "admin": "admin"}


def test_every_endpoint_declares_an_access_rule(app: Flask) -> None:
    with app.test_request_context():
        missing = [rule.endpoint for rule in app.url_map.iter_rules() if rule_for(rule.endpoint) is None]
    assert missing == []


def test_every_endpoint_is_in_the_access_table(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    covered = {row.endpoint for row in ROWS}
    assert sorted(endpoints - covered) == [], "add these endpoints to a tests/<area>/access.py"
    assert sorted(covered - endpoints) == [], "these rows name endpoints that do not exist"


def _call(client, row: Row, world):
    url = row.url(world)
    if row.method == "GET":
        response = client.get(url, headers=row.headers)
    else:
        response = client.post(url, data=row.data(world) if row.data else {}, headers=row.headers)
    response.close()  # static files stream from disk
    return response


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method}-{r.endpoint}")
def test_each_role_gets_exactly_what_the_table_says(app: Flask, world, row: Row) -> None:
    """One world per endpoint; each role asks with its own fresh client, in a fixed order."""
    for role in ROLES:
        client = app.test_client()
        if role != ANONYMOUS:
            login(client, ROLE_USER[role])
        with app.app_context():
            refused_before = db.session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.outcome == "refused"))
        response = _call(client, row, world)
        where = f"{row.method} {row.endpoint} as {role}: {response.status_code}"
        sent_to_login = response.status_code == 302 and "/login" in response.headers.get("Location", "")
        if role in row.allowed:
            assert response.status_code < 500, f"{where}: an allowed role must never get a server error"
            assert response.status_code not in (401, 403), where
            assert not sent_to_login, where
        elif role == ANONYMOUS:
            assert sent_to_login, where
        else:
            assert response.status_code == 403, where
            with app.app_context():
                refused_after = db.session.scalar(
                    select(func.count(AuditEvent.id)).where(AuditEvent.outcome == "refused"))
            assert refused_after == refused_before + 1, f"{where}: the refusal must be in the audit log"


def test_htmx_request_with_expired_session_gets_401_and_hx_redirect(client, world) -> None:
    response = client.get("/staff/", headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/staff/"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/staff/"  # back to the page the htmx call came from


def test_caseworker_cannot_open_a_file_outside_their_caseload(app, client, world) -> None:
    login(client, "ruben")
    response = client.get(f"/staff/residents/{world.amina_id}")
    assert response.status_code == 404
    assert "Amina" not in response.get_data(as_text=True)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.outcome == "refused")).one()
    assert (event.action, event.resident_id) == ("resident.view", world.amina_id)


def test_counsellor_sees_only_assigned_residents(client, world) -> None:
    login(client, "pieter")
    assert client.get(f"/staff/residents/{world.amina_id}").status_code == 200
    assert client.get(f"/staff/residents/{world.yonas_id}").status_code == 404
    assert client.get(f"/staff/residents/{world.bob_id}").status_code == 404
    page = client.get("/staff/").get_data(as_text=True)
    assert "Amina Haddad" in page and "Yonas" not in page and "Bob" not in page


def test_caseload_lists_only_own_residents(client, world) -> None:
    login(client, "sanne")
    page = client.get("/staff/").get_data(as_text=True)
    assert "Amina Haddad" in page and "Yonas Tesfamariam" in page
    assert "Bob Mensah" not in page


def test_staff_look_at_a_file_is_audited(app, client, world) -> None:
    login(client, "sanne")
    client.get(f"/staff/residents/{world.amina_id}")
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.outcome == "ok",
                                                            AuditEvent.action != "login")).one()
        assert (event.action, event.resident_id, event.actor.username) == ("resident.view", world.amina_id, "sanne")
        assert event.request_id


def test_resident_sees_who_viewed_their_file(client, world) -> None:
    login(client, "sanne")
    client.get(f"/staff/residents/{world.amina_id}")
    client.post("/logout")
    login(client, "amina")
    page = client.get("/account").get_data(as_text=True)
    assert "Sanne de Vries" in page


def test_lead_sees_only_aggregates(client, world) -> None:
    login(client, "lead")
    page = client.get("/manage/").get_data(as_text=True)
    assert "Amina" not in page and "Bob" not in page
    assert client.get(f"/staff/residents/{world.amina_id}").status_code == 403
