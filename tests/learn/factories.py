"""Learn test helpers, driven by the shipped content (no module or answer is written out here).

read_lesson(resident, module, lesson) reads every screen; answer_quiz(..., wrong=n) answers the lesson's quiz
with n wrong first answers; complete_module(resident, module) passes every lesson. Call inside an app context;
they flush, the test commits.
"""

from __future__ import annotations

from portal.caseload.models import Resident
from portal.learn import services
from portal.learn.content import Lesson, Module, catalogue, lesson_doc


def first_module() -> Module:
    return catalogue().modules[0]


def wrong_option(question) -> str:
    return next(option for option in question.options if option != question.answer)


def screens(module: Module, lesson: Lesson) -> int:
    return len(lesson_doc(module, lesson, "nl").screens)


def read_lesson(resident: Resident, module: Module, lesson: Lesson) -> None:
    for number in range(1, screens(module, lesson) + 1):
        services.screen_read(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug, screen=number)


def answer_quiz(resident: Resident, module: Module, lesson: Lesson, *, wrong: int = 0) -> None:
    for index, question in enumerate(lesson.quiz):
        option = wrong_option(question) if index < wrong else question.answer
        services.quiz_answer(resident=resident, module_slug=module.slug, lesson_slug=lesson.slug,
                             question_id=question.id, option=option)


def pass_lesson(resident: Resident, module: Module, lesson: Lesson, *, wrong: int = 0) -> None:
    read_lesson(resident, module, lesson)
    answer_quiz(resident, module, lesson, wrong=wrong)


def complete_module(resident: Resident, module: Module) -> None:
    for lesson in module.lessons:
        pass_lesson(resident, module, lesson)


def check_answers(*, right: set[str] | None = None, everything_right: bool = False) -> dict[str, str]:
    """Self-check answers: the right option for the competences in `right` (or all), "I don't know" elsewhere."""
    return {q.id: q.answer if everything_right or (right and q.competence in right) else "?"
            for q in catalogue().check}
