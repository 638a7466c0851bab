"""Tables of the messages area: one conversation per resident, its messages and attachments,
the resident's message settings and the contact person's availability."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import UTCDateTime, db, utcnow


class Conversation(db.Model):
    """The one conversation between a resident and their contact person (and, with consent, counsellor)."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_from_resident: Mapped[bool] = mapped_column(default=False)
    # Set by the contact person when nothing more needs doing; a new message from the resident clears it.
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    resident: Mapped[Resident] = relationship()
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id", cascade="all, delete-orphan", passive_deletes=True
    )
    # Not columns: filled by the inbox query (with_expression), None when a conversation is loaded otherwise.
    inbox_unread: Mapped[int | None] = query_expression()
    inbox_counsellor_may_read: Mapped[bool | None] = query_expression()

    @property
    def handled(self) -> bool:
        return self.handled_at is not None


class Message(db.Model):
    __tablename__ = "messages"
    __table_args__ = (
        # A retried submit carries the same key: stored once.
        UniqueConstraint("conversation_id", "client_key"),
        Index("ix_messages_conversation_unread", "conversation_id", "from_resident", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_resident: Mapped[bool]
    # Plain text as written; escaped on output.
    body: Mapped[str] = mapped_column(Text, default="")
    # A ready-made phrase: its key, the language of `body`, and the Dutch text staff always see.
    phrase: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))
    body_nl: Mapped[str | None] = mapped_column(Text)
    client_key: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # From the resident: when the contact person opened the conversation. From staff: when the resident did.
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    sender: Mapped[User | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="message", order_by="Attachment.id", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Attachment(db.Model):
    """A checked, re-encoded file; the bytes live under UPLOAD_FOLDER with a random name."""

    __tablename__ = "message_attachments"
    __table_args__ = (CheckConstraint("kind IN ('image', 'pdf')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    content_type: Mapped[str] = mapped_column(String(32))
    # Relative to UPLOAD_FOLDER; random, never derived from what the sender called the file.
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    preview_name: Mapped[str | None] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    message: Mapped[Message] = relationship(back_populates="attachments")

    @property
    def is_image(self) -> bool:
        return self.kind == "image"


class ResidentMessageSettings(db.Model):
    """The resident's choices; no row means the defaults (no counsellor access, e-mail on)."""

    __tablename__ = "message_resident_settings"

    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True)
    counsellor_may_read: Mapped[bool] = mapped_column(default=False)
    notify_email: Mapped[bool] = mapped_column(default=True)
    # The last notification e-mail: at most one an hour.
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class StaffMessageProfile(db.Model):
    """When a contact person works and how fast they usually answer; their e-mail digest."""

    __tablename__ = "message_staff_profiles"
    __table_args__ = (CheckConstraint("reply_days BETWEEN 0 AND 5", name="reply_days"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # ISO weekdays as digits, Monday = 1: "1245" is Monday, Tuesday, Thursday and Friday.
    working_days: Mapped[str] = mapped_column(String(7), default="12345")
    # Typical answer time in working days; 0 is "the same day".
    reply_days: Mapped[int] = mapped_column(default=1)
    notify_email: Mapped[bool] = mapped_column(default=True)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def weekdays(self) -> list[int]:
        return sorted(int(ch) for ch in self.working_days if ch.isdigit())
