"""Forms for sign-in, activation and the account page."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, Optional

from portal.i18n import LANGUAGES, STAFF_LANGUAGES, _l, language_name
from portal.roles import Role
from portal.web.forms import BaseForm, MaxLength, Radio, Required, SafeText, Select, options, strip_filter


class LoginForm(BaseForm):
    username = StringField(
        _l("Gebruikersnaam"),
        filters=[strip_filter],
        validators=[Required(_l("Vul je gebruikersnaam in.")), MaxLength(64), SafeText()],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[Required(_l("Vul je wachtwoord in.")), MaxLength(128)],
        render_kw={"autocomplete": "current-password"},
    )


class CodeForm(BaseForm):
    code = StringField(
        _l("Code"),
        filters=[strip_filter],
        validators=[Required(_l("Vul de code van je brief in.")), MaxLength(32), SafeText()],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"},
    )


class ActivateForm(BaseForm):
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[Required(_l("Kies een wachtwoord.")), MaxLength(128)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            Required(_l("Herhaal het wachtwoord.")),
            EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class LanguageForm(BaseForm):
    language = Radio(_l("Taal"), choices=options(LANGUAGES.items()), validate_choice=True)


class PreferencesForm(BaseForm):
    show_dutch = BooleanField(_l("Laat ook de Nederlandse tekst zien"))


class PasswordChangeForm(BaseForm):
    current = PasswordField(
        _l("Huidig wachtwoord"),
        validators=[Required(_l("Vul je huidige wachtwoord in.")), MaxLength(128)],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[Required(_l("Kies een wachtwoord.")), MaxLength(128)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Herhaal het nieuwe wachtwoord"),
        validators=[
            Required(_l("Herhaal het wachtwoord.")),
            EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class EmailForm(BaseForm):
    email = StringField(
        _l("E-mailadres"),
        filters=[strip_filter],
        validators=[Optional(), MaxLength(254), SafeText(),
                    Email(_l("Dit is geen geldig e-mailadres."), check_deliverability=False)],
        description=_l("Niet verplicht. Alleen voor een seintje dat er iets nieuws is, nooit met de inhoud."),
        render_kw={"autocomplete": "email", "inputmode": "email", "dir": "ltr"},
    )


# The admin's form for a new staff account.
STAFF_ROLE_CHOICES = [
    (Role.CASEWORKER.value, _l("Regievoerder (contactpersoon)")),
    (Role.COUNSELLOR.value, _l("Maatschappelijk begeleider")),
    (Role.LEAD.value, _l("Teamleider")),
    (Role.ADMIN.value, _l("Beheerder")),
]


class StaffCreateForm(BaseForm):
    name = StringField(_l("Naam"), filters=[strip_filter],
                       validators=[Required(), MaxLength(120), SafeText()])
    username = StringField(_l("Gebruikersnaam"), filters=[strip_filter],
                           validators=[Required(), MaxLength(64), SafeText()])
    role = Select(_l("Rol"), choices=options(STAFF_ROLE_CHOICES))
    language = Select(_l("Taal"), choices=options((code, language_name(code)) for code in STAFF_LANGUAGES))


class SecondStepForm(BaseForm):
    """The code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        filters=[strip_filter],
        validators=[Required(_l("Vul de code in.")), MaxLength(32), SafeText()],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false",
                   "dir": "ltr"},
    )
