"""Reads of the plan area: a fixed number of statements however many goals, steps and comments there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.caseload.models import Resident
from portal.db import db
from portal.plan.models import (
    BLOCK_LABELS,
    DOMAIN_LABELS,
    GOAL_STATUS_LABELS,
    ROUTE_LABELS,
    TERM_LABELS,
    Baseline,
    Block,
    BlockKind,
    BlockState,
    Comment,
    Goal,
    GoalStatus,
    LifeDomain,
    Plan,
    Step,
)

HOME_CARD_GOALS = 3


@dataclass(frozen=True)
class RoadStop:
    kind: str
    state: str
    on_date: date | None


@dataclass
class DomainView:
    key: str
    baseline: Baseline | None
    goals: list[Goal]


@dataclass
class PlanView:
    """Everything one plan page shows, loaded up front."""

    resident: Resident
    plan: Plan | None
    road: list[RoadStop]
    domains: list[DomainView]
    comment_counts: dict[int, int] = field(default_factory=dict)

    @property
    def goal_count(self) -> int:
        return sum(len(domain.goals) for domain in self.domains)

    def domain(self, key: str) -> DomainView:
        return next(d for d in self.domains if d.key == key)


@dataclass(frozen=True)
class HomeGoal:
    id: int
    title: str
    domain: str
    target_date: date | None
    steps: int
    steps_done: int


@dataclass(frozen=True)
class PlanCard:
    goals: list[HomeGoal]
    total: int


def _road(blocks: list[Block]) -> list[RoadStop]:
    by_kind = {block.kind: block for block in blocks}
    return [
        RoadStop(kind=kind.value, state=by_kind[kind].state if kind in by_kind else BlockState.UPCOMING.value,
                 on_date=by_kind[kind].on_date if kind in by_kind else None)
        for kind in BlockKind
    ]


def _goal_options(*, with_comments: bool) -> list:
    options = [selectinload(Goal.steps)]
    if with_comments:
        options += [selectinload(Goal.comments).joinedload(Comment.author), joinedload(Goal.updated_by)]
    return options


def plan_view(resident: Resident, *, with_comments: bool, domain: str | None = None) -> PlanView:
    """The plan of one resident; staff get the comment threads, the resident gets counts per goal."""
    plan = db.session.get(Plan, resident.id)
    baseline_stmt = select(Baseline).where(Baseline.resident_id == resident.id)
    goal_stmt = (
        select(Goal).options(*_goal_options(with_comments=with_comments))
        .where(Goal.resident_id == resident.id).order_by(Goal.position, Goal.id)
    )
    if domain is not None:
        baseline_stmt = baseline_stmt.where(Baseline.domain == domain)
        goal_stmt = goal_stmt.where(Goal.domain == domain)
    baselines = {b.domain: b for b in db.session.scalars(baseline_stmt)}
    blocks = [] if domain is not None else list(
        db.session.scalars(select(Block).where(Block.resident_id == resident.id))
    )
    goals: dict[str, list[Goal]] = {}
    for goal in db.session.scalars(goal_stmt):
        goals.setdefault(goal.domain, []).append(goal)
    counts: dict[int, int] = {}
    if not with_comments:
        counts = dict(db.session.execute(
            select(Comment.goal_id, func.count(Comment.id))
            .join(Goal, Goal.id == Comment.goal_id)
            .where(Goal.resident_id == resident.id, Comment.deleted_at.is_(None))
            .group_by(Comment.goal_id)
        ).all())
    keys = [domain] if domain is not None else [d.value for d in LifeDomain]
    return PlanView(
        resident=resident,
        plan=plan,
        road=_road(blocks),
        domains=[DomainView(key=k, baseline=baselines.get(k), goals=goals.get(k, [])) for k in keys],
        comment_counts=counts,
    )


def road_for_resident(resident: Resident) -> list[RoadStop]:
    """The building blocks of one resident, in the order of the road."""
    return _road(list(db.session.scalars(select(Block).where(Block.resident_id == resident.id))))


def plan_get(resident: Resident) -> Plan | None:
    """The plan row (learning route) of one resident, if any."""
    return db.session.get(Plan, resident.id)


def baseline_get(resident: Resident, domain: str) -> Baseline | None:
    """The starting situation of one resident on one life domain."""
    return db.session.scalar(select(Baseline).where(Baseline.resident_id == resident.id, Baseline.domain == domain))


def goal_get(*, resident_id: int, goal_id: int, with_comments: bool = True) -> Goal | None:
    """One goal of this resident with steps and comments (and their authors), or None."""
    return db.session.scalar(
        select(Goal).options(*_goal_options(with_comments=with_comments))
        .where(Goal.id == goal_id, Goal.resident_id == resident_id)
    )


def plan_home_card(resident: Resident) -> PlanCard | None:
    """The goals in progress with their step counts, in one statement; None when there are none."""
    steps = select(func.count(Step.id)).where(Step.goal_id == Goal.id).correlate(Goal).scalar_subquery()
    done = (
        select(func.count(Step.id)).where(Step.goal_id == Goal.id, Step.done_at.is_not(None))
        .correlate(Goal).scalar_subquery()
    )
    rows = db.session.execute(
        select(Goal.id, Goal.title, Goal.domain, Goal.target_date, steps, done)
        .where(Goal.resident_id == resident.id, Goal.status == GoalStatus.IN_PROGRESS.value)
        .order_by(Goal.target_date.is_(None), Goal.target_date, Goal.position, Goal.id)
    ).all()
    if not rows:
        return None
    goals = [HomeGoal(id=r[0], title=r[1], domain=r[2], target_date=r[3], steps=r[4], steps_done=r[5]) for r in rows]
    return PlanCard(goals=goals[:HOME_CARD_GOALS], total=len(goals))


def broad_intakes_done() -> int:
    """How many residents have the broad intake done (the report's figure)."""
    return db.session.scalar(
        select(func.count(Block.id)).where(Block.kind == BlockKind.BROAD_INTAKE.value,
                                           Block.state == BlockState.DONE.value)
    ) or 0


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_for_resident(resident: Resident) -> dict[str, Any]:
    """This area's part of the resident's data download (/account/data)."""
    view = plan_view(resident, with_comments=True)
    plan = view.plan
    return {
        "learning_route": str(ROUTE_LABELS.get(plan.learning_route, "")) if plan and plan.learning_route else None,
        "route_deadline": _iso(plan.route_deadline) if plan else None,
        "road": [
            {"block": BLOCK_LABELS[BlockKind(stop.kind)], "state": stop.state, "date": _iso(stop.on_date)}
            for stop in view.road
        ],
        "life_domains": [
            {
                "domain": DOMAIN_LABELS[LifeDomain(domain.key)],
                "starting_situation": domain.baseline.text if domain.baseline else None,
                "score": domain.baseline.score if domain.baseline else None,
                "goals": [
                    {
                        "title": goal.title,
                        "why": goal.reason,
                        "term": TERM_LABELS.get(goal.term, goal.term),
                        "target_date": _iso(goal.target_date),
                        "status": GOAL_STATUS_LABELS.get(goal.status, goal.status),
                        "steps": [{"text": s.text, "done_at": _iso(s.done_at)} for s in goal.steps],
                        "comments": [
                            {"by": c.author.name, "at": _iso(c.created_at), "text": c.body,
                             "reaction_to": c.parent_id, "id": c.id}
                            for c in goal.comments if not c.deleted
                        ],
                    }
                    for goal in domain.goals
                ],
            }
            for domain in view.domains
        ],
    }
