"""Forms of the appointments area: staff planning, the resident's answer, the week picker."""

from __future__ import annotations

import re
from datetime import date, datetime

from wtforms import StringField, TextAreaField, TimeField

from portal.appointments.models import KINDS, LOCATION_KINDS, Appointment
from portal.appointments.services import INTERPRETER_LANGUAGES
from portal.caseload.models import Resident
from portal.i18n import _, _l, language_name
from portal.web.forms import (
    BaseForm,
    DateInput,
    MaxLength,
    Radio,
    Required,
    SafeText,
    Select,
    options,
    strip_filter,
)

ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class TimeInput(TimeField):
    """An <input type=time> with our own message for a value that is not a time."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("format", ["%H:%M", "%H:%M:%S"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Vul een geldige tijd in, bijvoorbeeld 09:30."))) from None


class AppointmentForm(BaseForm):
    # Several of these forms share a page, so fields carry a prefix; CSRFProtect checks the one
    # unprefixed csrf_token (or the X-CSRFToken header of htmx) for every POST already.
    class Meta:
        csrf = False

    kind = Select(_l("Soort afspraak"), choices=options(KINDS.items()))
    day = DateInput(_l("Datum"), validators=[Required(_l("Vul een geldige datum in."))])
    start = TimeInput(_l("Begintijd"), validators=[Required(_l("Vul een geldige tijd in, bijvoorbeeld 09:30."))])
    end = TimeInput(_l("Eindtijd"), validators=[Required(_l("Vul een geldige tijd in, bijvoorbeeld 09:30."))])
    location_kind = Radio(_l("Waar"), choices=options(LOCATION_KINDS.items()), default="address")
    location = StringField(
        _l("Adres, telefoonnummer of videolink"),
        filters=[strip_filter],
        validators=[MaxLength(300), SafeText()],
        description=_l("Bij een adres: straat, huisnummer en plaats. Bij telefonisch: het nummer dat de bewoner "
                       "belt (leeg: je belt zelf). Bij video: de link die met https:// begint."),
    )
    with_whom = Select(_l("Met wie"), choices=options([("", "—")]), default="")
    with_other = StringField(
        _l("Andere persoon of organisatie"),
        filters=[strip_filter],
        validators=[MaxLength(120), SafeText()],
        description=_l("Niet verplicht. Bijvoorbeeld: docent van de taalschool."),
    )
    interpreter_language = Select(_l("Tolk"), choices=options([("", "—")]), default="")
    bring = TextAreaField(
        _l("Wat neemt de bewoner mee"),
        filters=[strip_filter],
        validators=[MaxLength(500), SafeText(multiline=True)],
        description=_l("Niet verplicht. Bijvoorbeeld: paspoort, brief van de taalschool."),
        render_kw={"rows": 2},
    )

    def set_choices(self, resident: Resident) -> AppointmentForm:
        # _() gives a plain str, which the template escapes; a lazy _l() string counts as safe markup.
        people = [("contact", _("%(name)s (contactpersoon)", name=resident.contact_person.name))]
        if resident.counsellor is not None:
            people.append(("counsellor", _("%(name)s (maatschappelijk begeleider)", name=resident.counsellor.name)))
        people.append(("", _l("Niemand van de gemeente")))
        self.with_whom.choices = options(people)
        self.interpreter_language.choices = options(
            [("", _l("Geen tolk"))] + [(code, language_name(code)) for code in INTERPRETER_LANGUAGES])
        return self

    def staff_for(self, resident: Resident):
        """The staff member chosen under "with whom", or None."""
        return {"contact": resident.contact_person, "counsellor": resident.counsellor}.get(self.with_whom.data or "")

    @classmethod
    def for_appointment(cls, appointment: Appointment, **kwargs) -> AppointmentForm:
        resident = appointment.resident
        who = ("contact" if appointment.staff_id == resident.contact_person_id
               else "counsellor" if appointment.staff_id is not None
               and appointment.staff_id == resident.counsellor_id else "")
        return cls(
            kind=appointment.kind, day=appointment.local_start.date(), start=appointment.local_start.time(),
            end=appointment.local_end.time(), location_kind=appointment.location_kind,
            location=appointment.location, with_whom=who, with_other=appointment.with_other,
            interpreter_language=appointment.interpreter_language or "", bring=appointment.bring, **kwargs,
        )


class ChangeRequestForm(BaseForm):
    class Meta:  # prefixed per appointment; see AppointmentForm
        csrf = False

    reason = TextAreaField(
        _l("Waarom wil je een andere tijd?"),
        filters=[strip_filter],
        validators=[Required(_l("Schrijf kort waarom je een andere tijd wilt.")), MaxLength(300),
                    SafeText(multiline=True)],
        description=_l("Bijvoorbeeld: ik heb dan les. Je contactpersoon neemt contact met je op."),
        render_kw={"rows": 3, "maxlength": 300},
    )


def parse_iso_week(value: str | None) -> date | None:
    """The Monday of an ISO week such as 2026-W49, or None when the text is not a week."""
    match = ISO_WEEK.match(value or "")
    if not match:
        return None
    year, week = int(match.group(1)), int(match.group(2))
    if not 2000 <= year <= 2100:
        return None
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def iso_week(day: date | datetime) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
