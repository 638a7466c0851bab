"""The resident's learning pages: the self-check, reading a lesson screen by screen and resuming, quizzes with
immediate feedback (page and htmx fragment), certificates, the home card, Dutch fallback and "also show Dutch"."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select, update

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db
from portal.learn.content import CONTENT, catalogue, lesson_doc, module_text
from portal.learn.models import CheckResult, LessonProgress, QuizAnswer
from tests.conftest import login, make_test_app
from tests.learn.factories import check_answers, complete_module, first_module, pass_lesson, read_lesson, wrong_option

pytestmark = pytest.mark.residents_read_dutch

HX = {"HX-Request": "true"}


def _resident(username: str) -> Resident:
    return db.session.scalar(select(Resident).join(Resident.user).where(User.username == username))


def _lesson_url(module, lesson, rest: str = "") -> str:
    return f"/learn/{module.slug}/{lesson.slug}{rest}"


def test_overview_lists_every_module_and_starts_with_the_self_check(app, client, world) -> None:
    login(client, "amina")
    page = client.get("/learn").get_data(as_text=True)
    with app.app_context():
        for module in catalogue().modules:
            assert module_text(module, "nl").title in page
    assert "Begin met de zelftest" in page


def test_the_self_check_says_the_contact_person_sees_the_result_before_it_starts(client, world) -> None:
    login(client, "amina")
    page = client.get("/learn/check").get_data(as_text=True)
    assert "Je contactpersoon ziet je uitslag" in page
    assert page.index("Je contactpersoon ziet je uitslag") < page.index('id="check-form"')
    assert "Ik weet het niet" in page


def test_a_completed_self_check_shows_levels_and_advice(app, client, world) -> None:
    login(client, "amina")
    with app.app_context():
        answers = check_answers(right={"letters", "budget"})
        debt = catalogue().module_for("debt")
        letters = catalogue().module_for("letters")
    response = client.post("/learn/check", data=answers)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dit kun je al goed" in page and "Hier kun je hulp bij gebruiken" in page
    advice = page[page.index('id="result-advice-heading"'):page.index("learn-answers")]
    with app.app_context():
        assert module_text(debt, "nl").title in advice
        assert module_text(letters, "nl").title not in advice  # strong: not advised
    overview = client.get("/learn").get_data(as_text=True)
    assert "Goed voor jou" in overview


def test_an_unanswered_question_gives_a_message_keeps_the_answers_and_stores_nothing(app, client, world) -> None:
    login(client, "amina")
    with app.app_context():
        answers = check_answers(everything_right=True)
        first, missing = catalogue().check[0], catalogue().check[5]
    del answers[missing.id]
    response = client.post("/learn/check", data=answers)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kies bij elke vraag een antwoord" in page
    assert f'href="#question-{missing.id}"' in page
    assert f'id="check-{first.id}-{first.answer}" name="{first.id}" value="{first.answer}" checked' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(CheckResult.id))) == 0


def test_tampered_and_extra_self_check_fields_change_nothing(app, client, world) -> None:
    login(client, "amina")
    with app.app_context():
        answers = check_answers() | {catalogue().check[0].id: "x" * 500}
    response = client.post("/learn/check", data=answers | {"resident_id": str(world.yonas_id)})
    assert response.status_code == 422
    with app.app_context():
        answers = check_answers()
    client.post("/learn/check", data=answers | {"resident_id": str(world.yonas_id), "correct": "99"})
    with app.app_context():
        rows = db.session.scalars(select(CheckResult)).all()
        assert [(r.resident_id, r.correct) for r in rows] == [(world.amina_id, 0)]


def test_nobody_sees_another_residents_result(app, client, world) -> None:
    login(client, "yonas")
    with app.app_context():
        answers = check_answers()
    location = client.post("/learn/check", data=answers).headers["Location"]
    client.post("/logout")
    other = app.test_client()
    login(other, "amina")
    assert other.get(location).status_code == 404
    assert other.get("/learn/check/99999999999").status_code == 404


def test_reading_saves_progress_after_every_screen_and_resumes_there(app, client, world) -> None:
    login(client, "yonas")
    with app.app_context():
        module = first_module()
        lesson = module.lessons[0]
        total = len(lesson_doc(module, lesson, "nl").screens)
    start = client.get(_lesson_url(module, lesson))
    assert start.headers["Location"].endswith(_lesson_url(module, lesson, "/1"))
    assert client.get(_lesson_url(module, lesson, "/2")).status_code == 303  # not reached yet
    moved = client.post(_lesson_url(module, lesson, "/1"))
    assert moved.status_code == 303 and moved.headers["Location"].endswith(_lesson_url(module, lesson, "/2"))
    again = app.test_client()  # another phone, or the same one after a lost connection
    login(again, "yonas")
    assert again.get(_lesson_url(module, lesson)).headers["Location"].endswith(_lesson_url(module, lesson, "/2"))
    for number in range(2, total + 1):
        last = again.post(_lesson_url(module, lesson, f"/{number}"))
    assert last.headers["Location"].endswith(_lesson_url(module, lesson, "/quiz"))
    with app.app_context():
        progress = db.session.scalar(select(LessonProgress))
        assert progress.screen == total and progress.read_at is not None


def test_screen_numbers_outside_the_lesson_and_unknown_names_are_404(app, client, world) -> None:
    login(client, "yonas")
    with app.app_context():
        module = first_module()
        lesson = module.lessons[0]
        total = len(lesson_doc(module, lesson, "nl").screens)
    for url in (f"/learn/{module.slug}/{lesson.slug}/0", f"/learn/{module.slug}/{lesson.slug}/{total + 1}",
                f"/learn/{module.slug}/{lesson.slug}/99999999999999999999", "/learn/nope",
                f"/learn/{module.slug}/nope", f"/learn/{module.slug}/nope/1", "/learn/nope/certificate"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/learn/{module.slug}/{lesson.slug}/{total + 1}").status_code == 404
    assert client.post(f"/learn/{module.slug}/{lesson.slug}/quiz/nope", data={"answer": "a"}).status_code == 404


def test_skipping_ahead_by_post_is_refused_and_stores_nothing(app, client, world) -> None:
    login(client, "yonas")
    with app.app_context():
        module = first_module()
        lesson, later = module.lessons[0], module.lessons[1]
    response = client.post(_lesson_url(module, lesson, "/2"))
    assert response.status_code == 422
    assert "Lees de les scherm voor scherm" in response.get_data(as_text=True)
    assert client.post(_lesson_url(module, later, "/1")).status_code == 422  # lesson 2 before lesson 1's quiz
    with app.app_context():
        assert db.session.scalar(select(func.count(LessonProgress.id))) == 0


def test_the_quiz_of_a_lesson_not_yet_read_cannot_be_opened_or_answered(app, client, world) -> None:
    login(client, "yonas")
    with app.app_context():
        module = first_module()
        lesson = module.lessons[0]
        question = lesson.quiz[0]
    assert client.get(_lesson_url(module, lesson, "/quiz")).status_code == 303
    response = client.post(_lesson_url(module, lesson, f"/quiz/{question.id}"), data={"answer": question.answer})
    assert response.status_code == 422
    assert "Lees eerst de les" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAnswer.id))) == 0


def test_a_quiz_answer_gives_immediate_explained_feedback_as_a_fragment(app, client, world) -> None:
    login(client, "yonas")
    with app.app_context():
        module = first_module()
        lesson = module.lessons[0]
        read_lesson(_resident("yonas"), module, lesson)
        db.session.commit()
        question = lesson.quiz[0]
        words = module_text(module, "nl").quiz[lesson.slug][question.id]
    wrong = wrong_option(question)
    response = client.post(_lesson_url(module, lesson, f"/quiz/{question.id}"), data={"answer": wrong}, headers=HX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert fragment.lstrip().startswith('<section id="quiz"')
    assert "Niet goed. Het goede antwoord is: " + words.options[question.answer] in fragment
    assert words.explanation.split("{")[0][:40] in fragment
    assert "data-focus" in fragment  # focus goes to the feedback, not to the top


def test_without_javascript_an_answer_redirects_back_to_its_question(app, client, world) -> None:
    login(client, "yonas")
    with app.app_context():
        module = first_module()
        lesson = module.lessons[0]
        read_lesson(_resident("yonas"), module, lesson)
        db.session.commit()
        question = lesson.quiz[0]
    response = client.post(_lesson_url(module, lesson, f"/quiz/{question.id}"), data={"answer": question.answer})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/quiz#question-{question.id}")
    assert "Goed!" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_tampered_quiz_answer_is_refused_and_stores_nothing(app, client, world) -> None:
    login(client, "yonas")
    with app.app_context():
        module = first_module()
        lesson = module.lessons[0]
        read_lesson(_resident("yonas"), module, lesson)
        db.session.commit()
        question = lesson.quiz[0]
    for bad in ("z", "", "a" * 1000):
        response = client.post(_lesson_url(module, lesson, f"/quiz/{question.id}"), data={"answer": bad})
        assert response.status_code == 422, bad
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAnswer.id))) == 0


def test_a_failed_quiz_offers_another_try_and_a_passed_one_the_next_lesson(app, client, world) -> None:
    login(client, "yonas")
    with app.app_context():
        module = first_module()
        lesson = module.lessons[0]
        pass_lesson(_resident("yonas"), module, lesson, wrong=len(lesson.quiz))
        db.session.commit()
    page = client.get(_lesson_url(module, lesson, "/quiz")).get_data(as_text=True)
    assert "Je had 0 van de" in page and "Maak de vragen opnieuw" in page and "Naar les 2" not in page
    assert client.post(_lesson_url(module, lesson, "/quiz/retry")).status_code == 303
    for question in lesson.quiz:
        client.post(_lesson_url(module, lesson, f"/quiz/{question.id}"), data={"answer": question.answer})
    page = client.get(_lesson_url(module, lesson, "/quiz")).get_data(as_text=True)
    assert "Poging 2" in page and "Deze les is klaar." in page and "Naar les 2" in page


def test_the_certificate_shows_only_for_a_completed_module(app, client, world) -> None:
    login(client, "amina")
    with app.app_context():
        module = first_module()
        title = module_text(module, "nl").title
    assert client.get(f"/learn/{module.slug}/certificate").status_code == 303
    with app.app_context():
        complete_module(_resident("amina"), module)
        db.session.commit()
    page = client.get(f"/learn/{module.slug}/certificate").get_data(as_text=True)
    assert "Certificaat" in page and "Amina Haddad" in page and title in page
    module_page = client.get(f"/learn/{module.slug}").get_data(as_text=True)
    assert "Bekijk je certificaat" in module_page


def test_the_home_card_shows_the_next_module_and_progress(app, client, world) -> None:
    login(client, "yonas")
    assert "Begin met de zelftest" in client.get("/").get_data(as_text=True)
    with app.app_context():
        module = first_module()
        pass_lesson(_resident("yonas"), module, module.lessons[0])
        db.session.commit()
        title = module_text(module, "nl").title
    home = client.get("/").get_data(as_text=True)
    card = home[home.index('id="card-learn"'):]
    assert "Je bent bezig met:" in card and title in card
    assert f"1 van {len(module.lessons)} lessen klaar" in card


def test_learn_pages_use_a_fixed_number_of_statements(app, client, world, count_queries) -> None:
    login(client, "amina")
    client.get("/learn")
    before = len(count_queries.statements)
    client.get("/learn")
    empty = len(count_queries.statements) - before
    with app.app_context():
        resident = _resident("amina")
        for module in catalogue().modules[:3]:
            complete_module(resident, module)
        db.session.commit()
    before = len(count_queries.statements)
    client.get("/learn")
    assert len(count_queries.statements) - before == empty


@pytest.mark.residents_read_dutch(False)
def test_a_lesson_missing_in_the_residents_language_shows_the_dutch_with_a_note(database_url, tmp_path, world) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    module_slug = sorted(p.name for p in (content / "modules").iterdir())[0]
    app = make_test_app(database_url, LEARN_CONTENT=str(content))
    with app.app_context():
        db.session.execute(update(User).where(User.username == "bob").values(language="en"))
        db.session.commit()
        module = catalogue().module(module_slug)
        lesson = module.lessons[0]
        dutch_title = lesson_doc(module, lesson, "nl").title
    (content / "modules" / module_slug / "en" / f"{lesson.slug}.md").unlink()
    client = app.test_client()
    login(client, "bob")
    page = client.get(f"/learn/{module_slug}/{lesson.slug}/1").get_data(as_text=True)
    assert "This lesson has not been translated into your language yet" in page
    assert 'lang="nl" dir="ltr">' in page and f"<span>{dutch_title}</span></h1>" in page


@pytest.mark.residents_read_dutch(False)
def test_also_show_dutch_puts_each_dutch_block_above_its_translation(app, client, world) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.username == "bob").values(language="en", show_dutch=True))
        db.session.commit()
        module = first_module()
        lesson = module.lessons[0]
        dutch = lesson_doc(module, lesson, "nl").screens[0]
        english = lesson_doc(module, lesson, "en").screens[0]
    login(client, "bob")
    page = client.get(_lesson_url(module, lesson, "/1")).get_data(as_text=True)
    assert page.count('class="lesson__pair"') == len(dutch.blocks) + 1  # the heading and every block
    assert page.index(dutch.heading) < page.index(english.heading)
