"""Reads of the learn area, each in a fixed number of statements: the resident's overview, one module, one
lesson's quiz, the home card, the staff panel and the data export."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from portal.caseload.models import Resident
from portal.db import db
from portal.learn.content import Lesson, Module, catalogue
from portal.learn.models import CheckResult, LessonProgress, ModuleProgress, QuizAnswer
from portal.learn.rules import recommended


@dataclass
class ModuleState:
    module: Module
    progress: ModuleProgress | None
    lessons: dict[str, LessonProgress] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(1 for p in self.lessons.values() if p.passed_at is not None)

    @property
    def completed(self) -> bool:
        return bool(self.progress and self.progress.completed_at)

    @property
    def started(self) -> bool:
        return bool(self.lessons) or bool(self.progress and self.progress.started_at)

    @property
    def assigned(self) -> bool:
        return bool(self.progress and self.progress.assigned_at)

    @property
    def score(self) -> tuple[int, int]:
        """Right first answers over questions, in the passed quizzes."""
        passed = [p for p in self.lessons.values() if p.passed_at is not None]
        return sum(p.score or 0 for p in passed), sum(p.questions or 0 for p in passed)

    def is_open(self, lesson: Lesson) -> bool:
        if lesson.number == 1:
            return True
        before = self.lessons.get(self.module.lessons[lesson.number - 2].slug)
        return bool(before and before.passed_at)

    def next_lesson(self) -> Lesson | None:
        """Where to go on: the first lesson whose quiz is not passed yet."""
        return next((lesson for lesson in self.module.lessons
                     if not (self.lessons.get(lesson.slug) and self.lessons[lesson.slug].passed_at)), None)


@dataclass
class Overview:
    modules: list[ModuleState]
    latest_check: CheckResult | None
    recommended: list[Module]
    check_questions: int = 0

    @property
    def assigned(self) -> list[ModuleState]:
        return [state for state in self.modules if state.assigned and not state.completed]

    @property
    def next(self) -> ModuleState | None:
        """The module to do next: one the contact person asked for, then one started, then a recommended one."""
        open_states = [s for s in self.modules if not s.completed]
        for state in sorted((s for s in open_states if s.assigned), key=lambda s: s.progress.assigned_at):  # type: ignore[union-attr]
            return state
        started = [s for s in open_states if s.started]
        if started:
            return max(started, key=lambda s: max([p.updated_at for p in s.lessons.values()]
                                                  + ([s.progress.updated_at] if s.progress else [])))
        for module in self.recommended:
            return next(s for s in self.modules if s.module.slug == module.slug)
        return None


def _states(resident_id: int) -> list[ModuleState]:
    progress = {p.module: p for p in db.session.scalars(
        select(ModuleProgress).where(ModuleProgress.resident_id == resident_id))}
    states = {module.slug: ModuleState(module=module, progress=progress.get(module.slug))
              for module in catalogue().modules}
    for lesson in db.session.scalars(select(LessonProgress).where(LessonProgress.resident_id == resident_id)):
        if lesson.module in states:
            states[lesson.module].lessons[lesson.lesson] = lesson
    return list(states.values())


def learn_overview(resident: Resident) -> Overview:
    """Every module with this resident's progress, the latest self-check and what it recommends (3 statements)."""
    states = _states(resident.id)
    latest = db.session.scalar(select(CheckResult).where(CheckResult.resident_id == resident.id)
                               .order_by(CheckResult.taken_at.desc(), CheckResult.id.desc()).limit(1))
    completed = {s.module.slug for s in states if s.completed}
    return Overview(modules=states, latest_check=latest, check_questions=len(catalogue().check),
                    recommended=recommended(catalogue(), latest.levels, completed=completed) if latest else [])


@dataclass(frozen=True)
class HomeModule:
    module: Module
    assigned: bool
    started: bool
    passed: int


@dataclass(frozen=True)
class HomeLearn:
    next: HomeModule | None
    latest_check: bool


def learn_home_card(resident: Resident) -> HomeLearn:
    """The home page's learning card: the module asked for, else the one in progress, else the first the latest
    self-check advises (1 statement, 2 when nothing is asked for or started)."""
    cat = catalogue()
    passed = (select(func.count(LessonProgress.id))
              .where(LessonProgress.resident_id == ModuleProgress.resident_id,
                     LessonProgress.module == ModuleProgress.module, LessonProgress.passed_at.is_not(None))
              .correlate(ModuleProgress).scalar_subquery())
    rows = db.session.execute(select(ModuleProgress, passed).where(ModuleProgress.resident_id == resident.id)).all()
    open_rows = [(p, n) for p, n in rows if p.completed_at is None and cat.module(p.module) is not None]
    assigned = sorted((r for r in open_rows if r[0].assigned_at), key=lambda r: r[0].assigned_at)
    started = sorted((r for r in open_rows if r[0].started_at), key=lambda r: r[0].updated_at, reverse=True)
    for progress, count in assigned + started:
        module = cat.module(progress.module)
        assert module is not None
        return HomeLearn(next=HomeModule(module=module, assigned=progress.assigned_at is not None,
                                         started=progress.started_at is not None, passed=count),
                         latest_check=True)
    latest = db.session.scalar(select(CheckResult.levels).where(CheckResult.resident_id == resident.id)
                               .order_by(CheckResult.taken_at.desc(), CheckResult.id.desc()).limit(1))
    if latest is None:
        return HomeLearn(next=None, latest_check=False)
    completed = {p.module for p, _ in rows if p.completed_at}
    advice = recommended(cat, latest, completed=completed)
    return HomeLearn(next=HomeModule(module=advice[0], assigned=False, started=False, passed=0) if advice else None,
                     latest_check=True)


def module_state(resident: Resident, module: Module) -> ModuleState:
    """One module with this resident's progress per lesson (2 statements)."""
    progress = db.session.scalar(select(ModuleProgress).filter_by(resident_id=resident.id, module=module.slug))
    state = ModuleState(module=module, progress=progress)
    for lesson in db.session.scalars(select(LessonProgress).filter_by(resident_id=resident.id, module=module.slug)):
        state.lessons[lesson.lesson] = lesson
    return state


def quiz_answers(progress: LessonProgress | None) -> dict[str, QuizAnswer]:
    """Question id → answer, in the current attempt of this lesson's quiz."""
    if progress is None:
        return {}
    return {a.question: a for a in db.session.scalars(select(QuizAnswer).where(
        QuizAnswer.resident_id == progress.resident_id, QuizAnswer.module == progress.module,
        QuizAnswer.lesson == progress.lesson, QuizAnswer.attempt == progress.attempt))}


def check_results(resident: Resident) -> list[CheckResult]:
    """Every self-check this resident did, newest first."""
    return list(db.session.scalars(select(CheckResult).where(CheckResult.resident_id == resident.id)
                                   .order_by(CheckResult.taken_at.desc(), CheckResult.id.desc())))


def check_result_get(resident: Resident, result_id: int) -> CheckResult | None:
    """One self-check result, only the resident's own."""
    return db.session.scalar(select(CheckResult).where(CheckResult.id == result_id,
                                                       CheckResult.resident_id == resident.id))


@dataclass
class StaffView:
    results: list[CheckResult]
    modules: list[ModuleState]
    attempts: dict[tuple[str, str], int]


def learn_staff_view(resident: Resident) -> StaffView:
    """For the contact person: self-check results over time, and modules with their quiz scores (3 statements)."""
    states = _states(resident.id)
    attempts = {(s.module.slug, slug): p.attempt for s in states for slug, p in s.lessons.items()}
    return StaffView(results=check_results(resident), modules=states, attempts=attempts)


def export_for_resident(resident: Resident) -> dict[str, Any]:
    """The learn part of "download all my data"."""
    view = learn_staff_view(resident)
    answers = db.session.scalars(select(QuizAnswer).where(QuizAnswer.resident_id == resident.id)
                                 .order_by(QuizAnswer.answered_at, QuizAnswer.id))
    def at(value) -> str | None:
        return value.isoformat() if value else None

    return {
        "self_checks": [{"taken_at": r.taken_at.isoformat(), "answers": r.answers, "levels": r.levels,
                         "correct": r.correct, "total": r.total} for r in view.results],
        "modules": [{"module": s.module.slug,
                     "assigned_at": at(s.progress and s.progress.assigned_at),
                     "started_at": at(s.progress and s.progress.started_at),
                     "completed_at": at(s.progress and s.progress.completed_at),
                     "lessons": [{"lesson": slug, "screens_read": p.screen, "attempt": p.attempt,
                                  "passed_at": at(p.passed_at),
                                  "score": p.score, "questions": p.questions} for slug, p in s.lessons.items()]}
                    for s in view.modules if s.progress or s.lessons],
        "quiz_answers": [{"module": a.module, "lesson": a.lesson, "attempt": a.attempt, "question": a.question,
                          "option": a.option, "correct": a.correct, "answered_at": a.answered_at.isoformat()}
                         for a in answers],
    }
