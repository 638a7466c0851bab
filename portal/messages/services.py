"""Writes of the messages area. They flush, never commit; the caller commits once."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db, get_or_add, utcnow
from portal.domain import DomainError, NotFound
from portal.i18n import _l
from portal.messages.files import PreparedFile, prepare_upload, remove_stored, store_bytes
from portal.messages.models import (
    Attachment,
    Conversation,
    Message,
    ResidentMessageSettings,
    StaffMessageProfile,
)
from portal.messages.queries import counsellor_may_read
from portal.messages.text import PHRASES, phrase_text
from portal.roles import Role
from portal.web.forms import has_forbidden_characters

MAX_BODY = 4000
MAX_FILES = 2
_CLIENT_KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class Upload:
    """One file as it came in: the name the sender's device gave it and its bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Sent:
    message: Message
    created: bool  # False: this key was sent before, nothing new was stored


def may_write(*, resident: Resident, user: User) -> bool:
    """The resident, their contact person, or their counsellor when the resident agreed."""
    if user.role == Role.RESIDENT:
        return user.id == resident.user_id
    if user.role == Role.CASEWORKER:
        return user.id == resident.contact_person_id
    if user.role == Role.COUNSELLOR:
        return user.id == resident.counsellor_id and counsellor_may_read(resident)
    return False


def conversation_get_or_create(*, resident: Resident, now: datetime | None = None) -> Conversation:
    """The resident's conversation, created on first use."""
    conversation = db.session.scalar(select(Conversation).where(Conversation.resident_id == resident.id))
    if conversation is not None:
        return conversation
    try:
        with db.session.begin_nested():
            conversation = Conversation(resident_id=resident.id, created_at=now or utcnow())
            db.session.add(conversation)
    except IntegrityError:  # created by a request running at the same moment
        conversation = db.session.scalars(select(Conversation).where(Conversation.resident_id == resident.id)).one()
    return conversation


def _check_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if len(body) > MAX_BODY:
        raise DomainError(_l("Je bericht is te lang. Het mag hoogstens %(max)s tekens zijn.", max=MAX_BODY),
                          field="body")
    if has_forbidden_characters(body, multiline=True):
        raise DomainError(_l("Dit veld bevat onzichtbare of verboden tekens. Haal die weg."), field="body")
    return body


def _prepare(uploads: Sequence[Upload]) -> list[PreparedFile]:
    uploads = [u for u in uploads if u.data or u.filename]
    if len(uploads) > MAX_FILES:
        raise DomainError(_l("Stuur hoogstens twee bestanden tegelijk."), field="file")
    return [prepare_upload(filename=u.filename, data=u.data) for u in uploads]


def message_send(
    *,
    resident: Resident,
    sender: User,
    client_key: str,
    body: str = "",
    phrase: str | None = None,
    uploads: Sequence[Upload] = (),
    now: datetime | None = None,
) -> Sent:
    """Store a message (text, a ready-made phrase and/or files) once per client key."""
    if not may_write(resident=resident, user=sender):
        raise NotFound(_l("Dit gesprek bestaat niet."))
    client_key = (client_key or "").strip().lower()
    if not _CLIENT_KEY.match(client_key):
        raise DomainError(_l("Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."),
                          field="body")
    now = now or utcnow()
    conversation = db.session.scalar(select(Conversation).where(Conversation.resident_id == resident.id))
    if conversation is not None:
        earlier = db.session.scalar(
            select(Message).where(Message.conversation_id == conversation.id, Message.client_key == client_key)
        )
        if earlier is not None:
            return Sent(earlier, created=False)

    # Check everything before anything is written.
    from_resident = sender.role == Role.RESIDENT
    text = _check_body(body)
    language = body_nl = None
    if phrase:
        if not from_resident or phrase not in PHRASES:
            raise DomainError(_l("Kies een zin uit de lijst."), field="phrase")
        language = sender.language
        text, body_nl = phrase_text(phrase, language), phrase_text(phrase, "nl")
    prepared = _prepare(uploads)
    if not text and not prepared:
        raise DomainError(_l("Schrijf een bericht of voeg een foto of pdf toe."), field="body")
    if conversation is None:
        conversation = conversation_get_or_create(resident=resident, now=now)

    written: list[str] = []
    try:
        attachments = []
        for item in prepared:
            stored = store_bytes(item.data, item.extension)
            written.append(stored)
            preview = store_bytes(item.preview, item.extension) if item.preview else None
            if preview:
                written.append(preview)
            attachments.append(Attachment(
                kind=item.kind, content_type=item.content_type, stored_name=stored, preview_name=preview,
                filename=item.filename, size=len(item.data), width=item.width, height=item.height, created_at=now,
            ))
        message = Message(
            conversation_id=conversation.id, sender_id=sender.id, from_resident=from_resident, body=text,
            phrase=phrase or None, language=language, body_nl=body_nl, client_key=client_key, created_at=now,
            attachments=attachments,
        )
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        # The same key arrived twice at the same moment; the other request stored it.
        for name in written:
            remove_stored(name)
        earlier = db.session.scalars(
            select(Message).where(Message.conversation_id == conversation.id, Message.client_key == client_key)
        ).one()
        return Sent(earlier, created=False)
    except BaseException:
        for name in written:
            remove_stored(name)
        raise

    conversation.last_message_at = now
    conversation.last_from_resident = from_resident
    if from_resident:
        conversation.handled_at = None
        conversation.handled_by_id = None
    db.session.flush()
    return Sent(message, created=True)


def conversation_mark_read(*, resident: Resident, reader: User, now: datetime | None = None) -> int:
    """The resident reads staff messages; the contact person reads the resident's. Others change nothing."""
    if reader.role == Role.RESIDENT and reader.id == resident.user_id:
        from_resident = False
    elif reader.role == Role.CASEWORKER and reader.id == resident.contact_person_id:
        from_resident = True
    else:
        return 0
    conversation_ids = select(Conversation.id).where(Conversation.resident_id == resident.id).scalar_subquery()
    result = db.session.execute(
        update(Message)
        .where(Message.conversation_id == conversation_ids, Message.from_resident.is_(from_resident),
               Message.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def conversation_set_handled(*, resident: Resident, staff: User, handled: bool,
                             now: datetime | None = None) -> Conversation:
    """The contact person marks the conversation as handled, or opens it again."""
    if staff.role != Role.CASEWORKER or staff.id != resident.contact_person_id:
        raise NotFound(_l("Dit gesprek bestaat niet."))
    conversation = conversation_get_or_create(resident=resident, now=now)
    conversation.handled_at = (now or utcnow()) if handled else None
    conversation.handled_by_id = staff.id if handled else None
    db.session.flush()
    return conversation


def resident_settings_update(*, resident: Resident, counsellor_may_read: bool,
                             notify_email: bool) -> ResidentMessageSettings:
    """The resident's choices: may the counsellor read along, and do they want e-mail."""
    settings = get_or_add(ResidentMessageSettings, resident_id=resident.id)
    settings.counsellor_may_read = bool(counsellor_may_read)
    settings.notify_email = bool(notify_email)
    db.session.flush()
    return settings


def staff_profile_update(*, staff: User, working_days: Iterable[int], reply_days: int,
                         notify_email: bool) -> StaffMessageProfile:
    """The contact person's working days, usual answer time and e-mail digest."""
    if staff.role != Role.CASEWORKER:
        raise DomainError(_l("Alleen een contactpersoon heeft werkdagen en een antwoordtijd."))
    days = sorted({int(day) for day in working_days})
    if not days or any(day < 1 or day > 7 for day in days):
        raise DomainError(_l("Kies minstens één werkdag."), field="working_days")
    if not 0 <= int(reply_days) <= 5:
        raise DomainError(_l("Kies een optie uit de lijst."), field="reply_days")
    profile = get_or_add(StaffMessageProfile, user_id=staff.id)
    profile.working_days = "".join(str(day) for day in days)
    profile.reply_days = int(reply_days)
    profile.notify_email = bool(notify_email)
    db.session.flush()
    return profile


def resident_notified(*, resident_id: int, now: datetime) -> None:
    """Remember when the resident got a notification e-mail."""
    settings = get_or_add(ResidentMessageSettings, resident_id=resident_id)
    settings.notified_at = now
    db.session.flush()


def staff_notified(*, user_id: int, now: datetime) -> None:
    """Remember when the contact person got their digest."""
    profile = get_or_add(StaffMessageProfile, user_id=user_id)
    profile.notified_at = now
    db.session.flush()
