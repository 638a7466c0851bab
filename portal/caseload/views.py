"""Staff routes: the caseload list, a resident's file, new residents and activation letters."""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup

from portal.accounts.services import activation_code_issue
from portal.audit.queries import account_viewers, audit_export
from portal.audit.services import audit_record, audit_refused
from portal.caseload.forms import CaseloadSearchForm, ResidentCreateForm
from portal.caseload.guard import staff_file
from portal.caseload.models import Resident
from portal.caseload.queries import PAGE_SIZE, caseload_list_for_staff, resident_file_export, staff_list
from portal.caseload.services import resident_create
from portal.db import utcnow
from portal.domain import DomainError
from portal.registry import (
    add_account_context,
    add_export_section,
    set_account_event_recorder,
    set_refusal_recorder,
)
from portal.roles import Role
from portal.web import access
from portal.web.forms import form_error, options
from portal.web.htmx import render
from portal.web.params import page_arg

bp = Blueprint("caseload", __name__, url_prefix="/staff")
bp.record_once(lambda state: add_export_section(state.app, "file", resident_file_export))
bp.record_once(lambda state: add_export_section(state.app, "file_views", audit_export))
bp.record_once(lambda state: add_account_context(state.app, account_viewers))
bp.record_once(lambda state: set_refusal_recorder(state.app, audit_refused))


def _account_event(*, action: str, ok: bool, detail: str = "") -> None:
    """A sign-in attempt in the audit log: the accounts area sits below the audit area, so it goes through here."""
    (audit_record if ok else audit_refused)(action=action, resident_id=None, detail=detail)


bp.record_once(lambda state: set_account_event_recorder(state.app, _account_event))


@bp.route("/")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def index() -> Response:
    form = CaseloadSearchForm(request.args)
    search = form.q.data if form.validate() and form.q.data else ""
    page = page_arg()
    residents, total = caseload_list_for_staff(staff=current_user, search=search, page=page)
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        "staff/caseload/page.html", "staff/caseload/_table.html",
        form=form, residents=residents, total=total, page=min(max(page, 1), pages), pages=pages,
        search=search, status=200 if not form.errors else 422,
    )


def _counsellor_choices() -> list:
    return options([("", "—")] + [(str(u.id), u.name) for u in staff_list(role=Role.COUNSELLOR)])


@bp.route("/residents/new", methods=["GET", "POST"])
@access.roles(Role.CASEWORKER)
def resident_new() -> Response:
    form = ResidentCreateForm()
    form.counsellor_id.choices = _counsellor_choices()
    if form.validate_on_submit():
        counsellors = {str(u.id): u for u in staff_list(role=Role.COUNSELLOR)}
        try:
            resident = resident_create(
                name=form.name.data,
                language=form.language.data,
                contact_person=current_user,
                date_of_birth=form.date_of_birth.data,
                linked_on=form.linked_on.data,
                benefit_started_on=form.benefit_started_on.data,
                counsellor=counsellors.get(form.counsellor_id.data or ""),
            )
        except DomainError as error:
            form_error(form, error, "name")
        else:
            audit_record(action="resident.create", resident_id=resident.id)
            code = activation_code_issue(user=resident.user, issued_by=current_user)
            return _letter(resident, code)
    status = 422 if request.method == "POST" else 200
    return render("staff/caseload/new.html", "staff/caseload/_new_form.html", form=form, status=status)


@bp.route("/residents/<int:resident_id>")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
@staff_file("resident.view")
def resident(resident: Resident) -> Response:
    return render("staff/caseload/resident.html", "staff/caseload/_resident.html", resident=resident)


@bp.route("/residents/<int:resident_id>/activation", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
@staff_file("resident.activation_code", contact_person_only=True)
def resident_activation(resident: Resident) -> Response:
    code = activation_code_issue(user=resident.user, issued_by=current_user)
    return _letter(resident, code)


def _letter(resident, code: str) -> Response:
    """The printable letter: in the resident's language, with Dutch beside it when that differs."""
    url = url_for("accounts.activate", code=code, _external=True)
    languages = [resident.language] if resident.language == "nl" else [resident.language, "nl"]
    versions = []
    for language in languages:
        with force_locale(language):
            from flask import render_template

            # A rendered template is autoescaped already.
            versions.append(Markup(render_template("staff/caseload/_letter_body.html", resident=resident,  # noqa: S704
                                                   code=code, url=url, language=language, issued_at=utcnow())))
    return render("staff/caseload/letter.html", versions=versions, resident=resident, url=url)
