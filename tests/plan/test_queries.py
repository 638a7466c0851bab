"""Reads of the plan area: what they return, and in how many statements."""

from __future__ import annotations

from datetime import date, timedelta

from portal.db import db
from portal.plan.queries import (
    broad_intakes_done,
    export_for_resident,
    goal_get,
    plan_home_card,
    plan_view,
    road_for_resident,
)
from tests.factories import make_caseworker, make_counsellor, make_resident
from tests.plan.factories import make_baseline, make_block, make_comment, make_goal, make_plan, make_step


def test_plan_view_groups_goals_by_domain_in_order(ctx) -> None:
    sanne = make_caseworker()
    amina = make_resident(contact_person=sanne)
    bob = make_resident()
    make_plan(resident=amina, learning_route="b1")
    make_baseline(resident=amina, domain="work", score=2, text="Zoekt werk.")
    second = make_goal(resident=amina, domain="work", title="Tweede", position=2)
    first = make_goal(resident=amina, domain="work", title="Eerste", position=1)
    health = make_goal(resident=amina, domain="health", title="Huisarts")
    make_goal(resident=bob, domain="work", title="Van Bob")
    make_comment(goal=first, author=sanne)
    make_comment(goal=first, author=sanne)
    make_comment(goal=first, author=sanne, deleted_at=first.created_at, body="")
    view = plan_view(amina, with_comments=False)
    assert [d.key for d in view.domains] == ["work", "money", "language", "education", "health", "housing",
                                             "social", "family"]
    assert [g.title for g in view.domain("work").goals] == ["Eerste", "Tweede"]
    assert [g.title for g in view.domain("health").goals] == ["Huisarts"]
    assert view.domain("work").baseline.score == 2 and view.domain("money").baseline is None
    assert view.plan.learning_route == "b1"
    assert view.comment_counts == {first.id: 2}
    assert view.goal_count == 3
    assert {second.id, health.id}.isdisjoint(view.comment_counts)


def test_road_has_every_block_in_order_upcoming_by_default(ctx) -> None:
    amina = make_resident()
    make_block(resident=amina, kind="pvt", state="current", on_date=date(2026, 5, 1))
    make_block(resident=amina, kind="warm_handover", state="done", on_date=date(2026, 1, 10))
    road = road_for_resident(amina)
    assert [(s.kind, s.state) for s in road] == [
        ("warm_handover", "done"), ("broad_intake", "upcoming"), ("pip", "upcoming"), ("pvt", "current"),
        ("map", "upcoming"), ("route", "upcoming"), ("exams", "upcoming")]
    assert road[0].on_date == date(2026, 1, 10) and road[1].on_date is None


def test_goal_get_is_only_for_its_own_resident(ctx) -> None:
    amina, bob = make_resident(), make_resident()
    goal = make_goal(resident=amina)
    assert goal_get(resident_id=amina.id, goal_id=goal.id) is goal
    assert goal_get(resident_id=bob.id, goal_id=goal.id) is None


def test_plan_view_statements_do_not_grow_with_goals_and_comments(ctx, count_queries) -> None:
    sanne = make_caseworker()
    pieter = make_counsellor()
    small, big = make_resident(contact_person=sanne), make_resident(contact_person=sanne, counsellor=pieter)
    goal = make_goal(resident=small)
    make_step(goal=goal)
    make_comment(goal=goal, author=sanne)
    for n in range(30):
        goal = make_goal(resident=big, domain=["work", "language", "health"][n % 3])
        for _ in range(3):
            make_step(goal=goal)
        for m in range(5):
            make_comment(goal=goal, author=sanne if m % 2 else pieter)
    db.session.commit()
    counts = {}
    for name, resident in (("small", small), ("big", big)):
        for with_comments in (False, True):
            db.session.expire_all()
            before = count_queries.count
            view = plan_view(resident, with_comments=with_comments)
            for domain in view.domains:
                for goal in domain.goals:
                    _ = [s.text for s in goal.steps]
                    if with_comments:
                        _ = [(c.author.name, c.body) for c in goal.comments]
                        _ = goal.updated_by.name
            counts[name, with_comments] = count_queries.count - before
    assert counts["small", False] == counts["big", False]
    assert counts["small", True] == counts["big", True]
    assert counts["big", True] <= 7


def test_home_card_lists_goals_in_progress_in_one_statement(ctx, count_queries) -> None:
    amina = make_resident()
    soon = make_goal(resident=amina, title="Eerst", target_date=date.today() + timedelta(days=5))
    make_step(goal=soon, done=True)
    make_step(goal=soon)
    make_goal(resident=amina, title="Zonder datum")
    make_goal(resident=amina, title="Later", target_date=date.today() + timedelta(days=50))
    make_goal(resident=amina, title="Nog later", target_date=date.today() + timedelta(days=90))
    make_goal(resident=amina, title="Klaar", status="done")
    make_goal(resident=amina, title="Nog niet", status="not_started")
    make_goal(resident=make_resident(), title="Van een ander")
    db.session.commit()
    assert amina.id  # loaded again after the commit, as the signed-in user's resident is on a real request
    before = count_queries.count
    card = plan_home_card(amina)
    assert count_queries.count - before == 1
    assert card.total == 4
    assert [g.title for g in card.goals] == ["Eerst", "Later", "Nog later"]
    assert (card.goals[0].steps, card.goals[0].steps_done) == (2, 1)


def test_home_card_is_none_without_goals_in_progress(ctx) -> None:
    amina = make_resident()
    make_goal(resident=amina, status="done")
    assert plan_home_card(amina) is None


def test_broad_intakes_done_counts_only_done(ctx) -> None:
    for state in ("done", "done", "current", "upcoming"):
        make_block(resident=make_resident(), kind="broad_intake", state=state)
    make_block(resident=make_resident(), kind="pvt", state="done")
    assert broad_intakes_done() == 2


def test_export_holds_the_plan_of_this_resident_only(ctx) -> None:
    sanne = make_caseworker(name="Sanne de Vries")
    amina, bob = make_resident(contact_person=sanne), make_resident()
    make_plan(resident=amina, learning_route="b1", route_deadline=date(2029, 7, 1))
    goal = make_goal(resident=amina, domain="language", title="Taalniveau A2")
    make_step(goal=goal, text="Inschrijven", done=True)
    make_comment(goal=goal, author=sanne, body="Goed bezig")
    make_goal(resident=bob, title="Geheim van Bob")
    data = export_for_resident(amina)
    assert data["learning_route"] == "B1-route" and data["route_deadline"] == "2029-07-01"
    language = next(d for d in data["life_domains"] if d["domain"] == "Taal")
    assert language["goals"][0]["title"] == "Taalniveau A2"
    assert language["goals"][0]["steps"][0]["text"] == "Inschrijven"
    assert language["goals"][0]["comments"][0] | {"at": None} == {
        "by": "Sanne de Vries", "at": None, "text": "Goed bezig", "reaction_to": None,
        "id": language["goals"][0]["comments"][0]["id"]}
    assert "Geheim van Bob" not in str(data)
    assert len(data["road"]) == 7
