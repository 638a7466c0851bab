"""Routes of the plan area: the resident's PIP (/plan) and the contact person's inline editing in the file."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, render_template
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup

from portal.audit.services import audit_refused
from portal.caseload.guard import staff_resident_or_404
from portal.caseload.models import Resident
from portal.db import db, utcnow
from portal.domain import DomainError
from portal.i18n import _
from portal.plan import services
from portal.plan.forms import (
    BaselineForm,
    BlockForm,
    CloseForm,
    CommentForm,
    GoalCreateForm,
    GoalForm,
    MoveForm,
    ReplyForm,
    RouteForm,
    StepDoneForm,
    StepForm,
)
from portal.plan.models import BlockKind, Comment, Goal, LifeDomain, Step
from portal.plan.queries import baseline_get, goal_get, plan_get, plan_view, road_for_resident
from portal.plan.ui import plan_template_context
from portal.roles import Role
from portal.web import access
from portal.web.htmx import render, see_other, wants_fragment
from portal.web.templating import add_resident_panel

bp = Blueprint("plan", __name__)
bp.record_once(lambda state: add_resident_panel(state.app, "staff/plan/_panel.html"))
bp.app_context_processor(plan_template_context)

STAFF = "/staff/residents/<int:resident_id>/plan"
STAFF_PAGE = "staff/plan/page.html"


def _form_error(form, error: DomainError, default: str) -> None:
    """Show a service's refusal at the field it names, or at the form's main field."""
    field = getattr(form, error.field or default, None) or getattr(form, default)
    field.errors = [*field.errors, str(error.message)]


# Resident: my plan, one goal, tick a step, react to a comment.


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
    goal = _own_goal_or_404(goal_id)
    return render("resident/plan/goal.html", "resident/plan/_goal.html", goal=goal)


@bp.route("/plan/goals/<int:goal_id>/steps/<int:step_id>", methods=["POST"])
@access.roles(Role.RESIDENT)
def step_done(goal_id: int, step_id: int) -> Response:
    goal = _own_goal_or_404(goal_id)
    step = next((s for s in goal.steps if s.id == step_id), None)
    if step is None:
        abort(404)
    form = StepDoneForm()
    error = None
    if form.validate():
        try:
            services.step_set_done(step=step, actor=current_user, done=form.done.data == "1")
        except DomainError as refused:
            error = str(refused.message)
        else:
            db.session.commit()
            if not wants_fragment():
                return see_other("plan.goal", goal_id=goal_id, _anchor=f"step-{step_id}")
            return render("resident/plan/goal.html", "resident/plan/_steps.html", goal=_own_goal_or_404(goal_id))
    else:
        error = _("Kies een optie uit de lijst.")
    db.session.rollback()
    goal = _own_goal_or_404(goal_id)
    return render("resident/plan/goal.html", "resident/plan/_steps.html", goal=goal, steps_error=error, status=422)


@bp.route("/plan/goals/<int:goal_id>/comments/<int:comment_id>/reactions", methods=["POST"])
@access.roles(Role.RESIDENT)
def comment_reply(goal_id: int, comment_id: int) -> Response:
    goal = _own_goal_or_404(goal_id)
    parent = next((c for c in goal.comments if c.id == comment_id), None)
    if parent is None:
        abort(404)
    form = ReplyForm(prefix=f"reply{parent.id}")
    if form.validate():
        try:
            services.comment_create(goal=goal, author=current_user, body=form.body.data, parent=parent)
        except DomainError as error:
            _form_error(form, error, "body")
        else:
            db.session.commit()
            if not wants_fragment():
                return see_other("plan.goal", goal_id=goal_id, _anchor=f"comment-{parent.parent_id or parent.id}")
            return render("resident/plan/goal.html", "resident/plan/_comments.html", goal=_own_goal_or_404(goal_id),
                          trigger={"notice": _("Je reactie is verstuurd.")})
    db.session.rollback()
    goal = _own_goal_or_404(goal_id)
    return render("resident/plan/goal.html", "resident/plan/_comments.html", goal=goal, failed=form, status=422)


# Staff: the plan panel in the resident's file. Reading and commenting: contact person and counsellor.
# Changing the plan: only the contact person (the guard answers 403 and logs the refusal otherwise).


def _resident(resident_id: int, action: str, *, edit: bool, detail: str = "") -> Resident:
    return staff_resident_or_404(resident_id, action=f"plan.{action}", detail=detail, contact_person_only=edit)


def _staff_goal(resident: Resident, goal_id: int, action: str) -> Goal:
    goal = goal_get(resident_id=resident.id, goal_id=goal_id)
    if goal is None:
        audit_refused(action=f"plan.{action}", resident_id=resident.id, detail=f"goal {goal_id}")
        abort(404)
    return goal


def _staff_step(resident: Resident, goal: Goal, step_id: int, action: str) -> Step:
    step = next((s for s in goal.steps if s.id == step_id), None)
    if step is None:
        audit_refused(action=f"plan.{action}", resident_id=resident.id, detail=f"step {step_id}")
        abort(404)
    return step


def _staff_comment(resident: Resident, goal: Goal, comment_id: int, action: str) -> Comment:
    comment = next((c for c in goal.comments if c.id == comment_id), None)
    if comment is None:
        audit_refused(action=f"plan.{action}", resident_id=resident.id, detail=f"comment {comment_id}")
        abort(404)
    return comment


def _domain_or_404(domain: str) -> str:
    if domain not in {d.value for d in LifeDomain}:
        abort(404)
    return domain


def _kind_or_404(kind: str) -> str:
    if kind not in {k.value for k in BlockKind}:
        abort(404)
    return kind


def _show(resident: Resident, part: str, *, status: int = 200, notice: str | None = None, **context) -> Response:
    """A staff partial, or without htmx the same partial on its own staff page."""
    return render(STAFF_PAGE, part, status=status, trigger={"notice": notice} if notice else None,
                  part=part, resident=resident, can_edit=current_user.role == Role.CASEWORKER, **context)


def _saved(resident: Resident, part: str, load: Callable[[], dict]) -> Response:
    """After a change: commit once, then the fresh partial for htmx, or a 303 to the plan without it."""
    db.session.commit()
    if not wants_fragment():
        return see_other("plan.staff_panel", resident_id=resident.id)
    return _show(resident, part, notice=_("Opgeslagen."), **load())


def _refused(resident: Resident, part: str, load: Callable[[], dict]) -> Response:
    """Nothing is stored: roll back (also the audit line of the guard), then show the partial with 422."""
    db.session.rollback()
    return _show(resident, part, status=422, **load())


def _goal_context(resident: Resident, goal_id: int, **extra) -> Callable[[], dict]:
    return lambda: {"goal": goal_get(resident_id=resident.id, goal_id=goal_id), "open": True, **extra}


def _domain_context(resident: Resident, domain: str, **extra) -> Callable[[], dict]:
    return lambda: {"domain": plan_view(resident, with_comments=True, domain=domain).domains[0], **extra}


def _comment_context(resident: Resident, goal_id: int, comment_id: int, **extra) -> Callable[[], dict]:
    def load() -> dict:
        goal = goal_get(resident_id=resident.id, goal_id=goal_id)
        entry = next(((c, r) for c, r in goal.thread(newest_first=False) if c.id == comment_id), None)
        return {"goal": goal, "entry": entry, "comment_id": comment_id, **extra}

    return load


@bp.route(STAFF)
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_panel(resident_id: int) -> Response:
    resident = _resident(resident_id, "view", edit=False)
    db.session.commit()
    return _show(resident, "staff/plan/_plan.html", view=plan_view(resident, with_comments=True))


@bp.route(f"{STAFF}/print")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_print(resident_id: int) -> Response:
    resident = _resident(resident_id, "print", edit=False)
    db.session.commit()
    view = plan_view(resident, with_comments=False)
    languages = ["nl"] if resident.language == "nl" else ["nl", resident.language]
    printed_at = utcnow()
    versions = []
    for language in languages:
        with force_locale(language):
            # Our own template, rendered with autoescape on: safe to place as markup.
            versions.append(Markup(render_template(  # noqa: S704
                "staff/plan/_print_version.html", view=view, resident=resident, language=language,
                printed_at=printed_at)))
    return render("staff/plan/print.html", "staff/plan/_print.html", resident=resident, versions=versions)


@bp.route(f"{STAFF}/route")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_route(resident_id: int) -> Response:
    resident = _resident(resident_id, "view", edit=False, detail="route")
    db.session.commit()
    return _show(resident, "staff/plan/_route.html", plan=plan_get(resident))


@bp.route(f"{STAFF}/route/edit")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_route_edit(resident_id: int) -> Response:
    resident = _resident(resident_id, "view", edit=True, detail="route")
    db.session.commit()
    plan = plan_get(resident)
    form = RouteForm(formdata=None, prefix="route", learning_route=plan.learning_route if plan else "",
                     deadline=plan.route_deadline if plan else None)
    return _show(resident, "staff/plan/_route_form.html", form=form)


@bp.route(f"{STAFF}/route", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_route_save(resident_id: int) -> Response:
    resident = _resident(resident_id, "route", edit=True)
    form = RouteForm(prefix="route")
    if form.validate():
        try:
            services.plan_set_route(resident=resident, actor=current_user,
                                    learning_route=form.learning_route.data or None, deadline=form.deadline.data)
        except DomainError as error:
            _form_error(form, error, "learning_route")
        else:
            return _saved(resident, "staff/plan/_route.html", lambda: {"plan": plan_get(resident)})
    return _refused(resident, "staff/plan/_route_form.html", lambda: {"form": form})


@bp.route(f"{STAFF}/road")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_road(resident_id: int) -> Response:
    resident = _resident(resident_id, "view", edit=False, detail="road")
    db.session.commit()
    return _show(resident, "staff/plan/_road.html", road=road_for_resident(resident))


@bp.route(f"{STAFF}/road/<kind>/edit")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_block_edit(resident_id: int, kind: str) -> Response:
    resident = _resident(resident_id, "view", edit=True, detail=f"road {kind[:32]}")
    kind = _kind_or_404(kind)
    db.session.commit()
    road = road_for_resident(resident)
    stop = next(s for s in road if s.kind == kind)
    form = BlockForm(formdata=None, prefix=f"block-{kind}", state=stop.state, on_date=stop.on_date)
    return _show(resident, "staff/plan/_road.html", road=road, editing=kind, form=form)


@bp.route(f"{STAFF}/road/<kind>", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_block_save(resident_id: int, kind: str) -> Response:
    resident = _resident(resident_id, "block", edit=True, detail=kind[:32])
    kind = _kind_or_404(kind)
    form = BlockForm(prefix=f"block-{kind}")
    if form.validate():
        try:
            services.block_set(resident=resident, actor=current_user, kind=kind, state=form.state.data,
                               on_date=form.on_date.data)
        except DomainError as error:
            _form_error(form, error, "state")
        else:
            return _saved(resident, "staff/plan/_road.html", lambda: {"road": road_for_resident(resident)})
    return _refused(resident, "staff/plan/_road.html",
                    lambda: {"road": road_for_resident(resident), "editing": kind, "form": form})


@bp.route(f"{STAFF}/domains/<domain>/baseline")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_baseline(resident_id: int, domain: str) -> Response:
    resident = _resident(resident_id, "view", edit=False, detail=f"baseline {domain[:32]}")
    domain = _domain_or_404(domain)
    db.session.commit()
    return _show(resident, "staff/plan/_baseline.html", domain_key=domain, baseline=baseline_get(resident, domain))


@bp.route(f"{STAFF}/domains/<domain>/baseline/edit")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_baseline_edit(resident_id: int, domain: str) -> Response:
    resident = _resident(resident_id, "view", edit=True, detail=f"baseline {domain[:32]}")
    domain = _domain_or_404(domain)
    db.session.commit()
    baseline = baseline_get(resident, domain)
    form = BaselineForm(formdata=None, prefix=f"baseline-{domain}",
                        score=str(baseline.score) if baseline and baseline.score else "",
                        text=baseline.text if baseline else "")
    return _show(resident, "staff/plan/_baseline_form.html", form=form, domain_key=domain)


@bp.route(f"{STAFF}/domains/<domain>/baseline", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_baseline_save(resident_id: int, domain: str) -> Response:
    resident = _resident(resident_id, "baseline", edit=True, detail=domain[:32])
    domain = _domain_or_404(domain)
    form = BaselineForm(prefix=f"baseline-{domain}")
    if form.validate():
        try:
            services.baseline_set(resident=resident, actor=current_user, domain=domain,
                                  score=int(form.score.data) if form.score.data else None, text=form.text.data)
        except DomainError as error:
            _form_error(form, error, "text")
        else:
            return _saved(resident, "staff/plan/_baseline.html",
                          lambda: {"domain_key": domain, "baseline": baseline_get(resident, domain)})
    return _refused(resident, "staff/plan/_baseline_form.html", lambda: {"form": form, "domain_key": domain})


@bp.route(f"{STAFF}/domains/<domain>/goals")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_goals(resident_id: int, domain: str) -> Response:
    resident = _resident(resident_id, "view", edit=False, detail=f"goals {domain[:32]}")
    domain = _domain_or_404(domain)
    db.session.commit()
    return _show(resident, "staff/plan/_goals.html", **_domain_context(resident, domain)())


@bp.route(f"{STAFF}/domains/<domain>/goals/new")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_goal_new(resident_id: int, domain: str) -> Response:
    resident = _resident(resident_id, "view", edit=True, detail=f"new goal {domain[:32]}")
    domain = _domain_or_404(domain)
    db.session.commit()
    form = GoalCreateForm(formdata=None, prefix=f"new-{domain}", status="not_started", term="short")
    return _show(resident, "staff/plan/_goal_new.html", new_form=form, domain_key=domain)


@bp.route(f"{STAFF}/domains/<domain>/goals", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_goal_create(resident_id: int, domain: str) -> Response:
    resident = _resident(resident_id, "goal_create", edit=True, detail=domain[:32])
    domain = _domain_or_404(domain)
    form = GoalCreateForm(prefix=f"new-{domain}")
    if form.validate():
        try:
            services.goal_create(resident=resident, actor=current_user, domain=domain, title=form.title.data,
                                 reason=form.reason.data, term=form.term.data, target_date=form.target_date.data,
                                 status=form.status.data)
        except DomainError as error:
            _form_error(form, error, "title")
        else:
            return _saved(resident, "staff/plan/_goals.html", _domain_context(resident, domain))
    return _refused(resident, "staff/plan/_goals.html", _domain_context(resident, domain, new_form=form))


@bp.route(f"{STAFF}/goals/<int:goal_id>")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_goal(resident_id: int, goal_id: int) -> Response:
    resident = _resident(resident_id, "view", edit=False, detail=f"goal {goal_id}")
    goal = _staff_goal(resident, goal_id, "view")
    db.session.commit()
    return _show(resident, "staff/plan/_goal.html", **_goal_context(resident, goal.id)())


@bp.route(f"{STAFF}/goals/<int:goal_id>/edit")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_goal_edit(resident_id: int, goal_id: int) -> Response:
    resident = _resident(resident_id, "view", edit=True, detail=f"goal {goal_id}")
    goal = _staff_goal(resident, goal_id, "view")
    form = GoalForm(formdata=None, prefix=f"goal{goal.id}", obj=goal)
    db.session.commit()
    return _show(resident, "staff/plan/_goal_form.html", form=form, **_goal_context(resident, goal_id)())


@bp.route(f"{STAFF}/goals/<int:goal_id>", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_goal_save(resident_id: int, goal_id: int) -> Response:
    resident = _resident(resident_id, "goal_update", edit=True, detail=f"goal {goal_id}")
    goal = _staff_goal(resident, goal_id, "goal_update")
    form = GoalForm(prefix=f"goal{goal.id}")
    if form.validate():
        try:
            services.goal_update(goal=goal, actor=current_user, expected_version=form.version.data,
                                 title=form.title.data, reason=form.reason.data, term=form.term.data,
                                 target_date=form.target_date.data, status=form.status.data)
        except services.GoalConflict as conflict:
            # Both versions: theirs as saved, yours still in the form, whose version now allows saving over.
            message = str(conflict.message)

            def load() -> dict:
                context = _goal_context(resident, goal_id, form=form, conflict=message)()
                form.version.data = context["goal"].version
                return context

            return _refused(resident, "staff/plan/_goal_form.html", load)
        except DomainError as error:
            _form_error(form, error, "title")
        else:
            return _saved(resident, "staff/plan/_goal.html", _goal_context(resident, goal_id))
    return _refused(resident, "staff/plan/_goal_form.html", _goal_context(resident, goal_id, form=form))


@bp.route(f"{STAFF}/goals/<int:goal_id>/close", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_goal_close(resident_id: int, goal_id: int) -> Response:
    resident = _resident(resident_id, "goal_close", edit=True, detail=f"goal {goal_id}")
    goal = _staff_goal(resident, goal_id, "goal_close")
    form = CloseForm(prefix=f"goal{goal.id}-close")
    if not form.validate():
        return _refused(resident, "staff/plan/_goal.html", _goal_context(resident, goal_id, failed=form))
    try:
        services.goal_close(goal=goal, actor=current_user, expected_version=form.version.data,
                            status=form.status.data)
    except services.GoalConflict as conflict:
        message = _("%(conflict)s Bekijk de nieuwe versie en sluit het doel daarna opnieuw af.",
                    conflict=str(conflict.message))
        return _refused(resident, "staff/plan/_goal.html", _goal_context(resident, goal_id, goal_error=message))
    return _saved(resident, "staff/plan/_goal.html", _goal_context(resident, goal_id))


@bp.route(f"{STAFF}/goals/<int:goal_id>/move", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_goal_move(resident_id: int, goal_id: int) -> Response:
    resident = _resident(resident_id, "goal_move", edit=True, detail=f"goal {goal_id}")
    goal = _staff_goal(resident, goal_id, "goal_move")
    domain = goal.domain
    form = MoveForm()
    if not form.validate():
        return _refused(resident, "staff/plan/_goals.html",
                        _domain_context(resident, domain, goals_error=_("Kies een optie uit de lijst.")))
    services.goal_move(goal=goal, actor=current_user, direction=form.step)
    return _saved(resident, "staff/plan/_goals.html", _domain_context(resident, domain))


@bp.route(f"{STAFF}/goals/<int:goal_id>/steps", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_step_create(resident_id: int, goal_id: int) -> Response:
    resident = _resident(resident_id, "step_create", edit=True, detail=f"goal {goal_id}")
    goal = _staff_goal(resident, goal_id, "step_create")
    form = StepForm(prefix=f"goal{goal.id}-step")
    if form.validate():
        try:
            services.step_create(goal=goal, actor=current_user, text=form.text.data)
        except DomainError as error:
            _form_error(form, error, "text")
        else:
            return _saved(resident, "staff/plan/_goal.html", _goal_context(resident, goal_id))
    return _refused(resident, "staff/plan/_goal.html", _goal_context(resident, goal_id, failed=form))


@bp.route(f"{STAFF}/goals/<int:goal_id>/steps/<int:step_id>/edit")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_step_edit(resident_id: int, goal_id: int, step_id: int) -> Response:
    resident = _resident(resident_id, "view", edit=True, detail=f"step {step_id}")
    goal = _staff_goal(resident, goal_id, "view")
    step = _staff_step(resident, goal, step_id, "view")
    form = StepForm(formdata=None, prefix=f"step{step.id}", text=step.text)
    db.session.commit()
    return _show(resident, "staff/plan/_goal.html", **_goal_context(resident, goal_id, editing_step=step_id,
                                                                   step_form=form)())


@bp.route(f"{STAFF}/goals/<int:goal_id>/steps/<int:step_id>", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_step_save(resident_id: int, goal_id: int, step_id: int) -> Response:
    resident = _resident(resident_id, "step_update", edit=True, detail=f"step {step_id}")
    goal = _staff_goal(resident, goal_id, "step_update")
    step = _staff_step(resident, goal, step_id, "step_update")
    form = StepForm(prefix=f"step{step.id}")
    if form.validate():
        try:
            services.step_update(step=step, actor=current_user, text=form.text.data)
        except DomainError as error:
            _form_error(form, error, "text")
        else:
            return _saved(resident, "staff/plan/_goal.html", _goal_context(resident, goal_id))
    return _refused(resident, "staff/plan/_goal.html",
                    _goal_context(resident, goal_id, editing_step=step_id, step_form=form))


@bp.route(f"{STAFF}/goals/<int:goal_id>/steps/<int:step_id>/done", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_step_done(resident_id: int, goal_id: int, step_id: int) -> Response:
    resident = _resident(resident_id, "step_done", edit=True, detail=f"step {step_id}")
    goal = _staff_goal(resident, goal_id, "step_done")
    step = _staff_step(resident, goal, step_id, "step_done")
    form = StepDoneForm()
    if not form.validate():
        return _refused(resident, "staff/plan/_goal.html",
                        _goal_context(resident, goal_id, goal_error=_("Kies een optie uit de lijst.")))
    try:
        services.step_set_done(step=step, actor=current_user, done=form.done.data == "1")
    except DomainError as error:
        return _refused(resident, "staff/plan/_goal.html",
                        _goal_context(resident, goal_id, goal_error=str(error.message)))
    return _saved(resident, "staff/plan/_goal.html", _goal_context(resident, goal_id))


@bp.route(f"{STAFF}/goals/<int:goal_id>/steps/<int:step_id>/move", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_step_move(resident_id: int, goal_id: int, step_id: int) -> Response:
    resident = _resident(resident_id, "step_move", edit=True, detail=f"step {step_id}")
    goal = _staff_goal(resident, goal_id, "step_move")
    step = _staff_step(resident, goal, step_id, "step_move")
    form = MoveForm()
    if not form.validate():
        return _refused(resident, "staff/plan/_goal.html",
                        _goal_context(resident, goal_id, goal_error=_("Kies een optie uit de lijst.")))
    services.step_move(step=step, actor=current_user, direction=form.step)
    return _saved(resident, "staff/plan/_goal.html", _goal_context(resident, goal_id))


@bp.route(f"{STAFF}/goals/<int:goal_id>/steps/<int:step_id>/delete", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_step_delete(resident_id: int, goal_id: int, step_id: int) -> Response:
    resident = _resident(resident_id, "step_delete", edit=True, detail=f"step {step_id}")
    goal = _staff_goal(resident, goal_id, "step_delete")
    step = _staff_step(resident, goal, step_id, "step_delete")
    services.step_delete(step=step, actor=current_user)
    return _saved(resident, "staff/plan/_goal.html", _goal_context(resident, goal_id))


@bp.route(f"{STAFF}/goals/<int:goal_id>/comments", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_comment_create(resident_id: int, goal_id: int) -> Response:
    resident = _resident(resident_id, "comment_create", edit=False, detail=f"goal {goal_id}")
    goal = _staff_goal(resident, goal_id, "comment_create")
    form = CommentForm(prefix=f"goal{goal.id}-comment")
    if form.validate():
        try:
            services.comment_create(goal=goal, author=current_user, body=form.body.data)
        except DomainError as error:
            _form_error(form, error, "body")
        else:
            return _saved(resident, "staff/plan/_comments.html", _goal_context(resident, goal_id))
    return _refused(resident, "staff/plan/_comments.html", _goal_context(resident, goal_id, failed=form))


def _own_comment(resident: Resident, goal: Goal, comment_id: int, action: str) -> Comment:
    comment = _staff_comment(resident, goal, comment_id, action)
    if comment.author_id != current_user.id or comment.parent_id is not None:
        audit_refused(action=f"plan.{action}", resident_id=resident.id, detail=f"comment {comment_id}")
        abort(403)
    return comment


@bp.route(f"{STAFF}/goals/<int:goal_id>/comments/<int:comment_id>")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_comment(resident_id: int, goal_id: int, comment_id: int) -> Response:
    resident = _resident(resident_id, "view", edit=False, detail=f"comment {comment_id}")
    goal = _staff_goal(resident, goal_id, "view")
    _staff_comment(resident, goal, comment_id, "view")
    db.session.commit()
    return _show(resident, "staff/plan/_comment.html", **_comment_context(resident, goal_id, comment_id)())


@bp.route(f"{STAFF}/goals/<int:goal_id>/comments/<int:comment_id>/edit")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_comment_edit(resident_id: int, goal_id: int, comment_id: int) -> Response:
    resident = _resident(resident_id, "view", edit=False, detail=f"comment {comment_id}")
    goal = _staff_goal(resident, goal_id, "view")
    comment = _own_comment(resident, goal, comment_id, "comment_update")
    changeable = comment.changeable_by(current_user)
    form = CommentForm(formdata=None, prefix=f"comment{comment.id}", body=comment.body)
    db.session.commit()
    if not changeable:
        return _show(resident, "staff/plan/_comment.html", status=422, **_comment_context(
            resident, goal_id, comment_id,
            comment_error=_("Je kunt een opmerking alleen in de eerste 15 minuten wijzigen."))())
    return _show(resident, "staff/plan/_comment.html", **_comment_context(resident, goal_id, comment_id,
                                                                         edit_form=form)())


@bp.route(f"{STAFF}/goals/<int:goal_id>/comments/<int:comment_id>", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_comment_save(resident_id: int, goal_id: int, comment_id: int) -> Response:
    resident = _resident(resident_id, "comment_update", edit=False, detail=f"comment {comment_id}")
    goal = _staff_goal(resident, goal_id, "comment_update")
    comment = _own_comment(resident, goal, comment_id, "comment_update")
    form = CommentForm(prefix=f"comment{comment.id}")
    if form.validate():
        try:
            services.comment_update(comment=comment, actor=current_user, body=form.body.data)
        except DomainError as error:
            if error.field is None:  # too late: the form cannot help any more
                return _refused(resident, "staff/plan/_comment.html", _comment_context(
                    resident, goal_id, comment_id, comment_error=str(error.message)))
            _form_error(form, error, "body")
        else:
            return _saved(resident, "staff/plan/_comment.html", _comment_context(resident, goal_id, comment_id))
    return _refused(resident, "staff/plan/_comment.html",
                    _comment_context(resident, goal_id, comment_id, edit_form=form))


@bp.route(f"{STAFF}/goals/<int:goal_id>/comments/<int:comment_id>/delete", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_comment_delete(resident_id: int, goal_id: int, comment_id: int) -> Response:
    resident = _resident(resident_id, "comment_delete", edit=False, detail=f"comment {comment_id}")
    goal = _staff_goal(resident, goal_id, "comment_delete")
    comment = _own_comment(resident, goal, comment_id, "comment_delete")
    try:
        services.comment_delete(comment=comment, actor=current_user)
    except DomainError as error:
        return _refused(resident, "staff/plan/_comment.html", _comment_context(
            resident, goal_id, comment_id, comment_error=str(error.message)))
    return _saved(resident, "staff/plan/_comment.html", _comment_context(resident, goal_id, comment_id))
