"""Learn: self-check results, progress per module and lesson, and quiz answers.

Modules, lessons and questions live as files (portal/learn/content/) and are referred to by their slugs.
A quiz answer is unique per attempt and question, so answering twice (a double tap, a resend on a bad
connection) stores the first answer once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import UTCDateTime, db, utcnow
from portal.i18n import N_


class Level(StrEnum):
    STRONG = "strong"
    PRACTISE = "practise"
    HELP = "help"


LEVEL_LABELS = {
    Level.STRONG: N_("Dit kun je al goed"),
    Level.PRACTISE: N_("Hier kun je nog op oefenen"),
    Level.HELP: N_("Hier kun je hulp bij gebruiken"),
}
LEVEL_SHORT = {Level.STRONG: N_("Sterk"), Level.PRACTISE: N_("Oefenen"), Level.HELP: N_("Hulp nodig")}


class CheckResult(db.Model):
    """One completed self-check: the answers and the level per competence they gave. Kept, so progress shows."""

    __tablename__ = "learn_check_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), index=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)  # question id -> option id, "?" for "I don't know"
    levels: Mapped[dict[str, Any]] = mapped_column(JSON)  # competence -> Level
    correct: Mapped[int]
    total: Mapped[int]


class ModuleProgress(db.Model):
    """A resident and one module: assigned by the contact person, started, completed."""

    __tablename__ = "learn_module_progress"
    __table_args__ = (UniqueConstraint("resident_id", "module", name="resident_module"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), index=True)
    module: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LessonProgress(db.Model):
    """How far a resident is in one lesson: screens read, the quiz attempt, passed or not."""

    __tablename__ = "learn_lesson_progress"
    __table_args__ = (
        UniqueConstraint("resident_id", "module", "lesson", name="resident_lesson"),
        CheckConstraint("screen >= 0", name="screen"),
        CheckConstraint("attempt >= 1", name="attempt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), index=True)
    module: Mapped[str] = mapped_column(String(40))
    lesson: Mapped[str] = mapped_column(String(40))
    screen: Mapped[int] = mapped_column(default=0)  # screens read, from the start
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # every screen read: the quiz opens
    attempt: Mapped[int] = mapped_column(default=1)
    passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[int | None]  # right first answers in the passing attempt
    questions: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuizAnswer(db.Model):
    """The first answer to one quiz question in one attempt."""

    __tablename__ = "learn_quiz_answers"
    __table_args__ = (
        UniqueConstraint("resident_id", "module", "lesson", "attempt", "question", name="one_answer"),
        Index("ix_learn_quiz_answers_lesson", "resident_id", "module", "lesson"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    module: Mapped[str] = mapped_column(String(40))
    lesson: Mapped[str] = mapped_column(String(40))
    attempt: Mapped[int]
    question: Mapped[str] = mapped_column(String(40))
    option: Mapped[str] = mapped_column(String(8))
    correct: Mapped[bool]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
