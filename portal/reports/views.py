"""Team lead route: aggregated figures."""

from __future__ import annotations

from flask import Blueprint, Response

from portal.ontzorgen.queries import ontzorgen_totals
from portal.reports.queries import overview
from portal.roles import Role
from portal.web import access
from portal.web.htmx import render

bp = Blueprint("reports", __name__, url_prefix="/manage")


@bp.route("/")
@access.roles(Role.LEAD)
def index() -> Response:
    return render("staff/reports/page.html", "staff/reports/_overview.html", overview=overview(),
                  ontzorgen=ontzorgen_totals())
