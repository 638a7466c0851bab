"""Staff routes of ontzorgen: the panel in a resident's file (contact person only: a counsellor sees no
money data) and the caseload-wide imports of the payment run and the bank statement.

Under /staff/residents/<resident>/ontzorgen:
  GET  ""                          staff_panel         arrangement, costs, payments per month, handover
  POST /start  /extend             staff_start, staff_extend
  POST /costs                      staff_cost_add
  GET  /costs/<cost>/edit          staff_cost_edit     POST /costs/<cost>  staff_cost_save
  POST /costs/<cost>/end           staff_cost_end
  POST /payments                   staff_payment_add
  POST /payments/<p>/return  …/solve   staff_payment_return, staff_payment_solve
  POST /handover/<item>            staff_handover
Under /staff/ontzorgen:
  GET  /import                     import_page         both uploads, with the sample files
  POST /import/payments            import_payments     preview of a payment run (nothing booked)
  POST /import/payments/<u>        import_payments_confirm
  POST /import/statement           import_statement    preview of a bank statement (nothing changed)
  POST /import/statement/<u>       import_statement_confirm
  GET  /samples/<name>             sample              the fictitious sample files
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Response, abort, send_file
from flask_login import current_user

from portal.audit.services import audit_record
from portal.caseload.guard import staff_file
from portal.caseload.models import Resident
from portal.domain import DomainError
from portal.i18n import _
from portal.ontzorgen import imports, services, statement
from portal.ontzorgen.csvfile import _Bad, parse_period
from portal.ontzorgen.forms import (
    HANDOVER_ITEMS,
    CostForm,
    ExtendForm,
    HandoverForm,
    PaymentForm,
    ReturnForm,
    StartForm,
    UploadForm,
)
from portal.ontzorgen.models import COST_LABELS, CostKind, FixedCost
from portal.ontzorgen.queries import arrangement_get, cost_get, ontzorgen_view, payment_get
from portal.ontzorgen.views import bp
from portal.roles import Role
from portal.web import access
from portal.web.forms import options, submitted
from portal.web.htmx import render, see_other, wants_fragment
from portal.web.transaction import discard_writes

FILE = "/staff/residents/<int:resident_id>/ontzorgen"
PART = "staff/ontzorgen/_ontzorgen.html"
SAMPLES = Path(__file__).resolve().parent / "samples"


def _cost_label(cost: FixedCost) -> str:
    return cost.label if cost.kind == CostKind.OTHER and cost.label else _(COST_LABELS[CostKind(cost.kind)])


def _forms(view, **given) -> dict:
    """Blank forms for the panel, or the ones that just failed (so their errors show)."""
    payment = given.get("payment_form") or PaymentForm(formdata=None, prefix="payment",
                                                       paid_on=view.today)
    payment.cost.choices = options((str(row.cost.id), f"{_cost_label(row.cost)} · {row.cost.creditor.name}")
                                   for row in view.active_costs)
    return {
        "start_form": given.get("start_form") or StartForm(formdata=None, prefix="start",
                                                           starts_on=view.resident.benefit_started_on),
        "extend_form": given.get("extend_form") or ExtendForm(formdata=None, prefix="extend"),
        "cost_form": given.get("cost_form") or CostForm(formdata=None, prefix="cost"),
        "payment_form": payment,
        "failed_return": given.get("failed_return"),
        "editing": given.get("editing"),
    }


def _show(resident: Resident, *, status: int = 200, notice: str | None = None, **given) -> Response:
    view = ontzorgen_view(resident)
    return render("staff/ontzorgen/page.html", PART, status=status,
                  trigger={"notice": notice} if notice else None, resident=resident, view=view,
                  **_forms(view, **given))


def _saved(resident: Resident) -> Response:
    if not wants_fragment():
        return see_other("ontzorgen.staff_panel", resident_id=resident.id)
    return _show(resident, notice=_("Opgeslagen."))


def _refused(resident: Resident, **given) -> Response:
    discard_writes()
    return _show(resident, status=422, **given)


def _arrangement_or_404(resident: Resident):
    arrangement = arrangement_get(resident.id)
    if arrangement is None:
        abort(404)
    return arrangement


def _month(text: str | None) -> date | None:
    """The month a payment is for, read as in a payment run (`2026-09`, `09-2026`); None when empty."""
    try:
        return parse_period(text or "")
    except _Bad as bad:
        raise DomainError(bad.message, field="period") from None


@bp.route(FILE)
@access.roles(Role.CASEWORKER)
@staff_file("ontzorgen.view", contact_person_only=True)
def staff_panel(resident: Resident) -> Response:
    return _show(resident)


@bp.route(f"{FILE}/start", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("ontzorgen.start", contact_person_only=True)
def staff_start(resident: Resident) -> Response:
    form = StartForm(prefix="start")
    if submitted(form, lambda: services.arrangement_start(resident=resident, actor=current_user,
                                                         starts_on=form.starts_on.data), field="starts_on"):
        return _saved(resident)
    return _refused(resident, start_form=form)


@bp.route(f"{FILE}/extend", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("ontzorgen.extend", contact_person_only=True)
def staff_extend(resident: Resident) -> Response:
    arrangement = _arrangement_or_404(resident)
    form = ExtendForm(prefix="extend")
    if submitted(form, lambda: services.arrangement_extend(arrangement=arrangement, actor=current_user,
                                                          ends_on=form.ends_on.data, reason=form.reason.data),
                 field="reason"):
        return _saved(resident)
    return _refused(resident, extend_form=form)


@bp.route(f"{FILE}/costs", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("ontzorgen.cost_add", contact_person_only=True)
def staff_cost_add(resident: Resident) -> Response:
    arrangement = _arrangement_or_404(resident)
    form = CostForm(prefix="cost")
    if submitted(form, lambda: services.cost_add(
            arrangement=arrangement, actor=current_user, kind=form.kind.data, creditor_name=form.creditor_name.data,
            iban=form.iban.data, amount_cents=form.amount.data, frequency=form.frequency.data,
            label=form.label.data), field="kind"):
        return _saved(resident)
    return _refused(resident, cost_form=form)


def _cost_or_404(resident: Resident, cost_id: int) -> FixedCost:
    cost = cost_get(resident_id=resident.id, cost_id=cost_id)
    if cost is None:
        abort(404)
    return cost


@bp.route(f"{FILE}/costs/<int:cost_id>/edit")
@access.roles(Role.CASEWORKER)
@staff_file("ontzorgen.view", contact_person_only=True)
def staff_cost_edit(resident: Resident, cost_id: int) -> Response:
    cost = _cost_or_404(resident, cost_id)
    form = CostForm(formdata=None, prefix=f"cost{cost.id}", kind=cost.kind, label=cost.label,
                    creditor_name=cost.creditor.name, iban=cost.creditor.iban, amount=cost.amount_cents,
                    frequency=cost.frequency)
    return _show(resident, editing={"cost_id": cost.id, "form": form})


@bp.route(f"{FILE}/costs/<int:cost_id>", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("ontzorgen.cost_update", contact_person_only=True)
def staff_cost_save(resident: Resident, cost_id: int) -> Response:
    cost = _cost_or_404(resident, cost_id)
    form = CostForm(prefix=f"cost{cost.id}")
    form.kind.data = cost.kind  # the kind of an agreement does not change; end it and add another
    if submitted(form, lambda: services.cost_update(
            cost=cost, actor=current_user, amount_cents=form.amount.data, frequency=form.frequency.data,
            creditor_name=form.creditor_name.data, iban=form.iban.data, label=form.label.data), field="amount"):
        return _saved(resident)
    return _refused(resident, editing={"cost_id": cost_id, "form": form})


@bp.route(f"{FILE}/costs/<int:cost_id>/end", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("ontzorgen.cost_end", contact_person_only=True)
def staff_cost_end(resident: Resident, cost_id: int) -> Response:
    cost = _cost_or_404(resident, cost_id)
    try:
        services.cost_end(cost=cost, actor=current_user)
    except DomainError as error:
        return _refused(resident, notice=str(error.message))
    return _saved(resident)


@bp.route(f"{FILE}/payments", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("ontzorgen.payment_add", contact_person_only=True)
def staff_payment_add(resident: Resident) -> Response:
    arrangement = _arrangement_or_404(resident)
    form = PaymentForm(prefix="payment")
    form.cost.choices = options((str(c.id), c.id) for c in arrangement.costs if c.active)
    costs = {str(c.id): c for c in arrangement.costs}
    if submitted(form, lambda: services.payment_record(
            arrangement=arrangement, actor=current_user, cost=costs[form.cost.data], amount_cents=form.amount.data,
            paid_on=form.paid_on.data, period=_month(form.period.data), reference=form.reference.data),
            field="amount"):
        return _saved(resident)
    return _refused(resident, payment_form=form)


def _payment_or_404(resident: Resident, payment_id: int):
    payment = payment_get(resident_id=resident.id, payment_id=payment_id)
    if payment is None:
        abort(404)
    return payment


@bp.route(f"{FILE}/payments/<int:payment_id>/return", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("ontzorgen.payment_return", contact_person_only=True)
def staff_payment_return(resident: Resident, payment_id: int) -> Response:
    payment = _payment_or_404(resident, payment_id)
    form = ReturnForm(prefix=f"return{payment.id}")
    if submitted(form, lambda: services.payment_return(payment=payment, actor=current_user, reason=form.reason.data),
                 field="reason"):
        return _saved(resident)
    return _refused(resident, failed_return={"payment_id": payment_id, "form": form})


@bp.route(f"{FILE}/payments/<int:payment_id>/solve", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("ontzorgen.payment_solve", contact_person_only=True)
def staff_payment_solve(resident: Resident, payment_id: int) -> Response:
    payment = _payment_or_404(resident, payment_id)
    try:
        services.payment_solve(payment=payment, actor=current_user)
    except DomainError as error:
        return _refused(resident, notice=str(error.message))
    return _saved(resident)


@bp.route(f"{FILE}/handover/<item>", methods=["POST"])
@access.roles(Role.CASEWORKER)
@staff_file("ontzorgen.handover", contact_person_only=True)
def staff_handover(resident: Resident, item: str) -> Response:
    if item not in HANDOVER_ITEMS:
        abort(404)
    arrangement = _arrangement_or_404(resident)
    form = HandoverForm()
    if submitted(form, lambda: services.handover_set(arrangement=arrangement, actor=current_user, item=item,
                                                    done=form.done.data == "1"), field="done"):
        return _saved(resident)
    return _refused(resident, notice=_("Kies een optie uit de lijst."))


@bp.route("/staff/ontzorgen/samples/<name>")
@access.roles(Role.CASEWORKER)
def sample(name: str) -> Response:
    files = {path.name: path for path in SAMPLES.glob("*") if path.is_file()}
    if name not in files:
        abort(404)
    audit_record(action="ontzorgen.sample", resident_id=None, detail=name)
    return send_file(files[name], as_attachment=True, download_name=name, max_age=0)


# The caseload-wide imports: upload, preview (nothing booked), confirm. Each answers for the caller's
# caseload only; the services refuse rows of other residents with the same words as unknown ones.

def _upload_form_file(form: UploadForm) -> tuple[str, bytes]:
    storage = form.file.data
    data = storage.stream.read(imports.MAX_UPLOAD_BYTES + 1) if storage else b""
    return (storage.filename or "bestand") if storage else "", data


def _import_page(*, status: int = 200, **context) -> Response:
    return render("staff/ontzorgen/import.html", "staff/ontzorgen/_import.html", status=status,
                  payments_form=context.pop("payments_form", None) or UploadForm(formdata=None, prefix="payments"),
                  statement_form=context.pop("statement_form", None) or UploadForm(formdata=None, prefix="statement"),
                  samples=sorted(path.name for path in SAMPLES.glob("*") if path.is_file()), **context)


@bp.route("/staff/ontzorgen/import")
@access.roles(Role.CASEWORKER)
def import_page() -> Response:
    return _import_page()


def _preview(kind: str, form: UploadForm) -> Response:
    uploaded: list = []

    def store() -> None:
        filename, data = _upload_form_file(form)
        uploaded.append(imports.upload_store(kind=kind, filename=filename, data=data, actor=current_user))

    if not submitted(form, store, field="file"):
        discard_writes()
        return _import_page(status=422, **{f"{kind}_form": form})
    upload = uploaded[0]
    if kind == "payments":
        preview = imports.payment_run_preview(upload=upload, staff=current_user)
    else:
        preview = statement.statement_preview(upload=upload, staff=current_user)
    if preview.error:
        discard_writes()  # a file that cannot be read is not kept
        form.file.errors = [preview.error]
        return _import_page(status=422, **{f"{kind}_form": form})
    audit_record(action=f"ontzorgen.{kind}_preview", resident_id=None, detail=upload.filename)
    return render("staff/ontzorgen/import.html", f"staff/ontzorgen/_{kind}_preview.html", upload=upload,
                  preview=preview, part=f"staff/ontzorgen/_{kind}_preview.html")


def _confirm(kind: str, upload_id: int) -> Response:
    upload = imports.upload_get(upload_id=upload_id, staff=current_user, kind=kind)
    if upload is None:
        abort(404)
    try:
        if kind == "payments":
            result = imports.payment_run_confirm(upload=upload, staff=current_user)
        else:
            result = statement.statement_confirm(upload=upload, staff=current_user)
    except DomainError as error:
        discard_writes()
        return _import_page(status=422, import_error=str(error.message))
    audit_record(action=f"ontzorgen.{kind}_confirm", resident_id=None, detail=upload.filename)
    return render("staff/ontzorgen/import.html", "staff/ontzorgen/_import_done.html", kind=kind, result=result,
                  part="staff/ontzorgen/_import_done.html")


@bp.route("/staff/ontzorgen/import/payments", methods=["POST"])
@access.roles(Role.CASEWORKER)
def import_payments() -> Response:
    return _preview("payments", UploadForm(prefix="payments"))


@bp.route("/staff/ontzorgen/import/payments/<int:upload_id>", methods=["POST"])
@access.roles(Role.CASEWORKER)
def import_payments_confirm(upload_id: int) -> Response:
    return _confirm("payments", upload_id)


@bp.route("/staff/ontzorgen/import/statement", methods=["POST"])
@access.roles(Role.CASEWORKER)
def import_statement() -> Response:
    return _preview("statement", UploadForm(prefix="statement"))


@bp.route("/staff/ontzorgen/import/statement/<int:upload_id>", methods=["POST"])
@access.roles(Role.CASEWORKER)
def import_statement_confirm(upload_id: int) -> Response:
    return _confirm("statement", upload_id)
