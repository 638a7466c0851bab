"""Admin routes: staff accounts, their activation letters and switching them off."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup

from portal.accounts.forms import StaffCreateForm
from portal.accounts.models import User
from portal.accounts.queries import staff_account_get, staff_accounts_list
from portal.accounts.services import activation_code_issue, staff_create, staff_set_active
from portal.db import utcnow
from portal.domain import DomainError
from portal.roles import Role
from portal.web import access
from portal.web.forms import form_error
from portal.web.htmx import render, see_other

bp = Blueprint("admin", __name__, url_prefix="/admin")

@bp.route("/")
@access.roles(Role.ADMIN)
def index() -> Response:
    return render("staff/admin/page.html", "staff/admin/_staff.html", staff=staff_accounts_list(),
                  form=StaffCreateForm())


@bp.route("/staff", methods=["POST"])
@access.roles(Role.ADMIN)
def staff_new() -> Response:
    form = StaffCreateForm()
    if form.validate():
        try:
            user = staff_create(username=form.username.data, name=form.name.data,
                                role=Role(form.role.data), language=form.language.data)
        except DomainError as error:
            form_error(form, error, "username")
        else:
            code = activation_code_issue(user=user, issued_by=current_user)
            return _letter(user, code)
    return render("staff/admin/page.html", "staff/admin/_staff.html", staff=staff_accounts_list(), form=form,
                  status=422)


def _staff_member(user_id: int) -> User:
    user = staff_account_get(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/staff/<int:user_id>/code", methods=["POST"])
@access.roles(Role.ADMIN)
def staff_code(user_id: int) -> Response:
    user = _staff_member(user_id)
    code = activation_code_issue(user=user, issued_by=current_user)
    return _letter(user, code)


@bp.route("/staff/<int:user_id>/active", methods=["POST"])
@access.roles(Role.ADMIN)
def staff_active(user_id: int) -> Response:
    user = _staff_member(user_id)
    if user.id == current_user.id:
        abort(400)
    staff_set_active(user=user, active=request.form.get("active") == "1")
    return see_other("admin.index")


def _letter(user: User, code: str) -> Response:
    url = url_for("accounts.activate", code=code, _external=True)
    with force_locale(user.language):
        body = Markup(render_template("staff/admin/_letter_body.html", account=user, code=code, url=url,  # noqa: S704
                                      issued_at=utcnow()))
    return render("staff/admin/letter.html", account=user, body=body)
