"""Routes of learn (financial self-reliance).

Resident:
  GET  /learn                                        index         modules, self-check, what to do next
  GET  /learn/check   POST /learn/check              check, check_submit   the self-check (toetsingskader)
  GET  /learn/check/<result>                         check_result  one result: level per competence, advice
  GET  /learn/<module>                               module        lessons with progress
  GET  /learn/<module>/certificate                   certificate   when every quiz is passed
  GET  /learn/<module>/<lesson>                      lesson        resume at the screen reached
  GET  /learn/<module>/<lesson>/<n>  POST …/<n>      screen, screen_done   read a screen; progress saved
  GET  /learn/<module>/<lesson>/quiz                 quiz          the lesson's questions
  POST /learn/<module>/<lesson>/quiz/<question>      quiz_answer   immediate, explained feedback
  POST /learn/<module>/<lesson>/quiz/retry           quiz_retry    try the quiz again
Staff (contact person only), under /staff/residents/<resident>/learn: see portal/learn/staff.py
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_login import current_user

from portal.domain import DomainError, NotFound
from portal.learn import services
from portal.learn.content import COMPETENCES, Lesson, Module, catalogue, lesson_doc
from portal.learn.queries import (
    check_result_get,
    check_results,
    export_for_resident,
    learn_overview,
    module_state,
    quiz_answers,
)
from portal.learn.rules import DONT_KNOW, recommended
from portal.learn.ui import learn_template_context, lesson_blocks, question_view
from portal.registry import add_export_section, add_resident_panel
from portal.roles import Role
from portal.web import access
from portal.web.htmx import render, wants_fragment
from portal.web.transaction import discard_writes

bp = Blueprint("learn", __name__)
bp.record_once(lambda state: add_resident_panel(state.app, "staff/learn/_panel.html"))
bp.record_once(lambda state: add_export_section(state.app, "learn", export_for_resident))
bp.app_context_processor(learn_template_context)

LESSON = "/learn/<module_slug>/<lesson_slug>"


def _module_or_404(slug: str) -> Module:
    module = catalogue().module(slug)
    if module is None:
        abort(404)
    return module


def _lesson_or_404(module_slug: str, lesson_slug: str) -> tuple[Module, Lesson]:
    module = _module_or_404(module_slug)
    lesson = module.lesson(lesson_slug)
    if lesson is None:
        abort(404)
    return module, lesson


@bp.route("/learn")
@access.roles(Role.RESIDENT)
def index() -> Response:
    return render("resident/learn/page.html", "resident/learn/_overview.html",
                  overview=learn_overview(current_user.resident))


def _check_page(*, status: int = 200, given: dict[str, str] | None = None, error: DomainError | None = None):
    resident = current_user.resident
    return render("resident/learn/check.html", "resident/learn/_check_form.html", status=status,
                  questions=[question_view(q) for q in catalogue().check], given=given or {}, error=error,
                  results=check_results(resident), dont_know=DONT_KNOW)


@bp.route("/learn/check")
@access.roles(Role.RESIDENT)
def check() -> Response:
    return _check_page()


@bp.route("/learn/check", methods=["POST"])
@access.roles(Role.RESIDENT)
def check_submit() -> Response:
    given = {q.id: request.form.get(q.id, "")[:8] for q in catalogue().check}
    try:
        result = services.check_submit(resident=current_user.resident, answers=given)
    except DomainError as error:
        discard_writes()
        return _check_page(status=422, given=given, error=error)
    return redirect(url_for("learn.check_result", result_id=result.id), code=303)


@bp.route("/learn/check/<int:result_id>")
@access.roles(Role.RESIDENT)
def check_result(result_id: int) -> Response:
    resident = current_user.resident
    result = check_result_get(resident, result_id)
    if result is None:
        abort(404)
    overview = learn_overview(resident)
    completed = {state.module.slug for state in overview.modules if state.completed}
    levels = [(competence, result.levels.get(competence)) for competence in COMPETENCES if competence in result.levels]
    return render("resident/learn/result.html", result=result, levels=levels, earlier=check_results(resident),
                  advice=recommended(catalogue(), result.levels, completed=completed),
                  questions=[question_view(q, answer=result.answers.get(q.id)) for q in catalogue().check])


@bp.route("/learn/<module_slug>")
@access.roles(Role.RESIDENT)
def module(module_slug: str) -> Response:
    found = _module_or_404(module_slug)
    return render("resident/learn/module.html", "resident/learn/_module.html",
                  state=module_state(current_user.resident, found))


@bp.route("/learn/<module_slug>/certificate")
@access.roles(Role.RESIDENT)
def certificate(module_slug: str) -> Response:
    found = _module_or_404(module_slug)
    state = module_state(current_user.resident, found)
    if not state.completed:
        return redirect(url_for("learn.module", module_slug=found.slug), code=303)
    return render("resident/learn/certificate.html", state=state, resident=current_user.resident)


def _progress(module: Module, lesson: Lesson):
    state = module_state(current_user.resident, module)
    return state, state.lessons.get(lesson.slug)


@bp.route(LESSON)
@access.roles(Role.RESIDENT)
def lesson(module_slug: str, lesson_slug: str) -> Response:
    found, chosen = _lesson_or_404(module_slug, lesson_slug)
    state, progress = _progress(found, chosen)
    if not state.is_open(chosen):
        return redirect(url_for("learn.module", module_slug=found.slug), code=303)
    if progress and progress.read_at:
        return redirect(url_for("learn.quiz", module_slug=found.slug, lesson_slug=chosen.slug), code=303)
    screens = len(lesson_doc(found, chosen, "nl").screens)
    screen_number = min((progress.screen if progress else 0) + 1, screens)
    return redirect(url_for("learn.screen", module_slug=found.slug, lesson_slug=chosen.slug, number=screen_number),
                    code=303)


def _screen_page(module: Module, lesson: Lesson, number: int, *, status: int = 200, error: str | None = None):
    state, progress = _progress(module, lesson)
    doc, blocks = lesson_blocks(module, lesson, number)
    return render("resident/learn/lesson.html", "resident/learn/_screen.html", status=status, state=state,
                  lesson=lesson, progress=progress, doc=doc, number=number, blocks=blocks, error=error)


@bp.route(f"{LESSON}/<int:number>")
@access.roles(Role.RESIDENT)
def screen(module_slug: str, lesson_slug: str, number: int) -> Response:
    found, chosen = _lesson_or_404(module_slug, lesson_slug)
    state, progress = _progress(found, chosen)
    screens = len(lesson_doc(found, chosen, "nl").screens)
    if not 1 <= number <= screens:
        abort(404)
    if not state.is_open(chosen) or number > (progress.screen if progress else 0) + 1:
        return redirect(url_for("learn.lesson", module_slug=found.slug, lesson_slug=chosen.slug), code=303)
    return _screen_page(found, chosen, number)


@bp.route(f"{LESSON}/<int:number>", methods=["POST"])
@access.roles(Role.RESIDENT)
def screen_done(module_slug: str, lesson_slug: str, number: int) -> Response:
    found, chosen = _lesson_or_404(module_slug, lesson_slug)
    screens = len(lesson_doc(found, chosen, "nl").screens)
    if not 1 <= number <= screens:
        abort(404)
    try:
        progress = services.screen_read(resident=current_user.resident, module_slug=found.slug,
                                        lesson_slug=chosen.slug, screen=number)
    except DomainError as error:
        discard_writes()
        return _screen_page(found, chosen, min(number, screens), status=422, error=error.message)
    if progress.read_at and number >= screens:
        target = url_for("learn.quiz", module_slug=found.slug, lesson_slug=chosen.slug)
    else:
        target = url_for("learn.screen", module_slug=found.slug, lesson_slug=chosen.slug, number=number + 1)
    return redirect(target, code=303)


def _quiz_page(module: Module, lesson: Lesson, *, status: int = 200, error: DomainError | None = None,
               answered: str | None = None) -> Response:
    state, progress = _progress(module, lesson)
    answers = quiz_answers(progress)
    questions = [question_view(q, module=module, lesson=lesson,
                               answer=answers[q.id].option if q.id in answers else None) for q in lesson.quiz]
    finished = len(answers) == len(lesson.quiz)
    right = sum(a.correct for a in answers.values())
    return render("resident/learn/quiz.html", "resident/learn/_quiz.html", status=status, state=state, lesson=lesson,
                  progress=progress, questions=questions, finished=finished, right=right, error=error,
                  answered=answered, doc=lesson_doc(module, lesson, "nl"))


@bp.route(f"{LESSON}/quiz")
@access.roles(Role.RESIDENT)
def quiz(module_slug: str, lesson_slug: str) -> Response:
    found, chosen = _lesson_or_404(module_slug, lesson_slug)
    state, progress = _progress(found, chosen)
    if not state.is_open(chosen) or progress is None or progress.read_at is None:
        return redirect(url_for("learn.lesson", module_slug=found.slug, lesson_slug=chosen.slug), code=303)
    return _quiz_page(found, chosen)


@bp.route(f"{LESSON}/quiz/<question_id>", methods=["POST"])
@access.roles(Role.RESIDENT)
def quiz_answer(module_slug: str, lesson_slug: str, question_id: str) -> Response:
    found, chosen = _lesson_or_404(module_slug, lesson_slug)
    if chosen.question(question_id) is None:
        abort(404)
    try:
        services.quiz_answer(resident=current_user.resident, module_slug=found.slug, lesson_slug=chosen.slug,
                             question_id=question_id, option=request.form.get("answer", "")[:8])
    except NotFound:
        abort(404)
    except DomainError as error:
        discard_writes()
        return _quiz_page(found, chosen, status=422, error=error, answered=question_id)
    if wants_fragment():
        return _quiz_page(found, chosen, answered=question_id)
    return redirect(url_for("learn.quiz", module_slug=found.slug, lesson_slug=chosen.slug,
                            _anchor=f"question-{question_id}"), code=303)


@bp.route(f"{LESSON}/quiz/retry", methods=["POST"])
@access.roles(Role.RESIDENT)
def quiz_retry(module_slug: str, lesson_slug: str) -> Response:
    found, chosen = _lesson_or_404(module_slug, lesson_slug)
    try:
        services.quiz_retry(resident=current_user.resident, module_slug=found.slug, lesson_slug=chosen.slug)
    except DomainError as error:
        discard_writes()
        return _quiz_page(found, chosen, status=422, error=error)
    return redirect(url_for("learn.quiz", module_slug=found.slug, lesson_slug=chosen.slug), code=303)


from portal.learn import staff  # noqa: E402, F401 - the staff routes register on bp
