"""A resident signs in on a phone in Arabic; staff see the caseload; axe finds nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.db import db
from tests.browser.conftest import assert_accessible
from tests.conftest import build_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def cast(app):
    with app.app_context():
        world = build_world()
        db.session.commit()
    return world


def test_amina_signs_in_on_a_phone_in_arabic_and_sees_home_right_to_left(phone_ar, cast) -> None:
    page = phone_ar.page
    phone_ar.goto("/login")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    assert_accessible(page)

    phone_ar.sign_in("amina", PASSWORD)
    assert page.url.endswith("/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    nav = page.locator("nav.bottom-nav")
    assert nav.is_visible()
    box = nav.bounding_box()
    assert box["y"] + box["height"] <= 740 + 1 and box["width"] <= 360
    # Nothing sticks out sideways on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Right-to-left: Home, the first item, sits at the right-hand end.
    items = nav.locator("li")
    first, last = items.first.bounding_box(), items.last.bounding_box()
    assert first["x"] > last["x"]
    assert_accessible(page)
    phone_ar.assert_clean()


def test_language_switch_before_signing_in(phone, cast) -> None:
    page = phone.page
    phone.goto("/login")
    assert page.get_attribute("html", "lang") == "nl"
    page.click("button[name=language][value=fa]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "fa"
    assert page.get_attribute("html", "dir") == "rtl"
    page.click("button[name=language][value=ti]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "ti"
    assert page.get_attribute("html", "dir") == "ltr"
    phone.assert_clean()


def test_staff_caseload_is_accessible_and_searches_without_reload(desktop, cast) -> None:
    page = desktop.page
    desktop.sign_in("sanne", PASSWORD)
    assert page.url.endswith("/staff/")
    assert page.locator("#caseload").inner_text().count("Amina Haddad") == 1
    assert_accessible(page)
    page.evaluate("window.__marker = 'same page'")
    page.fill("#q", "yonas")
    expect(page.locator("#caseload")).not_to_contain_text("Amina")
    expect(page.locator("#caseload")).to_contain_text("Yonas Tesfamariam")
    assert page.evaluate("window.__marker") == "same page"  # htmx swapped, no reload
    assert "q=yonas" in page.url
    desktop.assert_clean()


def test_resident_side_works_without_javascript(phone_without_js, cast) -> None:
    page = phone_without_js.page
    phone_without_js.goto("/login")
    page.click("button[name=language][value=ar]")
    assert page.get_attribute("html", "dir") == "rtl"
    phone_without_js.sign_in("amina", PASSWORD)
    assert page.url.endswith("/")
    for link in page.locator("nav.bottom-nav a").all():
        href = link.get_attribute("href")
        response = page.request.get(phone_without_js.base + href)
        assert response.status == 200, href
    page.goto(phone_without_js.base + "/account")
    page.check("#show_dutch")
    page.click("form[action='/account/preferences'] button[type=submit]")
    assert "saved=preferences" in page.url
    phone_without_js.assert_clean()
