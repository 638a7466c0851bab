"""Staff routes of learn: the panel in a resident's file, for the contact person only (self-check results
show how a resident manages money; the resident is told their contact person sees them, nobody else).
The role rule lets only caseworkers in and the caseload rule of `staff_file` only the resident's own one.

Under /staff/residents/<resident>/learn:
  GET  ""                              staff_panel      self-check results over time, modules, quiz scores
  POST /assign                         staff_assign     ask the resident to do a module (shows on their home page)
  POST /assign/<module>/remove         staff_unassign   take that back
"""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from portal.caseload.guard import staff_file
from portal.caseload.models import Resident
from portal.domain import NotFound
from portal.i18n import _
from portal.learn import services
from portal.learn.content import catalogue
from portal.learn.forms import AssignForm
from portal.learn.queries import learn_staff_view
from portal.learn.ui import module_title
from portal.learn.views import bp
from portal.roles import Role
from portal.web import access
from portal.web.forms import options, submitted
from portal.web.htmx import render, see_other, wants_fragment
from portal.web.transaction import discard_writes

FILE = "/staff/residents/<int:resident_id>/learn"
PART = "staff/learn/_learn.html"


def _assign_form(view, form: AssignForm | None = None) -> AssignForm:
    form = form or AssignForm(formdata=None, prefix="assign")
    taken = {state.module.slug for state in view.modules if state.assigned or state.completed}
    form.module.choices = options([("", "—")] + [(m.slug, module_title(m)) for m in catalogue().modules
                                                if m.slug not in taken])
    return form


def _show(resident: Resident, *, status: int = 200, notice: str | None = None, form: AssignForm | None = None):
    view = learn_staff_view(resident)
    return render("staff/learn/page.html", PART, status=status, trigger={"notice": notice} if notice else None,
                  resident=resident, view=view, assign_form=_assign_form(view, form))


def _saved(resident: Resident) -> Response:
    if not wants_fragment():
        return see_other("learn.staff_panel", resident_id=resident.id)
    return _show(resident, notice=_("Opgeslagen."))


@bp.route(FILE)
@access.roles(Role.CASEWORKER)
@staff_file("learn.view")
def staff_panel(resident: Resident) -> Response:
    return _show(resident)


@bp.route(f"{FILE}/assign", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("learn.assign")  # the decorator logs the change
def staff_assign(resident: Resident) -> Response:
    form = _assign_form(learn_staff_view(resident), AssignForm(prefix="assign"))
    if not submitted(form, lambda: services.module_assign(resident=resident, module_slug=form.module.data or "",
                                                          actor=current_user), field="module"):
        discard_writes()
        return _show(resident, status=422, form=form)
    return _saved(resident)


@bp.route(f"{FILE}/assign/<module_slug>/remove", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("learn.unassign")
def staff_unassign(resident: Resident, module_slug: str) -> Response:
    try:
        services.module_unassign(resident=resident, module_slug=module_slug)
    except NotFound:
        discard_writes()
        return _show(resident, status=404)
    return _saved(resident)
