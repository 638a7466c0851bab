"""Form pieces shared by every area: validators with our own (translated) messages."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import CombinedMultiDict
from wtforms import DateField, Field, Form, RadioField, SelectChoice, SelectField, ValidationError
from wtforms.validators import DataRequired, Length

from portal.domain import DomainError
from portal.i18n import _l


class BaseForm(FlaskForm):
    """Every Wegwijs form: reads HTML form posts only, never a JSON body (whose values may be any type)."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is not _Auto:
                return formdata
            if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
                return None
            if request.files:
                return CombinedMultiDict((request.files, request.form))
            return request.form


# C0 and C1 controls except tab, newline and carriage return; bidi embeddings, overrides and isolates.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_LINE_BREAK = re.compile(r"[\r\n\t]")


def has_forbidden_characters(value: str, *, multiline: bool = False) -> bool:
    if _CONTROL.search(value):
        return True
    return not multiline and bool(_LINE_BREAK.search(value))


class SafeText:
    """Refuses invisible control and text-direction override characters."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form: Form, field: Field) -> None:
        value = field.data
        if isinstance(value, str) and has_forbidden_characters(value, multiline=self.multiline):
            raise ValidationError(_l("Dit veld bevat onzichtbare of verboden tekens. Haal die weg."))


def Required(message=None) -> DataRequired:
    return DataRequired(message or _l("Vul dit veld in."))


def MaxLength(n: int) -> Length:
    return Length(max=n, message=_l("Dit mag hoogstens %(max)d tekens zijn."))


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value=str(value), label=label) for value, label in pairs]


def _check_choice(field: SelectField) -> None:
    values = {str(choice.value) for choice in field.iter_choices()}
    if field.data is None or str(field.data) not in values:
        raise ValidationError(_l("Kies een optie uit de lijst."))


class Select(SelectField):
    """A select whose wrong-choice message is ours, in the user's language."""

    def pre_validate(self, form: Form) -> None:
        _check_choice(self)


class Radio(RadioField):
    def pre_validate(self, form: Form) -> None:
        _check_choice(self)


class DateInput(DateField):
    """An <input type=date> with our own message for a value that is not a date."""

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None  # an empty optional date is no date, not a wrong one
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Vul een geldige datum in."))) from None


def form_error(form: Form, error: DomainError, default: str) -> None:
    """Show a service's refusal at the field it names, or at the form's main field."""
    field = getattr(form, error.field, None) if error.field else None
    field = field if isinstance(field, Field) else getattr(form, default)
    field.errors = [*field.errors, str(error.message)]


def submitted(form: Form, write: Callable[[], object], *, field: str) -> bool:
    """Validate, then write; a refusal of the service lands on its field. True when the write was done."""
    if not form.validate():
        return False
    try:
        write()
    except DomainError as error:
        form_error(form, error, field)
        return False
    return True
