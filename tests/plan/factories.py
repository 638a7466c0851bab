"""make_<thing>(**overrides) for the plan area. Call inside an app context."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db, utcnow
from portal.plan.models import Baseline, Block, Comment, Goal, Plan, Step
from tests.factories import make_resident

_seq = itertools.count(1)


def make_goal(*, resident: Resident | None = None, **overrides) -> Goal:
    resident = resident or make_resident()
    n = next(_seq)
    now = utcnow()
    goal = Goal(
        resident_id=resident.id,
        domain=overrides.pop("domain", "language"),
        title=overrides.pop("title", f"Doel {n}"),
        reason=overrides.pop("reason", "Omdat het helpt."),
        term=overrides.pop("term", "short"),
        target_date=overrides.pop("target_date", None),
        status=overrides.pop("status", "in_progress"),
        position=overrides.pop("position", n),
        version=overrides.pop("version", 1),
        created_at=overrides.pop("created_at", now),
        updated_at=overrides.pop("updated_at", now),
        updated_by_id=overrides.pop("updated_by_id", resident.contact_person_id),
        created_by_id=overrides.pop("created_by_id", resident.contact_person_id),
        **overrides,
    )
    db.session.add(goal)
    db.session.flush()
    return goal


def make_step(*, goal: Goal, done: bool = False, done_by: User | None = None, **overrides) -> Step:
    n = next(_seq)
    step = Step(
        goal_id=goal.id,
        text=overrides.pop("text", f"Stap {n}"),
        position=overrides.pop("position", n),
        done_at=overrides.pop("done_at", utcnow() if done else None),
        done_by_id=done_by.id if done_by else None,
        **overrides,
    )
    db.session.add(step)
    db.session.flush()
    return step


def make_comment(*, goal: Goal, author: User, parent: Comment | None = None, **overrides) -> Comment:
    comment = Comment(
        goal_id=goal.id,
        author_id=author.id,
        parent_id=parent.id if parent else None,
        body=overrides.pop("body", "Goed bezig!"),
        created_at=overrides.pop("created_at", utcnow()),
        **overrides,
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def make_plan(*, resident: Resident, learning_route: str | None = "b1", route_deadline: date | None = None) -> Plan:
    plan = Plan(resident_id=resident.id, learning_route=learning_route,
                route_deadline=route_deadline or date(2029, 7, 1), updated_at=utcnow())
    db.session.add(plan)
    db.session.flush()
    return plan


def make_baseline(*, resident: Resident, domain: str = "work", score: int | None = 3, text: str = "Zoekt werk.",
                  updated_at: datetime | None = None) -> Baseline:
    baseline = Baseline(resident_id=resident.id, domain=domain, score=score, text=text,
                        updated_at=updated_at or utcnow())
    db.session.add(baseline)
    db.session.flush()
    return baseline


def make_block(*, resident: Resident, kind: str = "broad_intake", state: str = "done",
               on_date: date | None = date(2026, 3, 1)) -> Block:
    block = Block(resident_id=resident.id, kind=kind, state=state, on_date=on_date, updated_at=utcnow())
    db.session.add(block)
    db.session.flush()
    return block
