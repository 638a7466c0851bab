"""Learning about money in a real browser: yonas completes a lesson and its quiz on a 360 px phone in Tigrinya,
with JavaScript (htmx feedback, focus on it) and without, then sees his progress on his home page; axe-core clean
on every step, also with "also show Dutch"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.accounts.models import User
from portal.db import db
from portal.learn.content import lesson_doc, module_text
from tests.browser.conftest import assert_accessible
from tests.conftest import build_world
from tests.factories import PASSWORD
from tests.learn.factories import first_module

pytestmark = pytest.mark.browser


@pytest.fixture
def lesson(app):
    with app.app_context():
        build_world()  # yonas reads Tigrinya
        module = first_module()
        lesson = module.lessons[0]
        return {"module": module, "lesson": lesson, "screens": len(lesson_doc(module, lesson, "ti").screens),
                "title": module_text(module, "ti").title}


def _do_lesson(watched, lesson, *, javascript: bool) -> None:
    page = watched.page
    module, first = lesson["module"], lesson["lesson"]
    watched.goto(f"/learn/{module.slug}")
    page.locator(".learn-lesson__link").first.click()
    for number in range(1, lesson["screens"] + 1):
        expect(page.locator("progress")).to_have_attribute("value", str(number))
        expect(page.locator(".lesson__block").first).to_have_attribute("lang", "ti")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        if number == 1 and javascript:  # axe-core runs as JavaScript; the same pages are checked with it on
            assert_accessible(page)
        page.locator(".learn-screen__nav button[type=submit]").click()
    expect(page).to_have_url(f"{watched.base}/learn/{module.slug}/{first.slug}/quiz")
    if javascript:
        assert_accessible(page)
    for question in first.quiz:
        box = page.locator(f"#question-{question.id}")
        box.locator(f"#quiz-{question.id}-{question.answer}").check()
        box.locator("button[type=submit]").click()
        expect(page.locator(f"#question-{question.id} .learn-feedback-box--right")).to_be_visible()
        if javascript:  # htmx swapped the quiz in place and moved focus to the feedback
            expect(page.locator(f"#question-{question.id} .learn-feedback-box")).to_be_focused()
    expect(page.locator("#quiz-result")).to_be_visible()
    if javascript:
        assert_accessible(page)


def test_yonas_completes_a_lesson_on_a_phone_in_tigrinya_and_sees_it_at_home(phone, lesson, app) -> None:
    phone.sign_in("yonas", PASSWORD)
    _do_lesson(phone, lesson, javascript=True)
    page = phone.page
    page.evaluate("window.__marker = 'same page'")  # (the next click is a real navigation)
    phone.goto("/")
    card = page.locator("#card-learn")
    expect(card).to_contain_text(lesson["title"])
    expect(card.locator("progress")).to_have_attribute("value", "1")
    assert_accessible(page)
    phone.assert_clean()


def test_yonas_does_the_same_without_javascript(phone_without_js, lesson, app) -> None:
    phone_without_js.sign_in("yonas", PASSWORD)
    _do_lesson(phone_without_js, lesson, javascript=False)
    phone_without_js.goto("/")
    expect(phone_without_js.page.locator("#card-learn progress")).to_have_attribute("value", "1")


def test_also_show_dutch_pairs_every_block_and_stays_accessible(phone, lesson, app) -> None:
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "yonas")).show_dutch = True
        db.session.commit()
    phone.sign_in("yonas", PASSWORD)
    module, first = lesson["module"], lesson["lesson"]
    phone.goto(f"/learn/{module.slug}/{first.slug}/1")
    page = phone.page
    expect(page.locator(".lesson__pair .bilingual__nl").first).to_be_visible()
    expect(page.locator(".lesson__pair .bilingual__own").first).to_have_attribute("lang", "ti")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    phone.goto("/learn/check")
    expect(page.locator(".learn-question .bilingual__nl").first).to_be_visible()
    assert_accessible(page)
    phone.assert_clean()
