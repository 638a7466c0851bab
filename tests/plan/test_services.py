"""Writes of the plan area, without HTTP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from portal.db import db, utcnow
from portal.domain import DomainError
from portal.plan import services
from portal.plan.models import Baseline, Block, Comment, Goal, Plan, Step
from portal.roles import Role
from tests.factories import make_caseworker, make_counsellor, make_resident, make_user
from tests.plan.factories import make_comment, make_goal, make_step

LONG = "x" * 10_000
BAD_TEXT = ["", "   ", LONG, "Werk\x00zoeken", "Werk \u202ezoeken", "Werk \u2066x\u2069"]

# The services' messages (Dutch source text, as str() of the DomainError gives it outside a request).
REQUIRED = "Vul dit veld in."
FORBIDDEN = "Dit veld bevat onzichtbare of verboden tekens. Haal die weg."
CHOOSE = "Kies een optie uit de lijst."
BAD_DATE = "Deze datum kan niet kloppen."
ONLY_CASEWORKER = "Alleen de contactpersoon kan het plan wijzigen."
NOT_YOUR_GOAL = "Dit is niet jouw doel."


def too_long(limit: int) -> str:
    return f"Dit mag hoogstens {limit} tekens zijn."


def bad_text_message(text: str, limit: int) -> str:
    """What the services say to one of BAD_TEXT."""
    if not text.strip():
        return REQUIRED
    return too_long(limit) if len(text) > limit else FORBIDDEN


def refusal(error: DomainError) -> tuple[str | None, str]:
    return error.field, str(error)


@pytest.fixture
def cast(ctx):
    sanne = make_caseworker(name="Sanne de Vries")
    ruben = make_caseworker(name="Ruben Jansen")
    pieter = make_counsellor(name="Pieter Hendriks")
    amina = make_resident(contact_person=sanne, counsellor=pieter, name="Amina Haddad")
    bob = make_resident(contact_person=ruben, name="Bob Mensah")
    return sanne, ruben, pieter, amina, bob


def _goal_args(**overrides) -> dict:
    args = {"domain": "work", "title": "Werk vinden", "reason": "Eigen inkomen.", "term": "short",
            "target_date": date.today() + timedelta(days=90), "status": "not_started"}
    args.update(overrides)
    return args


# Route, baseline and road


def test_route_is_set_changed_and_cleared(cast) -> None:
    sanne, _, _, amina, _ = cast
    plan = services.plan_set_route(resident=amina, actor=sanne, learning_route="b1", deadline=date(2029, 7, 1))
    assert (plan.learning_route, plan.route_deadline, plan.updated_by_id) == ("b1", date(2029, 7, 1), sanne.id)
    services.plan_set_route(resident=amina, actor=sanne, learning_route="onderwijs", deadline=None)
    services.plan_set_route(resident=amina, actor=sanne, learning_route=None, deadline=None)
    rows = db.session.scalars(select(Plan)).all()
    assert [(p.resident_id, p.learning_route, p.route_deadline) for p in rows] == [(amina.id, None, None)]


@pytest.mark.parametrize("route, deadline, field, message", [
    ("c1", None, "learning_route", CHOOSE),
    ("B1", None, "learning_route", CHOOSE),
    ("b1", date(1999, 1, 1), "deadline", BAD_DATE),
    ("b1", date.today() + timedelta(days=365 * 20), "deadline", BAD_DATE),
])
def test_route_refuses_bad_input(cast, route, deadline, field, message) -> None:
    sanne, _, _, amina, _ = cast
    with pytest.raises(DomainError) as refused:
        services.plan_set_route(resident=amina, actor=sanne, learning_route=route, deadline=deadline)
    assert refusal(refused.value) == (field, message)
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 0


def test_only_a_caseworker_changes_the_plan(cast) -> None:
    _, _, pieter, amina, _ = cast
    lead = make_user(role=Role.LEAD)
    for actor in (pieter, lead, amina.user):
        with pytest.raises(DomainError) as refused:
            services.plan_set_route(resident=amina, actor=actor, learning_route="b1", deadline=None)
        assert refusal(refused.value) == (None, ONLY_CASEWORKER)
        with pytest.raises(DomainError) as refused:
            services.goal_create(resident=amina, actor=actor, **_goal_args())
        assert refusal(refused.value) == (None, ONLY_CASEWORKER)
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 0
    assert db.session.scalar(select(func.count()).select_from(Goal)) == 0


def test_baseline_is_one_row_per_domain(cast) -> None:
    sanne, _, _, amina, _ = cast
    services.baseline_set(resident=amina, actor=sanne, domain="work", score=2, text="Zoekt werk.")
    services.baseline_set(resident=amina, actor=sanne, domain="work", score=4, text="Heeft een stage.\nGaat goed.")
    services.baseline_set(resident=amina, actor=sanne, domain="health", score=None, text="")
    rows = {b.domain: (b.score, b.text) for b in db.session.scalars(select(Baseline))}
    assert rows == {"work": (4, "Heeft een stage.\nGaat goed."), "health": (None, "")}


@pytest.mark.parametrize("domain, score, text, field, message", [
    ("weather", 3, "", "domain", CHOOSE),
    ("work", 0, "", "score", CHOOSE),
    ("work", 6, "", "score", CHOOSE),
    ("work", 3, LONG, "text", too_long(services.BASELINE_MAX)),
    ("work", 3, "a\x00b", "text", FORBIDDEN),
    ("work", 3, "a\u202eb", "text", FORBIDDEN),
])
def test_baseline_refuses_bad_input(cast, domain, score, text, field, message) -> None:
    sanne, _, _, amina, _ = cast
    with pytest.raises(DomainError) as refused:
        services.baseline_set(resident=amina, actor=sanne, domain=domain, score=score, text=text)
    assert refusal(refused.value) == (field, message)
    assert db.session.scalar(select(func.count()).select_from(Baseline)) == 0


def test_block_state_and_date(cast) -> None:
    sanne, _, _, amina, _ = cast
    services.block_set(resident=amina, actor=sanne, kind="pvt", state="current", on_date=date.today())
    services.block_set(resident=amina, actor=sanne, kind="pvt", state="done", on_date=date.today())
    block = db.session.scalars(select(Block)).one()
    assert (block.kind, block.state, block.on_date) == ("pvt", "done", date.today())


@pytest.mark.parametrize("kind, state, on_date, field, message", [
    ("holiday", "done", None, "kind", CHOOSE),
    ("pvt", "finished", None, "state", CHOOSE),
    ("pvt", "done", date.today() + timedelta(days=3), "on_date",
     "Iets wat klaar is, kan geen datum in de toekomst hebben."),
    ("pvt", "current", date(1990, 1, 1), "on_date", BAD_DATE),
])
def test_block_refuses_bad_input(cast, kind, state, on_date, field, message) -> None:
    sanne, _, _, amina, _ = cast
    with pytest.raises(DomainError) as refused:
        services.block_set(resident=amina, actor=sanne, kind=kind, state=state, on_date=on_date)
    assert refusal(refused.value) == (field, message)
    assert db.session.scalar(select(func.count()).select_from(Block)) == 0


# Goals


def test_goal_create_appends_within_its_domain(cast) -> None:
    sanne, _, _, amina, _ = cast
    first = services.goal_create(resident=amina, actor=sanne, **_goal_args(title="  Werk vinden  "))
    second = services.goal_create(resident=amina, actor=sanne, **_goal_args(title="Cv maken"))
    other = services.goal_create(resident=amina, actor=sanne, **_goal_args(domain="health", title="Huisarts"))
    assert (first.title, first.position, second.position, other.position) == ("Werk vinden", 1, 2, 1)
    assert (first.version, first.created_by_id, first.updated_by_id, first.closed_at) == (1, sanne.id, sanne.id, None)
    done = services.goal_create(resident=amina, actor=sanne, **_goal_args(status="done"))
    assert done.closed_at is not None


@pytest.mark.parametrize("field, value, message", [
    *[("title", bad, bad_text_message(bad, services.TITLE_MAX)) for bad in BAD_TEXT],
    ("reason", LONG, too_long(services.REASON_MAX)), ("reason", "a\x07b", FORBIDDEN), ("reason", "a\u202eb", FORBIDDEN),
    ("term", "long", CHOOSE), ("term", "", CHOOSE),
    ("status", "finished", CHOOSE), ("status", None, CHOOSE),
    ("domain", "weather", CHOOSE),
    ("target_date", date(1900, 1, 1), BAD_DATE),
])
def test_goal_create_refuses_bad_input(cast, field, value, message) -> None:
    sanne, _, _, amina, _ = cast
    with pytest.raises(DomainError) as refused:
        services.goal_create(resident=amina, actor=sanne, **_goal_args(**{field: value}))
    assert refusal(refused.value) == (field, message)
    assert db.session.scalar(select(func.count()).select_from(Goal)) == 0


def test_reason_may_have_line_breaks(cast) -> None:
    sanne, _, _, amina, _ = cast
    goal = services.goal_create(resident=amina, actor=sanne, **_goal_args(reason="Eén.\nTwee."))
    assert goal.reason == "Eén.\nTwee."


def test_goal_update_raises_the_version_and_records_who(cast) -> None:
    sanne, _, _, amina, _ = cast
    goal = services.goal_create(resident=amina, actor=sanne, **_goal_args())
    services.goal_update(goal=goal, actor=sanne, expected_version=1, title="Betaald werk vinden",
                         reason="Nieuw", term="mid", target_date=None, status="in_progress")
    stored = db.session.get(Goal, goal.id)
    assert (stored.title, stored.term, stored.status, stored.version, stored.updated_by_id) == (
        "Betaald werk vinden", "mid", "in_progress", 2, sanne.id)


def test_goal_update_with_an_old_version_is_a_conflict_that_names_who_changed_it(cast) -> None:
    sanne, _, _, amina, _ = cast
    colleague = make_caseworker(name="Daan Visser")
    goal = services.goal_create(resident=amina, actor=sanne, **_goal_args())
    # Daan saved first (from the same form version 1)...
    services.goal_update(goal=goal, actor=colleague, expected_version=1, title="Daans titel", reason="",
                         term="short", target_date=None, status="in_progress")
    # ...then Sanne saves with the version her form was opened with.
    with pytest.raises(services.GoalConflict) as conflict:
        services.goal_update(goal=goal, actor=sanne, expected_version=1, title="Sannes titel", reason="",
                             term="mid", target_date=None, status="not_started")
    assert str(conflict.value.message) == "Daan Visser heeft dit doel intussen gewijzigd."
    assert (conflict.value.goal.title, conflict.value.goal.version) == ("Daans titel", 2)
    db.session.expire_all()
    assert (db.session.get(Goal, goal.id).title, db.session.get(Goal, goal.id).version) == ("Daans titel", 2)


def test_a_save_that_races_past_the_check_still_cannot_overwrite(cast) -> None:
    sanne, _, _, amina, _ = cast
    goal = services.goal_create(resident=amina, actor=sanne, **_goal_args())
    # Another request writes between our read and our write; our loaded object still says version 1.
    db.session.execute(update(Goal).where(Goal.id == goal.id).values(version=2, title="Van een ander")
                       .execution_options(synchronize_session=False))
    assert goal.version == 1
    with pytest.raises(services.GoalConflict) as conflict:
        services.goal_update(goal=goal, actor=sanne, expected_version=1, title="Mijn titel", reason="",
                             term="short", target_date=None, status="in_progress")
    assert refusal(conflict.value) == (None, "Sanne de Vries heeft dit doel intussen gewijzigd.")
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).title == "Van een ander"


def test_goal_close_and_reopen(cast) -> None:
    sanne, _, _, amina, _ = cast
    goal = services.goal_create(resident=amina, actor=sanne, **_goal_args(status="in_progress"))
    services.goal_close(goal=goal, actor=sanne, expected_version=1, status="done")
    assert (goal.status, goal.version, goal.closed) == ("done", 2, True)
    assert goal.closed_at is not None
    with pytest.raises(services.GoalConflict) as conflict:
        services.goal_close(goal=goal, actor=sanne, expected_version=1, status="stopped")
    assert refusal(conflict.value) == (None, "Sanne de Vries heeft dit doel intussen gewijzigd.")
    with pytest.raises(DomainError) as refused:
        services.goal_close(goal=goal, actor=sanne, expected_version=2, status="in_progress")
    assert refusal(refused.value) == ("status", CHOOSE)
    assert (goal.status, goal.version) == ("done", 2)
    services.goal_update(goal=goal, actor=sanne, expected_version=2, title=goal.title, reason="", term="short",
                         target_date=None, status="in_progress")
    assert (goal.status, goal.closed_at, goal.version) == ("in_progress", None, 3)


def test_goal_move_swaps_with_its_neighbour_within_the_domain(cast) -> None:
    sanne, _, _, amina, _ = cast
    a, b, c = (services.goal_create(resident=amina, actor=sanne, **_goal_args(title=t)) for t in "abc")
    other = services.goal_create(resident=amina, actor=sanne, **_goal_args(domain="health", title="h"))
    services.goal_move(goal=c, actor=sanne, direction=-1)
    order = db.session.scalars(select(Goal.title).where(Goal.domain == "work").order_by(Goal.position)).all()
    assert order == ["a", "c", "b"]
    services.goal_move(goal=a, actor=sanne, direction=-1)  # already first: stays
    services.goal_move(goal=b, actor=sanne, direction=1)  # already last: stays
    order = db.session.scalars(select(Goal.title).where(Goal.domain == "work").order_by(Goal.position)).all()
    assert order == ["a", "c", "b"]
    assert other.position == 1
    # Moving does not count as changing the goal: nobody's open form becomes stale.
    assert {a.version, b.version, c.version} == {1}


# Steps


def test_steps_create_update_move_delete(cast) -> None:
    sanne, _, _, amina, _ = cast
    goal = make_goal(resident=amina)
    one = services.step_create(goal=goal, actor=sanne, text="Inschrijven")
    two = services.step_create(goal=goal, actor=sanne, text="Les volgen")
    three = services.step_create(goal=goal, actor=sanne, text="Examen")
    services.step_update(step=two, actor=sanne, text="Drie lessen per week volgen")
    services.step_move(step=three, actor=sanne, direction=-1)
    db.session.expire_all()
    assert [s.text for s in goal.steps] == ["Inschrijven", "Examen", "Drie lessen per week volgen"]
    services.step_delete(step=one, actor=sanne)
    db.session.expire_all()
    assert [(s.text, s.position) for s in goal.steps] == [("Examen", 1), ("Drie lessen per week volgen", 2)]


@pytest.mark.parametrize("text", [*BAD_TEXT, "twee\nregels"])
def test_step_refuses_bad_text(cast, text) -> None:
    sanne, _, _, amina, _ = cast
    goal = make_goal(resident=amina)
    with pytest.raises(DomainError) as refused:
        services.step_create(goal=goal, actor=sanne, text=text)
    assert refusal(refused.value) == ("text", bad_text_message(text, services.STEP_MAX))
    assert db.session.scalar(select(func.count()).select_from(Step)) == 0


def test_resident_ticks_own_step_and_can_undo(cast) -> None:
    sanne, _, _, amina, _ = cast
    step = make_step(goal=make_goal(resident=amina))
    services.step_set_done(step=step, actor=amina.user, done=True)
    assert step.done and step.done_by_id == amina.user_id
    first_done_at = step.done_at
    services.step_set_done(step=step, actor=amina.user, done=True)  # twice: stays as it was
    assert step.done_at == first_done_at
    services.step_set_done(step=step, actor=amina.user, done=False)
    assert (step.done_at, step.done_by_id) == (None, None)
    services.step_set_done(step=step, actor=sanne, done=True)
    assert step.done_by_id == sanne.id


def test_step_refusals(cast) -> None:
    _, _, pieter, amina, bob = cast
    step = make_step(goal=make_goal(resident=amina))
    with pytest.raises(DomainError) as refused:
        services.step_set_done(step=step, actor=bob.user, done=True)
    assert refusal(refused.value) == (None, NOT_YOUR_GOAL)
    with pytest.raises(DomainError) as refused:
        services.step_set_done(step=step, actor=pieter, done=True)
    assert refusal(refused.value) == (None, ONLY_CASEWORKER)
    closed = make_step(goal=make_goal(resident=amina, status="done"))
    with pytest.raises(DomainError) as refused:
        services.step_set_done(step=closed, actor=amina.user, done=True)
    assert refusal(refused.value) == (None, "Dit doel is afgesloten. Je kunt de stappen niet meer veranderen.")
    assert not step.done and not closed.done


# Comments


def test_staff_comment_and_resident_reaction_in_one_thread(cast) -> None:
    sanne, _, pieter, amina, _ = cast
    goal = make_goal(resident=amina)
    first = services.comment_create(goal=goal, author=sanne, body="Goed bezig!")
    second = services.comment_create(goal=goal, author=pieter, body="Zullen we samen oefenen?\nDonderdag?")
    reaction = services.comment_create(goal=goal, author=amina.user, body="Dank je.", parent=first)
    # A reaction to a reaction joins the thread of the first comment.
    again = services.comment_create(goal=goal, author=sanne, body="Graag gedaan.", parent=reaction)
    assert (reaction.parent_id, again.parent_id) == (first.id, first.id)
    db.session.expire_all()
    thread = goal.thread(newest_first=True)
    assert [(c.body, [r.body for r in replies]) for c, replies in thread] == [
        ("Zullen we samen oefenen?\nDonderdag?", []),
        ("Goed bezig!", ["Dank je.", "Graag gedaan."]),
    ]
    assert [c.id for c, _ in goal.thread(newest_first=False)] == [first.id, second.id]


def test_comment_refusals(cast) -> None:
    sanne, ruben, _, amina, bob = cast
    goal = make_goal(resident=amina)
    other_goal = make_goal(resident=bob)
    comment = make_comment(goal=goal, author=sanne)
    other_comment = make_comment(goal=other_goal, author=ruben)
    lead = make_user(role=Role.LEAD)
    cases = [
        # the resident only reacts
        (dict(goal=goal, author=amina.user, body="Hallo"),
         (None, "Je kunt reageren op een opmerking van je contactpersoon.")),
        (dict(goal=goal, author=bob.user, body="Hallo", parent=comment), (None, NOT_YOUR_GOAL)),
        # parent of another goal
        (dict(goal=goal, author=amina.user, body="Hallo", parent=other_comment),
         (None, "Deze opmerking hoort bij een ander doel.")),
        (dict(goal=goal, author=lead, body="Hallo"), (None, "Je kunt hier geen opmerking plaatsen.")),
        *[(dict(goal=goal, author=sanne, body=bad), ("body", bad_text_message(bad, services.COMMENT_MAX)))
          for bad in BAD_TEXT],
        (dict(goal=goal, author=sanne, body="Tekst \u202e omgedraaid"), ("body", FORBIDDEN)),
    ]
    for case, expected in cases:
        with pytest.raises(DomainError) as refused:
            services.comment_create(**case)
        assert refusal(refused.value) == expected, case
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 2


def test_own_comment_can_change_within_15_minutes_only(cast) -> None:
    sanne, _, pieter, amina, _ = cast
    goal = make_goal(resident=amina)
    now = utcnow()
    comment = services.comment_create(goal=goal, author=sanne, body="Eerst", now=now)
    services.comment_update(comment=comment, actor=sanne, body="Beter", now=now + timedelta(minutes=14))
    assert (comment.body, comment.edited_at) == ("Beter", now + timedelta(minutes=14))
    own_only = "Je kunt alleen je eigen opmerking wijzigen, en alleen in de eerste 15 minuten."
    with pytest.raises(DomainError) as refused:
        services.comment_update(comment=comment, actor=sanne, body="Te laat", now=now + timedelta(minutes=16))
    assert refusal(refused.value) == (None, own_only)
    with pytest.raises(DomainError) as refused:
        services.comment_delete(comment=comment, actor=sanne, now=now + timedelta(minutes=16))
    assert refusal(refused.value) == (
        None, "Je kunt alleen je eigen opmerking verwijderen, en alleen in de eerste 15 minuten.")
    with pytest.raises(DomainError) as refused:
        services.comment_update(comment=comment, actor=pieter, body="Van een ander", now=now)
    assert refusal(refused.value) == (None, own_only)
    assert (comment.body, comment.deleted) == ("Beter", False)


def test_deleting_keeps_the_reactions(cast) -> None:
    sanne, _, _, amina, _ = cast
    goal = make_goal(resident=amina)
    lonely = services.comment_create(goal=goal, author=sanne, body="Vergissing")
    answered = services.comment_create(goal=goal, author=sanne, body="Vraag")
    services.comment_create(goal=goal, author=amina.user, body="Antwoord", parent=answered)
    services.comment_delete(comment=lonely, actor=sanne)
    services.comment_delete(comment=answered, actor=sanne)
    assert (answered.body, answered.deleted) == ("", True)
    db.session.expire_all()
    thread = goal.thread(newest_first=False)
    assert [(c.id, c.deleted, [r.body for r in replies]) for c, replies in thread] == [
        (answered.id, True, ["Antwoord"])]
    with pytest.raises(DomainError) as refused:
        services.comment_create(goal=goal, author=amina.user, body="Nog iets", parent=answered)
    assert refusal(refused.value) == ("body", "Deze opmerking is verwijderd. Je kunt er niet meer op reageren.")
