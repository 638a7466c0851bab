"""Routes of the plan area: the resident's pages, the staff panel, privacy, bad input and statement counts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.caseload.models import Resident
from portal.db import db, utcnow
from portal.plan.models import Baseline, Block, Comment, Goal, Plan, Step
from tests.accounts.data import export_data
from tests.conftest import login
from tests.factories import make_resident
from tests.i18n_text import t, tn
from tests.plan.factories import make_comment, make_goal, make_step

HX = {"HX-Request": "true"}
LONG = "x" * 10_000
BAD_TEXT = {"empty": "", "long": LONG, "control": "Hal\x00lo\x07", "bidi": "Hallo \u202edlrow",
            "isolate": "a\u2066b\u2069"}
FORBIDDEN = "Dit veld bevat onzichtbare of verboden tekens. Haal die weg."
# What a comment field says to each of BAD_TEXT (a resident's empty reaction gets its own message).
BAD_COMMENT_MESSAGE = {"empty": "Vul dit veld in.", "long": "Dit mag hoogstens 2000 tekens zijn.",
                       "control": FORBIDDEN, "bidi": FORBIDDEN, "isolate": FORBIDDEN}
BAD_REACTION_MESSAGE = {**BAD_COMMENT_MESSAGE, "empty": "Schrijf eerst je reactie."}


def _field_errors(html: str) -> list[str]:
    """The error messages shown at form fields, in page order."""
    return re.findall(r'utrecht-form-field-error-message"[^>]*>\s*<p>(.*?)</p>', html)


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


@pytest.fixture
def data(app, world):
    """Amina has a goal with a step and a comment by sanne; bob has his own goal."""
    with app.app_context():
        amina = db.session.get(Resident, world.amina_id)
        # Dutch, so the assertions below read the source texts whatever the catalogues translate.
        amina.user.language = "nl"
        bob = db.session.get(Resident, world.bob_id)
        sanne, ruben, pieter = _user("sanne"), _user("ruben"), _user("pieter")
        goal = make_goal(resident=amina, domain="language", title="Taalniveau A2 halen", updated_by_id=sanne.id)
        step = make_step(goal=goal, text="Inschrijven bij de taalschool")
        comment = make_comment(goal=goal, author=sanne, body="Goed bezig, Amina!")
        pieter_comment = make_comment(goal=goal, author=pieter, body="Zullen we samen oefenen?")
        bob_goal = make_goal(resident=bob, title="Geheim doel van Bob")
        bob_step = make_step(goal=bob_goal, text="Geheime stap")
        bob_comment = make_comment(goal=bob_goal, author=ruben, body="Geheime opmerking")
        db.session.commit()
        return SimpleNamespace(
            world=world, amina=amina.id, bob=bob.id, goal=goal.id, step=step.id, comment=comment.id,
            pieter_comment=pieter_comment.id, bob_goal=bob_goal.id, bob_step=bob_step.id,
            bob_comment=bob_comment.id,
        )


def _staff(d, path: str = "") -> str:
    return f"/staff/residents/{d.amina}/plan{path}"


def _snapshot(app) -> tuple:
    """Everything a refused request must leave alone."""
    with app.app_context():
        return (
            tuple(db.session.execute(select(Goal.id, Goal.title, Goal.reason, Goal.term, Goal.status, Goal.version,
                                            Goal.position, Goal.target_date).order_by(Goal.id)).all()),
            tuple(db.session.execute(select(Step.id, Step.text, Step.position, Step.done_at).order_by(Step.id)).all()),
            tuple(db.session.execute(select(Comment.id, Comment.body, Comment.deleted_at).order_by(Comment.id)).all()),
            tuple(db.session.execute(select(Plan.learning_route, Plan.route_deadline)).all()),
            tuple(db.session.execute(select(Baseline.domain, Baseline.score, Baseline.text)).all()),
            tuple(db.session.execute(select(Block.kind, Block.state, Block.on_date)).all()),
        )


def _audit(app, **where) -> list[AuditEvent]:
    with app.app_context():
        stmt = select(AuditEvent).options(joinedload(AuditEvent.actor))
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEvent, key) == value)
        return list(db.session.scalars(stmt))


# Resident side


def test_resident_sees_the_own_plan_at_a_glance(client, data) -> None:
    login(client, "amina")
    html = client.get("/plan").get_data(as_text=True)
    assert "Maximale participatie naar vermogen, het liefst door betaalde arbeid" in html
    assert "Taalniveau A2 halen" in html and "Geheim doel van Bob" not in html
    for label in ("Werk en dagbesteding", "Inkomen en geld", "Taal", "Onderwijs", "Gezondheid en welzijn", "Wonen",
                  "Sociaal netwerk en meedoen", "Gezin en kinderen"):
        assert label in html
    for block in ("Warme overdracht", "Brede intake", "PIP vastgesteld", "Examen(s)"):
        assert block in html
    assert "2 opmerkingen" in html and "Bezig" in html
    assert f'href="/plan/goals/{data.goal}"' in html


def test_plan_page_shows_route_baseline_and_road_state_in_words(app, client, data) -> None:
    from tests.plan.factories import make_baseline, make_block, make_plan

    with app.app_context():
        amina = db.session.get(Resident, data.amina)
        make_plan(resident=amina, learning_route="onderwijs")
        make_baseline(resident=amina, domain="work", score=2, text="Zoekt werk in de zorg.")
        make_block(resident=amina, kind="broad_intake", state="done")
        make_block(resident=amina, kind="pvt", state="current")
        db.session.commit()
    login(client, "amina")
    html = client.get("/plan").get_data(as_text=True)
    assert "Onderwijsroute" in html and "Klaar vóór 1 juli 2029" in html
    assert "Zoekt werk in de zorg." in html and "2 van 5" in html
    assert "Klaar · op 1 maart 2026" in html and "Nu bezig" in html and "Komt nog" in html
    assert 'aria-current="step"' in html


def test_goal_page_shows_steps_and_comments_newest_first(client, data) -> None:
    login(client, "amina")
    html = client.get(f"/plan/goals/{data.goal}").get_data(as_text=True)
    assert "Inschrijven bij de taalschool" in html
    assert html.index("Zullen we samen oefenen?") < html.index("Goed bezig, Amina!")
    assert "Pieter Hendriks" in html and "maatschappelijk begeleider" in html
    assert 'method="post"' in html and f'action="/plan/goals/{data.goal}/steps/{data.step}"' in html


def test_resident_gets_404_for_another_residents_goal_step_or_comment(app, client, data) -> None:
    login(client, "amina")
    before = _snapshot(app)
    for response in (
        client.get(f"/plan/goals/{data.bob_goal}"),
        client.get(f"/plan/goals/{data.bob_goal}", headers=HX),
        client.post(f"/plan/goals/{data.bob_goal}/steps/{data.bob_step}", data={"done": "1"}),
        client.post(f"/plan/goals/{data.goal}/steps/{data.bob_step}", data={"done": "1"}),
        client.post(f"/plan/goals/{data.bob_goal}/comments/{data.bob_comment}/reactions",
                    data={f"reply{data.bob_comment}-body": "Hoi"}),
        client.post(f"/plan/goals/{data.goal}/comments/{data.bob_comment}/reactions",
                    data={f"reply{data.bob_comment}-body": "Hoi"}),
    ):
        assert response.status_code == 404
        assert "Geheim" not in response.get_data(as_text=True)
    assert _snapshot(app) == before


def test_resident_ticks_a_step_without_javascript(app, client, data) -> None:
    login(client, "amina")
    response = client.post(f"/plan/goals/{data.goal}/steps/{data.step}", data={"done": "1"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/plan/goals/{data.goal}#step-{data.step}")
    with app.app_context():
        step = db.session.get(Step, data.step)
        assert step.done_at is not None and step.done_by_id == data.world.amina_user_id
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 van 1 stappen klaar" in html and "Zet terug" in html
    client.post(f"/plan/goals/{data.goal}/steps/{data.step}", data={"done": "0"})
    with app.app_context():
        assert db.session.get(Step, data.step).done_at is None


def test_resident_ticks_a_step_with_htmx_and_gets_the_steps_back(app, client, data) -> None:
    login(client, "amina")
    response = client.post(f"/plan/goals/{data.goal}/steps/{data.step}", data={"done": "1"}, headers=HX)
    assert response.status_code == 200
    part = response.get_data(as_text=True)
    assert part.lstrip().startswith(f'<section id="goal-{data.goal}-steps"')
    assert "<html" not in part and "1 van 1 stappen klaar" in part
    with app.app_context():
        step = db.session.get(Step, data.step)
        assert step.done_at is not None and step.done_by_id == data.world.amina_user_id


@pytest.mark.parametrize("value", ["maybe", "", "2"])
def test_step_tick_with_a_wrong_value_changes_nothing(app, client, data, value) -> None:
    login(client, "amina")
    before = _snapshot(app)
    response = client.post(f"/plan/goals/{data.goal}/steps/{data.step}", data={"done": value}, headers=HX)
    assert response.status_code == 422
    assert "Kies een optie uit de lijst." in response.get_data(as_text=True)
    assert _snapshot(app) == before


def test_steps_of_a_closed_goal_stay_as_they_are(app, client, data) -> None:
    with app.app_context():
        db.session.get(Goal, data.goal).status = "done"
        db.session.commit()
    login(client, "amina")
    before = _snapshot(app)
    response = client.post(f"/plan/goals/{data.goal}/steps/{data.step}", data={"done": "1"})
    assert response.status_code == 422
    assert "afgesloten" in response.get_data(as_text=True)
    assert _snapshot(app) == before
    assert "Vink af" not in client.get(f"/plan/goals/{data.goal}").get_data(as_text=True)


def test_resident_reacts_and_staff_see_it_at_once(app, client, data) -> None:
    login(client, "amina")
    field = f"reply{data.comment}-body"
    response = client.post(f"/plan/goals/{data.goal}/comments/{data.comment}/reactions",
                           data={field: "Dank je wel!\nHet gaat goed."})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#comment-{data.comment}")
    response = client.post(f"/plan/goals/{data.goal}/comments/{data.comment}/reactions",
                           data={field: "En nog iets."}, headers=HX)
    part = response.get_data(as_text=True)
    assert response.status_code == 200 and part.lstrip().startswith(f'<section id="goal-{data.goal}-comments"')
    assert "En nog iets." in part and "Jij" in part
    assert "notice" in response.headers["HX-Trigger"]
    with app.app_context():
        reactions = db.session.scalars(select(Comment).where(Comment.parent_id == data.comment)).all()
        assert [(c.body, c.author_id) for c in reactions] == [
            ("Dank je wel!\nHet gaat goed.", data.world.amina_user_id), ("En nog iets.", data.world.amina_user_id)]
    client.post("/logout")
    login(client, "sanne")
    staff = client.get(_staff(data, f"/goals/{data.goal}"), headers=HX).get_data(as_text=True)
    assert "Dank je wel!" in staff and "En nog iets." in staff


@pytest.mark.parametrize("kind", list(BAD_TEXT))
@pytest.mark.parametrize("htmx", [False, True])
def test_reaction_with_bad_text_is_refused(app, client, data, kind, htmx) -> None:
    login(client, "amina")
    before = _snapshot(app)
    response = client.post(f"/plan/goals/{data.goal}/comments/{data.comment}/reactions",
                           data={f"reply{data.comment}-body": BAD_TEXT[kind]}, headers=HX if htmx else {})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert _field_errors(html) == [BAD_REACTION_MESSAGE[kind]]
    assert ("<html" in html) is not htmx
    assert _snapshot(app) == before


def test_a_reaction_to_a_deleted_comment_is_refused(app, client, data) -> None:
    with app.app_context():
        comment = db.session.get(Comment, data.comment)
        comment.deleted_at, comment.body = utcnow(), ""
        db.session.commit()
    login(client, "amina")
    response = client.post(f"/plan/goals/{data.goal}/comments/{data.comment}/reactions",
                           data={f"reply{data.comment}-body": "Hallo"})
    assert response.status_code == 422
    # The page shows the goal again, without the deleted comment (it has no reactions) and so without its form.
    html = response.get_data(as_text=True)
    assert f'<div id="goal-{data.goal}"' in html
    assert f'id="comment-{data.comment}"' not in html and f'name="reply{data.comment}-body"' not in html
    assert 'role="alert"' in html and "verwijderd" in html  # and says why nothing was sent
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.parent_id.is_not(None))) == 0


def test_plan_page_needs_the_same_statements_for_1_goal_and_for_50_goals_with_20_comments(
        app, client, world, count_queries) -> None:
    with app.app_context():
        sanne, pieter = _user("sanne"), _user("pieter")
        small = make_resident(contact_person=sanne, username="klein", name="Klein Plan")
        goal = make_goal(resident=small)
        make_step(goal=goal)
        make_comment(goal=goal, author=sanne)
        big = db.session.get(Resident, world.amina_id)
        domains = ["work", "money", "language", "education", "health", "housing", "social", "family"]
        for n in range(50):
            goal = make_goal(resident=big, domain=domains[n % 8], title=f"Doel nummer {n}")
            for s in range(3):
                make_step(goal=goal, done=s == 0)
            for c in range(20):
                make_comment(goal=goal, author=sanne if c % 2 else pieter, body=f"Opmerking {c}")
        db.session.commit()

    def statements(username: str) -> tuple[int, str]:
        client.post("/logout")
        login(client, username)
        before = count_queries.count
        response = client.get("/plan")
        assert response.status_code == 200
        return count_queries.count - before, response.get_data(as_text=True)

    one, _ = statements("klein")
    many, many_html = statements("amina")
    twenty = tn("ar", "%(num)s opmerking", "%(num)s opmerkingen", 20)  # amina reads Arabic
    assert "Doel nummer 49" in many_html and many_html.count(twenty) == 50
    assert one == many
    assert many <= 8


def test_staff_panel_needs_the_same_statements_however_big_the_plan(app, client, world, count_queries) -> None:
    with app.app_context():
        sanne, pieter = _user("sanne"), _user("pieter")
        small = make_resident(contact_person=sanne, username="klein", name="Klein Plan")
        goal = make_goal(resident=small)
        make_step(goal=goal)
        make_comment(goal=goal, author=sanne)
        small_id = small.id
        big = db.session.get(Resident, world.amina_id)
        for n in range(40):
            goal = make_goal(resident=big, domain=["work", "language", "family"][n % 3])
            for s in range(3):
                make_step(goal=goal, done=s == 0)
            for c in range(10):
                parent = make_comment(goal=goal, author=sanne if c % 2 else pieter)
                make_comment(goal=goal, author=big.user, parent=parent, body="Reactie")
        db.session.commit()
    login(client, "sanne")
    counts = []
    for resident_id in (small_id, world.amina_id):
        before = count_queries.count
        assert client.get(f"/staff/residents/{resident_id}/plan", headers=HX).status_code == 200
        counts.append(count_queries.count - before)
    assert counts[0] == counts[1], counts


def test_home_card_shows_goals_in_progress(client, data) -> None:
    login(client, "amina")
    html = client.get("/").get_data(as_text=True)
    assert 'id="card-plan-heading"' in html and "Taalniveau A2 halen" in html
    assert "Je werkt nu aan 1 doel." in html


def test_data_download_holds_the_plan(client, data) -> None:
    login(client, "amina")
    payload = export_data(client.get("/account/data"))
    titles = [g["title"] for d in payload["plan"]["life_domains"] for g in d["goals"]]
    assert titles == ["Taalniveau A2 halen"]


# Pages that need a goal, step or comment: as page and as fragment (the access rows cannot make data).


@pytest.mark.parametrize("who, path, root", [
    ("amina", "/plan/goals/{goal}", '<div id="goal-{goal}"'),
    ("sanne", "/staff/residents/{amina}/plan/goals/{goal}", '<details id="goal-{goal}"'),
    ("sanne", "/staff/residents/{amina}/plan/goals/{goal}/edit", '<form id="goal-{goal}"'),
    ("sanne", "/staff/residents/{amina}/plan/goals/{goal}/steps/{step}/edit", '<details id="goal-{goal}"'),
    ("sanne", "/staff/residents/{amina}/plan/goals/{goal}/comments/{comment}", '<li id="comment-{comment}"'),
    ("sanne", "/staff/residents/{amina}/plan/goals/{goal}/comments/{comment}/edit", '<li id="comment-{comment}"'),
    ("pieter", "/staff/residents/{amina}/plan/goals/{goal}", '<details id="goal-{goal}"'),
])
def test_page_and_fragment_with_data(client, data, who, path, root) -> None:
    ids = {"goal": data.goal, "amina": data.amina, "step": data.step, "comment": data.comment}
    url, root = path.format(**ids), root.format(**ids)
    login(client, who)
    full = client.get(url)
    assert full.status_code == 200 and "HX-Request" in full.headers["Vary"]
    html = full.get_data(as_text=True)
    assert html.lstrip().startswith("<!doctype html>") and root in html
    fragment = client.get(url, headers=HX)
    part = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    assert part.lstrip().startswith(root) and "<html" not in part
    assert "<html" in client.get(url, headers={**HX, "HX-Boosted": "true"}).get_data(as_text=True)


# Staff side


def test_file_page_loads_the_plan_panel_lazily_with_a_link_as_fallback(client, data) -> None:
    login(client, "sanne")
    html = client.get(f"/staff/residents/{data.amina}").get_data(as_text=True)
    assert f'hx-get="/staff/residents/{data.amina}/plan"' in html and 'hx-trigger="load"' in html
    assert f'<a class="utrecht-link" href="/staff/residents/{data.amina}/plan">' in html
    assert "Taalniveau A2 halen" not in html  # the file page stays light


def test_staff_panel_shows_the_plan_and_is_audited(app, client, data) -> None:
    login(client, "sanne")
    part = client.get(_staff(data), headers=HX).get_data(as_text=True)
    assert part.lstrip().startswith('<section id="plan-panel"')
    assert "Taalniveau A2 halen" in part and "Goed bezig, Amina!" in part and "Doel wijzigen" in part
    assert "Geheim" not in part
    events = _audit(app, action="plan.view", outcome="ok")
    assert [(e.resident_id, e.actor.username) for e in events] == [(data.amina, "sanne")]


def test_counsellor_reads_and_comments_but_never_edits(app, client, data) -> None:
    login(client, "pieter")
    part = client.get(_staff(data), headers=HX).get_data(as_text=True)
    assert "Taalniveau A2 halen" in part and "Opmerking plaatsen" in part
    assert "Doel wijzigen" not in part and "Stap toevoegen" not in part and "Nieuw doel" not in part
    response = client.post(_staff(data, f"/goals/{data.goal}/comments"),
                           data={f"goal{data.goal}-comment-body": "Ik ga mee naar de les."}, headers=HX)
    assert response.status_code == 200 and "Ik ga mee naar de les." in response.get_data(as_text=True)
    assert _audit(app, action="plan.comment_create", outcome="ok")[0].actor.username == "pieter"
    with app.app_context():
        stored = db.session.execute(select(Comment.goal_id, Comment.author_id, Comment.parent_id)
                                    .where(Comment.body == "Ik ga mee naar de les.")).all()
    assert stored == [(data.goal, data.world.pieter_id, None)]

    before = _snapshot(app)
    g, s = data.goal, data.step
    edits = [
        ("GET", "/route/edit", {}), ("POST", "/route", {"route-learning_route": "z"}),
        ("GET", "/road/pvt/edit", {}), ("POST", "/road/pvt", {"block-pvt-state": "done"}),
        ("GET", "/domains/work/baseline/edit", {}),
        ("POST", "/domains/work/baseline", {"baseline-work-score": "1", "baseline-work-text": "x"}),
        ("GET", "/domains/work/goals/new", {}),
        ("POST", "/domains/work/goals", {"new-work-title": "Nieuw", "new-work-term": "short",
                                         "new-work-status": "not_started"}),
        ("GET", f"/goals/{g}/edit", {}),
        ("POST", f"/goals/{g}", {f"goal{g}-title": "Anders", f"goal{g}-term": "short",
                                 f"goal{g}-status": "done", f"goal{g}-version": "1"}),
        ("POST", f"/goals/{g}/close", {f"goal{g}-close-status": "done", f"goal{g}-close-version": "1"}),
        ("POST", f"/goals/{g}/move", {"direction": "up"}),
        ("POST", f"/goals/{g}/steps", {f"goal{g}-step-text": "Nieuwe stap"}),
        ("GET", f"/goals/{g}/steps/{s}/edit", {}),
        ("POST", f"/goals/{g}/steps/{s}", {f"step{s}-text": "Anders"}),
        ("POST", f"/goals/{g}/steps/{s}/done", {"done": "1"}),
        ("POST", f"/goals/{g}/steps/{s}/move", {"direction": "down"}),
        ("POST", f"/goals/{g}/steps/{s}/delete", {}),
    ]
    for method, path, form in edits:
        url = _staff(data, path)
        response = client.get(url, headers=HX) if method == "GET" else client.post(url, data=form, headers=HX)
        assert response.status_code == 403, (method, path)
    assert _snapshot(app)[:-1] == before[:-1]
    refused = _audit(app, outcome="refused")
    assert len(refused) == len(edits)
    assert all(e.action.startswith("plan.") and e.resident_id == data.amina for e in refused)


def test_other_staff_get_404_for_this_residents_plan(app, client, data) -> None:
    before = _snapshot(app)
    for username in ("ruben", "ineke"):
        login(client, username)
        assert client.get(_staff(data), headers=HX).status_code == 404
        assert client.get(_staff(data, "/print")).status_code == 404
        assert client.post(_staff(data, f"/goals/{data.goal}/comments"),
                           data={f"goal{data.goal}-comment-body": "Hallo"}).status_code == 404
        client.post("/logout")
    assert _snapshot(app) == before
    assert len(_audit(app, outcome="refused", resident_id=data.amina)) == 6


def test_a_goal_of_another_resident_under_this_residents_url_is_404(app, client, data) -> None:
    login(client, "sanne")
    before = _snapshot(app)
    for response in (
        client.get(_staff(data, f"/goals/{data.bob_goal}"), headers=HX),
        client.post(_staff(data, f"/goals/{data.bob_goal}/comments"),
                    data={f"goal{data.bob_goal}-comment-body": "Hallo"}),
        client.post(_staff(data, f"/goals/{data.goal}/steps/{data.bob_step}/done"), data={"done": "1"}),
        client.get(_staff(data, f"/goals/{data.goal}/comments/{data.bob_comment}"), headers=HX),
    ):
        assert response.status_code == 404
        assert "Geheim" not in response.get_data(as_text=True)
    assert _snapshot(app) == before
    assert len(_audit(app, outcome="refused")) == 4


def test_contact_person_adds_a_goal_inline(app, client, data) -> None:
    login(client, "sanne")
    response = client.post(_staff(data, "/domains/work/goals"), headers=HX, data={
        "new-work-title": "Werkervaring opdoen in de zorg", "new-work-reason": "Ze was verpleegkundige.",
        "new-work-term": "mid", "new-work-target_date": "2027-06-01", "new-work-status": "not_started"})
    assert response.status_code == 200
    part = response.get_data(as_text=True)
    assert part.lstrip().startswith('<div id="domain-work-goals"')
    assert "Werkervaring opdoen in de zorg" in part and "Middellange termijn" in part
    assert "Opgeslagen." in response.headers["HX-Trigger"]
    with app.app_context():
        goal = db.session.scalars(select(Goal).where(Goal.domain == "work")).one()
        assert (goal.resident_id, goal.version, goal.created_by_id) == (data.amina, 1, data.world.sanne_id)
    assert _audit(app, action="plan.goal_create", outcome="ok")[0].detail == "domain work"
    # Without htmx the same form answers with a redirect to the plan.
    response = client.post(_staff(data, "/domains/health/goals"), data={
        "new-health-title": "Huisarts kiezen", "new-health-term": "short", "new-health-status": "not_started"})
    assert response.status_code == 303 and response.headers["Location"].endswith(_staff(data))
    with app.app_context():
        stored = db.session.execute(select(Goal.resident_id, Goal.title, Goal.term, Goal.status)
                                    .where(Goal.domain == "health")).all()
    assert stored == [(data.amina, "Huisarts kiezen", "short", "not_started")]


def test_two_saves_of_the_same_goal_version_give_a_conflict_that_keeps_both_versions(app, client, data) -> None:
    login(client, "sanne")
    g = data.goal
    edit = client.get(_staff(data, f"/goals/{g}/edit"), headers=HX).get_data(as_text=True)
    assert f'name="goal{g}-version" type="hidden" value="1"' in edit

    def save(title: str, version: str):
        return client.post(_staff(data, f"/goals/{g}"), headers=HX, data={
            f"goal{g}-title": title, f"goal{g}-reason": "Reden", f"goal{g}-term": "mid",
            f"goal{g}-status": "in_progress", f"goal{g}-version": version})

    first = save("Titel uit het eerste venster", "1")
    assert first.status_code == 200 and first.get_data(as_text=True).lstrip().startswith(f'<details id="goal-{g}"')
    second = save("Titel uit het tweede venster", "1")
    assert second.status_code == 422
    html = second.get_data(as_text=True)
    assert "Sanne de Vries heeft dit doel intussen gewijzigd." in html
    assert "Titel uit het eerste venster" in html  # theirs, as saved
    assert 'value="Titel uit het tweede venster"' in html  # yours, still in the form
    assert html.count('class="plan-conflict__differs"') == 1  # only the title differs
    assert f'name="goal{g}-version" type="hidden" value="2"' in html
    with app.app_context():
        assert db.session.get(Goal, g).title == "Titel uit het eerste venster"
    third = save("Titel uit het tweede venster", "2")  # saving again, on purpose, over theirs
    assert third.status_code == 200
    with app.app_context():
        assert (db.session.get(Goal, g).title, db.session.get(Goal, g).version) == ("Titel uit het tweede venster", 3)
    # Each save attempt is in the log; the refused one says it stored nothing.
    details = sorted((e.id, e.detail) for e in _audit(app, action="plan.goal_update", outcome="ok"))
    assert [d for _, d in details] == [f"goal {g}", f"goal {g} (not saved)", f"goal {g}"]


def test_goal_close_step_and_order_changes_answer_with_the_goal(app, client, data) -> None:
    login(client, "sanne")
    g, s = data.goal, data.step
    response = client.post(_staff(data, f"/goals/{g}/steps"), data={f"goal{g}-step-text": "Oefentoets maken"},
                           headers=HX)
    assert response.status_code == 200 and "Oefentoets maken" in response.get_data(as_text=True)
    with app.app_context():
        new_step = db.session.scalar(select(Step.id).where(Step.text == "Oefentoets maken"))
    client.post(_staff(data, f"/goals/{g}/steps/{new_step}/move"), data={"direction": "up"}, headers=HX)
    client.post(_staff(data, f"/goals/{g}/steps/{s}"), data={f"step{s}-text": "Inschrijven (gedaan)"}, headers=HX)
    client.post(_staff(data, f"/goals/{g}/steps/{s}/done"), data={"done": "1"}, headers=HX)
    with app.app_context():
        steps = db.session.execute(select(Step.text, Step.done_by_id).where(Step.goal_id == g)
                                   .order_by(Step.position)).all()
    assert steps == [("Oefentoets maken", None), ("Inschrijven (gedaan)", data.world.sanne_id)]
    response = client.post(_staff(data, f"/goals/{g}/close"), headers=HX,
                           data={f"goal{g}-close-status": "done", f"goal{g}-close-version": "1"})
    assert response.status_code == 200 and "Gehaald" in response.get_data(as_text=True)
    stale = client.post(_staff(data, f"/goals/{g}/close"), headers=HX,
                        data={f"goal{g}-close-status": "stopped", f"goal{g}-close-version": "1"})
    assert stale.status_code == 422 and "intussen gewijzigd" in stale.get_data(as_text=True)
    client.post(_staff(data, f"/goals/{g}/steps/{new_step}/delete"), headers=HX)
    with app.app_context():
        assert db.session.get(Goal, g).status == "done"
        assert db.session.scalar(select(func.count()).select_from(Step).where(Step.goal_id == g)) == 1
    actions = {e.action for e in _audit(app, outcome="ok")}
    assert {"plan.step_create", "plan.step_move", "plan.step_update", "plan.step_done", "plan.goal_close",
            "plan.step_delete"} <= actions


def test_goals_move_within_their_domain(app, client, data) -> None:
    with app.app_context():
        second = make_goal(resident=db.session.get(Resident, data.amina), domain="language", title="Taalcafé")
        db.session.commit()
        second_id = second.id
    login(client, "sanne")
    response = client.post(_staff(data, f"/goals/{second_id}/move"), data={"direction": "up"}, headers=HX)
    assert response.status_code == 200
    part = response.get_data(as_text=True)
    assert part.lstrip().startswith('<div id="domain-language-goals"')
    assert part.index("Taalcafé") < part.index("Taalniveau A2 halen")
    with app.app_context():
        order = db.session.scalars(select(Goal.title).where(Goal.resident_id == data.amina, Goal.domain == "language")
                                   .order_by(Goal.position)).all()
    assert order == ["Taalcafé", "Taalniveau A2 halen"]


def test_route_baseline_and_road_are_edited_inline(app, client, data) -> None:
    login(client, "sanne")
    form = client.get(_staff(data, "/route/edit"), headers=HX).get_data(as_text=True)
    assert form.lstrip().startswith('<form id="plan-route"')
    response = client.post(_staff(data, "/route"), headers=HX,
                           data={"route-learning_route": "b1", "route-deadline": "2029-07-01"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).lstrip().startswith('<section id="plan-route"')
    response = client.post(_staff(data, "/domains/work/baseline"), headers=HX,
                           data={"baseline-work-score": "2", "baseline-work-text": "Zoekt werk.\nIn de zorg."})
    assert response.status_code == 200
    assert response.get_data(as_text=True).lstrip().startswith('<div id="baseline-work"')
    response = client.post(_staff(data, "/road/broad_intake"), headers=HX,
                           data={"block-broad_intake-state": "done", "block-broad_intake-on_date": "2026-03-01"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).lstrip().startswith('<section id="plan-road"')
    with app.app_context():
        assert db.session.execute(select(Plan.learning_route, Plan.route_deadline)).one() == ("b1", date(2029, 7, 1))
        assert db.session.execute(select(Baseline.score, Baseline.text)).one() == (2, "Zoekt werk.\nIn de zorg.")
        assert db.session.execute(select(Block.kind, Block.state, Block.on_date)).one() == (
            "broad_intake", "done", date(2026, 3, 1))
    assert {"plan.route", "plan.baseline", "plan.block"} <= {e.action for e in _audit(app, outcome="ok")}
    for path in ("/route", "/road", "/domains/work/baseline", "/domains/work/goals"):
        assert client.get(_staff(data, path), headers=HX).status_code == 200
    assert client.get(_staff(data, "/road/holiday/edit"), headers=HX).status_code == 404
    assert client.get(_staff(data, "/domains/weather/baseline"), headers=HX).status_code == 404


def _bad_input_cases():
    g, s = "{goal}", "{step}"
    goal_ok = {f"goal{g}-title": "Titel", f"goal{g}-term": "short", f"goal{g}-status": "in_progress",
               f"goal{g}-version": "1"}
    new_ok = {"new-work-title": "Titel", "new-work-term": "short", "new-work-status": "not_started"}
    cases = [
        ("/route", {"route-learning_route": "c2"}, "Kies een optie uit de lijst."),
        ("/route", {"route-learning_route": "b1", "route-deadline": "morgen"}, "Vul een geldige datum in."),
        ("/route", {"route-learning_route": "b1", "route-deadline": "1850-01-01"}, "Deze datum kan niet kloppen."),
        ("/domains/work/baseline", {"baseline-work-score": "9"}, "Kies een optie uit de lijst."),
        ("/domains/work/baseline", {"baseline-work-score": "2", "baseline-work-text": LONG}, "hoogstens 1000"),
        ("/domains/work/baseline", {"baseline-work-score": "2", "baseline-work-text": "a\u202eb"}, "verboden tekens"),
        ("/road/pvt", {"block-pvt-state": "finished"}, "Kies een optie uit de lijst."),
        ("/road/pvt", {"block-pvt-state": "done", "block-pvt-on_date": "2999-01-01"}, "Deze datum kan niet kloppen."),
        ("/road/pvt", {"block-pvt-state": "done", "block-pvt-on_date": LONG}, "Vul een geldige datum in."),
        ("/domains/work/goals", {**new_ok, "new-work-term": "forever"}, "Kies een optie uit de lijst."),
        ("/domains/work/goals", {**new_ok, "new-work-status": "x"}, "Kies een optie uit de lijst."),
        ("/domains/work/goals", {**new_ok, "new-work-target_date": "31-31-2026"}, "Vul een geldige datum in."),
        (f"/goals/{g}", {**goal_ok, f"goal{g}-version": "abc"}, "niet compleet"),
        (f"/goals/{g}", {**goal_ok, f"goal{g}-version": ""}, "niet compleet"),
        (f"/goals/{g}", {**goal_ok, f"goal{g}-reason": LONG}, "hoogstens 2000"),
        (f"/goals/{g}/close", {f"goal{g}-close-status": "in_progress", f"goal{g}-close-version": "1"},
         "Kies een optie uit de lijst."),
        (f"/goals/{g}/close", {f"goal{g}-close-status": "done"}, "niet compleet"),
        (f"/goals/{g}/move", {"direction": "sideways"}, "Kies een optie uit de lijst."),
        (f"/goals/{g}/steps/{s}/move", {"direction": ""}, "Kies een optie uit de lijst."),
        (f"/goals/{g}/steps/{s}/done", {"done": "yes"}, "Kies een optie uit de lijst."),
    ]
    for kind, text in BAD_TEXT.items():
        message = {"empty": "Vul dit veld in.", "long": "hoogstens"}.get(kind, "verboden tekens")
        cases += [
            ("/domains/work/goals", {**new_ok, "new-work-title": text}, message),
            (f"/goals/{g}", {**goal_ok, f"goal{g}-title": text}, message),
            (f"/goals/{g}/steps", {f"goal{g}-step-text": text}, message),
            (f"/goals/{g}/steps/{s}", {f"step{s}-text": text}, message),
            (f"/goals/{g}/comments", {f"goal{g}-comment-body": text}, message),
        ]
    return cases


@pytest.mark.parametrize("path, form, message", _bad_input_cases())
def test_every_staff_form_refuses_bad_input(app, client, data, path, form, message) -> None:
    ids = {"goal": data.goal, "step": data.step}
    path = path.format(**ids)
    form = {key.format(**ids): value for key, value in form.items()}
    login(client, "sanne")
    before = _snapshot(app)
    response = client.post(_staff(data, path), data=form, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "<html" not in html
    assert _snapshot(app) == before
    # Without htmx the same refusal comes as a full page.
    full = client.post(_staff(data, path), data=form)
    assert full.status_code == 422 and "<html" in full.get_data(as_text=True)
    assert message in full.get_data(as_text=True)
    assert _snapshot(app) == before


def test_comments_inline_own_edit_and_delete_within_15_minutes(app, client, data) -> None:
    login(client, "sanne")
    g = data.goal
    response = client.post(_staff(data, f"/goals/{g}/comments"), headers=HX,
                           data={f"goal{g}-comment-body": "Neem je diploma mee."})
    part = response.get_data(as_text=True)
    assert part.lstrip().startswith(f'<section id="goal-{g}-comments"') and "Neem je diploma mee." in part
    with app.app_context():
        new_id = db.session.scalar(select(Comment.id).where(Comment.body == "Neem je diploma mee."))
    form = client.get(_staff(data, f"/goals/{g}/comments/{new_id}/edit"), headers=HX).get_data(as_text=True)
    assert form.lstrip().startswith(f'<li id="comment-{new_id}"') and "<textarea" in form
    response = client.post(_staff(data, f"/goals/{g}/comments/{new_id}"), headers=HX,
                           data={f"comment{new_id}-body": "Neem je diploma en paspoort mee."})
    assert response.status_code == 200 and "paspoort" in response.get_data(as_text=True)
    assert "gewijzigd" in response.get_data(as_text=True)
    response = client.post(_staff(data, f"/goals/{g}/comments/{new_id}/delete"), headers=HX)
    assert response.status_code == 200 and response.get_data(as_text=True).strip() == ""
    with app.app_context():
        deleted = db.session.get(Comment, new_id)
        assert deleted.deleted_at is not None and deleted.body == ""
    actions = [e.action for e in _audit(app, outcome="ok")]
    assert {"plan.comment_create", "plan.comment_update", "plan.comment_delete"} <= set(actions)


def test_comments_of_others_or_older_than_15_minutes_stay(app, client, data) -> None:
    with app.app_context():
        old = db.session.get(Comment, data.comment)
        old.created_at = utcnow() - timedelta(minutes=20)
        db.session.commit()
    login(client, "sanne")
    g = data.goal
    before = _snapshot(app)
    too_late = client.get(_staff(data, f"/goals/{g}/comments/{data.comment}/edit"), headers=HX)
    assert too_late.status_code == 422 and "15 minuten" in too_late.get_data(as_text=True)
    too_late = client.post(_staff(data, f"/goals/{g}/comments/{data.comment}"), headers=HX,
                           data={f"comment{data.comment}-body": "Anders"})
    assert too_late.status_code == 422 and "15 minuten" in too_late.get_data(as_text=True)
    too_late = client.post(_staff(data, f"/goals/{g}/comments/{data.comment}/delete"), headers=HX)
    assert too_late.status_code == 422 and "15 minuten" in too_late.get_data(as_text=True)
    for path in (f"/comments/{data.pieter_comment}/edit",):
        assert client.get(_staff(data, f"/goals/{g}{path}"), headers=HX).status_code == 403
    assert client.post(_staff(data, f"/goals/{g}/comments/{data.pieter_comment}"), headers=HX,
                       data={f"comment{data.pieter_comment}-body": "Van Sanne"}).status_code == 403
    assert client.post(_staff(data, f"/goals/{g}/comments/{data.pieter_comment}/delete"),
                       headers=HX).status_code == 403
    assert _snapshot(app) == before


@pytest.mark.parametrize("kind", ["empty", "long", "bidi"])
def test_comment_edit_with_bad_text(app, client, data, kind) -> None:
    login(client, "sanne")
    before = _snapshot(app)
    response = client.post(_staff(data, f"/goals/{data.goal}/comments/{data.comment}"), headers=HX,
                           data={f"comment{data.comment}-body": BAD_TEXT[kind]})
    assert response.status_code == 422
    assert _field_errors(response.get_data(as_text=True)) == [BAD_COMMENT_MESSAGE[kind]]
    assert _snapshot(app) == before


def test_printable_plan_has_dutch_and_the_residents_language_side_by_side(app, client, data) -> None:
    from tests.plan.factories import make_plan

    with app.app_context():
        amina = db.session.get(Resident, data.amina)
        amina.user.language = "ar"
        make_plan(resident=amina, learning_route="b1", route_deadline=date(2029, 7, 1))
        db.session.commit()
    login(client, "sanne")
    html = client.get(_staff(data, "/print")).get_data(as_text=True)
    assert '<article class="pip-version" lang="nl" dir="ltr">' in html
    assert '<article class="pip-version" lang="ar" dir="rtl">' in html
    assert "data-print" in html and "pip-print--2" in html
    assert html.count("Taalniveau A2 halen") == 2 and "&lt;article" not in html
    # Dates follow each column's language: the route deadline, in Dutch on the left, in Arabic on the right.
    dutch, arabic = html.split('<article class="pip-version" lang="ar" dir="rtl">')
    assert "klaar vóór 1 juli 2029" in dutch
    assert t("ar", "klaar vóór %(date)s", date="1 يوليو 2029") in arabic
    assert "juli" not in arabic and "vóór" not in arabic
    assert _audit(app, action="plan.print", outcome="ok")
    with app.app_context():
        dutch = make_resident(contact_person=_user("sanne"), language="nl", username="nederlands")
        db.session.commit()
        dutch_id = dutch.id
    html = client.get(f"/staff/residents/{dutch_id}/plan/print").get_data(as_text=True)
    assert html.count('<article class="pip-version"') == 1
