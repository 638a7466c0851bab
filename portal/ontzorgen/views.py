"""Routes of ontzorgen.

Resident:  GET /ontzorgen                                       index   what was paid for me, per month and cost
Staff (contact person only; a counsellor sees no money data), under /staff/residents/<resident>/ontzorgen:
  see portal/ontzorgen/staff.py
"""

from __future__ import annotations

from flask import Blueprint, Response
from flask_login import current_user

from portal.ontzorgen.queries import MONTHS, export_for_resident, ontzorgen_view
from portal.ontzorgen.ui import ontzorgen_template_context
from portal.registry import add_export_section, add_resident_panel
from portal.roles import Role
from portal.web import access
from portal.web.htmx import render

bp = Blueprint("ontzorgen", __name__)
bp.record_once(lambda state: add_resident_panel(state.app, "staff/ontzorgen/_panel.html"))
bp.record_once(lambda state: add_export_section(state.app, "ontzorgen", export_for_resident))
bp.app_context_processor(ontzorgen_template_context)


@bp.route("/ontzorgen")
@access.roles(Role.RESIDENT)
def index() -> Response:
    view = ontzorgen_view(current_user.resident)
    return render("resident/ontzorgen/page.html", "resident/ontzorgen/_ontzorgen.html", view=view,
                  period=view.period, months=view.period.months if view.period else MONTHS, resident=view.resident)

from portal.ontzorgen import staff  # noqa: E402, F401 - the staff routes register on bp
