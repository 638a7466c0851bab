"""Demo data of learning about money: amina did the self-check five weeks ago and completed the two modules
it advised most, and her contact person asked her to do a third; yonas is half-way through one module; about
half of the other residents did the self-check, a third started a module and some completed one or more.

amina and yonas go through the services (so their quiz answers exist); the others are inserted in bulk.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, update

from portal.caseload.models import Resident
from portal.db import db
from portal.learn import services
from portal.learn.content import catalogue, lesson_doc
from portal.learn.models import CheckResult, LessonProgress, ModuleProgress, QuizAnswer
from portal.learn.rules import DONT_KNOW, check_levels, recommended


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _read(resident: Resident, module, lesson, *, upto: int | None = None) -> None:
    screens = len(lesson_doc(module, lesson, "nl").screens)
    for number in range(1, (upto or screens) + 1):
        services.screen_read(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug, screen=number)


def _pass(resident: Resident, module, lesson, *, wrong: int = 0) -> None:
    _read(resident, module, lesson)
    for index, question in enumerate(lesson.quiz):
        option = next(o for o in question.options if o != question.answer) if index < wrong else question.answer
        services.quiz_answer(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug,
                             question_id=question.id, option=option)


def _backdate(resident: Resident, when: datetime) -> None:
    """What the services stamped now happened at `when` (the demo tells a story over weeks)."""
    for model, columns in ((ModuleProgress, ("started_at", "updated_at")),
                           (LessonProgress, ("updated_at",)), (QuizAnswer, ("answered_at",))):
        values = {column: when for column in columns}
        db.session.execute(update(model).where(model.resident_id == resident.id).values(**values))
    db.session.execute(update(LessonProgress).where(LessonProgress.resident_id == resident.id,
                                                    LessonProgress.read_at.is_not(None)).values(read_at=when))
    db.session.execute(update(LessonProgress).where(LessonProgress.resident_id == resident.id,
                                                    LessonProgress.passed_at.is_not(None)).values(passed_at=when))
    db.session.execute(update(ModuleProgress).where(ModuleProgress.resident_id == resident.id,
                                                    ModuleProgress.completed_at.is_not(None)).values(completed_at=when))


def _amina(ctx) -> None:
    cat = catalogue()
    amina, today = ctx.amina, ctx.today
    strong = {"letters", "insurance", "saving"}
    answers = {q.id: q.answer if q.competence in strong else DONT_KNOW for q in cat.check}
    first = next(q for q in cat.check if q.competence == "banking")
    answers[first.id] = first.answer  # banking: to practise
    result = services.check_submit(resident=amina, answers=answers)
    result.taken_at = _at(today - timedelta(days=35))
    for slug in ("allowances", "budget"):
        module = cat.module_for(slug)
        assert module is not None
        for number, lesson in enumerate(module.lessons):
            _pass(amina, module, lesson, wrong=1 if number == 1 else 0)
    db.session.flush()
    _backdate(amina, _at(today - timedelta(days=12)))
    banking = cat.module_for("banking")
    assert banking is not None
    assigned = services.module_assign(resident=amina, module_slug=banking.slug, actor=amina.contact_person)
    assigned.assigned_at = assigned.updated_at = _at(today - timedelta(days=3), 14)


def _yonas(ctx) -> None:
    cat = catalogue()
    yonas = ctx.yonas
    module = cat.module_for("banking")
    assert module is not None and len(module.lessons) >= 2
    _pass(yonas, module, module.lessons[0])
    _read(yonas, module, module.lessons[1], upto=1)
    db.session.flush()
    _backdate(yonas, _at(ctx.today - timedelta(days=2), 19))


def _others(ctx) -> None:
    """Bulk rows for the rest: a self-check for about half, modules started by a third, some completed."""
    cat = catalogue()
    rng, today = ctx.rng, ctx.today
    fixed = {ctx.amina.id, ctx.yonas.id}
    checks, modules, lessons = [], [], []
    for resident in ctx.residents:
        if resident.id in fixed or rng.random() > 0.5:
            continue
        skill = rng.uniform(0.2, 0.95)  # how much this person already knows
        answers = {q.id: q.answer if rng.random() < skill else rng.choice([*q.options, DONT_KNOW]) for q in cat.check}
        levels = check_levels(cat, answers)
        taken = today - timedelta(days=rng.randint(5, 300))
        checks.append({"resident_id": resident.id, "taken_at": _at(taken), "answers": answers,
                       "levels": {k: v.value for k, v in levels.items()},
                       "correct": sum(answers[q.id] == q.answer for q in cat.check), "total": len(cat.check)})
        if rng.random() > 0.65:
            continue
        for order, module in enumerate(recommended(cat, levels)[:rng.choice([1, 1, 2, 3])]):
            started = taken + timedelta(days=2 + 7 * order)
            if started >= today:
                break
            done = rng.random() < 0.55
            asked = rng.random() < 0.2  # the contact person asked for it
            passed_count = len(module.lessons) if done else rng.randint(0, len(module.lessons) - 1)
            stamp = _at(min(started + timedelta(days=10), today - timedelta(days=1)), 20)
            modules.append({"resident_id": resident.id, "module": module.slug, "started_at": _at(started, 20),
                            "completed_at": stamp if done else None,
                            "assigned_at": _at(started, 11) if asked else None,
                            "assigned_by_id": resident.contact_person_id if asked else None,
                            "updated_at": stamp})
            for lesson in module.lessons[:passed_count + (0 if done else 1)]:
                passed = lesson.number <= passed_count
                screens = len(lesson_doc(module, lesson, "nl").screens)
                screen = screens if passed else rng.randint(1, screens)
                questions = len(lesson.quiz)
                score = questions - (1 if questions >= 3 and rng.random() < 0.3 else 0)
                lessons.append({"resident_id": resident.id, "module": module.slug, "lesson": lesson.slug,
                                "screen": screen, "read_at": stamp if screen == screens else None,
                                "attempt": 1 + (rng.random() < 0.15),
                                "passed_at": stamp if passed else None, "score": score if passed else None,
                                "questions": questions if passed else None, "updated_at": stamp})
    for model, rows in ((CheckResult, checks), (ModuleProgress, modules), (LessonProgress, lessons)):
        if rows:
            db.session.execute(insert(model), rows)


def seed(ctx) -> None:
    """Add this area's fictitious demo data (ctx: portal.demo.DemoContext)."""
    _amina(ctx)
    _yonas(ctx)
    _others(ctx)
    db.session.flush()
