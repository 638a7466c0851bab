"""What the staff plan routes share: showing a partial, the saved and refused answers, loaders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Response, abort
from flask_login import current_user

from portal.audit.services import audit_refused
from portal.caseload.models import Resident
from portal.i18n import _
from portal.plan.models import BlockKind, Comment, Goal, LifeDomain, Step
from portal.plan.queries import goal_get, plan_view
from portal.roles import Role
from portal.web.htmx import render, see_other, wants_fragment
from portal.web.transaction import discard_writes

STAFF = "/staff/residents/<int:resident_id>/plan"
STAFF_PAGE = "staff/plan/page.html"
Load = Callable[[], dict]


def show(resident: Resident, part: str, *, status: int = 200, notice: str | None = None, **context) -> Response:
    """A staff partial, or without htmx the same partial on its own staff page."""
    return render(STAFF_PAGE, part, status=status, trigger={"notice": notice} if notice else None,
                  part=part, resident=resident, can_edit=current_user.role == Role.CASEWORKER, **context)


def saved(resident: Resident, part: str, load: Load) -> Response:
    """After a change: the fresh partial for htmx, or a 303 to the plan without it (the request commits)."""
    if not wants_fragment():
        return see_other("plan.staff_panel", resident_id=resident.id)
    return show(resident, part, notice=_("Opgeslagen."), **load())


def refused(resident: Resident, part: str, load: Load) -> Response:
    """Nothing is stored: forget the writes, then show the partial with 422 (the look stays logged)."""
    discard_writes()
    return show(resident, part, status=422, **load())


def domain_or_404(domain: str) -> str:
    if domain not in {d.value for d in LifeDomain}:
        abort(404)
    return domain


def kind_or_404(kind: str) -> str:
    if kind not in {k.value for k in BlockKind}:
        abort(404)
    return kind


@dataclass
class Found:
    goal: Goal
    step: Step | None = None
    comment: Comment | None = None


def find(resident: Resident, action: str, goal_id: int, *, step_id: int | None = None,
         comment_id: int | None = None, own_comment: bool = False) -> Found:
    """The goal (and step or comment) in this resident's plan; 404 otherwise, and 403 for a comment of
    someone else when `own_comment` — each refusal logged."""
    def refuse(what: str, code: int = 404):
        audit_refused(action=action, resident_id=resident.id, detail=what)
        abort(code)

    goal = goal_get(resident_id=resident.id, goal_id=goal_id)
    if goal is None:
        refuse(f"goal {goal_id}")
    found = Found(goal=goal)
    if step_id is not None:
        found.step = next((s for s in goal.steps if s.id == step_id), None) or refuse(f"step {step_id}")
    if comment_id is not None:
        comment = next((c for c in goal.comments if c.id == comment_id), None) or refuse(f"comment {comment_id}")
        if own_comment and (comment.author_id != current_user.id or comment.parent_id is not None):
            refuse(f"comment {comment_id}", 403)
        found.comment = comment
    return found


def goal_context(resident: Resident, goal_id: int, **extra) -> Load:
    return lambda: {"goal": goal_get(resident_id=resident.id, goal_id=goal_id), "open": True, **extra}


def domain_context(resident: Resident, domain: str, **extra) -> Load:
    return lambda: {"domain": plan_view(resident, with_comments=True, domain=domain).domains[0], **extra}


def comment_context(resident: Resident, goal_id: int, comment_id: int, **extra) -> Load:
    def load() -> dict:
        goal = goal_get(resident_id=resident.id, goal_id=goal_id)
        entry = next(((c, r) for c, r in goal.thread(newest_first=False) if c.id == comment_id), None)
        return {"goal": goal, "entry": entry, "comment_id": comment_id, **extra}

    return load
