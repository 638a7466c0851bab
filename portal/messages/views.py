"""Routes of the messages area: the resident's conversation, the staff inbox, attachments, settings.

Resident:  GET/POST /messages, GET /messages/new (poll), GET /messages/files/<id>, POST /account/messages
Staff:     GET /staff/messages (inbox), GET/POST /staff/messages/<resident>, POST …/handled, GET …/panel,
           POST /account/messages/profile
Mail:      `flask --app wsgi messages notify` (cron), see portal/messages/notify.py
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, redirect, request, send_file, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from portal.audit.services import audit_refused
from portal.caseload.guard import staff_resident_or_404
from portal.caseload.models import Resident
from portal.domain import DomainError, NotFound
from portal.extensions import talisman
from portal.i18n import _
from portal.messages import queries
from portal.messages.files import max_file_bytes, stored_path, too_large_error
from portal.messages.forms import (
    ComposeForm,
    HandledForm,
    PhraseForm,
    ReplyForm,
    ResidentSettingsForm,
    StaffProfileForm,
)
from portal.messages.queries import counsellor_may_read, resident_settings_get
from portal.messages.services import (
    Upload,
    conversation_mark_read,
    conversation_set_handled,
    message_send,
    resident_settings_update,
    staff_profile_update,
)
from portal.messages.templating import install as install_templating
from portal.messages.text import phrase_choices
from portal.registry import add_export_files, add_export_section, add_resident_panel, set_unread_counter
from portal.roles import Role
from portal.web import access
from portal.web.forms import form_error, submitted
from portal.web.htmx import add_vary, is_htmx, render, see_other, wants_fragment
from portal.web.params import int_arg, page_arg
from portal.web.transaction import discard_writes

bp = Blueprint("messages", __name__)
bp.record_once(lambda state: set_unread_counter(state.app, queries.unread_count_for_user))
bp.record_once(lambda state: add_resident_panel(state.app, "staff/messages/_panel.html"))
bp.record_once(lambda state: add_export_section(state.app, "messages", queries.export_for_resident))
bp.record_once(lambda state: add_export_files(state.app, queries.export_files_for_resident))
bp.record_once(lambda state: install_templating(state.app))

ATTACHMENT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def _uploads(form, names: tuple[str, ...]) -> list[Upload]:
    """The files of the form, read up to one byte past the limit (so too large is known, not guessed)."""
    uploads = []
    for name in names:
        storage = getattr(form, name).data
        if storage is None or not getattr(storage, "filename", None):
            continue
        data = storage.stream.read(max_file_bytes() + 1)
        uploads.append(Upload(filename=storage.filename, data=data))
    return uploads


def _resident_context(resident: Resident, **forms) -> dict:
    before = int_arg("before", low=1) if request.method == "GET" else None
    messages, older = queries.conversation_messages(resident_id=resident.id, before=before)
    own_unread = [m.id for m in messages if m.from_resident and m.read_at is None]
    return {
        "resident": resident,
        "contact": resident.contact_person,
        "availability": queries.availability_for(staff_id=resident.contact_person_id),
        "items": queries.with_days(messages),
        "older": older,
        "first_id": messages[0].id if messages else None,
        "before": before,
        "last_id": messages[-1].id if messages else 0,
        "unread_from": own_unread[0] if own_unread else 0,
        "compose_form": forms.get("compose_form") or ComposeForm.blank(),
        "phrase_form": forms.get("phrase_form") or PhraseForm.blank(),
        "phrases": phrase_choices(),
        "poll_seconds": current_app.config.get("MESSAGES_POLL_SECONDS", 30),
        "max_mb": max_file_bytes() // 2**20,
    }


@bp.route("/messages")
@access.roles(Role.RESIDENT)
def index() -> Response:
    resident = current_user.resident
    conversation_mark_read(resident=resident, reader=current_user)
    return render("resident/messages/page.html", "resident/messages/_conversation.html",
                  **_resident_context(resident))


@bp.route("/messages", methods=["POST"])
@access.roles(Role.RESIDENT)
def send() -> Response:
    resident = current_user.resident
    is_phrase = "phrase" in request.form
    form = PhraseForm() if is_phrase else ComposeForm()
    if form.validate():
        try:
            message_send(
                resident=resident, sender=current_user, client_key=form.client_key.data,
                body="" if is_phrase else form.body.data or "",
                phrase=form.phrase.data if is_phrase else None,
                uploads=() if is_phrase else _uploads(form, ("photo", "file")),
            )
        except DomainError as error:
            form_error(form, error, "phrase" if is_phrase else "body")
        else:
            if not wants_fragment():
                return redirect(url_for("messages.index", _anchor="compose"), code=303)
            fresh = PhraseForm.blank() if is_phrase else ComposeForm.blank()
            return _compose_part(is_phrase, fresh, status=200, trigger="messages-refresh")
    form.keep_key()
    discard_writes()
    if wants_fragment():
        return _compose_part(is_phrase, form, status=422)
    forms = {"phrase_form": form} if is_phrase else {"compose_form": form}
    return render("resident/messages/page.html", status=422, **_resident_context(resident, **forms))


def _compose_part(is_phrase: bool, form, *, status: int, trigger: str | None = None) -> Response:
    part = "resident/messages/_phrases.html" if is_phrase else "resident/messages/_compose_form.html"
    key = "phrase_form" if is_phrase else "compose_form"
    return render(part, status=status, trigger=trigger, phrases=phrase_choices(), max_mb=max_file_bytes() // 2**20,
                  **{key: form})


@bp.route("/messages/new")
@access.roles(Role.RESIDENT)
def poll() -> Response:
    """Only what is new since the last message shown; 204 when nothing changed."""
    if not wants_fragment():
        return redirect(url_for("messages.index"), code=303)
    resident = current_user.resident
    after = int_arg("after", 0)
    unread_from = int_arg("unread_from", 0)
    conversation_mark_read(resident=resident, reader=current_user)
    newer, previous = queries.messages_after(resident_id=resident.id, after=after)
    read_ids, still_unread = ([], None)
    if unread_from and unread_from <= after:
        read_ids, still_unread = queries.own_messages_read(resident_id=resident.id, from_id=unread_from,
                                                           upto=after)
    if not newer and not read_ids:
        return add_vary(Response(status=204))
    if still_unread is None:
        still_unread = next((m.id for m in newer if m.from_resident and m.read_at is None), 0)
    return render("resident/messages/_poll.html", items=queries.with_days(newer, previous=previous),
                  read_ids=read_ids, after=after, last_id=newer[-1].id if newer else after, unread_from=still_unread,
                  poll_seconds=current_app.config.get("MESSAGES_POLL_SECONDS", 30))


@bp.route("/messages/files/<int:attachment_id>")
@access.roles(Role.RESIDENT, Role.CASEWORKER, Role.COUNSELLOR)
@talisman(content_security_policy=ATTACHMENT_CSP)
def attachment(attachment_id: int) -> Response:
    found = queries.attachment_with_resident(attachment_id)
    if current_user.is_resident:
        if found is None or found[1] != current_user.resident.id:
            abort(404)
    else:
        if found is None:
            audit_refused(action="messages.attachment", detail=f"attachment {attachment_id}")
            abort(404)
        _conversation_resident(found[1], action="messages.attachment", detail=f"attachment {attachment_id}")
    item = found[0]
    preview = request.args.get("size") == "preview" and item.preview_name
    path = stored_path(item.preview_name if preview else item.stored_name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=item.content_type, as_attachment=not item.is_image,
                         download_name=item.filename, conditional=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> Response:
    """Far over the limit: the body was never read. Say so in the user's language; nothing was stored."""
    message = str(too_large_error().message)
    if request.endpoint == "messages.send" and not is_htmx() and current_user.is_authenticated \
            and current_user.is_resident:
        form = ComposeForm.blank()
        form.file.errors = [message]
        return render("resident/messages/page.html", status=413,
                      **_resident_context(current_user.resident, compose_form=form))
    return render("errors/error.html", "errors/_error.html", status=413, code=413, title=_("Te groot"),
                  message=message, reference="")


@bp.route("/account/messages", methods=["POST"])
@access.roles(Role.RESIDENT)
def account_settings() -> Response:
    form = ResidentSettingsForm()
    if form.validate():
        resident_settings_update(resident=current_user.resident, counsellor_may_read=form.counsellor_may_read.data,
                                 notify_email=form.notify_email.data)
        return see_other("accounts.account", saved="messages")
    return render("resident/messages/settings.html", status=422, form=form, resident=current_user.resident)


@bp.route("/account/messages/profile", methods=["POST"])
@access.roles(Role.CASEWORKER)
def account_profile() -> Response:
    form = StaffProfileForm()
    if submitted(form, lambda: staff_profile_update(
            staff=current_user, working_days=[int(d) for d in form.working_days.data],
            reply_days=int(form.reply_days.data), notify_email=form.notify_email.data), field="working_days"):
        return see_other("accounts.account", saved="messages")
    discard_writes()
    return render("staff/messages/profile.html", status=422, form=form)


def _conversation_resident(resident_id: int, *, action: str, detail: str = "") -> Resident:
    """The resident from the caller's caseload; a counsellor only with the resident's consent. Else 404."""
    resident = staff_resident_or_404(resident_id, action=action, detail=detail)
    if current_user.role == Role.COUNSELLOR and not counsellor_may_read(resident):
        audit_refused(action=action, resident_id=resident_id, detail=(detail + " no consent").strip())
        abort(404)
    return resident


def _staff_context(resident: Resident, *, form: ReplyForm | None = None, handled_form=None) -> dict:
    messages, older = queries.conversation_messages(resident_id=resident.id)
    in_inbox = bool(request.args.get("inbox"))
    return {
        "resident": resident,
        "conversation": queries.conversation_get(resident_id=resident.id),
        "items": queries.with_days(messages),
        "older": older,
        "form": form or ReplyForm.blank(),
        "handled_form": handled_form,
        "in_inbox": in_inbox,
        "inbox_row": queries.inbox_row(staff=current_user, resident_id=resident.id) if in_inbox else None,
        "consent": counsellor_may_read(resident) if resident.counsellor_id else False,
        "max_mb": max_file_bytes() // 2**20,
    }


@bp.route("/staff/messages")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_inbox() -> Response:
    page = page_arg()
    rows, total = queries.inbox_for_staff(staff=current_user, page=page)
    pages = max(1, -(-total // queries.INBOX_PAGE))
    return render("staff/messages/inbox.html", "staff/messages/_inbox_list.html", rows=rows, total=total,
                  page=min(page, pages), pages=pages, unread=queries.unread_for_staff(staff=current_user))


@bp.route("/staff/messages/<int:resident_id>")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_conversation(resident_id: int) -> Response:
    resident = _conversation_resident(resident_id, action="messages.view")
    conversation_mark_read(resident=resident, reader=current_user)
    return render("staff/messages/conversation.html", "staff/messages/_conversation.html",
                  **_staff_context(resident))


@bp.route("/staff/messages/<int:resident_id>/panel")
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_panel(resident_id: int) -> Response:
    """The conversation inside the resident's file, loaded after the file itself."""
    if not wants_fragment():
        return redirect(url_for("messages.staff_conversation", resident_id=resident_id), code=303)
    if current_user.role == Role.COUNSELLOR:
        settings = resident_settings_get(resident_id)
        if not (settings and settings.counsellor_may_read):
            # Only the note that there is no consent; still a look at the file, so it is logged.
            resident = staff_resident_or_404(resident_id, action="messages.panel")
            return render("staff/messages/_no_consent.html", resident=resident)
    return staff_conversation(resident_id)


@bp.route("/staff/messages/<int:resident_id>", methods=["POST"])
@access.roles(Role.CASEWORKER, Role.COUNSELLOR)
def staff_reply(resident_id: int) -> Response:
    resident = _conversation_resident(resident_id, action="messages.reply")
    form = ReplyForm()
    if form.validate():
        try:
            message_send(resident=resident, sender=current_user, client_key=form.client_key.data,
                         body=form.body.data or "", uploads=_uploads(form, ("file",)))
        except NotFound:
            abort(404)
        except DomainError as error:
            form_error(form, error, "body")
        else:
            conversation_mark_read(resident=resident, reader=current_user)
            if not wants_fragment():
                return see_other("messages.staff_conversation", resident_id=resident.id)
            return render("staff/messages/_conversation.html", trigger={"notice": _("Je bericht is verstuurd.")},
                          **_staff_context(resident))
    form.keep_key()
    discard_writes()  # nothing of the refused message stays; the look at the file is logged all the same
    return render("staff/messages/conversation.html", "staff/messages/_conversation.html", status=422,
                  **_staff_context(resident, form=form))


@bp.route("/staff/messages/<int:resident_id>/handled", methods=["POST"])
@access.roles(Role.CASEWORKER)
def staff_handled(resident_id: int) -> Response:
    resident = staff_resident_or_404(resident_id, action="messages.handled", contact_person_only=True)
    form = HandledForm()
    if not form.validate():
        return render("staff/messages/conversation.html", "staff/messages/_conversation.html", status=422,
                      **_staff_context(resident, handled_form=form))
    conversation_set_handled(resident=resident, staff=current_user, handled=form.handled.data == "1")
    conversation_mark_read(resident=resident, reader=current_user)  # they had it open
    if not wants_fragment():
        return see_other("messages.staff_conversation", resident_id=resident.id)
    return render("staff/messages/_conversation.html", **_staff_context(resident))
