"""The contact person's ontzorgen panel: start, extend, fixed costs, payments, returns, handover; htmx and without."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.caseload.models import Resident
from portal.db import db
from portal.ontzorgen.models import Arrangement, Creditor, FixedCost, HandoverCheck, Payment
from tests.conftest import login

HX = {"HX-Request": "true"}
IBAN = "NL91ABNA0417164300"  # the checksum-valid example IBAN of the Dutch banks' documentation
START = date.today() - relativedelta(months=2, days=3)  # month 3 today


def _url(world, rest: str = "") -> str:
    return f"/staff/residents/{world.amina_id}/ontzorgen{rest}"


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def sanne(app, client, world):
    login(client, "sanne")
    return client


def _start(client, world, starts_on: date = START):
    return client.post(_url(world, "/start"), data={"start-starts_on": starts_on.isoformat()}, headers=HX)


def _add_rent(client, world, **overrides):
    data = {"cost-kind": "rent", "cost-creditor_name": "Woonstichting De Linde", "cost-iban": IBAN,
            "cost-amount": "812,50", "cost-frequency": "monthly", **overrides}
    return client.post(_url(world, "/costs"), data=data, headers=HX)


def test_start_gives_six_months_from_the_given_day(app, sanne, world) -> None:
    response = _start(sanne, world)
    assert response.status_code == 200
    assert "maand 3 van 6" in response.get_data(as_text=True)
    with app.app_context():
        arrangement = db.session.scalars(select(Arrangement)).one()
        assert (arrangement.resident_id, arrangement.starts_on, arrangement.ends_on) == (
            world.amina_id, START, START + relativedelta(months=6))
    assert _start(sanne, world).status_code == 422  # once per resident
    assert _count(app, Arrangement) == 1


def test_a_cost_with_a_wrong_iban_or_amount_is_refused_and_nothing_is_stored(app, sanne, world) -> None:
    _start(sanne, world)
    bad_iban = _add_rent(sanne, world, **{"cost-iban": "NL91ABNA0417164301"})
    assert bad_iban.status_code == 422
    assert "Dit IBAN klopt niet." in bad_iban.get_data(as_text=True)
    for amount, message in (("-5", "Vul een bedrag in euro"), ("0", "Vul een bedrag groter dan nul in."),
                            ("9" * 30, "Vul een bedrag in euro"), ("1e9", "Vul een bedrag in euro"),
                            ("999999,99", "Dit bedrag is te hoog")):
        response = _add_rent(sanne, world, **{"cost-amount": amount})
        assert response.status_code == 422, amount
        assert message in response.get_data(as_text=True), amount
    assert (_count(app, FixedCost), _count(app, Creditor)) == (0, 0)
    with app.app_context():  # the refused attempts are logged as looks that stored nothing
        details = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "ontzorgen.cost_add"))
        assert set(details) == {"(not saved)"}


def test_costs_payments_returns_and_handover_as_the_contact_person_does_them(app, sanne, world) -> None:
    _start(sanne, world)
    assert _add_rent(sanne, world).status_code == 200
    again = _add_rent(sanne, world, **{"cost-kind": "water", "cost-creditor_name": "Andere naam",
                                      "cost-amount": "1.234,56"})
    assert again.status_code == 200
    with app.app_context():
        rent, water = db.session.scalars(select(FixedCost).order_by(FixedCost.id)).all()
        assert (rent.amount_cents, water.amount_cents) == (81250, 123456)
        assert rent.creditor_id == water.creditor_id  # the creditor is kept once per IBAN and reused
        rent_id = rent.id
    paid_on = START + relativedelta(days=2)
    response = sanne.post(_url(world, "/payments"), headers=HX, data={
        "payment-cost": str(rent_id), "payment-amount": "812,50", "payment-paid_on": paid_on.isoformat(),
        "payment-period": paid_on.strftime("%Y-%m"), "payment-reference": "BR-2026-0001"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "BR-2026-0001" in page and "812,50" in page
    duplicate = sanne.post(_url(world, "/payments"), headers=HX, data={
        "payment-cost": str(rent_id), "payment-amount": "812,50", "payment-paid_on": paid_on.isoformat(),
        "payment-reference": "BR-2026-0001"})
    assert duplicate.status_code == 422
    assert "al geboekt" in duplicate.get_data(as_text=True)
    outside = sanne.post(_url(world, "/payments"), headers=HX, data={
        "payment-cost": str(rent_id), "payment-amount": "812,50", "payment-paid_on": paid_on.isoformat(),
        "payment-period": "2019-01"})
    assert outside.status_code == 422
    assert "buiten de periode" in outside.get_data(as_text=True)
    with app.app_context():
        payment = db.session.scalars(select(Payment)).one()
        assert (payment.amount_cents, payment.state, payment.period) == (81250, "paid", paid_on.replace(day=1))
        payment_id = payment.id
    empty = sanne.post(_url(world, f"/payments/{payment_id}/return"), headers=HX, data={})
    assert empty.status_code == 422
    returned = sanne.post(_url(world, f"/payments/{payment_id}/return"), headers=HX,
                          data={f"return{payment_id}-reason": "Het rekeningnummer van de verhuurder is veranderd."})
    assert returned.status_code == 200
    assert "Het rekeningnummer van de verhuurder is veranderd." in returned.get_data(as_text=True)
    assert sanne.post(_url(world, f"/payments/{payment_id}/solve"), headers=HX).status_code == 200
    assert sanne.post(_url(world, f"/payments/{payment_id}/solve"), headers=HX).status_code == 422
    with app.app_context():
        payment = db.session.get(Payment, payment_id)
        assert (payment.state, payment.return_reason is not None, payment.solved_at is not None) == (
            "returned", True, True)
    assert sanne.post(_url(world, "/handover/zorgtoeslag"), data={"done": "1"}, headers=HX).status_code == 200
    assert sanne.post(_url(world, "/handover/zorgtoeslag"), data={"done": "1"}, headers=HX).status_code == 200
    assert sanne.post(_url(world, "/handover/onzin"), data={"done": "1"}, headers=HX).status_code == 404
    with app.app_context():
        assert db.session.scalars(select(HandoverCheck.item)).all() == ["zorgtoeslag"]
    assert sanne.post(_url(world, f"/costs/{rent_id}/end"), headers=HX).status_code == 200
    assert sanne.post(_url(world, f"/costs/{rent_id}/end"), headers=HX).status_code == 422


def test_extension_needs_a_later_date_and_a_reason(app, sanne, world) -> None:
    _start(sanne, world)
    later = START + relativedelta(months=9)
    assert sanne.post(_url(world, "/extend"), headers=HX, data={"extend-ends_on": later.isoformat()}).status_code == 422
    earlier = sanne.post(_url(world, "/extend"), headers=HX, data={
        "extend-ends_on": START.isoformat(), "extend-reason": "Nog geen bankrekening."})
    assert earlier.status_code == 422
    done = sanne.post(_url(world, "/extend"), headers=HX, data={
        "extend-ends_on": later.isoformat(), "extend-reason": "Nog geen bankrekening."})
    assert done.status_code == 200
    assert "Nog geen bankrekening." in done.get_data(as_text=True)
    with app.app_context():
        arrangement = db.session.scalars(select(Arrangement)).one()
        assert (arrangement.ends_on, arrangement.extension_reason) == (later, "Nog geen bankrekening.")


def test_without_javascript_a_save_redirects_and_the_panel_is_a_page(app, sanne, world) -> None:
    response = sanne.post(_url(world, "/start"), data={"start-starts_on": START.isoformat()})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(_url(world))
    page = sanne.get(_url(world))
    fragment = sanne.get(_url(world), headers=HX)
    assert page.status_code == fragment.status_code == 200
    assert "<html" in page.get_data(as_text=True) and "<html" not in fragment.get_data(as_text=True)
    assert "HX-Request" in page.headers["Vary"]


def test_money_data_is_for_the_contact_person_only(app, client, world) -> None:
    login(client, "pieter")  # amina's counsellor
    assert client.get(_url(world)).status_code == 403
    file_page = client.get(f"/staff/residents/{world.amina_id}").get_data(as_text=True)
    assert "ontzorgen-panel" not in file_page
    client.post("/logout")
    login(client, "ruben")  # another caseworker
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world, "/start"), data={"start-starts_on": START.isoformat()}).status_code == 404
    assert _count(app, Arrangement) == 0
    client.post("/logout")
    login(client, "sanne")
    assert "ontzorgen-panel" in client.get(f"/staff/residents/{world.amina_id}").get_data(as_text=True)


def test_a_payment_of_another_resident_is_not_found(app, sanne, world) -> None:
    _start(sanne, world)
    _add_rent(sanne, world)
    with app.app_context():
        cost = db.session.scalars(select(FixedCost)).one()
        payment = Payment(arrangement_id=cost.arrangement_id, cost_id=cost.id, creditor_id=cost.creditor_id,
                          amount_cents=100, paid_on=START, period=START.replace(day=1), state="paid", reference="X1")
        db.session.add(payment)
        db.session.commit()
        payment_id, cost_id = payment.id, cost.id
    other = f"/staff/residents/{world.yonas_id}/ontzorgen"
    assert sanne.post(f"{other}/payments/{payment_id}/solve", headers=HX).status_code == 404
    assert sanne.post(f"{other}/costs/{cost_id}/end", headers=HX).status_code == 404
    with app.app_context():
        assert db.session.get(FixedCost, cost_id).ended_on is None
        assert db.session.get(Resident, world.yonas_id) is not None


def test_the_lead_sees_ontzorgen_totals_and_no_person(app, client, world) -> None:
    login(client, "sanne")
    _start(client, world)
    _add_rent(client, world)
    with app.app_context():
        cost = db.session.scalars(select(FixedCost)).one()
        for n, state in enumerate(("paid", "paid", "scheduled")):
            db.session.add(Payment(arrangement_id=cost.arrangement_id, cost_id=cost.id, creditor_id=cost.creditor_id,
                                   amount_cents=81250, paid_on=START, period=START.replace(day=1), state=state,
                                   reference=f"T{n}"))
        db.session.commit()
    client.post("/logout")
    login(client, "lead")
    page = client.get("/manage/").get_data(as_text=True)
    totals = page[page.index('id="ontzorgen-totals-heading"'):]
    assert "1.625,00" in totals and "812,50" in totals  # paid and scheduled, in Dutch money notation
    assert "Amina" not in page and "Woonstichting" not in page and IBAN not in page


def test_a_20_mb_upload_is_refused_with_a_clear_message_and_nothing_kept(app, sanne, world) -> None:
    from io import BytesIO

    from werkzeug.test import EnvironBuilder

    from portal.ontzorgen.models import Upload

    big = BytesIO(b"klantnummer;iban;bedrag;datum;betalingskenmerk\n" + b"x" * (20 * 2**20))
    builder = EnvironBuilder(path="/staff/ontzorgen/import/payments", method="POST",
                             data={"payments-file": (big, "groot.csv")}, content_type="multipart/form-data")
    environ = builder.get_environ()
    try:  # the test client spools the 20 MB body to a temporary file; close it, as a server would
        response = sanne.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert response.status_code == 413
    assert "te groot" in response.get_data(as_text=True)
    assert (_count(app, Upload), _count(app, Payment)) == (0, 0)


def test_the_panel_takes_the_same_statements_for_1_and_60_payments(app, sanne, world, count_queries) -> None:
    _start(sanne, world)
    _add_rent(sanne, world)
    with app.app_context():
        cost = db.session.scalars(select(FixedCost)).one()

    def add(n: int, start: int) -> None:
        with app.app_context():
            for i in range(start, start + n):
                db.session.add(Payment(arrangement_id=cost.arrangement_id, cost_id=cost.id,
                                       creditor_id=cost.creditor_id, amount_cents=100 + i, paid_on=START,
                                       period=(START + relativedelta(months=i % 6)).replace(day=1), state="paid",
                                       reference=f"S{i}"))
            db.session.commit()

    def statements() -> int:
        before = count_queries.count
        assert sanne.get(_url(world), headers=HX).status_code == 200
        return count_queries.count - before

    add(1, 0)
    statements()  # the first look of a visit is logged, later ones are not
    one = statements()
    add(59, 1)
    assert statements() == one
    assert one <= 9
