"""Staff: the plan panel of a resident's file — route, road of building blocks, baselines, goal lists."""

from __future__ import annotations

from flask import Response, render_template
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup

from portal.caseload.guard import staff_file
from portal.caseload.models import Resident
from portal.db import utcnow
from portal.plan import services
from portal.plan.forms import BaselineForm, BlockForm, GoalCreateForm, RouteForm
from portal.plan.queries import baseline_get, plan_get, plan_view, road_for_resident
from portal.plan.views import bp
from portal.plan.views.staff import STAFF, domain_context, domain_or_404, kind_or_404, refused, saved, show
from portal.roles import Role
from portal.web import access
from portal.web.forms import submitted
from portal.web.htmx import render

STAFF_ROLES = (Role.CASEWORKER, Role.COUNSELLOR)


@bp.route(STAFF)
@access.roles(*STAFF_ROLES)
@staff_file("plan.view")
def staff_panel(resident: Resident) -> Response:
    return show(resident, "staff/plan/_plan.html", view=plan_view(resident, with_comments=True))


@bp.route(f"{STAFF}/print")
@access.roles(*STAFF_ROLES)
@staff_file("plan.print")
def staff_print(resident: Resident) -> Response:
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
@access.roles(*STAFF_ROLES)
@staff_file("plan.view")
def staff_route(resident: Resident) -> Response:
    return show(resident, "staff/plan/_route.html", plan=plan_get(resident))


@bp.route(f"{STAFF}/route/edit")
@access.roles(*STAFF_ROLES)
@staff_file("plan.view", contact_person_only=True)
def staff_route_edit(resident: Resident) -> Response:
    plan = plan_get(resident)
    form = RouteForm(formdata=None, prefix="route", learning_route=plan.learning_route if plan else "",
                     deadline=plan.route_deadline if plan else None)
    return show(resident, "staff/plan/_route_form.html", form=form)


@bp.route(f"{STAFF}/route", methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.route", contact_person_only=True)
def staff_route_save(resident: Resident) -> Response:
    form = RouteForm(prefix="route")
    if submitted(form, lambda: services.plan_set_route(
            resident=resident, actor=current_user, learning_route=form.learning_route.data or None,
            deadline=form.deadline.data), field="learning_route"):
        return saved(resident, "staff/plan/_route.html", lambda: {"plan": plan_get(resident)})
    return refused(resident, "staff/plan/_route_form.html", lambda: {"form": form})


@bp.route(f"{STAFF}/road")
@access.roles(*STAFF_ROLES)
@staff_file("plan.view")
def staff_road(resident: Resident) -> Response:
    return show(resident, "staff/plan/_road.html", road=road_for_resident(resident))


@bp.route(f"{STAFF}/road/<kind>/edit")
@access.roles(*STAFF_ROLES)
@staff_file("plan.view", contact_person_only=True)
def staff_block_edit(resident: Resident, kind: str) -> Response:
    kind = kind_or_404(kind)
    road = road_for_resident(resident)
    stop = next(s for s in road if s.kind == kind)
    form = BlockForm(formdata=None, prefix=f"block-{kind}", state=stop.state, on_date=stop.on_date)
    return show(resident, "staff/plan/_road.html", road=road, editing=kind, form=form)


@bp.route(f"{STAFF}/road/<kind>", methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.block", contact_person_only=True)
def staff_block_save(resident: Resident, kind: str) -> Response:
    kind = kind_or_404(kind)
    form = BlockForm(prefix=f"block-{kind}")
    if submitted(form, lambda: services.block_set(resident=resident, actor=current_user, kind=kind,
                                                  state=form.state.data, on_date=form.on_date.data), field="state"):
        return saved(resident, "staff/plan/_road.html", lambda: {"road": road_for_resident(resident)})
    return refused(resident, "staff/plan/_road.html",
                   lambda: {"road": road_for_resident(resident), "editing": kind, "form": form})


@bp.route(f"{STAFF}/domains/<domain>/baseline")
@access.roles(*STAFF_ROLES)
@staff_file("plan.view")
def staff_baseline(resident: Resident, domain: str) -> Response:
    domain = domain_or_404(domain)
    return show(resident, "staff/plan/_baseline.html", domain_key=domain, baseline=baseline_get(resident, domain))


@bp.route(f"{STAFF}/domains/<domain>/baseline/edit")
@access.roles(*STAFF_ROLES)
@staff_file("plan.view", contact_person_only=True)
def staff_baseline_edit(resident: Resident, domain: str) -> Response:
    domain = domain_or_404(domain)
    baseline = baseline_get(resident, domain)
    form = BaselineForm(formdata=None, prefix=f"baseline-{domain}",
                        score=str(baseline.score) if baseline and baseline.score else "",
                        text=baseline.text if baseline else "")
    return show(resident, "staff/plan/_baseline_form.html", form=form, domain_key=domain)


@bp.route(f"{STAFF}/domains/<domain>/baseline", methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.baseline", contact_person_only=True)
def staff_baseline_save(resident: Resident, domain: str) -> Response:
    domain = domain_or_404(domain)
    form = BaselineForm(prefix=f"baseline-{domain}")
    if submitted(form, lambda: services.baseline_set(
            resident=resident, actor=current_user, domain=domain,
            score=int(form.score.data) if form.score.data else None, text=form.text.data), field="text"):
        return saved(resident, "staff/plan/_baseline.html",
                     lambda: {"domain_key": domain, "baseline": baseline_get(resident, domain)})
    return refused(resident, "staff/plan/_baseline_form.html", lambda: {"form": form, "domain_key": domain})


@bp.route(f"{STAFF}/domains/<domain>/goals")
@access.roles(*STAFF_ROLES)
@staff_file("plan.view")
def staff_goals(resident: Resident, domain: str) -> Response:
    domain = domain_or_404(domain)
    return show(resident, "staff/plan/_goals.html", **domain_context(resident, domain)())


@bp.route(f"{STAFF}/domains/<domain>/goals/new")
@access.roles(*STAFF_ROLES)
@staff_file("plan.view", contact_person_only=True)
def staff_goal_new(resident: Resident, domain: str) -> Response:
    domain = domain_or_404(domain)
    form = GoalCreateForm(formdata=None, prefix=f"new-{domain}", status="not_started", term="short")
    return show(resident, "staff/plan/_goal_new.html", new_form=form, domain_key=domain)


@bp.route(f"{STAFF}/domains/<domain>/goals", methods=["POST"])
@access.roles(*STAFF_ROLES)
@staff_file("plan.goal_create", contact_person_only=True)
def staff_goal_create(resident: Resident, domain: str) -> Response:
    domain = domain_or_404(domain)
    form = GoalCreateForm(prefix=f"new-{domain}")
    if submitted(form, lambda: services.goal_create(
            resident=resident, actor=current_user, domain=domain, title=form.title.data, reason=form.reason.data,
            term=form.term.data, target_date=form.target_date.data, status=form.status.data), field="title"):
        return saved(resident, "staff/plan/_goals.html", domain_context(resident, domain))
    return refused(resident, "staff/plan/_goals.html", domain_context(resident, domain, new_form=form))
