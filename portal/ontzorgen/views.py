"""Resident route: how long ontzorgen runs."""

from __future__ import annotations

from flask import Blueprint, Response
from flask_login import current_user

from portal.ontzorgen.queries import MONTHS, ontzorgen_period
from portal.roles import Role
from portal.web import access
from portal.web.htmx import render

bp = Blueprint("ontzorgen", __name__)


@bp.route("/ontzorgen")
@access.roles(Role.RESIDENT)
def index() -> Response:
    resident = current_user.resident
    return render("resident/ontzorgen/page.html", "resident/ontzorgen/_period.html",
                  period=ontzorgen_period(resident), months=MONTHS, resident=resident)
