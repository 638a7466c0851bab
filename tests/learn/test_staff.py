"""The contact person's learning panel: self-check results over time, modules and quiz scores, assigning a module
(which then shows on the resident's home page); only the contact person sees it, and every look is logged."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.caseload.models import Resident
from portal.db import db
from portal.learn import services
from portal.learn.content import catalogue, module_text
from portal.learn.models import ModuleProgress
from tests.conftest import login
from tests.learn.factories import check_answers, complete_module, first_module, pass_lesson

HX = {"HX-Request": "true"}


def _url(world, rest: str = "") -> str:
    return f"/staff/residents/{world.amina_id}/learn{rest}"


@pytest.fixture
def amina_learned(app, world):
    """amina did the self-check twice, completed the first module and passed one lesson of the second."""
    with app.app_context():
        amina = db.session.get(Resident, world.amina_id)
        services.check_submit(resident=amina, answers=check_answers())
        services.check_submit(resident=amina, answers=check_answers(right={"letters", "debt"}))
        complete_module(amina, first_module())
        second = catalogue().modules[1]
        pass_lesson(amina, second, second.lessons[0], wrong=1)
        db.session.commit()
        return first_module(), second


def test_the_contact_person_sees_results_over_time_modules_and_scores(app, client, world, amina_learned) -> None:
    first, second = amina_learned
    login(client, "sanne")
    page = client.get(_url(world)).get_data(as_text=True)
    assert page.count("learn-level--") >= 2 * 7  # two self-checks, a level per competence
    assert "Sterk" in page and "Hulp nodig" in page
    with app.app_context():
        questions = sum(len(lesson.quiz) for lesson in first.lessons)
        assert module_text(first, "nl").title in page
    assert f"{questions} van {questions}" in page  # the completed module: every first answer right
    assert f"1 van {len(second.lessons)} lessen klaar" in page
    second_quiz = len(second.lessons[0].quiz)
    assert f"{second_quiz - 1} van {second_quiz} goed" in page


def test_the_panel_is_a_fragment_for_htmx_and_the_look_is_logged(app, client, world, amina_learned) -> None:
    login(client, "sanne")
    fragment = client.get(_url(world), headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<div id="learn-{world.amina_id}"')
    with app.app_context():
        looks = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "learn.view", AuditEvent.resident_id == world.amina_id))
    assert looks == 1


def test_the_file_shows_the_panel_to_the_contact_person_only(client, world) -> None:
    login(client, "sanne")
    assert 'id="learn-panel"' in client.get(f"/staff/residents/{world.amina_id}").get_data(as_text=True)
    client.post("/logout")
    login(client, "pieter")  # amina's counsellor: plan and appointments, not her results
    assert 'id="learn-panel"' not in client.get(f"/staff/residents/{world.amina_id}").get_data(as_text=True)
    assert client.get(_url(world)).status_code == 403


def test_another_caseworker_cannot_see_or_assign(app, client, world) -> None:
    login(client, "ruben")
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world, "/assign"), data={"assign-module": "brieven"}
                       ).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(ModuleProgress.id))) == 0


@pytest.mark.residents_read_dutch
def test_an_assigned_module_shows_on_the_residents_home_page_and_can_be_taken_back(app, client, world) -> None:
    with app.app_context():
        module = catalogue().modules[3]
        title = module_text(module, "nl").title
    login(client, "sanne")
    response = client.post(_url(world, "/assign"), data={"assign-module": module.slug}, headers=HX)
    assert response.status_code == 200 and "Intrekken" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "learn.assign")) == 1
    resident = app.test_client()
    login(resident, "amina")
    home = resident.get("/").get_data(as_text=True)
    card = home[home.index('id="card-learn"'):]
    assert "card--attention" in home[home.index('id="card-learn"') - 80:home.index('id="card-learn"')]
    assert title in card
    assert client.post(_url(world, f"/assign/{module.slug}/remove")).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(ModuleProgress.assigned_at)) is None


@pytest.mark.residents_read_dutch
def test_assigning_an_unknown_module_is_refused_and_stores_nothing(app, client, world) -> None:
    login(client, "sanne")
    for bad in ("nope", "", "x" * 500):
        response = client.post(_url(world, "/assign"), data={"assign-module": bad}, headers=HX)
        assert response.status_code == 422, bad
    assert client.post(_url(world, "/assign/nope/remove")).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(ModuleProgress.id))) == 0


def test_the_data_export_holds_results_progress_and_answers(app, client, world, amina_learned) -> None:
    login(client, "amina")
    response = client.get("/account/data")
    data = response.get_json() if response.is_json else None
    if data is None:  # a ZIP or another format: the JSON inside it
        import io
        import json
        import zipfile

        archive = zipfile.ZipFile(io.BytesIO(response.data))
        data = json.loads(archive.read(next(n for n in archive.namelist() if n.endswith(".json"))))
    learn = data["learn"]
    assert len(learn["self_checks"]) == 2
    assert any(m["completed_at"] for m in learn["modules"])
    assert learn["quiz_answers"] and {"question", "option", "correct"} <= set(learn["quiz_answers"][0])
