"""Tables of the plan area: the PIP per resident, baseline per life domain, goals, steps, comments, the road."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.db import UTCDateTime, db, utcnow
from portal.i18n import N_

END_GOAL = N_("Maximale participatie naar vermogen, het liefst door betaalde arbeid")
COMMENT_EDIT_WINDOW = timedelta(minutes=15)


class LifeDomain(StrEnum):
    WORK = "work"
    MONEY = "money"
    LANGUAGE = "language"
    EDUCATION = "education"
    HEALTH = "health"
    HOUSING = "housing"
    SOCIAL = "social"
    FAMILY = "family"


DOMAIN_LABELS = {
    LifeDomain.WORK: N_("Werk en dagbesteding"),
    LifeDomain.MONEY: N_("Inkomen en geld"),
    LifeDomain.LANGUAGE: N_("Taal"),
    LifeDomain.EDUCATION: N_("Onderwijs"),
    LifeDomain.HEALTH: N_("Gezondheid en welzijn"),
    LifeDomain.HOUSING: N_("Wonen"),
    LifeDomain.SOCIAL: N_("Sociaal netwerk en meedoen"),
    LifeDomain.FAMILY: N_("Gezin en kinderen"),
}
DOMAIN_ICONS = {
    LifeDomain.WORK: "work",
    LifeDomain.MONEY: "euro",
    LifeDomain.LANGUAGE: "language",
    LifeDomain.EDUCATION: "school",
    LifeDomain.HEALTH: "health",
    LifeDomain.HOUSING: "house",
    LifeDomain.SOCIAL: "people",
    LifeDomain.FAMILY: "family",
}


class LearningRoute(StrEnum):
    B1 = "b1"
    EDUCATION = "onderwijs"
    Z = "z"


ROUTE_LABELS = {
    LearningRoute.B1: N_("B1-route"),
    LearningRoute.EDUCATION: N_("Onderwijsroute"),
    LearningRoute.Z: N_("Z-route"),
}
ROUTE_DESCRIPTIONS = {
    LearningRoute.B1: N_("Je leert Nederlands tot niveau B1. Tegelijk werk je aan werk of meedoen."),
    LearningRoute.EDUCATION: N_("Je leert Nederlands en maakt je klaar voor een opleiding in Nederland."),
    LearningRoute.Z: N_("Je leert Nederlands zo goed als het gaat en leert zelf je weg te vinden."),
}


class BlockKind(StrEnum):
    WARM_HANDOVER = "warm_handover"
    BROAD_INTAKE = "broad_intake"
    PIP = "pip"
    PVT = "pvt"
    MAP = "map"
    ROUTE = "route"
    EXAMS = "exams"


BLOCK_LABELS = {
    BlockKind.WARM_HANDOVER: N_("Warme overdracht"),
    BlockKind.BROAD_INTAKE: N_("Brede intake"),
    BlockKind.PIP: N_("PIP vastgesteld"),
    BlockKind.PVT: N_("PVT: participatieverklaring"),
    BlockKind.MAP: N_("MAP: arbeidsmarkt en participatie"),
    BlockKind.ROUTE: N_("Leerroute"),
    BlockKind.EXAMS: N_("Examen(s)"),
}


class BlockState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    UPCOMING = "upcoming"


BLOCK_STATE_LABELS = {
    BlockState.DONE: N_("Klaar"),
    BlockState.CURRENT: N_("Nu bezig"),
    BlockState.UPCOMING: N_("Komt nog"),
}
BLOCK_STATE_ICONS = {BlockState.DONE: "check", BlockState.CURRENT: "dot", BlockState.UPCOMING: "circle"}


class GoalStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    STOPPED = "stopped"


GOAL_STATUS_LABELS = {
    GoalStatus.NOT_STARTED: N_("Nog niet begonnen"),
    GoalStatus.IN_PROGRESS: N_("Bezig"),
    GoalStatus.DONE: N_("Gehaald"),
    GoalStatus.STOPPED: N_("Gestopt"),
}
GOAL_STATUS_ICONS = {
    GoalStatus.NOT_STARTED: "circle",
    GoalStatus.IN_PROGRESS: "dot",
    GoalStatus.DONE: "check",
    GoalStatus.STOPPED: "flag",
}
CLOSED_STATUSES = frozenset({GoalStatus.DONE, GoalStatus.STOPPED})


class Term(StrEnum):
    SHORT = "short"
    MID = "mid"


TERM_LABELS = {Term.SHORT: N_("Korte termijn"), Term.MID: N_("Middellange termijn")}

SCORE_LABELS = {
    1: N_("1: ik heb veel hulp nodig"),
    2: N_("2: ik heb hulp nodig"),
    3: N_("3: het gaat, met wat hulp"),
    4: N_("4: het gaat bijna zelf"),
    5: N_("5: ik kan het zelf"),
}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class Plan(db.Model):
    """The PIP of one resident: the chosen learning route and its deadline (1:1 with the resident)."""

    __tablename__ = "plans"
    __table_args__ = (CheckConstraint(_in("learning_route", LearningRoute), name="learning_route"),)

    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True)
    learning_route: Mapped[str | None] = mapped_column(String(16))
    route_deadline: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Baseline(db.Model):
    """The starting situation ("0-situatie") on one life domain: a short text and a score from 1 to 5."""

    __tablename__ = "plan_baselines"
    __table_args__ = (
        UniqueConstraint("resident_id", "domain"),
        CheckConstraint(_in("domain", LifeDomain), name="domain"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    domain: Mapped[str] = mapped_column(String(16))
    score: Mapped[int | None]
    text: Mapped[str] = mapped_column(String(1000), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Goal(db.Model):
    """A short- or mid-term goal on one life domain. `version` guards against silent overwrites."""

    __tablename__ = "plan_goals"
    __table_args__ = (
        CheckConstraint(_in("domain", LifeDomain), name="domain"),
        CheckConstraint(_in("status", GoalStatus), name="status"),
        CheckConstraint(_in("term", Term), name="term"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(2000), default="")
    term: Mapped[str] = mapped_column(String(8), default=Term.SHORT.value)
    target_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default=GoalStatus.NOT_STARTED.value)
    position: Mapped[int] = mapped_column(default=0)
    # Raised by every save of the goal's own fields; a save that names an older version is refused.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    steps: Mapped[list[Step]] = relationship(
        back_populates="goal", order_by="Step.position, Step.id", cascade="all, delete-orphan",
        passive_deletes=True,
    )
    comments: Mapped[list[Comment]] = relationship(
        back_populates="goal", order_by="Comment.created_at, Comment.id", cascade="all, delete-orphan",
        passive_deletes=True,
    )
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def steps_done(self) -> int:
        return sum(1 for step in self.steps if step.done)

    def thread(self, *, newest_first: bool) -> list[tuple[Comment, list[Comment]]]:
        """Top-level comments with their reactions (oldest reaction first); deleted ones only if answered."""
        replies: dict[int, list[Comment]] = {}
        for comment in self.comments:
            if comment.parent_id is not None and not comment.deleted:
                replies.setdefault(comment.parent_id, []).append(comment)
        roots = [
            (comment, replies.get(comment.id, []))
            for comment in self.comments
            if comment.parent_id is None and (not comment.deleted or replies.get(comment.id))
        ]
        return list(reversed(roots)) if newest_first else roots

    @property
    def visible_comment_count(self) -> int:
        return sum(1 for comment in self.comments if not comment.deleted)


class Step(db.Model):
    """One step towards a goal, ticked off by the resident or the contact person."""

    __tablename__ = "plan_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("plan_goals.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    goal: Mapped[Goal] = relationship(back_populates="steps")

    @property
    def done(self) -> bool:
        return self.done_at is not None


class Comment(db.Model):
    """A staff comment on a goal, or a reaction to one (parent_id) by the resident or staff."""

    __tablename__ = "plan_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("plan_goals.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan_comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Deleted comments keep their row (empty body) so reactions to them keep their place.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    goal: Mapped[Goal] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def changeable_by(self, user: User, now: datetime | None = None) -> bool:
        """Only the author, only within the first 15 minutes, and not after deletion."""
        now = now or utcnow()
        return self.author_id == user.id and not self.deleted and now - self.created_at <= COMMENT_EDIT_WINDOW


class Block(db.Model):
    """One building block on the road of civic integration, with its state and date."""

    __tablename__ = "plan_blocks"
    __table_args__ = (
        UniqueConstraint("resident_id", "kind"),
        CheckConstraint(_in("kind", BlockKind), name="kind"),
        CheckConstraint(_in("state", BlockState), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default=BlockState.UPCOMING.value)
    on_date: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
