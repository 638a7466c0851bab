"""Forms of the plan area. Each carries a prefix so the same form can stand many times on one page.

CSRFProtect checks every POST (the token travels in hx-headers, and plain forms render the hidden
`csrf_token` input themselves), so these forms do not add a second, per-form token with duplicate ids.
"""

from __future__ import annotations

from wtforms import HiddenField, StringField, TextAreaField, ValidationError
from wtforms.validators import Optional

from portal.i18n import _, _l
from portal.plan.models import (
    BLOCK_STATE_LABELS,
    GOAL_STATUS_LABELS,
    ROUTE_LABELS,
    SCORE_LABELS,
    TERM_LABELS,
    GoalStatus,
)
from portal.plan.services import BASELINE_MAX, COMMENT_MAX, REASON_MAX, STEP_MAX, TITLE_MAX
from portal.web.forms import BaseForm, DateInput, MaxLength, Required, SafeText, Select, options, strip_filter


class PlanForm(BaseForm):
    class Meta:
        csrf = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.translate_choices()

    def translate_choices(self) -> None:
        """Labels of choices are msgids; translate them in the reader's language at render time."""


def _translated(pairs) -> list:
    return options((value, _(label)) for value, label in pairs)


class VersionField(HiddenField):
    """The goal version the form was opened with; anything but a whole number is refused."""

    def process_formdata(self, valuelist) -> None:
        raw = valuelist[0] if valuelist else ""
        self.data = int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 10 else None

    def pre_validate(self, form) -> None:
        if self.data is None:
            raise ValidationError(_l("Dit formulier is niet compleet. Laad de pagina opnieuw."))


class RouteForm(PlanForm):
    learning_route = Select(_l("Leerroute"), choices=[])
    deadline = DateInput(_l("Klaar vóór"), validators=[Optional()],
                         description=_l("Leeg laten als de termijn nog niet bekend is."))

    def translate_choices(self) -> None:
        self.learning_route.choices = options([("", "—")]) + _translated(ROUTE_LABELS.items())


class BaselineForm(PlanForm):
    score = Select(_l("Score"), choices=[])
    text = TextAreaField(_l("Beginsituatie"), filters=[strip_filter],
                         validators=[MaxLength(BASELINE_MAX), SafeText(multiline=True)],
                         render_kw={"rows": 3, "dir": "auto"})

    def translate_choices(self) -> None:
        self.score.choices = options([("", "—")]) + _translated((str(k), v) for k, v in SCORE_LABELS.items())


class BlockForm(PlanForm):
    state = Select(_l("Stand"), choices=[])
    on_date = DateInput(_l("Datum"), validators=[Optional()])

    def translate_choices(self) -> None:
        self.state.choices = _translated(BLOCK_STATE_LABELS.items())


class GoalForm(PlanForm):
    title = StringField(_l("Wat (het doel)"), filters=[strip_filter],
                        validators=[Required(), MaxLength(TITLE_MAX), SafeText()], render_kw={"dir": "auto"})
    reason = TextAreaField(_l("Waarom"), filters=[strip_filter],
                           validators=[MaxLength(REASON_MAX), SafeText(multiline=True)],
                           render_kw={"rows": 3, "dir": "auto"})
    term = Select(_l("Termijn"), choices=[])
    target_date = DateInput(_l("Streefdatum"), validators=[Optional()])
    status = Select(_l("Status"), choices=[])
    version = VersionField()

    def translate_choices(self) -> None:
        self.term.choices = _translated(TERM_LABELS.items())
        self.status.choices = _translated(GOAL_STATUS_LABELS.items())


class GoalCreateForm(GoalForm):
    version = None  # a new goal has no version yet


class CloseForm(PlanForm):
    status = Select(_l("Afsluiten als"), choices=[])
    version = VersionField()

    def translate_choices(self) -> None:
        self.status.choices = _translated(
            (s, GOAL_STATUS_LABELS[s]) for s in (GoalStatus.DONE, GoalStatus.STOPPED)
        )


class MoveForm(PlanForm):
    direction = Select(choices=options([("up", "up"), ("down", "down")]))

    @property
    def step(self) -> int:
        return -1 if self.direction.data == "up" else 1


class StepForm(PlanForm):
    text = StringField(_l("Stap"), filters=[strip_filter],
                       validators=[Required(), MaxLength(STEP_MAX), SafeText()], render_kw={"dir": "auto"})


class StepDoneForm(PlanForm):
    done = Select(choices=options([("1", "1"), ("0", "0")]))


class CommentForm(PlanForm):
    body = TextAreaField(_l("Opmerking"), filters=[strip_filter],
                         validators=[Required(), MaxLength(COMMENT_MAX), SafeText(multiline=True)],
                         render_kw={"rows": 3, "dir": "auto"})


class ReplyForm(PlanForm):
    body = TextAreaField(_l("Jouw reactie"), filters=[strip_filter],
                         validators=[Required(_l("Schrijf eerst je reactie.")), MaxLength(COMMENT_MAX),
                                     SafeText(multiline=True)],
                         render_kw={"rows": 3, "dir": "auto"})

