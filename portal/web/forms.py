"""Form pieces shared by every area: validators with our own (translated) messages."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import CombinedMultiDict
from wtforms import DateField, Field, Form, RadioField, SelectChoice, SelectField, StringField, ValidationError
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


_MONEY = re.compile(r"^(?P<int>\d{1,3}(?:[.\s]\d{3})+|\d+)(?:[.,](?P<dec>\d{1,2}))?$")
_MONEY_DOT_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+\.\d{1,2}$")


def parse_cents(text: str | None) -> int | None:
    """An amount in euros as people write it — `812,50`, `812.50`, `1.234,56`, `€ 1 234,56` — in integer cents.

    None when it is not an amount (also for negative amounts and more than two decimals): never a float.
    """
    value = (text or "").strip().replace("€", "").replace("EUR", "").replace("\u00a0", " ").strip()
    if not value or len(value) > 20:
        return None
    if _MONEY_DOT_THOUSANDS.match(value):  # 1,234.56 — English notation
        value = value.replace(",", "")
        euros, _sep, cents = value.partition(".")
        return int(euros) * 100 + int((cents or "0").ljust(2, "0"))
    found = _MONEY.match(value)
    if found is None:
        return None
    euros = int(re.sub(r"[.\s]", "", found["int"]))
    return euros * 100 + int((found["dec"] or "0").ljust(2, "0"))


class MoneyInput(StringField):
    """An amount in euros, typed as text (a phone's number pad has no comma); `data` is integer cents."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(*args, **kwargs)
        self.text = ""

    def process_formdata(self, valuelist) -> None:
        self.text = str(valuelist[0]).strip() if valuelist else ""
        if not self.text:
            self.data = None
            return
        self.data = parse_cents(self.text)
        if self.data is None:
            raise ValueError(str(_l("Vul een bedrag in euro's in, bijvoorbeeld 812,50.")))

    def _value(self) -> str:
        if self.text:
            return self.text
        if isinstance(self.data, int):
            return f"{self.data // 100},{self.data % 100:02d}"
        return ""


def text_check(value: str | None, *, limit: int, field: str, required: bool = True, multiline: bool = False) -> str:
    """Free text for a service: stripped, not empty (when required), at most `limit` characters, no invisible
    control or text-direction characters; a DomainError on `field` otherwise."""
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_l("Vul dit veld in."), field=field)
    if len(value) > limit:
        raise DomainError(_l("Dit mag hoogstens %(max)d tekens zijn.", max=limit), field=field)
    if has_forbidden_characters(value, multiline=multiline):
        raise DomainError(_l("Dit veld bevat onzichtbare of verboden tekens. Haal die weg."), field=field)
    return value
