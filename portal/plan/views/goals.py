"""Staff: one goal in the plan panel — edit, close, move, its steps and its comments."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from portal.caseload.guard import staff_file
from portal.caseload.models import Resident
from portal.domain import DomainError
from portal.i18n import _
from portal.plan import services
from portal.plan.forms import CloseForm, CommentForm, GoalForm, MoveForm, StepDoneForm, StepForm
from portal.plan.views import bp
from portal.plan.views.staff import STAFF, comment_context, domain_context, find, goal_context, refused, saved, show
from portal.roles import Role
from portal.web import access
from portal.web.forms import form_error, submitted

STAFF_ROLES = (Role.CASEWORKER, Role.COUNSELLOR)
GOAL = f"{STAFF}/goals/<int:goal_id>"
STEP = f"{GOAL}/steps/<int:step_id>"
COMMENT = f"{GOAL}/comments/<int:comment_id>"


@bp.route(GOAL)
@access.roles(*STAFF_ROLES)
@staff_file("plan.view")
def staff_goal(resident: Resident, goal_id: int) -> Response:
    find(resident, "plan.view", goal_id)
    return show(resident, "staff/plan/_goal.html", **goal_context(resident, goal_id)())


@bp.route(f"{GOAL}/edit")
@access.roles(*STAFF_ROLES)
@staff_file("plan.view", contact_person_only=True)
def staff_goal_edit(resident: Resident, goal_id: int) -> Response:
    goal = find(resident, "plan.view", goal_id).goal
    form = GoalForm(formdata=None, prefix=f"goal{goal.id}", obj=goal)
    return show(resident, "staff/plan/_goal_form.html", form=form, **goal_context(resident, goal_id)())


@bp.route(GOAL, methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.goal_update", contact_person_only=True)
def staff_goal_save(resident: Resident, goal_id: int) -> Response:
    goal = find(resident, "plan.goal_update", goal_id).goal
    form = GoalForm(prefix=f"goal{goal.id}")
    if form.validate():
        try:
            services.goal_update(goal=goal, actor=current_user, expected_version=form.version.data,
                                 title=form.title.data, reason=form.reason.data, term=form.term.data,
                                 target_date=form.target_date.data, status=form.status.data)
        except services.GoalConflict as conflict:
            message = str(conflict.message)

            # Both versions: theirs as saved, yours still in the form, whose version now allows saving over.
            def load() -> dict:
                context = goal_context(resident, goal_id, form=form, conflict=message)()
                form.version.data = context["goal"].version
                return context

            return refused(resident, "staff/plan/_goal_form.html", load)
        except DomainError as error:
            form_error(form, error, "title")
        else:
            return saved(resident, "staff/plan/_goal.html", goal_context(resident, goal_id))
    return refused(resident, "staff/plan/_goal_form.html", goal_context(resident, goal_id, form=form))


@bp.route(f"{GOAL}/close", methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.goal_close", contact_person_only=True)
def staff_goal_close(resident: Resident, goal_id: int) -> Response:
    goal = find(resident, "plan.goal_close", goal_id).goal
    form = CloseForm(prefix=f"goal{goal.id}-close")
    if not form.validate():
        return refused(resident, "staff/plan/_goal.html", goal_context(resident, goal_id, failed=form))
    try:
        services.goal_close(goal=goal, actor=current_user, expected_version=form.version.data,
                            status=form.status.data)
    except services.GoalConflict as conflict:
        message = _("%(conflict)s Bekijk de nieuwe versie en sluit het doel daarna opnieuw af.",
                    conflict=str(conflict.message))
        return refused(resident, "staff/plan/_goal.html", goal_context(resident, goal_id, goal_error=message))
    return saved(resident, "staff/plan/_goal.html", goal_context(resident, goal_id))


@bp.route(f"{GOAL}/move", methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.goal_move", contact_person_only=True)
def staff_goal_move(resident: Resident, goal_id: int) -> Response:
    goal = find(resident, "plan.goal_move", goal_id).goal
    domain = goal.domain
    form = MoveForm()
    if not form.validate():
        return refused(resident, "staff/plan/_goals.html",
                       domain_context(resident, domain, goals_error=_("Kies een optie uit de lijst.")))
    services.goal_move(goal=goal, actor=current_user, direction=form.step)
    return saved(resident, "staff/plan/_goals.html", domain_context(resident, domain))


@bp.route(f"{GOAL}/steps", methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.step_create", contact_person_only=True)
def staff_step_create(resident: Resident, goal_id: int) -> Response:
    goal = find(resident, "plan.step_create", goal_id).goal
    form = StepForm(prefix=f"goal{goal.id}-step")
    if submitted(form, lambda: services.step_create(goal=goal, actor=current_user, text=form.text.data),
                 field="text"):
        return saved(resident, "staff/plan/_goal.html", goal_context(resident, goal_id))
    return refused(resident, "staff/plan/_goal.html", goal_context(resident, goal_id, failed=form))


@bp.route(f"{STEP}/edit")
@access.roles(*STAFF_ROLES)
@staff_file("plan.view", contact_person_only=True)
def staff_step_edit(resident: Resident, goal_id: int, step_id: int) -> Response:
    step = find(resident, "plan.view", goal_id, step_id=step_id).step
    form = StepForm(formdata=None, prefix=f"step{step.id}", text=step.text)
    return show(resident, "staff/plan/_goal.html",
                **goal_context(resident, goal_id, editing_step=step_id, step_form=form)())


@bp.route(STEP, methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.step_update", contact_person_only=True)
def staff_step_save(resident: Resident, goal_id: int, step_id: int) -> Response:
    step = find(resident, "plan.step_update", goal_id, step_id=step_id).step
    form = StepForm(prefix=f"step{step.id}")
    if submitted(form, lambda: services.step_update(step=step, actor=current_user, text=form.text.data),
                 field="text"):
        return saved(resident, "staff/plan/_goal.html", goal_context(resident, goal_id))
    return refused(resident, "staff/plan/_goal.html",
                   goal_context(resident, goal_id, editing_step=step_id, step_form=form))


@bp.route(f"{STEP}/done", methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.step_done", contact_person_only=True)
def staff_step_done(resident: Resident, goal_id: int, step_id: int) -> Response:
    step = find(resident, "plan.step_done", goal_id, step_id=step_id).step
    form = StepDoneForm()
    if not submitted(form, lambda: services.step_set_done(step=step, actor=current_user, done=form.done.data == "1"),
                     field="done"):
        return refused(resident, "staff/plan/_goal.html",
                       goal_context(resident, goal_id, goal_error=str(form.done.errors[-1])))
    return saved(resident, "staff/plan/_goal.html", goal_context(resident, goal_id))


@bp.route(f"{STEP}/move", methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.step_move", contact_person_only=True)
def staff_step_move(resident: Resident, goal_id: int, step_id: int) -> Response:
    step = find(resident, "plan.step_move", goal_id, step_id=step_id).step
    form = MoveForm()
    if not form.validate():
        return refused(resident, "staff/plan/_goal.html",
                       goal_context(resident, goal_id, goal_error=_("Kies een optie uit de lijst.")))
    services.step_move(step=step, actor=current_user, direction=form.step)
    return saved(resident, "staff/plan/_goal.html", goal_context(resident, goal_id))


@bp.route(f"{STEP}/delete", methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.step_delete", contact_person_only=True)
def staff_step_delete(resident: Resident, goal_id: int, step_id: int) -> Response:
    step = find(resident, "plan.step_delete", goal_id, step_id=step_id).step
    services.step_delete(step=step, actor=current_user)
    return saved(resident, "staff/plan/_goal.html", goal_context(resident, goal_id))


@bp.route(f"{GOAL}/comments", methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.comment_create")
def staff_comment_create(resident: Resident, goal_id: int) -> Response:
    goal = find(resident, "plan.comment_create", goal_id).goal
    form = CommentForm(prefix=f"goal{goal.id}-comment")
    if submitted(form, lambda: services.comment_create(goal=goal, author=current_user, body=form.body.data),
                 field="body"):
        return saved(resident, "staff/plan/_comments.html", goal_context(resident, goal_id))
    return refused(resident, "staff/plan/_comments.html", goal_context(resident, goal_id, failed=form))


@bp.route(COMMENT)
@access.roles(*STAFF_ROLES)
@staff_file("plan.view")
def staff_comment(resident: Resident, goal_id: int, comment_id: int) -> Response:
    find(resident, "plan.view", goal_id, comment_id=comment_id)
    return show(resident, "staff/plan/_comment.html", **comment_context(resident, goal_id, comment_id)())


@bp.route(f"{COMMENT}/edit")
@access.roles(*STAFF_ROLES)
@staff_file("plan.view")
def staff_comment_edit(resident: Resident, goal_id: int, comment_id: int) -> Response:
    comment = find(resident, "plan.comment_update", goal_id, comment_id=comment_id, own_comment=True).comment
    if not comment.changeable_by(current_user):
        return show(resident, "staff/plan/_comment.html", status=422, **comment_context(
            resident, goal_id, comment_id,
            comment_error=_("Je kunt een opmerking alleen in de eerste 15 minuten wijzigen."))())
    form = CommentForm(formdata=None, prefix=f"comment{comment.id}", body=comment.body)
    return show(resident, "staff/plan/_comment.html",
                **comment_context(resident, goal_id, comment_id, edit_form=form)())


@bp.route(COMMENT, methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.comment_update")
def staff_comment_save(resident: Resident, goal_id: int, comment_id: int) -> Response:
    comment = find(resident, "plan.comment_update", goal_id, comment_id=comment_id, own_comment=True).comment
    form = CommentForm(prefix=f"comment{comment.id}")
    if form.validate():
        try:
            services.comment_update(comment=comment, actor=current_user, body=form.body.data)
        except DomainError as error:
            if error.field is None:  # too late: the form cannot help any more
                return refused(resident, "staff/plan/_comment.html", comment_context(
                    resident, goal_id, comment_id, comment_error=str(error.message)))
            form_error(form, error, "body")
        else:
            return saved(resident, "staff/plan/_comment.html", comment_context(resident, goal_id, comment_id))
    return refused(resident, "staff/plan/_comment.html",
                   comment_context(resident, goal_id, comment_id, edit_form=form))


@bp.route(f"{COMMENT}/delete", methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.comment_delete")
def staff_comment_delete(resident: Resident, goal_id: int, comment_id: int) -> Response:
    comment = find(resident, "plan.comment_delete", goal_id, comment_id=comment_id, own_comment=True).comment
    try:
        services.comment_delete(comment=comment, actor=current_user)
    except DomainError as error:
        return refused(resident, "staff/plan/_comment.html", comment_context(
            resident, goal_id, comment_id, comment_error=str(error.message)))
    return saved(resident, "staff/plan/_comment.html", comment_context(resident, goal_id, comment_id))
