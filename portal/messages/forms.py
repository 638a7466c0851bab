"""Forms of the messages area."""

from __future__ import annotations

import uuid

from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectMultipleField, TextAreaField, ValidationError, widgets

from portal.i18n import _l
from portal.messages.services import MAX_BODY
from portal.messages.text import PHRASES
from portal.web.forms import BaseForm, MaxLength, SafeText, Select, options

WEEKDAYS = [
    (1, _l("maandag")),
    (2, _l("dinsdag")),
    (3, _l("woensdag")),
    (4, _l("donderdag")),
    (5, _l("vrijdag")),
    (6, _l("zaterdag")),
    (7, _l("zondag")),
]
REPLY_TIMES = [
    (0, _l("dezelfde werkdag")),
    (1, _l("binnen 1 werkdag")),
    (2, _l("binnen 2 werkdagen")),
    (3, _l("binnen 3 werkdagen")),
    (5, _l("binnen een week")),
]


def new_client_key() -> str:
    return str(uuid.uuid4())


class _KeyedForm(BaseForm):
    """Every compose form carries a key made once per form; a retry with the same key is stored once."""

    client_key = HiddenField()

    @classmethod
    def blank(cls):
        """An empty form to show, with a new key."""
        form = cls(formdata=None)
        form.client_key.data = new_client_key()
        return form

    def keep_key(self) -> None:
        """Before showing the form again: keep a good key (nothing was stored with it), replace a bad one."""
        try:
            uuid.UUID(str(self.client_key.data))
        except ValueError:
            self.client_key.data = new_client_key()


class ComposeForm(_KeyedForm):
    body = TextAreaField(
        _l("Je bericht"),
        id="message-body",
        validators=[MaxLength(MAX_BODY), SafeText(multiline=True)],
        render_kw={"rows": 3, "dir": "auto", "autocomplete": "off"},
    )
    photo = FileField(_l("Maak een foto"), id="message-photo",
                      render_kw={"accept": "image/*", "capture": "environment"})
    file = FileField(_l("Of kies een foto of pdf"), id="message-file", render_kw={"accept": "image/*,application/pdf"})


class PhraseForm(_KeyedForm):
    phrase = Select(_l("Kant-en-klare zin"), choices=options((key, key) for key in PHRASES))


class ReplyForm(_KeyedForm):
    body = TextAreaField(
        _l("Antwoord"),
        id="reply-body",
        validators=[MaxLength(MAX_BODY), SafeText(multiline=True)],
        render_kw={"rows": 4, "dir": "auto", "autocomplete": "off"},
    )
    file = FileField(_l("Bestand meesturen (foto of pdf)"), id="reply-file",
                     render_kw={"accept": "image/*,application/pdf"})


class HandledForm(BaseForm):
    handled = Select(_l("Status"), choices=options([("1", _l("afgehandeld")), ("0", _l("open"))]))


class ResidentSettingsForm(BaseForm):
    counsellor_may_read = BooleanField(
        _l("Mijn maatschappelijk begeleider mag mijn berichten lezen en mij ook schrijven"))
    notify_email = BooleanField(_l("Stuur mij een e-mail als ik een nieuw bericht heb"))


class _Checkboxes(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form) -> None:
        values = {str(choice.value) for choice in self.iter_choices()}
        if any(str(value) not in values for value in self.data or []):
            raise ValidationError(_l("Kies een optie uit de lijst."))


class StaffProfileForm(BaseForm):
    working_days = _Checkboxes(_l("Mijn werkdagen"), coerce=str, choices=options(WEEKDAYS))
    reply_days = Select(_l("Ik antwoord meestal"), choices=options(REPLY_TIMES))
    notify_email = BooleanField(
        _l("Stuur mij een e-mail over nieuwe berichten van bewoners (hoogstens één per uur)"))

    def validate_working_days(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Kies minstens één werkdag."))
