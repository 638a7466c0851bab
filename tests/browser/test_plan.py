"""The plan in a real browser: sanne comments inline, amina reads it on a phone in Arabic, and ticks without JS."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db
from portal.plan.models import Goal
from tests.browser.conftest import PHONE, assert_accessible
from tests.conftest import build_world
from tests.factories import PASSWORD
from tests.i18n_text import t
from tests.plan.factories import make_baseline, make_block, make_comment, make_goal, make_plan, make_step

pytestmark = pytest.mark.browser

COMMENT = "Goed bezig met de lessen! Neem donderdag je taalpas mee."


@pytest.fixture
def cast(app):
    with app.app_context():
        world = build_world()  # amina's account language is Arabic
        amina = db.session.get(Resident, world.amina_id)
        make_plan(resident=amina, learning_route="b1")
        make_baseline(resident=amina, domain="language", score=2, text="Nederlands op niveau A1.")
        make_block(resident=amina, kind="warm_handover", state="done")
        make_block(resident=amina, kind="broad_intake", state="current", on_date=None)
        goal = make_goal(resident=amina, domain="language", title="Taalniveau A2 halen",
                         updated_by_id=world.sanne_id)
        step = make_step(goal=goal, text="Inschrijven bij de taalschool")
        make_step(goal=goal, text="Oefentoets maken", done=True)
        other = make_goal(resident=amina, domain="work", title="Een Nederlands cv maken")
        make_comment(goal=other, author=db.session.get(User, world.pieter_id), body="Ik help je.")
        db.session.commit()
        return SimpleNamespace(world=world, goal=goal.id, step=step.id)


def test_sanne_comments_inline_and_amina_reads_it_on_her_phone_in_arabic(desktop, phone, cast) -> None:
    page = desktop.page
    desktop.sign_in("sanne", PASSWORD)
    desktop.goto(f"/staff/residents/{cast.world.amina_id}")
    panel = page.locator("#plan-panel")
    expect(panel).to_contain_text("Taalniveau A2 halen")  # loaded lazily into the file
    assert_accessible(page)
    page.evaluate("window.__marker = 'same page'")
    goal = page.locator(f"#goal-{cast.goal}")
    goal.locator("summary").click()
    page.fill(f"#goal{cast.goal}-comment-body", COMMENT)
    goal.get_by_role("button", name="Opmerking plaatsen").click()
    thread = page.locator(f"#goal-{cast.goal}-comments")
    expect(thread).to_contain_text(COMMENT)
    expect(thread).to_contain_text("Sanne de Vries")
    expect(page.locator("#notices")).to_contain_text("Opgeslagen.")
    assert page.evaluate("window.__marker") == "same page"  # swapped in place, no reload
    expect(page.locator(f"#goal{cast.goal}-comment-body")).to_have_value("")
    assert_accessible(page)
    desktop.assert_clean()

    # amina, whose account language is Arabic, on a 360×740 phone.
    mobile = phone.page
    phone.sign_in("amina", PASSWORD)
    assert mobile.get_attribute("html", "lang") == "ar" and mobile.get_attribute("html", "dir") == "rtl"
    phone.goto("/plan")
    expect(mobile.locator("#plan")).to_contain_text("Taalniveau A2 halen")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(mobile)
    mobile.locator(f'a[href="/plan/goals/{cast.goal}"]').click()
    mobile.wait_for_load_state()
    comments = mobile.locator(f"#goal-{cast.goal}-comments")
    expect(comments).to_contain_text(COMMENT)
    expect(comments).to_contain_text("Sanne de Vries")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(mobile)

    # She ticks a step and reacts, both enhanced by htmx (no reload)...
    mobile.evaluate("window.__marker = 'same page'")
    button = mobile.locator(f"#step-{cast.step}-button")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a touch target
    button.click()
    expect(mobile.locator(f"#step-{cast.step}")).to_contain_text(t("ar", "Klaar"))
    expect(mobile.locator(f"#step-{cast.step}-button")).to_be_focused()
    mobile.locator(f"#goal-{cast.goal}-comments summary").first.click()
    mobile.locator("textarea").first.fill("شكرا! Dank je wel.")
    mobile.locator(f"#goal-{cast.goal}-comments button[type=submit]").first.click()
    expect(comments).to_contain_text("شكرا! Dank je wel.")
    assert mobile.evaluate("window.__marker") == "same page"
    assert_accessible(mobile)
    phone.assert_clean()

    # ...and sanne sees both when the panel loads again.
    page.reload()
    expect(panel).to_contain_text("شكرا! Dank je wel.")
    expect(page.locator(f"#goal-{cast.goal}")).to_contain_text("2 van 2 stappen klaar")
    desktop.assert_clean()


def test_amina_ticks_a_step_and_reacts_without_javascript(phone_without_js, cast) -> None:
    page = phone_without_js.page
    phone_without_js.sign_in("amina", PASSWORD)
    phone_without_js.goto("/plan")
    page.click(f'a[href="/plan/goals/{cast.goal}"]')
    page.click(f"#step-{cast.step}-button")
    page.wait_for_load_state()
    assert page.url.endswith(f"/plan/goals/{cast.goal}#step-{cast.step}")
    done = t("ar", "%(done)s van %(total)s stappen klaar", done="2", total="2")  # amina reads Arabic
    expect(page.locator(f"#goal-{cast.goal}-steps")).to_contain_text(done)
    phone_without_js.assert_clean()


def test_amina_reacts_to_a_comment_without_javascript(app, phone_without_js, cast) -> None:
    with app.app_context():
        make_comment(goal=db.session.get(Goal, cast.goal), author=db.session.get(User, cast.world.sanne_id),
                     body="Hoe gaat het met de lessen?")
        db.session.commit()
    page = phone_without_js.page
    phone_without_js.sign_in("amina", PASSWORD)
    phone_without_js.goto(f"/plan/goals/{cast.goal}")
    comments = page.locator(f"#goal-{cast.goal}-comments")
    comments.locator("summary").first.click()  # <details> opens without JavaScript
    comments.locator("textarea").first.fill("Goed, dank je.")
    comments.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    expect(page.locator(f"#goal-{cast.goal}-comments")).to_contain_text("Goed, dank je.")
    phone_without_js.assert_clean()


def test_staff_edit_form_swaps_in_place_and_shows_422_messages(desktop, cast) -> None:
    page = desktop.page
    desktop.sign_in("sanne", PASSWORD)
    desktop.goto(f"/staff/residents/{cast.world.amina_id}/plan")
    page.evaluate("window.__marker = 'same page'")
    goal = page.locator(f"#goal-{cast.goal}")
    goal.locator("summary").click()
    goal.get_by_role("link", name="Doel wijzigen").click()
    form = page.locator(f"form#goal-{cast.goal}")
    expect(form).to_be_visible()
    page.fill(f"#goal{cast.goal}-title", "")
    form.get_by_role("button", name="Opslaan").click()
    expect(form).to_contain_text("Vul dit veld in.")
    page.fill(f"#goal{cast.goal}-title", "Taalniveau A2 halen vóór de zomer")
    form.get_by_role("button", name="Opslaan").click()
    expect(page.locator(f"details#goal-{cast.goal}")).to_contain_text("Taalniveau A2 halen vóór de zomer")
    assert page.evaluate("window.__marker") == "same page"
    assert_accessible(page)
    desktop.assert_clean()  # the harness leaves out Chromium's console line for the intended 422
