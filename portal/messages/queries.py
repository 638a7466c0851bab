"""Reads of the messages area, each in a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import g, has_request_context
from flask_babel import to_user_timezone
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload, with_expression

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.caseload.queries import resident_visible_to
from portal.db import db, utcnow
from portal.messages.files import stored_path
from portal.messages.models import (
    Attachment,
    Conversation,
    Message,
    ResidentMessageSettings,
    StaffMessageProfile,
)
from portal.roles import Role

PAGE = 50
INBOX_PAGE = 50
MAX_PAGE = 100_000  # a larger page number is a wish for the last page, not an offset for the database


@dataclass(frozen=True)
class ResidentStats:
    unread: int
    last_reply_at: datetime | None


@dataclass(frozen=True)
class HomeCard:
    unread: int
    last_reply_at: datetime | None
    contact_name: str


@dataclass
class Availability:
    """When the contact person works and how fast they usually answer."""

    working_days: list[int] = field(default_factory=lambda: [1, 2, 3, 4, 5])
    reply_days: int = 1
    works_today: bool = True
    next_working_day: date | None = None


def resident_settings_get(resident_id: int) -> ResidentMessageSettings | None:
    """The resident's message settings, or None for the defaults."""
    return db.session.get(ResidentMessageSettings, resident_id)


def counsellor_may_read(resident: Resident) -> bool:
    """Whether the resident agreed that their counsellor reads and writes along."""
    settings = resident_settings_get(resident.id)
    return bool(settings and settings.counsellor_may_read)


def staff_profile_get(user_id: int) -> StaffMessageProfile | None:
    """The contact person's availability settings, or None for the defaults."""
    return db.session.get(StaffMessageProfile, user_id)


def _resident_stats(resident_id: int) -> ResidentStats:
    """Unread replies and the time of the last reply, in one statement; once per request."""
    cache = g.setdefault("messages_stats", {}) if has_request_context() else {}
    if resident_id not in cache:
        row = db.session.execute(
            select(func.count(Message.id).filter(Message.read_at.is_(None)), func.max(Message.created_at))
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Conversation.resident_id == resident_id, Message.from_resident.is_(False))
        ).one()
        cache[resident_id] = ResidentStats(unread=int(row[0] or 0), last_reply_at=row[1])
    return cache[resident_id]


def unread_count_for_user(user: User) -> int:
    """Unread replies for a signed-in resident (the navigation badge)."""
    resident = user.resident
    return _resident_stats(resident.id).unread if resident is not None else 0


def messages_home_card(resident: Resident) -> HomeCard:
    """What the home page shows of messages: unread replies and when the last one came."""
    stats = _resident_stats(resident.id)
    return HomeCard(unread=stats.unread, last_reply_at=stats.last_reply_at,
                    contact_name=resident.contact_person.name)


def _messages_stmt(resident_id: int):
    return (
        select(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.resident_id == resident_id)
        .options(joinedload(Message.sender), selectinload(Message.attachments))
    )


def conversation_messages(*, resident_id: int, before: int | None = None,
                          limit: int = PAGE) -> tuple[list[Message], bool]:
    """The latest messages (or those before one id), oldest first, and whether older ones exist."""
    stmt = _messages_stmt(resident_id)
    if before:
        stmt = stmt.where(Message.id < before)
    rows = list(db.session.scalars(stmt.order_by(Message.id.desc()).limit(limit + 1)))
    older = len(rows) > limit
    return list(reversed(rows[:limit])), older


def messages_after(*, resident_id: int, after: int, limit: int = PAGE) -> tuple[list[Message], Message | None]:
    """Messages newer than `after`, oldest first, and the message `after` itself (for the day separator)."""
    rows = list(db.session.scalars(
        _messages_stmt(resident_id).where(Message.id >= after).order_by(Message.id).limit(limit + 1)
    ))
    previous = rows[0] if rows and rows[0].id == after else None
    newer = [m for m in rows if m.id > after][:limit]
    return newer, previous


def own_messages_read(*, resident_id: int, from_id: int, upto: int) -> tuple[list[int], int | None]:
    """Of the resident's own messages from `from_id` to `upto`: the ids now read, and the first still unread."""
    rows = db.session.execute(
        select(Message.id, Message.read_at)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.resident_id == resident_id, Message.from_resident.is_(True),
               Message.id >= from_id, Message.id <= upto)
        .order_by(Message.id)
    ).all()
    read = [row.id for row in rows if row.read_at is not None]
    unread = [row.id for row in rows if row.read_at is None]
    return read, (unread[0] if unread else None)


def conversation_get(*, resident_id: int) -> Conversation | None:
    """The resident's conversation row (handled state), if there is one."""
    return db.session.scalar(select(Conversation).where(Conversation.resident_id == resident_id))


def availability_for(*, staff_id: int, today: date | None = None) -> Availability:
    """The contact person's working days and usual answer time (defaults when they set none)."""
    return availability_from(staff_profile_get(staff_id), today=today)


def availability_from(profile: StaffMessageProfile | None, *, today: date | None = None) -> Availability:
    """Availability from a loaded profile (or the defaults), without a statement."""
    today = today or to_user_timezone(utcnow()).date()
    availability = Availability()
    if profile is not None:
        availability.working_days = profile.weekdays or availability.working_days
        availability.reply_days = profile.reply_days
    availability.works_today = today.isoweekday() in availability.working_days
    for offset in range(1, 8):
        day = today + timedelta(days=offset)
        if day.isoweekday() in availability.working_days:
            availability.next_working_day = day
            break
    return availability


@dataclass(frozen=True)
class DayItem:
    day: date | None = None
    message: Message | None = None


def with_days(messages: list[Message], *, previous: Message | None = None) -> list[DayItem]:
    """Messages with a day separator before the first message of each day (in the reader's time zone)."""
    items: list[DayItem] = []
    last_day = to_user_timezone(previous.created_at).date() if previous is not None else None
    for message in messages:
        day = to_user_timezone(message.created_at).date()
        if day != last_day:
            items.append(DayItem(day=day))
            last_day = day
        items.append(DayItem(message=message))
    return items


def attachment_with_resident(attachment_id: int) -> tuple[Attachment, int] | None:
    """An attachment and the id of the resident whose conversation holds it."""
    row = db.session.execute(
        select(Attachment, Conversation.resident_id)
        .join(Message, Message.id == Attachment.message_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Attachment.id == attachment_id)
    ).first()
    return (row[0], row[1]) if row is not None else None


@dataclass(frozen=True)
class InboxRow:
    resident: Resident
    conversation: Conversation
    unread: int
    counsellor_may_read: bool

    @property
    def status(self) -> str:
        """new | waiting | answered | handled"""
        if self.unread:
            return "new"
        if self.conversation.handled:
            return "handled"
        return "waiting" if self.conversation.last_from_resident else "answered"


def _inbox_scope(staff: User):
    consent = (
        select(ResidentMessageSettings.resident_id)
        .where(ResidentMessageSettings.counsellor_may_read.is_(True))
    )
    stmt = select(Conversation).join(Resident, Resident.id == Conversation.resident_id).where(
        Conversation.last_message_at.is_not(None)
    )
    stmt = stmt.where(resident_visible_to(staff))
    if staff.role == Role.COUNSELLOR:  # a counsellor reads only with the resident's consent
        stmt = stmt.where(Resident.id.in_(consent))
    return stmt


def inbox_for_staff(*, staff: User, page: int = 1) -> tuple[list[InboxRow], int]:
    """Conversations in the staff member's caseload: unread first, then waiting, newest first; and the total.

    A page number below 1 gives the first page, one past the end the last.
    """
    scope = _inbox_scope(staff)
    unread = (
        select(Message.conversation_id, func.count(Message.id).label("n"))
        .where(Message.from_resident.is_(True), Message.read_at.is_(None))
        .group_by(Message.conversation_id)
        .subquery()
    )
    unread_n = func.coalesce(unread.c.n, 0)
    waiting = and_(Conversation.last_from_resident.is_(True), Conversation.handled_at.is_(None))
    stmt = (
        scope.outerjoin(unread, unread.c.conversation_id == Conversation.id)
        .outerjoin(ResidentMessageSettings, ResidentMessageSettings.resident_id == Resident.id)
        .options(
            joinedload(Conversation.resident).joinedload(Resident.user),
            # db.paginate yields one entity per row, so the two figures ride along on the conversation.
            with_expression(Conversation.inbox_unread, unread_n),
            with_expression(Conversation.inbox_counsellor_may_read,
                            func.coalesce(ResidentMessageSettings.counsellor_may_read, False)),
        )
        .order_by(case((unread_n > 0, 0), (waiting, 1), else_=2), Conversation.last_message_at.desc(),
                  Conversation.id)
        .execution_options(populate_existing=True)  # the figures also for conversations already in the session
    )
    found = db.paginate(stmt, page=min(max(page, 1), MAX_PAGE), per_page=INBOX_PAGE, error_out=False)
    if not found.items and found.page > 1 and found.total:
        found = db.paginate(stmt, page=found.pages, per_page=INBOX_PAGE, error_out=False)
    rows = [
        InboxRow(resident=conversation.resident, conversation=conversation, unread=int(conversation.inbox_unread or 0),
                 counsellor_may_read=bool(conversation.inbox_counsellor_may_read))
        for conversation in found.items
    ]
    return rows, found.total or 0


def inbox_row(*, staff: User, resident_id: int) -> InboxRow | None:
    """One row of the inbox, to update it in place after reading or answering."""
    unread = func.count(Message.id).filter(and_(Message.from_resident.is_(True), Message.read_at.is_(None)))
    stmt = (
        _inbox_scope(staff)
        .where(Resident.id == resident_id)
        .add_columns(
            select(unread).where(Message.conversation_id == Conversation.id).scalar_subquery(),
            func.coalesce(ResidentMessageSettings.counsellor_may_read, False),
        )
        .outerjoin(ResidentMessageSettings, ResidentMessageSettings.resident_id == Resident.id)
        .options(joinedload(Conversation.resident).joinedload(Resident.user))
    )
    row = db.session.execute(stmt).unique().first()
    if row is None:
        return None
    return InboxRow(resident=row[0].resident, conversation=row[0], unread=int(row[1] or 0),
                    counsellor_may_read=bool(row[2]))


def unread_for_staff(*, staff: User) -> int:
    """Unread resident messages over the caseload (for the inbox heading)."""
    stmt = (
        select(func.count(Message.id))
        .join(Conversation, Conversation.id == Message.conversation_id)
        .join(Resident, Resident.id == Conversation.resident_id)
        .where(Message.from_resident.is_(True), Message.read_at.is_(None))
    )
    if staff.role != Role.CASEWORKER:
        return 0
    return db.session.scalar(stmt.where(resident_visible_to(staff))) or 0


def residents_due_for_mail(*, now: datetime, interval: timedelta) -> list[tuple[Resident, int, datetime]]:
    """Residents with an e-mail address and unread replies they were not told about, not mailed within `interval`:
    the resident, how many replies and when the last one came."""
    settings = ResidentMessageSettings
    last_mail = func.coalesce(settings.notified_at, datetime(1970, 1, 1, tzinfo=now.tzinfo))
    new_replies = (
        select(Conversation.resident_id, func.count(Message.id).label("n"),
               func.max(Message.created_at).label("last"))
        .join(Message, Message.conversation_id == Conversation.id)
        .outerjoin(settings, settings.resident_id == Conversation.resident_id)
        .where(Message.from_resident.is_(False), Message.read_at.is_(None), Message.created_at > last_mail)
        .group_by(Conversation.resident_id)
        .subquery()
    )
    stmt = (
        select(Resident, new_replies.c.n, new_replies.c.last)
        .join(new_replies, new_replies.c.resident_id == Resident.id)
        .join(User, User.id == Resident.user_id)
        .outerjoin(settings, settings.resident_id == Resident.id)
        .where(
            User.email.is_not(None), User.email != "", User.active.is_(True),
            or_(settings.notify_email.is_(None), settings.notify_email.is_(True)),
            or_(settings.notified_at.is_(None), settings.notified_at <= now - interval),
        )
        .order_by(Resident.id)
    )
    return [(resident, int(n), last) for resident, n, last in db.session.execute(stmt)]


def staff_due_for_digest(*, now: datetime, interval: timedelta) -> list[tuple[User, int, int]]:
    """Contact persons with an e-mail address and new unread resident messages since their last digest:
    the person, how many messages and from how many residents."""
    profile = StaffMessageProfile
    stmt = (
        select(User, func.count(Message.id), func.count(func.distinct(Conversation.resident_id)))
        .join(Resident, Resident.contact_person_id == User.id)
        .join(Conversation, Conversation.resident_id == Resident.id)
        .join(Message, Message.conversation_id == Conversation.id)
        .outerjoin(profile, profile.user_id == User.id)
        .where(
            User.role == Role.CASEWORKER.value, User.active.is_(True), User.email.is_not(None), User.email != "",
            or_(profile.notify_email.is_(None), profile.notify_email.is_(True)),
            or_(profile.notified_at.is_(None), profile.notified_at <= now - interval),
            Message.from_resident.is_(True), Message.read_at.is_(None),
            or_(profile.notified_at.is_(None), Message.created_at > profile.notified_at),
        )
        .group_by(User.id)
        .order_by(User.id)
    )
    return [(user, int(n), int(r)) for user, n, r in db.session.execute(stmt)]


def export_for_resident(resident: Resident) -> dict[str, Any]:
    """This area's part of the resident's data download (/account/data)."""
    messages = list(db.session.scalars(_messages_stmt(resident.id).order_by(Message.id)))
    settings = db.session.get(ResidentMessageSettings, resident.id)
    return {
        "settings": {
            "counsellor_may_read": bool(settings and settings.counsellor_may_read),
            "notify_email": settings.notify_email if settings else True,
        },
        "conversation": [
            {
                "at": m.created_at.isoformat(),
                "from": "me" if m.from_resident else (m.sender.name if m.sender else None),
                "text": m.body,
                "phrase": m.phrase,
                "text_nl": m.body_nl,
                "read_at": m.read_at.isoformat() if m.read_at else None,
                "attachments": [
                    {"filename": a.filename, "content_type": a.content_type, "size": a.size,
                     "file": export_file_name(a)} for a in m.attachments
                ],
            }
            for m in messages
        ],
    }


def export_file_name(attachment: Attachment) -> str:
    """Where an attachment sits inside the data download's ZIP (its file name was cleaned when stored)."""
    return f"bijlagen/{attachment.id}-{attachment.filename}"


def export_files_for_resident(resident: Resident) -> list[tuple[str, Path]]:
    """The attachments of the resident's conversation, for the data download: (name in the ZIP, path on disk)."""
    attachments = db.session.scalars(
        select(Attachment).join(Message, Message.id == Attachment.message_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.resident_id == resident.id).order_by(Attachment.id)
    )
    return [(export_file_name(a), path) for a in attachments if (path := stored_path(a.stored_name)) is not None]
