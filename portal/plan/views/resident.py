"""The resident's own plan: read it, tick a step, react to a comment."""

from __future__ import annotations

from flask import Response, abort
from flask_login import current_user

from portal.i18n import _
from portal.plan import services
from portal.plan.forms import ReplyForm, StepDoneForm
from portal.plan.models import Goal
from portal.plan.queries import goal_get, plan_view
from portal.plan.views import bp
from portal.roles import Role
from portal.web import access
from portal.web.forms import submitted
from portal.web.htmx import render, see_other, wants_fragment
from portal.web.transaction import discard_writes


def _own_goal_or_404(goal_id: int) -> Goal:
    goal = goal_get(resident_id=current_user.resident.id, goal_id=goal_id)
    if goal is None:
        abort(404)
    return goal


@bp.route("/plan")
@access.roles(Role.RESIDENT)
def index() -> Response:
    view = plan_view(current_user.resident, with_comments=False)
    return render("resident/plan/page.html", "resident/plan/_plan.html", view=view)


@bp.route("/plan/goals/<int:goal_id>")
@access.roles(Role.RESIDENT)
def goal(goal_id: int) -> Response:
    return render("resident/plan/goal.html", "resident/plan/_goal.html", goal=_own_goal_or_404(goal_id))


@bp.route("/plan/goals/<int:goal_id>/steps/<int:step_id>", methods=["POST"])
@access.roles(Role.RESIDENT)
def step_done(goal_id: int, step_id: int) -> Response:
    goal = _own_goal_or_404(goal_id)
    step = next((s for s in goal.steps if s.id == step_id), None)
    if step is None:
        abort(404)
    form = StepDoneForm()
    if submitted(form, lambda: services.step_set_done(step=step, actor=current_user, done=form.done.data == "1"),
                 field="done"):
        if not wants_fragment():
            return see_other("plan.goal", goal_id=goal_id, _anchor=f"step-{step_id}")
        return render("resident/plan/goal.html", "resident/plan/_steps.html", goal=goal)
    discard_writes()
    error = str(form.done.errors[-1]) if form.done.errors else _("Kies een optie uit de lijst.")
    return render("resident/plan/goal.html", "resident/plan/_steps.html", goal=_own_goal_or_404(goal_id),
                  steps_error=error, status=422)


@bp.route("/plan/goals/<int:goal_id>/comments/<int:comment_id>/reactions", methods=["POST"])
@access.roles(Role.RESIDENT)
def comment_reply(goal_id: int, comment_id: int) -> Response:
    goal = _own_goal_or_404(goal_id)
    parent = next((c for c in goal.comments if c.id == comment_id), None)
    if parent is None:
        abort(404)
    form = ReplyForm(prefix=f"reply{parent.id}")
    if submitted(form, lambda: services.comment_create(goal=goal, author=current_user, body=form.body.data,
                                                       parent=parent), field="body"):
        if not wants_fragment():
            return see_other("plan.goal", goal_id=goal_id, _anchor=f"comment-{parent.parent_id or parent.id}")
        return render("resident/plan/goal.html", "resident/plan/_comments.html", goal=_own_goal_or_404(goal_id),
                      trigger={"notice": _("Je reactie is verstuurd.")})
    discard_writes()
    # A deleted comment is no longer shown, and its form neither: say why above the comments.
    hidden = str(form.body.errors[-1]) if parent.deleted and form.body.errors else None
    return render("resident/plan/goal.html", "resident/plan/_comments.html", goal=_own_goal_or_404(goal_id),
                  failed=form, comments_error=hidden, status=422)
