"""The plan demo: full plans for amina and yonas, a plan for everyone, the report's 347 broad intakes."""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.accounts.services import password_hash
from portal.db import db
from portal.demo import RESIDENT_COUNT, DemoContext, _seed_residents, _seed_staff
from portal.plan import demo
from portal.plan.models import Baseline, Block, Comment, Goal, Plan, Step
from portal.plan.queries import broad_intakes_done, plan_view


@pytest.fixture
def seeded(ctx):
    """Only the foundation's people plus this area's seed, so other areas' demo work cannot interfere."""
    context = DemoContext(today=date(2026, 11, 20), rng=random.Random(2019))
    hashed = password_hash("demo")
    _seed_staff(context, hashed)
    _seed_residents(context, hashed)
    db.session.flush()
    started = time.perf_counter()
    demo.seed(context)
    db.session.flush()
    context.seconds = time.perf_counter() - started
    return context


def test_seed_is_fast(seeded) -> None:
    assert seeded.seconds < 15  # a guard against a per-row slowdown; typically 1–2 s on SQLite


def test_exactly_347_broad_intakes_done_with_amina_and_yonas_among_them(seeded) -> None:
    assert broad_intakes_done() == 347
    done = set(db.session.scalars(select(Block.resident_id).where(Block.kind == "broad_intake",
                                                                  Block.state == "done")))
    assert {seeded.amina.id, seeded.yonas.id} <= done


def test_amina_and_yonas_have_full_plans(seeded) -> None:
    sanne, pieter = seeded.staff["sanne"], seeded.staff["pieter"]
    for resident, route in ((seeded.amina, "b1"), (seeded.yonas, "onderwijs")):
        view = plan_view(resident, with_comments=True)
        assert view.plan.learning_route == route and view.plan.route_deadline is not None
        for domain in view.domains:
            assert domain.baseline is not None and domain.baseline.text and domain.baseline.score
            assert len(domain.goals) >= 2, domain.key
        goals = [g for d in view.domains for g in d.goals]
        steps = [s for g in goals for s in g.steps]
        assert 0 < sum(s.done for s in steps) < len(steps)
        authors = {c.author_id for g in goals for c in g.comments}
        assert {sanne.id, pieter.id, resident.user_id} <= authors
        reactions = [c for g in goals for c in g.comments if c.parent_id is not None]
        assert any(c.author_id == resident.user_id for c in reactions)
        states = Counter(stop.state for stop in view.road)
        assert states["done"] >= 3 and states["current"] >= 1
    yonas_age = (seeded.today - seeded.yonas.date_of_birth).days // 365
    assert yonas_age == 19


def test_every_resident_has_a_plausible_plan(seeded) -> None:
    per_resident = dict(db.session.execute(
        select(Goal.resident_id, func.count(Goal.id)).group_by(Goal.resident_id)).all())
    assert len(per_resident) == RESIDENT_COUNT
    others = [n for rid, n in per_resident.items() if rid not in (seeded.amina.id, seeded.yonas.id)]
    assert max(others) <= 6 and min(others) >= 1
    blocks = db.session.scalar(select(func.count(Block.id)))
    assert blocks == RESIDENT_COUNT * 7
    # Baselines come with the broad intake.
    with_baseline = db.session.scalar(select(func.count(func.distinct(Baseline.resident_id))))
    assert with_baseline == 347
    assert db.session.scalar(select(func.count(Step.id))) > RESIDENT_COUNT * 3
    assert db.session.scalar(select(func.count(Comment.id))) > 100
    statuses = Counter(db.session.scalars(select(Goal.status)))
    assert statuses["in_progress"] > statuses["stopped"] > 0 and statuses["done"] > 0


def test_learning_routes_spread_plausibly(seeded) -> None:
    routes = dict(db.session.execute(select(Plan.resident_id, Plan.learning_route)).all())
    by_age = {"young": Counter(), "older": Counter()}
    for resident in seeded.residents:
        if resident.id in routes:
            age = (seeded.today - resident.date_of_birth).days // 365
            by_age["young" if age < 25 else "older"][routes[resident.id]] += 1
    assert by_age["young"]["onderwijs"] > by_age["young"]["b1"]
    assert by_age["older"]["b1"] > by_age["older"]["onderwijs"]
    assert set(routes.values()) == {"b1", "onderwijs", "z"}
    # The report's young Eritreans: 15 started education, 5 work.
    young = seeded.residents[2:22]
    assert all(r.user.language == "ti" for r in young)
    assert Counter(routes[r.id] for r in young) == {"onderwijs": 15, "b1": 5}
    work_done = db.session.scalar(select(func.count(Goal.id)).where(
        Goal.resident_id.in_([r.id for r in young]), Goal.title == demo.YOUNG_WORK_GOAL[1], Goal.status == "done"))
    assert work_done == 5


def test_demo_texts_are_safe_and_fit_the_columns(seeded) -> None:
    from portal.web.forms import has_forbidden_characters

    for title, reason in db.session.execute(select(Goal.title, Goal.reason)):
        assert 0 < len(title) <= 200 and len(reason) <= 2000
        assert not has_forbidden_characters(title) and not has_forbidden_characters(reason, multiline=True)
    assert db.session.scalar(select(func.count(User.id)).where(User.username == "amina")) == 1
