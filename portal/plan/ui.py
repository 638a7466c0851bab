"""What the plan templates need besides their data: labels, icons, and blank forms for repeated partials."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm

from portal.plan import models
from portal.plan.forms import CloseForm, CommentForm, ReplyForm, StepForm

_BLANK_FORMS: dict[str, type[FlaskForm]] = {
    "close": CloseForm,
    "comment": CommentForm,
    "reply": ReplyForm,
    "step": StepForm,
}


def plan_form(kind: str, prefix: str, failed: FlaskForm | None = None, **data) -> FlaskForm:
    """The form that just failed validation when it has this prefix, otherwise a blank one."""
    if failed is not None and getattr(failed, "_prefix", None) == f"{prefix}-":
        return failed
    return _BLANK_FORMS[kind](formdata=None, prefix=prefix, **data)


def days_until(day: date | None) -> int | None:
    return (day - date.today()).days if day else None


class PlanLabels:
    """Label msgids and icon names; templates translate with _() or bi() where they show them."""

    end_goal = models.END_GOAL
    domains = models.DOMAIN_LABELS
    domain_icons = models.DOMAIN_ICONS
    routes = models.ROUTE_LABELS
    route_descriptions = models.ROUTE_DESCRIPTIONS
    blocks = models.BLOCK_LABELS
    block_states = models.BLOCK_STATE_LABELS
    block_state_icons = models.BLOCK_STATE_ICONS
    statuses = models.GOAL_STATUS_LABELS
    status_icons = models.GOAL_STATUS_ICONS
    terms = models.TERM_LABELS
    scores = models.SCORE_LABELS
    domain_keys = [d.value for d in models.LifeDomain]


def plan_template_context() -> dict:
    return {"plan_labels": PlanLabels, "plan_form": plan_form, "days_until": days_until}
