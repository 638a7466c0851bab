"""Writes of the plan area. They flush, never commit, and raise DomainError with a translatable message."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db, get_or_add, utcnow
from portal.domain import DomainError
from portal.i18n import _l
from portal.plan.models import (
    Baseline,
    Block,
    BlockKind,
    BlockState,
    Comment,
    Goal,
    GoalStatus,
    LearningRoute,
    LifeDomain,
    Plan,
    Step,
    Term,
)
from portal.roles import Role
from portal.web.forms import text_check

TITLE_MAX = 200
REASON_MAX = 2000
STEP_MAX = 300
COMMENT_MAX = 2000
BASELINE_MAX = 1000
EARLIEST = date(2015, 1, 1)
LATEST_YEARS_AHEAD = 10
STAFF_AUTHORS = frozenset({Role.CASEWORKER, Role.COUNSELLOR})


class GoalConflict(DomainError):
    """Someone saved the goal after the form was opened; `goal` holds their (current) version."""

    def __init__(self, goal: Goal) -> None:
        name = goal.updated_by.name if goal.updated_by else "?"
        super().__init__(_l("%(name)s heeft dit doel intussen gewijzigd.", name=name))
        self.goal = goal




def _choice(value: str | None, allowed: type, *, field: str) -> str:
    if value not in {member.value for member in allowed}:
        raise DomainError(_l("Kies een optie uit de lijst."), field=field)
    return str(value)


def _plan_date(value: date | None, *, field: str, today: date | None = None) -> date | None:
    if value is None:
        return None
    today = today or date.today()
    if not EARLIEST <= value <= today.replace(year=today.year + LATEST_YEARS_AHEAD):
        raise DomainError(_l("Deze datum kan niet kloppen."), field=field)
    return value


def _require_caseworker(actor: User) -> None:
    if actor.role != Role.CASEWORKER:
        raise DomainError(_l("Alleen de contactpersoon kan het plan wijzigen."))


def plan_set_route(*, resident: Resident, actor: User, learning_route: str | None, deadline: date | None) -> Plan:
    """Choose the learning route and its deadline (both may be left open)."""
    _require_caseworker(actor)
    route = _choice(learning_route, LearningRoute, field="learning_route") if learning_route else None
    deadline = _plan_date(deadline, field="deadline")
    plan = get_or_add(Plan, resident_id=resident.id)
    plan.learning_route = route
    plan.route_deadline = deadline
    plan.updated_at = utcnow()
    plan.updated_by_id = actor.id
    db.session.flush()
    return plan


def baseline_set(*, resident: Resident, actor: User, domain: str, score: int | None, text: str) -> Baseline:
    """Set the starting situation on one life domain."""
    _require_caseworker(actor)
    domain = _choice(domain, LifeDomain, field="domain")
    if score is not None and score not in range(1, 6):
        raise DomainError(_l("Kies een optie uit de lijst."), field="score")
    text = text_check(text, limit=BASELINE_MAX, field="text", required=False, multiline=True)
    baseline = get_or_add(Baseline, resident_id=resident.id, domain=domain)
    baseline.score = score
    baseline.text = text
    baseline.updated_at = utcnow()
    baseline.updated_by_id = actor.id
    db.session.flush()
    return baseline


def block_set(*, resident: Resident, actor: User, kind: str, state: str, on_date: date | None) -> Block:
    """Set the state and date of one building block on the road."""
    _require_caseworker(actor)
    kind = _choice(kind, BlockKind, field="kind")
    state = _choice(state, BlockState, field="state")
    on_date = _plan_date(on_date, field="on_date")
    if state == BlockState.DONE and on_date is not None and on_date > date.today():
        raise DomainError(_l("Iets wat klaar is, kan geen datum in de toekomst hebben."), field="on_date")
    block = get_or_add(Block, resident_id=resident.id, kind=kind)
    block.state = state
    block.on_date = on_date
    block.updated_at = utcnow()
    block.updated_by_id = actor.id
    db.session.flush()
    return block


def goal_create(*, resident: Resident, actor: User, domain: str, title: str, reason: str = "",
                term: str = Term.SHORT.value, target_date: date | None = None,
                status: str = GoalStatus.NOT_STARTED.value) -> Goal:
    """A new goal at the end of its life domain."""
    _require_caseworker(actor)
    domain = _choice(domain, LifeDomain, field="domain")
    values = _goal_values(title=title, reason=reason, term=term, target_date=target_date, status=status)
    last = db.session.scalar(
        select(func.max(Goal.position)).where(Goal.resident_id == resident.id, Goal.domain == domain)
    )
    now = utcnow()
    goal = Goal(resident_id=resident.id, domain=domain, position=(last or 0) + 1, version=1,
                created_at=now, created_by_id=actor.id, updated_at=now, updated_by_id=actor.id,
                closed_at=now if values["status"] in (GoalStatus.DONE, GoalStatus.STOPPED) else None,
                **values)
    db.session.add(goal)
    db.session.flush()
    return goal


def _goal_values(*, title: str, reason: str, term: str, target_date: date | None, status: str) -> dict:
    return {
        "title": text_check(title, limit=TITLE_MAX, field="title", required=True, multiline=False),
        "reason": text_check(reason, limit=REASON_MAX, field="reason", required=False, multiline=True),
        "term": _choice(term, Term, field="term"),
        "target_date": _plan_date(target_date, field="target_date"),
        "status": _choice(status, GoalStatus, field="status"),
    }


def _save_goal(goal: Goal, *, actor: User, expected_version: int, values: dict) -> Goal:
    """Write only if nobody saved since `expected_version`; one conditional UPDATE, so races lose too."""
    if goal.version != expected_version:
        raise GoalConflict(goal)
    now = utcnow()
    closing = values.get("status") in (GoalStatus.DONE, GoalStatus.STOPPED)
    values = {
        **values,
        "version": expected_version + 1,
        "updated_at": now,
        "updated_by_id": actor.id,
        "closed_at": (goal.closed_at or now) if closing else None,
    }
    written = db.session.execute(
        update(Goal)
        .where(Goal.id == goal.id, Goal.version == expected_version)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(goal)
    if written != 1:
        raise GoalConflict(goal)
    return goal


def goal_update(*, goal: Goal, actor: User, expected_version: int, title: str, reason: str, term: str,
                target_date: date | None, status: str) -> Goal:
    """Save the goal's fields; refuses with GoalConflict when someone saved it in between."""
    _require_caseworker(actor)
    values = _goal_values(title=title, reason=reason, term=term, target_date=target_date, status=status)
    return _save_goal(goal, actor=actor, expected_version=expected_version, values=values)


def goal_close(*, goal: Goal, actor: User, expected_version: int, status: str) -> Goal:
    """Close a goal as reached or stopped."""
    _require_caseworker(actor)
    if status not in (GoalStatus.DONE, GoalStatus.STOPPED):
        raise DomainError(_l("Kies een optie uit de lijst."), field="status")
    return _save_goal(goal, actor=actor, expected_version=expected_version, values={"status": status})


def _swap_with_neighbour(items: list, item, direction: int) -> None:
    index = items.index(item)
    other = index + direction
    if direction not in (-1, 1) or not 0 <= other < len(items):
        return  # already first or last: nothing to do
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position


def goal_move(*, goal: Goal, actor: User, direction: int) -> Goal:
    """Move a goal one place up (-1) or down (+1) within its life domain."""
    _require_caseworker(actor)
    siblings = list(db.session.scalars(
        select(Goal).where(Goal.resident_id == goal.resident_id, Goal.domain == goal.domain)
        .order_by(Goal.position, Goal.id)
    ))
    _swap_with_neighbour(siblings, goal, direction)
    db.session.flush()
    return goal


def step_create(*, goal: Goal, actor: User, text: str) -> Step:
    """A new step at the end of the goal."""
    _require_caseworker(actor)
    text = text_check(text, limit=STEP_MAX, field="text", required=True, multiline=False)
    last = max((step.position for step in goal.steps), default=0)
    step = Step(text=text, position=last + 1, created_at=utcnow())
    goal.steps.append(step)
    db.session.flush()
    return step


def step_update(*, step: Step, actor: User, text: str) -> Step:
    """Change what a step says."""
    _require_caseworker(actor)
    step.text = text_check(text, limit=STEP_MAX, field="text", required=True, multiline=False)
    db.session.flush()
    return step


def step_set_done(*, step: Step, actor: User, done: bool, now: datetime | None = None) -> Step:
    """Tick a step off, or undo that; the resident may do this for their own goals while they are open."""
    if step.goal.closed:
        raise DomainError(_l("Dit doel is afgesloten. Je kunt de stappen niet meer veranderen."))
    if actor.role == Role.RESIDENT:
        if actor.resident is None or actor.resident.id != step.goal.resident_id:
            raise DomainError(_l("Dit is niet jouw doel."))
    else:
        _require_caseworker(actor)
    if done and step.done_at is None:
        step.done_at = now or utcnow()
        step.done_by_id = actor.id
    elif not done:
        step.done_at = None
        step.done_by_id = None
    db.session.flush()
    return step


def step_move(*, step: Step, actor: User, direction: int) -> Step:
    """Move a step one place up (-1) or down (+1)."""
    _require_caseworker(actor)
    _swap_with_neighbour(list(step.goal.steps), step, direction)
    db.session.flush()
    return step


def step_delete(*, step: Step, actor: User) -> None:
    """Remove a step."""
    _require_caseworker(actor)
    goal = step.goal
    goal.steps.remove(step)
    for position, each in enumerate(goal.steps, start=1):
        each.position = position
    db.session.flush()


def comment_create(*, goal: Goal, author: User, body: str, parent: Comment | None = None,
                   now: datetime | None = None) -> Comment:
    """A comment by staff, or a reaction to one; the resident can only react."""
    body = text_check(body, limit=COMMENT_MAX, field="body", required=True, multiline=True)
    if author.role == Role.RESIDENT:
        if author.resident is None or author.resident.id != goal.resident_id:
            raise DomainError(_l("Dit is niet jouw doel."))
        if parent is None:
            raise DomainError(_l("Je kunt reageren op een opmerking van je contactpersoon."))
    elif author.role not in STAFF_AUTHORS:
        raise DomainError(_l("Je kunt hier geen opmerking plaatsen."))
    if parent is not None:
        if parent.goal_id != goal.id:
            raise DomainError(_l("Deze opmerking hoort bij een ander doel."))
        if parent.deleted:
            raise DomainError(_l("Deze opmerking is verwijderd. Je kunt er niet meer op reageren."), field="body")
        parent_id = parent.parent_id or parent.id  # one level of reactions: answer the thread, not the answer
    else:
        parent_id = None
    comment = Comment(goal_id=goal.id, parent_id=parent_id, author_id=author.id, author=author, body=body,
                      created_at=now or utcnow())
    goal.comments.append(comment)
    db.session.flush()
    return comment


def comment_update(*, comment: Comment, actor: User, body: str, now: datetime | None = None) -> Comment:
    """Change one's own comment within the first 15 minutes."""
    now = now or utcnow()
    if not comment.changeable_by(actor, now):
        raise DomainError(_l("Je kunt alleen je eigen opmerking wijzigen, en alleen in de eerste 15 minuten."))
    comment.body = text_check(body, limit=COMMENT_MAX, field="body", required=True, multiline=True)
    comment.edited_at = now
    db.session.flush()
    return comment


def comment_delete(*, comment: Comment, actor: User, now: datetime | None = None) -> Comment:
    """Delete one's own comment within the first 15 minutes; its reactions stay."""
    now = now or utcnow()
    if not comment.changeable_by(actor, now):
        raise DomainError(_l("Je kunt alleen je eigen opmerking verwijderen, en alleen in de eerste 15 minuten."))
    comment.body = ""
    comment.deleted_at = now
    db.session.flush()
    return comment
