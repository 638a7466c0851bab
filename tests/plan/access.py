"""Every plan endpoint and who may use it. Goal, step and comment ids here do not exist: allowed roles
get a 404 (the row proves the rule, not the data); tests/plan/test_views.py covers them with real data
as page and fragment."""

from tests.access_table import STAFF_FILE, Row

RESIDENT = frozenset({"resident"})
CONTACT = frozenset({"caseworker"})
NO_GOAL = 999_999


def staff(path: str):
    return lambda w: f"/staff/residents/{w.amina_id}/plan{path}"


ROWS = [
    Row("plan.index", "GET", lambda w: "/plan", RESIDENT),
    Row("plan.goal", "GET", lambda w: f"/plan/goals/{NO_GOAL}", RESIDENT, page=False),
    Row("plan.step_done", "POST", lambda w: f"/plan/goals/{NO_GOAL}/steps/1", RESIDENT, data=lambda w: {"done": "1"}),
    Row("plan.comment_reply", "POST", lambda w: f"/plan/goals/{NO_GOAL}/comments/1/reactions", RESIDENT,
        data=lambda w: {"reply1-body": "Dank je"}),

    Row("plan.staff_panel", "GET", staff(""), STAFF_FILE),
    Row("plan.staff_print", "GET", staff("/print"), STAFF_FILE),
    Row("plan.staff_route", "GET", staff("/route"), STAFF_FILE),
    Row("plan.staff_route_edit", "GET", staff("/route/edit"), CONTACT),
    Row("plan.staff_route_save", "POST", staff("/route"), CONTACT,
        data=lambda w: {"route-learning_route": "b1", "route-deadline": "2028-01-01"}),
    Row("plan.staff_road", "GET", staff("/road"), STAFF_FILE),
    Row("plan.staff_block_edit", "GET", staff("/road/pvt/edit"), CONTACT),
    Row("plan.staff_block_save", "POST", staff("/road/pvt"), CONTACT,
        data=lambda w: {"block-pvt-state": "current", "block-pvt-on_date": ""}),
    Row("plan.staff_baseline", "GET", staff("/domains/work/baseline"), STAFF_FILE),
    Row("plan.staff_baseline_edit", "GET", staff("/domains/work/baseline/edit"), CONTACT),
    Row("plan.staff_baseline_save", "POST", staff("/domains/work/baseline"), CONTACT,
        data=lambda w: {"baseline-work-score": "2", "baseline-work-text": "Zoekt werk."}),
    Row("plan.staff_goals", "GET", staff("/domains/work/goals"), STAFF_FILE),
    Row("plan.staff_goal_new", "GET", staff("/domains/work/goals/new"), CONTACT),
    Row("plan.staff_goal_create", "POST", staff("/domains/work/goals"), CONTACT,
        data=lambda w: {"new-work-title": "Werk vinden", "new-work-term": "short",
                        "new-work-status": "not_started"}),
    Row("plan.staff_goal", "GET", staff(f"/goals/{NO_GOAL}"), STAFF_FILE, page=False),
    Row("plan.staff_goal_edit", "GET", staff(f"/goals/{NO_GOAL}/edit"), CONTACT, page=False),
    Row("plan.staff_goal_save", "POST", staff(f"/goals/{NO_GOAL}"), CONTACT, data=lambda w: {}),
    Row("plan.staff_goal_close", "POST", staff(f"/goals/{NO_GOAL}/close"), CONTACT, data=lambda w: {}),
    Row("plan.staff_goal_move", "POST", staff(f"/goals/{NO_GOAL}/move"), CONTACT,
        data=lambda w: {"direction": "up"}),
    Row("plan.staff_step_create", "POST", staff(f"/goals/{NO_GOAL}/steps"), CONTACT, data=lambda w: {}),
    Row("plan.staff_step_edit", "GET", staff(f"/goals/{NO_GOAL}/steps/1/edit"), CONTACT, page=False),
    Row("plan.staff_step_save", "POST", staff(f"/goals/{NO_GOAL}/steps/1"), CONTACT, data=lambda w: {}),
    Row("plan.staff_step_done", "POST", staff(f"/goals/{NO_GOAL}/steps/1/done"), CONTACT,
        data=lambda w: {"done": "1"}),
    Row("plan.staff_step_move", "POST", staff(f"/goals/{NO_GOAL}/steps/1/move"), CONTACT,
        data=lambda w: {"direction": "up"}),
    Row("plan.staff_step_delete", "POST", staff(f"/goals/{NO_GOAL}/steps/1/delete"), CONTACT),
    Row("plan.staff_comment_create", "POST", staff(f"/goals/{NO_GOAL}/comments"), STAFF_FILE, data=lambda w: {}),
    Row("plan.staff_comment", "GET", staff(f"/goals/{NO_GOAL}/comments/1"), STAFF_FILE, page=False),
    Row("plan.staff_comment_edit", "GET", staff(f"/goals/{NO_GOAL}/comments/1/edit"), STAFF_FILE, page=False),
    Row("plan.staff_comment_save", "POST", staff(f"/goals/{NO_GOAL}/comments/1"), STAFF_FILE, data=lambda w: {}),
    Row("plan.staff_comment_delete", "POST", staff(f"/goals/{NO_GOAL}/comments/1/delete"), STAFF_FILE),
]
