"""The request is the unit of work: a success commits, anything else rolls back; audit lines stay either way."""

from __future__ import annotations

import re

import pytest
from flask import Flask, abort, redirect
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.audit.services import audit_record, audit_refused
from portal.db import db
from portal.web import access
from portal.web.transaction import discard_writes
from tests.conftest import login
from tests.factories import make_user


@pytest.fixture
def routes(app: Flask) -> Flask:
    """Test-only endpoints on this test's app: each writes a user, records an audit line, then answers."""

    def write(name: str) -> None:
        make_user(username=name, name=name)
        audit_record(action="test.write", resident_id=None, detail=name)

    @app.post("/_uow/<outcome>")
    @access.public
    def unit_of_work(outcome: str):
        write(f"uow-{outcome}")
        if outcome == "ok":
            return "saved"
        if outcome == "redirect":
            return redirect("/login", code=303)
        if outcome == "refused":
            return "check your input", 422
        if outcome == "discarded":
            discard_writes()
            make_user(username="uow-after-discard", name="after")
            return "saved what came after", 200
        if outcome == "forbidden":
            audit_refused(action="test.refused", detail="no")
            abort(403)
        raise RuntimeError("a bug in a view")

    return app


def _users(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(User.username).where(User.username.like("uow-%"))))


def _audit(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [(e.action, e.outcome, e.detail) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


@pytest.mark.parametrize(("outcome", "status"), [("ok", 200), ("redirect", 303)])
def test_a_success_or_redirect_commits_the_writes_and_the_audit_line(routes, outcome, status) -> None:
    response = routes.test_client().post(f"/_uow/{outcome}")
    assert response.status_code == status
    assert _users(routes) == {f"uow-{outcome}"}
    assert _audit(routes) == [("test.write", "ok", f"uow-{outcome}")]


def test_a_refused_form_stores_nothing_but_its_audit_line_says_not_saved(routes) -> None:
    response = routes.test_client().post("/_uow/refused")
    assert response.status_code == 422
    assert _users(routes) == set()
    assert _audit(routes) == [("test.write", "ok", "uow-refused (not saved)")]


def test_discarding_forgets_the_writes_before_it_only(routes) -> None:
    assert routes.test_client().post("/_uow/discarded").status_code == 200
    assert _users(routes) == {"uow-after-discard"}
    assert _audit(routes) == [("test.write", "ok", "uow-discarded")]


def test_a_refusal_is_logged_and_nothing_else_is_stored(routes) -> None:
    assert routes.test_client().post("/_uow/forbidden").status_code == 403
    assert _users(routes) == set()
    assert _audit(routes) == [("test.write", "ok", "uow-forbidden (not saved)"), ("test.refused", "refused", "no")]


def test_a_server_error_rolls_everything_back(routes) -> None:
    routes.config["PROPAGATE_EXCEPTIONS"] = False
    response = routes.test_client().post("/_uow/crash")
    assert response.status_code == 500
    assert "a bug in a view" not in response.get_data(as_text=True)
    assert _users(routes) == set()
    assert _audit(routes) == [("test.write", "ok", "uow-crash (not saved)")]


def test_no_view_commits_or_rolls_back_by_hand() -> None:
    """The one place that ends a request's transaction is portal/web/transaction.py."""
    from pathlib import Path

    portal = Path(__file__).resolve().parents[2] / "portal"
    views = {*portal.rglob("views*.py"), *portal.rglob("views/*.py"), *portal.glob("accounts/admin.py")}
    assert len(views) >= 10
    hand = sorted(str(path.relative_to(portal)) for path in views
                  if any(call in path.read_text() for call in ("session.commit(", "session.rollback(")))
    assert hand == []


def test_a_look_at_a_file_is_one_visit_however_many_panels_load(app, client, world) -> None:
    """Opening a file loads several htmx panels; the resident sees one visit, not one per fragment."""
    login(client, "sanne")
    hx = {"HX-Request": "true"}
    for _ in range(3):
        client.get(f"/staff/residents/{world.amina_id}")
        client.get(f"/staff/residents/{world.amina_id}/plan", headers=hx)
        client.get(f"/staff/residents/{world.amina_id}/appointments", headers=hx)
        client.get(f"/staff/messages/{world.amina_id}/panel", headers=hx)
    with app.app_context():
        looks = db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.resident_id == world.amina_id))
        # one line per part of the file: the file itself, plan, appointments, messages
        assert looks == 4
    client.post("/logout")
    login(client, "amina")
    page = client.get("/account").get_data(as_text=True)
    viewers = page[page.index('id="account-viewers-heading"'):]
    row = viewers[viewers.index("Sanne de Vries"):]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row[:row.index("</tr>")])
    assert cells[-1].strip() == "1"  # one visit


def test_visits_are_counted_apart_when_more_than_a_quarter_of_an_hour_lies_between(app, world) -> None:
    from datetime import timedelta

    from portal.audit.queries import audit_views_for_resident
    from portal.db import utcnow

    with app.app_context():
        sanne = db.session.scalar(select(User).where(User.username == "sanne"))
        start = utcnow() - timedelta(hours=3)
        for minutes in (0, 5, 10, 40, 100, 101):  # three visits: 0–10, 40, 100–101
            db.session.add(AuditEvent(actor_id=sanne.id, actor_role="caseworker", resident_id=world.amina_id,
                                      action="plan.view", outcome="ok", at=start + timedelta(minutes=minutes)))
        db.session.commit()
        [viewer] = audit_views_for_resident(resident_id=world.amina_id)
        assert (viewer.name, viewer.visits, viewer.last_at) == ("Sanne de Vries", 3, start + timedelta(minutes=101))
