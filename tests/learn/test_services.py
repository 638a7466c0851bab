"""The rules of learning: self-check levels and advice, reading in order, quizzes, completion, assignment."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.db import db
from portal.domain import DomainError, NotFound
from portal.learn import services
from portal.learn.content import catalogue
from portal.learn.models import CheckResult, LessonProgress, Level, ModuleProgress, QuizAnswer
from portal.learn.rules import check_levels, recommended
from tests.factories import make_caseworker, make_resident
from tests.learn.factories import (
    answer_quiz,
    check_answers,
    complete_module,
    first_module,
    pass_lesson,
    read_lesson,
    screens,
    wrong_option,
)


def _questions_of(competence: str):
    return [q for q in catalogue().check if q.competence == competence]


def test_levels_per_competence_all_right_is_strong_half_is_practise_less_is_help(ctx) -> None:
    cat = catalogue()
    competence = next(c for c in {q.competence for q in cat.check} if len(_questions_of(c)) == 2)
    first, second = _questions_of(competence)
    both = {first.id: first.answer, second.id: second.answer}
    one = {first.id: first.answer, second.id: wrong_option(second)}
    none = {first.id: "?", second.id: wrong_option(second)}
    assert check_levels(cat, both)[competence] == Level.STRONG
    assert check_levels(cat, one)[competence] == Level.PRACTISE
    assert check_levels(cat, none)[competence] == Level.HELP


def test_a_competence_of_three_questions_needs_two_right_to_practise(ctx) -> None:
    cat = catalogue()
    competence = next(c for c in {q.competence for q in cat.check} if len(_questions_of(c)) == 3)
    questions = _questions_of(competence)
    two = {q.id: q.answer for q in questions[:2]} | {questions[2].id: "?"}
    one = {questions[0].id: questions[0].answer} | {q.id: "?" for q in questions[1:]}
    assert check_levels(cat, two)[competence] == Level.PRACTISE
    assert check_levels(cat, one)[competence] == Level.HELP


def test_advice_puts_help_before_practise_and_leaves_out_strong_and_completed(ctx) -> None:
    cat = catalogue()
    letters, budget, debt = (cat.module_for(c) for c in ("letters", "budget", "debt"))
    levels = {"letters": "practise", "budget": "strong", "debt": "help", "saving": "practise"}
    advice = recommended(cat, levels)
    assert advice[0] == debt  # help first
    assert budget not in advice  # strong: nothing to do
    assert advice.index(letters) < advice.index(cat.module_for("saving"))  # then in module order
    assert letters not in recommended(cat, levels, completed={letters.slug})


def test_check_submit_stores_answers_and_levels(ctx) -> None:
    resident = make_resident()
    result = services.check_submit(resident=resident, answers=check_answers(right={"letters"}))
    assert result.levels["letters"] == Level.STRONG
    assert result.levels["debt"] == Level.HELP
    assert result.correct == len(_questions_of("letters"))
    assert result.total == len(catalogue().check)


def test_check_needs_an_answer_to_every_question(ctx) -> None:
    resident = make_resident()
    answers = check_answers()
    missing = catalogue().check[3].id
    del answers[missing]
    with pytest.raises(DomainError) as refused:
        services.check_submit(resident=resident, answers=answers)
    assert refused.value.field == missing
    assert db.session.scalar(select(func.count(CheckResult.id))) == 0


def test_a_tampered_self_check_answer_is_refused(ctx) -> None:
    resident = make_resident()
    answers = check_answers() | {catalogue().check[0].id: "z"}
    with pytest.raises(DomainError):
        services.check_submit(resident=resident, answers=answers)


def test_earlier_results_are_kept(ctx) -> None:
    resident = make_resident()
    services.check_submit(resident=resident, answers=check_answers())
    services.check_submit(resident=resident, answers=check_answers(everything_right=True))
    assert db.session.scalar(select(func.count(CheckResult.id)).where(CheckResult.resident_id == resident.id)) == 2


def test_screens_are_read_in_order_and_the_last_opens_the_quiz(ctx) -> None:
    resident = make_resident()
    module = first_module()
    lesson = module.lessons[0]
    with pytest.raises(DomainError):  # skipping ahead
        services.screen_read(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug, screen=2)
    progress = services.screen_read(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug, screen=1)
    assert progress.screen == 1 and progress.read_at is None
    read_lesson(resident, module, lesson)
    assert progress.screen == screens(module, lesson) and progress.read_at is not None
    started = db.session.scalar(select(ModuleProgress).filter_by(resident_id=resident.id, module=module.slug))
    assert started.started_at is not None and started.completed_at is None


def test_a_later_lesson_opens_only_after_the_quiz_before_it_is_passed(ctx) -> None:
    resident = make_resident()
    module = first_module()
    second = module.lessons[1]
    with pytest.raises(DomainError):
        services.screen_read(resident=resident, module_slug=module.slug, lesson_slug=second.slug, screen=1)
    pass_lesson(resident, module, module.lessons[0])
    assert services.screen_read(resident=resident, module_slug=module.slug, lesson_slug=second.slug, screen=1)


def test_a_quiz_of_a_lesson_not_yet_read_is_refused(ctx) -> None:
    resident = make_resident()
    module = first_module()
    lesson = module.lessons[0]
    question = lesson.quiz[0]
    with pytest.raises(DomainError):
        services.quiz_answer(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug,
                             question_id=question.id, option=question.answer)
    assert db.session.scalar(select(func.count(QuizAnswer.id))) == 0


def test_a_quiz_stays_closed_until_the_last_screen_is_read(ctx) -> None:
    resident = make_resident()
    module = first_module()
    lesson = module.lessons[0]
    services.screen_read(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug, screen=1)
    question = lesson.quiz[0]
    with pytest.raises(DomainError):
        services.quiz_answer(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug,
                             question_id=question.id, option=question.answer)
    with pytest.raises(DomainError):
        services.quiz_retry(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug)


def test_unknown_modules_lessons_questions_and_options_are_refused(ctx) -> None:
    resident = make_resident()
    module = first_module()
    lesson = module.lessons[0]
    read_lesson(resident, module, lesson)
    with pytest.raises(NotFound):
        services.screen_read(resident=resident, module_slug="nope", lesson_slug=lesson.slug, screen=1)
    with pytest.raises(NotFound):
        services.quiz_answer(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug,
                             question_id="nope", option="a")
    with pytest.raises(DomainError):
        services.quiz_answer(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug,
                             question_id=lesson.quiz[0].id, option="z")


def test_the_first_answer_counts_and_sending_it_again_changes_nothing(ctx) -> None:
    resident = make_resident()
    module = first_module()
    lesson = module.lessons[0]
    read_lesson(resident, module, lesson)
    question = lesson.quiz[0]
    first = services.quiz_answer(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug,
                                 question_id=question.id, option=wrong_option(question))
    again = services.quiz_answer(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug,
                                 question_id=question.id, option=question.answer)
    assert again.id == first.id and again.correct is False
    assert db.session.scalar(select(func.count(QuizAnswer.id))) == 1


def test_a_quiz_passes_with_at_most_one_wrong_answer(ctx) -> None:
    resident = make_resident()
    module = first_module()
    first, second = module.lessons[0], module.lessons[1]
    pass_lesson(resident, module, first, wrong=1)
    progress = db.session.scalar(select(LessonProgress).filter_by(resident_id=resident.id, lesson=first.slug))
    assert progress.passed_at is not None
    assert progress.score == len(first.quiz) - 1 and progress.questions == len(first.quiz)
    pass_lesson(resident, module, second, wrong=2)
    failed = db.session.scalar(select(LessonProgress).filter_by(resident_id=resident.id, lesson=second.slug))
    assert failed.passed_at is None and failed.score is None


def test_retry_starts_a_new_attempt_only_when_every_question_is_answered(ctx) -> None:
    resident = make_resident()
    module = first_module()
    lesson = module.lessons[0]
    read_lesson(resident, module, lesson)
    question = lesson.quiz[0]
    services.quiz_answer(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug,
                         question_id=question.id, option=wrong_option(question))
    with pytest.raises(DomainError):
        services.quiz_retry(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug)
    answer_quiz(resident, module, lesson, wrong=len(lesson.quiz))
    progress = services.quiz_retry(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug)
    assert progress.attempt == 2
    answer_quiz(resident, module, lesson)
    assert progress.passed_at is not None and progress.score == len(lesson.quiz)


def test_a_module_is_complete_when_every_quiz_is_passed(ctx) -> None:
    resident = make_resident()
    module = first_module()
    for lesson in module.lessons[:-1]:
        pass_lesson(resident, module, lesson)
    progress = db.session.scalar(select(ModuleProgress).filter_by(resident_id=resident.id, module=module.slug))
    assert progress.completed_at is None
    pass_lesson(resident, module, module.lessons[-1])
    assert progress.completed_at is not None


def test_completing_one_module_leaves_the_others_and_other_residents_alone(ctx) -> None:
    resident, other = make_resident(), make_resident()
    complete_module(resident, first_module())
    assert db.session.scalar(select(func.count(ModuleProgress.id)).where(
        ModuleProgress.resident_id == other.id)) == 0
    assert db.session.scalar(select(func.count(ModuleProgress.id)).where(
        ModuleProgress.completed_at.is_not(None))) == 1


def test_assign_and_unassign_a_module(ctx) -> None:
    caseworker = make_caseworker()
    resident = make_resident(contact_person=caseworker)
    module = catalogue().modules[2]
    progress = services.module_assign(resident=resident, module_slug=module.slug, actor=caseworker)
    assert progress.assigned_at is not None and progress.assigned_by_id == caseworker.id
    with pytest.raises(DomainError):
        services.module_assign(resident=resident, module_slug="nope", actor=caseworker)
    services.module_unassign(resident=resident, module_slug=module.slug)
    assert progress.assigned_at is None
    with pytest.raises(NotFound):
        services.module_unassign(resident=resident, module_slug=module.slug)
