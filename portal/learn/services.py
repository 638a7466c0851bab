"""Writes of the learn area: the self-check, reading a lesson screen by screen, answering quizzes, and the
contact person assigning a module. None of them commits (the request is the unit of work)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db, utcnow
from portal.domain import DomainError, NotFound
from portal.i18n import _
from portal.learn.content import Lesson, Module, catalogue, lesson_doc
from portal.learn.models import CheckResult, LessonProgress, ModuleProgress, QuizAnswer
from portal.learn.rules import DONT_KNOW, check_levels

M = TypeVar("M")


def check_submit(*, resident: Resident, answers: Mapping[str, str]) -> CheckResult:
    """Store a completed self-check. Every question needs an option or "I don't know"; other fields are ignored."""
    cat = catalogue()
    chosen: dict[str, str] = {}
    for question in cat.check:
        option = answers.get(question.id)
        if option is None or option == "":
            raise DomainError(_("Kies bij elke vraag een antwoord, of ‘Ik weet het niet’."), field=question.id)
        if option != DONT_KNOW and option not in question.options:
            raise DomainError(_("Dit antwoord kennen we niet. Kies een van de antwoorden."), field=question.id)
        chosen[question.id] = option
    levels = check_levels(cat, chosen)
    result = CheckResult(resident_id=resident.id, answers=chosen, levels={k: v.value for k, v in levels.items()},
                         correct=sum(chosen[q.id] == q.answer for q in cat.check), total=len(cat.check))
    db.session.add(result)
    db.session.flush()
    return result


def _row(model: type[M], **keys: Any) -> M:
    """The progress row with these keys, made when missing; a concurrent request making it too is no error."""
    found = db.session.scalar(select(model).filter_by(**keys))
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            found = model(**keys)
            db.session.add(found)
    except IntegrityError:
        found = db.session.scalar(select(model).filter_by(**keys))
    return found


def _find(module_slug: str, lesson_slug: str | None = None) -> tuple[Module, Lesson | None]:
    module = catalogue().module(module_slug)
    lesson = module.lesson(lesson_slug) if module and lesson_slug is not None else None
    if module is None or (lesson_slug is not None and lesson is None):
        raise NotFound(_("Deze les bestaat niet."))
    return module, lesson


def lesson_open(resident: Resident, module: Module, lesson: Lesson) -> bool:
    """Lessons go in order: the first is open, and each next one once the quiz before it is passed."""
    if lesson.number == 1:
        return True
    before = module.lessons[lesson.number - 2]
    return db.session.scalar(
        select(LessonProgress.id).where(LessonProgress.resident_id == resident.id,
                                        LessonProgress.module == module.slug, LessonProgress.lesson == before.slug,
                                        LessonProgress.passed_at.is_not(None))) is not None


def _touch_module(resident: Resident, module: Module) -> ModuleProgress:
    progress = _row(ModuleProgress, resident_id=resident.id, module=module.slug)
    progress.started_at = progress.started_at or utcnow()
    progress.updated_at = utcnow()
    return progress


def screen_read(*, resident: Resident, module_slug: str, lesson_slug: str, screen: int) -> LessonProgress:
    """Screen `screen` (1-based) of a lesson is read; after the last screen the quiz opens."""
    module, lesson = _find(module_slug, lesson_slug)
    assert lesson is not None
    if not lesson_open(resident, module, lesson):
        raise DomainError(_("Maak eerst de les hiervoor af."))
    screens = len(lesson_doc(module, lesson, "nl").screens)
    progress = _row(LessonProgress, resident_id=resident.id, module=module.slug, lesson=lesson.slug)
    if not 1 <= screen <= min(screens, progress.screen + 1):
        raise DomainError(_("Lees de les scherm voor scherm."))
    progress.screen = max(progress.screen, screen)
    if progress.screen >= screens and progress.read_at is None:
        progress.read_at = utcnow()
    progress.updated_at = utcnow()
    _touch_module(resident, module)
    db.session.flush()
    return progress


def _attempt_answers(progress: LessonProgress) -> list[QuizAnswer]:
    return list(db.session.scalars(select(QuizAnswer).where(
        QuizAnswer.resident_id == progress.resident_id, QuizAnswer.module == progress.module,
        QuizAnswer.lesson == progress.lesson, QuizAnswer.attempt == progress.attempt)))


def quiz_answer(*, resident: Resident, module_slug: str, lesson_slug: str, question_id: str,
                option: str | None) -> QuizAnswer:
    """The first answer to a question in this attempt counts; sending it again changes nothing. After the last
    question the quiz is scored and, when passed, the lesson (and maybe the module) is done."""
    module, lesson = _find(module_slug, lesson_slug)
    assert lesson is not None
    question = lesson.question(question_id)
    if question is None:
        raise NotFound(_("Deze vraag bestaat niet."))
    progress = db.session.scalar(select(LessonProgress).filter_by(resident_id=resident.id, module=module.slug,
                                                                  lesson=lesson.slug))
    if progress is None or progress.read_at is None:
        raise DomainError(_("Lees eerst de les. Daarna kun je de vragen maken."))
    if not option:
        raise DomainError(_("Kies een antwoord."), field=question.id)
    if option not in question.options:
        raise DomainError(_("Dit antwoord kennen we niet. Kies een van de antwoorden."), field=question.id)
    answers = {answer.question: answer for answer in _attempt_answers(progress)}
    if question.id in answers:
        return answers[question.id]
    answer = QuizAnswer(resident_id=resident.id, module=module.slug, lesson=lesson.slug, attempt=progress.attempt,
                        question=question.id, option=option, correct=option == question.answer)
    try:
        with db.session.begin_nested():
            db.session.add(answer)
    except IntegrityError:  # the same answer arrived twice at once
        return next(a for a in _attempt_answers(progress) if a.question == question.id)
    answers[question.id] = answer
    progress.updated_at = utcnow()
    if len(answers) == len(lesson.quiz):
        right = sum(a.correct for a in answers.values())
        if len(lesson.quiz) - right <= lesson.allowed_wrong and progress.passed_at is None:
            progress.passed_at, progress.score, progress.questions = utcnow(), right, len(lesson.quiz)
            _complete_module(resident, module)
    _touch_module(resident, module)
    db.session.flush()
    return answer


def _complete_module(resident: Resident, module: Module) -> None:
    db.session.flush()
    passed = set(db.session.scalars(select(LessonProgress.lesson).where(
        LessonProgress.resident_id == resident.id, LessonProgress.module == module.slug,
        LessonProgress.passed_at.is_not(None))))
    if {lesson.slug for lesson in module.lessons} <= passed:
        progress = _touch_module(resident, module)
        progress.completed_at = progress.completed_at or utcnow()


def quiz_retry(*, resident: Resident, module_slug: str, lesson_slug: str) -> LessonProgress:
    """Start the quiz of a lesson again, once every question of this attempt has an answer."""
    module, lesson = _find(module_slug, lesson_slug)
    assert lesson is not None
    progress = db.session.scalar(select(LessonProgress).filter_by(resident_id=resident.id, module=module.slug,
                                                                  lesson=lesson.slug))
    if progress is None or progress.read_at is None:
        raise DomainError(_("Lees eerst de les. Daarna kun je de vragen maken."))
    if len(_attempt_answers(progress)) < len(lesson.quiz):
        raise DomainError(_("Beantwoord eerst alle vragen."))
    progress.attempt += 1
    progress.updated_at = utcnow()
    db.session.flush()
    return progress


def module_assign(*, resident: Resident, module_slug: str, actor: User) -> ModuleProgress:
    """The contact person asks the resident to do a module; it shows on the resident's home page."""
    module = catalogue().module(module_slug or "")
    if module is None:
        raise DomainError(_("Kies een module."), field="module")
    progress = _row(ModuleProgress, resident_id=resident.id, module=module.slug)
    if progress.assigned_at is None:
        progress.assigned_at, progress.assigned_by_id = utcnow(), actor.id
        progress.updated_at = utcnow()
    db.session.flush()
    return progress


def module_unassign(*, resident: Resident, module_slug: str) -> ModuleProgress:
    """Take back the request to do a module (progress made stays)."""
    progress = db.session.scalar(select(ModuleProgress).filter_by(resident_id=resident.id, module=module_slug))
    if progress is None or progress.assigned_at is None:
        raise NotFound(_("Deze module is niet toegewezen."))
    progress.assigned_at, progress.assigned_by_id = None, None
    db.session.flush()
    return progress
