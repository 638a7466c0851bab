"""The resident's home page: a card per area."""

from __future__ import annotations

from flask import Blueprint, Response
from flask_login import current_user

from portal.home.queries import home_summary
from portal.roles import Role
from portal.web import access
from portal.web.htmx import render

bp = Blueprint("home", __name__)


@bp.route("/")
@access.roles(Role.RESIDENT)
def index() -> Response:
    resident = current_user.resident
    return render("resident/home/page.html", "resident/home/_cards.html", resident=resident,
                  summary=home_summary(resident))
