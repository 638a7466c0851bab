"""Ontzorgen in a real browser: amina reads what was paid for her on a phone in Arabic (also with Dutch shown),
sanne records a payment inline in the file, and previews and books a payment run on her desktop."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from babel.numbers import format_currency
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect
from sqlalchemy import select

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db
from portal.ontzorgen.models import Payment
from tests.browser.conftest import assert_accessible
from tests.conftest import build_world
from tests.factories import PASSWORD
from tests.ontzorgen.factories import CREDITORS, fictitious_iban, make_arrangement, make_payment

pytestmark = pytest.mark.browser

START = date.today() - relativedelta(months=2, days=5)  # month 3 of 6 today


@pytest.fixture
def cast(app):
    with app.app_context():
        world = build_world()  # amina reads Arabic
        amina = db.session.get(Resident, world.amina_id)
        arrangement = make_arrangement(amina, starts_on=START, costs=["rent", "energy", "water"])
        rent, energy, _water = arrangement.costs
        for months in range(3):
            paid_on = START + relativedelta(months=months)
            if paid_on <= date.today():
                make_payment(rent, paid_on=paid_on, state="paid")
                make_payment(energy, paid_on=paid_on, state="paid")
        db.session.commit()
        return SimpleNamespace(world=world, rent=rent.id, client_number=amina.client_number)


def test_amina_reads_her_ontzorgen_on_a_phone_in_arabic(phone, cast, app) -> None:
    page = phone.page
    phone.sign_in("amina", PASSWORD)
    phone.goto("/ontzorgen")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    rent = format_currency(812.50, "EUR", locale="ar")
    expect(page.locator("#ontzorgen")).to_contain_text(rent)
    expect(page.locator("progress")).to_have_attribute("value", "3")
    assert fictitious_iban(1001) not in page.content()  # the full IBAN never shows to the resident
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    assert_accessible(page)
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "amina")).show_dutch = True
        db.session.commit()
    page.reload()
    expect(page.locator(".bilingual__nl").first).to_be_visible()
    assert_accessible(page)
    phone.assert_clean()


def test_sanne_records_a_payment_inline_and_books_a_payment_run(desktop, cast, app, tmp_path) -> None:
    page = desktop.page
    desktop.sign_in("sanne", PASSWORD)
    desktop.goto(f"/staff/residents/{cast.world.amina_id}")
    panel = page.locator(f"#ontzorgen-{cast.world.amina_id}")
    expect(panel).to_contain_text("Woonstichting De Linde")  # loaded lazily into the file
    assert_accessible(page)
    page.evaluate("window.__marker = 'same page'")
    panel.get_by_text("Betaling vastleggen").click()
    page.select_option("#payment-cost", str(cast.rent))
    page.fill("#payment-amount", "812,50")
    page.fill("#payment-paid_on", date.today().isoformat())
    page.fill("#payment-reference", "BROWSER-0001")
    panel.get_by_role("button", name="Vastleggen").click()
    expect(panel).to_contain_text("BROWSER-0001")
    expect(page.locator("#notices")).to_contain_text("Opgeslagen.")
    assert page.evaluate("window.__marker") == "same page"  # swapped in place, no reload

    name, iban = CREDITORS["rent"]
    month = date.today().strftime("%Y-%m")
    csv = tmp_path / "betaalrun.csv"
    csv.write_text(
        "klantnummer;crediteur;IBAN;bedrag;datum;periode;betalingskenmerk\n"
        f"{cast.client_number};{name};{iban};812,50;{date.today().isoformat()};{month};RUN-0001\n"
        f"{cast.client_number};{name};NL00FOUT0000000000;812,50;{date.today().isoformat()};{month};RUN-0002\n",
        encoding="utf-8")
    desktop.goto("/staff/ontzorgen/import")
    assert_accessible(page)
    page.set_input_files("#payments-file", str(csv))
    page.get_by_role("button", name="Bekijken wat er geboekt wordt").click()
    expect(page.locator("#ontzorgen-import")).to_contain_text("RUN-0002")  # the bad row, with its reason
    expect(page.locator("#ontzorgen-import")).to_contain_text("IBAN")
    assert_accessible(page)
    with app.app_context():
        assert db.session.scalar(select(Payment).where(Payment.reference == "RUN-0001")) is None  # not yet
    page.get_by_role("button", name="1 betaling boeken").click()
    expect(page.locator("#ontzorgen-import")).to_contain_text("1 betaling is geboekt.")
    with app.app_context():
        booked = db.session.scalar(select(Payment).where(Payment.reference == "RUN-0001"))
        assert (booked.amount_cents, booked.source) == (81250, "import")
    desktop.assert_clean()
