"""Routes of the appointments area: the resident's agenda and calendar, staff planning and week."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, Response, abort, g, request, url_for
from flask_login import current_user

from portal.appointments import queries, services
from portal.appointments.feedtoken import feed_url_token
from portal.appointments.forms import AppointmentForm, ChangeRequestForm, iso_week, parse_iso_week
from portal.appointments.ical import CONTENT_TYPE, calendar_ics
from portal.appointments.models import LOCAL_TZ, Appointment
from portal.caseload.guard import staff_file
from portal.caseload.models import Resident
from portal.db import utcnow
from portal.domain import DomainError
from portal.i18n import _
from portal.registry import add_credentials_reset, add_export_section, add_resident_panel
from portal.roles import Role
from portal.web import access
from portal.web.forms import form_error, submitted
from portal.web.htmx import is_htmx, render, see_other
from portal.web.transaction import discard_writes

bp = Blueprint("appointments", __name__)
bp.record_once(lambda state: add_resident_panel(state.app, "staff/appointments/_panel.html"))
bp.record_once(lambda state: add_export_section(state.app, "appointments", queries.export_for_resident))
bp.record_once(lambda state: add_credentials_reset(state.app, lambda user: services.calendar_feed_renew_if_made(
    user=user)))


def calendar_feed_url(*, webcal: bool = False) -> str | None:
    """The signed-in resident's private feed URL, or None while they have none."""
    if not (current_user.is_authenticated and current_user.is_resident and current_user.resident):
        return None
    if "calendar_feed" not in g:  # once per request, however often the page asks
        g.calendar_feed = queries.calendar_feed_for_resident(resident_id=current_user.resident.id)
    feed = g.calendar_feed
    if feed is None:
        return None
    token = feed_url_token(feed)
    if token is None:
        return None
    url = url_for("appointments.feed", token=token, _external=True)
    return "webcal://" + url.split("://", 1)[1] if webcal else url


@bp.app_context_processor
def _template_helpers() -> dict:
    return {"calendar_feed_url": calendar_feed_url}


# Resident side: works without JavaScript; htmx swaps one appointment in place.

def _resident_context(resident: Resident, *, now: datetime, forms: dict | None = None,
                      errors: dict | None = None) -> dict:
    upcoming, past = queries.appointment_list_for_resident(resident=resident, now=now)
    forms = dict(forms or {})
    for appointment in upcoming:
        forms.setdefault(appointment.id, ChangeRequestForm(prefix=f"a{appointment.id}", formdata=None))
    return {"upcoming": upcoming, "past": past, "change_forms": forms, "errors": errors or {}, "now": now,
            "resident": resident}


def _own_appointment_or_404(appointment_id: int) -> Appointment:
    appointment = queries.appointment_get_for_resident(resident=current_user.resident,
                                                       appointment_id=appointment_id)
    if appointment is None:
        abort(404)
    return appointment


def _answered(appointment: Appointment, *, now: datetime, form: ChangeRequestForm | None = None,
              error: str | None = None, status: int = 200) -> Response:
    """After an answer: htmx gets the one card; a browser without JavaScript the page (303 on success)."""
    if status == 200 and not is_htmx():
        return see_other("appointments.index", _anchor=f"appointment-{appointment.id}")
    forms = {appointment.id: form or ChangeRequestForm(prefix=f"a{appointment.id}", formdata=None)}
    errors = {appointment.id: error} if error else {}
    if is_htmx():
        return render("resident/appointments/_appointment.html", status=status, a=appointment, now=now,
                      change_forms=forms, errors=errors,
                      trigger={"notice": _("Opgeslagen.")} if status == 200 else None)
    return render("resident/appointments/page.html", status=status,
                  **_resident_context(current_user.resident, now=now, forms=forms, errors=errors))


@bp.route("/appointments")
@access.roles(Role.RESIDENT)
def index() -> Response:
    return render("resident/appointments/page.html", "resident/appointments/_list.html",
                  **_resident_context(current_user.resident, now=utcnow()))


@bp.route("/appointments/<int:appointment_id>/confirm", methods=["POST"])
@access.roles(Role.RESIDENT)
def confirm(appointment_id: int) -> Response:
    appointment = _own_appointment_or_404(appointment_id)
    now = utcnow()
    try:
        services.appointment_confirm(appointment=appointment, now=now)
    except DomainError as error:
        discard_writes()
        return _answered(appointment, now=now, error=str(error.message), status=422)
    return _answered(appointment, now=now)


@bp.route("/appointments/<int:appointment_id>/change", methods=["POST"])
@access.roles(Role.RESIDENT)
def request_change(appointment_id: int) -> Response:
    appointment = _own_appointment_or_404(appointment_id)
    now = utcnow()
    form = ChangeRequestForm(prefix=f"a{appointment.id}")
    if form.validate():
        try:
            services.appointment_request_change(appointment=appointment, reason=form.reason.data, now=now)
        except DomainError as error:
            discard_writes()
            if error.field == "reason":
                form_error(form, error, "reason")
                return _answered(appointment, now=now, form=form, status=422)
            return _answered(appointment, now=now, form=form, error=str(error.message), status=422)
        return _answered(appointment, now=now)
    return _answered(appointment, now=now, form=form, status=422)


def _ics_response(body: bytes, *, filename: str | None = None) -> Response:
    response = Response(body, content_type=CONTENT_TYPE)
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"  # a private feed behind a secret URL
    return response


@bp.route("/appointments/<int:appointment_id>.ics")
@access.roles(Role.RESIDENT)
def ics(appointment_id: int) -> Response:
    appointment = _own_appointment_or_404(appointment_id)
    body = calendar_ics([appointment], resident=current_user.resident, feed=False)
    return _ics_response(body, filename=f"wegwijs-afspraak-{appointment.id}.ics")


@bp.route("/appointments/feed/<token>.ics")
@access.public
def feed(token: str) -> Response:
    found = queries.calendar_feed_by_token(token)
    if found is None:
        abort(404)
    appointments = queries.appointment_list_for_feed(resident_id=found.resident_id)
    return _ics_response(calendar_ics(appointments, resident=found.resident, feed=True))


@bp.route("/account/calendar-feed", methods=["POST"])
@access.roles(Role.RESIDENT)
def feed_reset() -> Response:
    services.calendar_feed_reset(resident=current_user.resident)
    return see_other("accounts.account", saved="calendar", _anchor="account-calendar")


# Staff side: the panel in a resident's file, inline planning, and the caseworker's week.

def _staff_list(resident: Resident, *, form: AppointmentForm | None = None, status: int = 200,
                trigger: dict | None = None, part: str = "staff/appointments/_resident.html") -> Response:
    now = utcnow()
    upcoming, past = queries.appointment_list_for_resident(resident=resident, now=now)
    overlaps = queries.appointment_overlaps(upcoming, viewer=current_user)
    return render("staff/appointments/resident.html", part, status=status,
                  trigger=trigger, resident=resident, upcoming=upcoming, past=past, overlaps=overlaps, form=form,
                  now=now, can_edit=_can_edit(resident))


def _can_edit(resident: Resident) -> bool:
    return current_user.role == Role.CASEWORKER and current_user.id == resident.contact_person_id


def _row(appointment: Appointment, resident: Resident, *, status: int = 200, trigger: dict | None = None
         ) -> Response:
    overlaps = queries.appointment_overlaps([appointment], viewer=current_user)
    return render("staff/appointments/appointment.html", "staff/appointments/_row.html", status=status,
                  trigger=trigger, a=appointment, resident=resident, overlaps=overlaps, now=utcnow(),
                  can_edit=_can_edit(resident))


def _staff_appointment_or_404(resident: Resident, appointment_id: int) -> Appointment:
    appointment = queries.appointment_get_for_resident(resident=resident, appointment_id=appointment_id)
    if appointment is None:
        abort(404)
    return appointment


def _form_values(form: AppointmentForm, resident: Resident) -> dict:
    return {
        "kind": form.kind.data, "day": form.day.data, "start": form.start.data, "end": form.end.data,
        "location_kind": form.location_kind.data, "location": form.location.data,
        "staff": form.staff_for(resident), "with_other": form.with_other.data,
        "interpreter_language": form.interpreter_language.data or None, "bring": form.bring.data,
    }


def _overlap_notice(appointment: Appointment) -> dict:
    found = queries.appointment_overlaps([appointment], viewer=current_user)
    if found.get(appointment.id):
        return {"notice": _("Opgeslagen. Let op: deze afspraak overlapt met een andere afspraak.")}
    return {"notice": _("Opgeslagen.")}


@bp.route("/staff/residents/<int:resident_id>/appointments")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
@staff_file("appointments.view")
def staff_list(resident: Resident) -> Response:
    return _staff_list(resident)


@bp.route("/staff/residents/<int:resident_id>/appointments/new")
@access.roles(Role.CASEWORKER)
@staff_file("appointments.new", contact_person_only=True)
def staff_new(resident: Resident) -> Response:
    form = AppointmentForm(prefix="new", formdata=None, with_whom="contact").set_choices(resident)
    return _staff_list(resident, form=form, part="staff/appointments/_form.html")


@bp.route("/staff/residents/<int:resident_id>/appointments", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("appointments.create", contact_person_only=True)
def staff_create(resident: Resident) -> Response:
    form = AppointmentForm(prefix="new").set_choices(resident)
    made: list[Appointment] = []
    if submitted(form, lambda: made.append(services.appointment_create(
            resident=resident, created_by=current_user, **_form_values(form, resident))), field="kind"):
        appointment = made[0]
        if not is_htmx():
            return see_other("appointments.staff_list", resident_id=resident.id,
                             _anchor=f"appointment-{appointment.id}")
        return _staff_list(resident, trigger=_overlap_notice(appointment))
    discard_writes()
    return _staff_list(resident, form=form, status=422)


@bp.route("/staff/residents/<int:resident_id>/appointments/<int:appointment_id>")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
@staff_file("appointments.view")
def staff_appointment(resident: Resident, appointment_id: int) -> Response:
    return _row(_staff_appointment_or_404(resident, appointment_id), resident)


@bp.route("/staff/residents/<int:resident_id>/appointments/<int:appointment_id>/edit")
@access.roles(Role.CASEWORKER)
@staff_file("appointments.edit", contact_person_only=True)
def staff_edit(resident: Resident, appointment_id: int) -> Response:
    appointment = _staff_appointment_or_404(resident, appointment_id)
    form = AppointmentForm.for_appointment(appointment, prefix=f"edit{appointment.id}", formdata=None)
    return render("staff/appointments/edit.html", "staff/appointments/_form.html",
                  form=form.set_choices(resident), resident=resident, a=appointment)


@bp.route("/staff/residents/<int:resident_id>/appointments/<int:appointment_id>", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("appointments.update", contact_person_only=True)
def staff_update(resident: Resident, appointment_id: int) -> Response:
    appointment = _staff_appointment_or_404(resident, appointment_id)
    form = AppointmentForm(prefix=f"edit{appointment.id}").set_choices(resident)
    if submitted(form, lambda: services.appointment_update(appointment=appointment, **_form_values(form, resident)),
                 field="kind"):
        if not is_htmx():
            return see_other("appointments.staff_list", resident_id=resident.id,
                             _anchor=f"appointment-{appointment.id}")
        return _row(appointment, resident, trigger=_overlap_notice(appointment))
    discard_writes()
    return render("staff/appointments/edit.html", "staff/appointments/_form.html", status=422,
                  form=form, resident=resident, a=appointment)


@bp.route("/staff/residents/<int:resident_id>/appointments/<int:appointment_id>/cancel", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("appointments.cancel", contact_person_only=True)
def staff_cancel(resident: Resident, appointment_id: int) -> Response:
    appointment = _staff_appointment_or_404(resident, appointment_id)
    try:
        services.appointment_cancel(appointment=appointment)
    except DomainError as error:
        discard_writes()
        appointment = _staff_appointment_or_404(resident, appointment_id)
        return _row(appointment, resident, status=422, trigger={"notice": str(error.message)})
    if not is_htmx():
        return see_other("appointments.staff_list", resident_id=resident.id, _anchor=f"appointment-{appointment.id}")
    return _row(appointment, resident, trigger={"notice": _("De afspraak is geannuleerd.")})


@bp.route("/staff/appointments")
@access.roles(Role.CASEWORKER)
def staff_week() -> Response:
    now = utcnow()
    today = now.astimezone(LOCAL_TZ).date()
    current = queries.working_week(today)
    asked = request.args.get("week")
    monday = parse_iso_week(asked) if asked else current
    error = None
    if monday is None:
        error = _("Dit is geen week. Schrijf een week zo: %(example)s.", example=iso_week(today))
        monday = current
    appointments = queries.appointment_week_for_staff(staff=current_user, monday=monday)
    overlaps = queries.appointment_overlaps(appointments, viewer=current_user)
    days = [monday + timedelta(days=n) for n in range(7)]
    by_day: dict[date, list[Appointment]] = {day: [] for day in days}
    for appointment in appointments:
        by_day[appointment.local_start.date()].append(appointment)
    return render(
        "staff/appointments/week.html", "staff/appointments/_week.html", status=422 if error else 200,
        error=error, days=days, by_day=by_day, overlaps=overlaps, appointments=appointments, now=now,
        week=iso_week(monday), previous_week=iso_week(monday - timedelta(days=7)),
        next_week=iso_week(monday + timedelta(days=7)), this_week=iso_week(current), today=today,
    )
