"""Admin routes: staff accounts, their activation letters and switching them off."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from wtforms import StringField

from portal.accounts.models import User
from portal.accounts.services import activation_code_issue, staff_create, staff_set_active
from portal.db import db, utcnow
from portal.domain import DomainError
from portal.i18n import STAFF_LANGUAGES, _l, language_name
from portal.roles import Role
from portal.web import access
from portal.web.forms import BaseForm, MaxLength, Required, SafeText, Select, form_error, options, strip_filter
from portal.web.htmx import render, see_other

bp = Blueprint("admin", __name__, url_prefix="/admin")

STAFF_ROLE_CHOICES = [
    (Role.CASEWORKER.value, _l("Regievoerder (contactpersoon)")),
    (Role.COUNSELLOR.value, _l("Maatschappelijk begeleider")),
    (Role.LEAD.value, _l("Teamleider")),
    (Role.ADMIN.value, _l("Beheerder")),
]


class StaffCreateForm(BaseForm):
    name = StringField(_l("Naam"), filters=[strip_filter],
                       validators=[Required(), MaxLength(120), SafeText()])
    username = StringField(_l("Gebruikersnaam"), filters=[strip_filter],
                           validators=[Required(), MaxLength(64), SafeText()])
    role = Select(_l("Rol"), choices=options(STAFF_ROLE_CHOICES))
    language = Select(_l("Taal"), choices=options((code, language_name(code)) for code in STAFF_LANGUAGES))


def _staff() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role != Role.RESIDENT.value).order_by(User.name)))


@bp.route("/")
@access.roles(Role.ADMIN)
def index() -> Response:
    return render("staff/admin/page.html", "staff/admin/_staff.html", staff=_staff(), form=StaffCreateForm())


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
    return render("staff/admin/page.html", "staff/admin/_staff.html", staff=_staff(), form=form, status=422)


def _staff_member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role == Role.RESIDENT.value:
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
