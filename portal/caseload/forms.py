"""Forms of the staff caseload."""

from __future__ import annotations

from wtforms import StringField

from portal.i18n import LANGUAGES, _l
from portal.web.forms import BaseForm, DateInput, MaxLength, Required, SafeText, Select, options, strip_filter


class ResidentCreateForm(BaseForm):
    name = StringField(
        _l("Naam"),
        filters=[strip_filter],
        validators=[Required(_l("Vul de naam in.")), MaxLength(120), SafeText()],
        description=_l("Zoals de bewoner genoemd wil worden, bijvoorbeeld voornaam en achternaam."),
    )
    language = Select(_l("Taal van de bewoner"), choices=options(LANGUAGES.items()), default="ar")
    date_of_birth = DateInput(_l("Geboortedatum"), validators=[Required(_l("Vul een geldige datum in."))])
    linked_on = DateInput(_l("Datum koppeling"), validators=[Required(_l("Vul een geldige datum in."))])
    benefit_started_on = DateInput(
        _l("Start uitkering (begin ontzorgen)"),
        validators=[],
        description=_l("Leeg laten als er nog geen uitkering is."),
    )
    counsellor_id = Select(_l("Maatschappelijk begeleider"), coerce=str, choices=options([("", "—")]), default="")


class CaseloadSearchForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Zoek op naam of klantnummer"), filters=[strip_filter],
                    validators=[MaxLength(80), SafeText()])
