"""Forms of ontzorgen: the contact person's panel in a resident's file and the uploads."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired

from portal.i18n import _l
from portal.ontzorgen.models import COST_LABELS, FREQUENCY_LABELS, HandoverItem
from portal.web.forms import (
    BaseForm,
    DateInput,
    MaxLength,
    MoneyInput,
    Required,
    SafeText,
    Select,
    options,
    strip_filter,
)

AMOUNT_MISSING = _l("Vul een bedrag in euro's in, bijvoorbeeld 812,50.")


class PanelForm(BaseForm):
    # Several of these forms share the panel, so fields carry a prefix; the CSRF token travels once
    # (hx-headers on <body>, or the unprefixed hidden field of each form).
    class Meta:
        csrf = False


class StartForm(PanelForm):
    starts_on = DateInput(_l("Eerste dag van ontzorgen"), validators=[Required(_l("Vul een geldige datum in."))])


class ExtendForm(PanelForm):
    ends_on = DateInput(_l("Nieuwe einddatum"), validators=[Required(_l("Vul een geldige datum in."))])
    reason = TextAreaField(_l("Reden (de bewoner leest dit)"), filters=[strip_filter],
                           validators=[Required(), MaxLength(1000), SafeText(multiline=True)],
                           render_kw={"rows": 2, "dir": "auto"})


class CostForm(PanelForm):
    kind = Select(_l("Soort vaste last"), choices=options((kind, _l(label)) for kind, label in COST_LABELS.items()))
    label = StringField(_l("Omschrijving (bij een andere vaste last)"), filters=[strip_filter],
                        validators=[MaxLength(120), SafeText()])
    creditor_name = StringField(_l("Naam ontvanger"), filters=[strip_filter],
                                validators=[Required(), MaxLength(120), SafeText()])
    iban = StringField(_l("IBAN van de ontvanger"), filters=[strip_filter],
                       validators=[Required(), MaxLength(42), SafeText()],
                       render_kw={"autocomplete": "off", "spellcheck": "false", "dir": "ltr"})
    amount = MoneyInput(_l("Bedrag in euro"), validators=[InputRequired(AMOUNT_MISSING)])
    frequency = Select(_l("Hoe vaak"), choices=options((key, _l(label)) for key, label in FREQUENCY_LABELS.items()),
                       default="monthly")


class PaymentForm(PanelForm):
    cost = Select(_l("Vaste last"), choices=[])
    amount = MoneyInput(_l("Bedrag in euro"), validators=[InputRequired(AMOUNT_MISSING)])
    paid_on = DateInput(_l("Datum van betaling"), validators=[Required(_l("Vul een geldige datum in."))])
    period = StringField(_l("Voor de maand (jjjj-mm)"), filters=[strip_filter], validators=[MaxLength(7)],
                         render_kw={"placeholder": "2026-09", "inputmode": "numeric", "dir": "ltr"})
    reference = StringField(_l("Betalingskenmerk (mag leeg)"), filters=[strip_filter],
                            validators=[MaxLength(64), SafeText()], render_kw={"dir": "ltr"})


class ReturnForm(PanelForm):
    reason = TextAreaField(_l("Waarom kwam de betaling terug? (in gewone woorden; de bewoner leest dit)"),
                           filters=[strip_filter], validators=[Required(), MaxLength(1000), SafeText(multiline=True)],
                           render_kw={"rows": 2, "dir": "auto"})


class HandoverForm(PanelForm):
    done = Select(choices=options([("1", "1"), ("0", "0")]))


class UploadForm(BaseForm):
    file = FileField(_l("Bestand"), validators=[Required(_l("Kies een bestand."))])


HANDOVER_ITEMS = {item.value for item in HandoverItem}
