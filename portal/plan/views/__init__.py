"""Routes of the plan area: one blueprint, `plan`.

Resident (own plan only):
  GET  /plan                                             index         my PIP by life domain
  GET  /plan/goals/<goal>                                goal          one goal with steps and comments
  POST /plan/goals/<goal>/steps/<step>                   step_done     tick a step
  POST /plan/goals/<goal>/comments/<comment>/reactions   comment_reply react to a comment

Staff, under /staff/residents/<resident>/plan (read and comment: contact person and counsellor;
change: contact person only; every look goes through the caseload guard and is logged):
  GET  ""  /print                                        staff_panel, staff_print
  GET  /route  /route/edit   POST /route                 staff_route, staff_route_edit, staff_route_save
  GET  /road  /road/<kind>/edit   POST /road/<kind>      staff_road, staff_block_edit, staff_block_save
  GET  /domains/<d>/baseline  …/edit   POST …/baseline   staff_baseline, staff_baseline_edit, staff_baseline_save
  GET  /domains/<d>/goals  …/goals/new   POST …/goals    staff_goals, staff_goal_new, staff_goal_create
  GET  /goals/<goal>  …/edit   POST /goals/<goal>        staff_goal, staff_goal_edit, staff_goal_save
  POST /goals/<goal>/close  /goals/<goal>/move           staff_goal_close, staff_goal_move
  POST /goals/<goal>/steps  GET …/steps/<step>/edit      staff_step_create, staff_step_edit
  POST …/steps/<step>  …/done  …/move  …/delete          staff_step_save, staff_step_done, staff_step_move,
                                                         staff_step_delete
  POST /goals/<goal>/comments  GET …/comments/<c>  …/edit   staff_comment_create, staff_comment,
  POST …/comments/<c>  …/delete                          staff_comment_edit, staff_comment_save,
                                                         staff_comment_delete
"""

from __future__ import annotations

from flask import Blueprint

from portal.plan.queries import export_for_resident
from portal.plan.ui import plan_template_context
from portal.registry import add_export_section, add_resident_panel

bp = Blueprint("plan", __name__)
bp.record_once(lambda state: add_resident_panel(state.app, "staff/plan/_panel.html"))
bp.record_once(lambda state: add_export_section(state.app, "plan", export_for_resident))
bp.app_context_processor(plan_template_context)

from portal.plan.views import goals, plan, resident  # noqa: E402, F401 - the routes register on bp
