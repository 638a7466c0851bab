"""Second factor: staff give a TOTP code (or a recovery code) after the password; residents may turn it on."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from portal.accounts import twofactor
from portal.accounts.models import RecoveryCode, User
from portal.accounts.services import activation_code_issue
from portal.audit.models import AuditEvent
from portal.db import db
from portal.demo import DEMO_TOTP_SECRET
from tests.conftest import login, totp_code
from tests.factories import PASSWORD, make_caseworker


def _password(client, username: str):
    return client.post("/login", data={"username": username, "password": PASSWORD})


def _actions(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(AuditEvent.action, AuditEvent.outcome).order_by(AuditEvent.id))]


@pytest.mark.parametrize("username", ["sanne", "pieter", "lead", "admin"])
def test_staff_password_alone_opens_nothing(client, world, username: str) -> None:
    response = _password(client, username)
    assert response.status_code == 303 and response.headers["Location"] == "/login/code"
    for url in ("/staff/", "/manage/", "/admin/", f"/staff/residents/{world.amina_id}", "/account"):
        refused = client.get(url)
        assert refused.status_code == 302 and "/login" in refused.headers["Location"], url
    page = client.get("/login/code")
    assert page.status_code == 200 and 'name="code"' in page.get_data(as_text=True)
    # Enrolling again is no way around the code.
    for response in (client.get("/login/enrol"), client.post("/login/enrol", data={"code": "123456"})):
        assert response.status_code == 303 and response.headers["Location"] == "/login/code"


def test_the_right_code_signs_staff_in_and_both_outcomes_are_audited(app, client, world) -> None:
    _password(client, "sanne")
    wrong = client.post("/login/code", data={"code": "000000"})
    assert wrong.status_code == 422 and "Deze code klopt niet." in wrong.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
    right = client.post("/login/code", data={"code": totp_code()})
    assert right.status_code == 303 and right.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert _actions(app)[-2:] == [("login.code.failed", "refused"), ("login", "ok")]


def test_a_code_works_once(app, world) -> None:
    first, second = app.test_client(), app.test_client()
    code = totp_code()
    _password(first, "sanne")
    _password(second, "sanne")
    assert first.post("/login/code", data={"code": code}).status_code == 303
    assert second.post("/login/code", data={"code": code}).status_code == 422
    assert second.get("/staff/").status_code == 302


def test_one_step_of_drift_is_accepted_two_are_not(ctx, world) -> None:
    sanne = db.session.scalar(select(User).where(User.username == "sanne"))
    now = time.time()
    assert not twofactor.second_factor_check(user=sanne, code=totp_code(at=now - 60), now=now)
    assert not twofactor.second_factor_check(user=sanne, code=totp_code(at=now + 60), now=now)
    assert twofactor.second_factor_check(user=sanne, code=totp_code(at=now - 30), now=now)
    assert twofactor.second_factor_check(user=sanne, code=totp_code(at=now + 30), now=now)
    # An older step than the last used one no longer works, even within the drift.
    assert not twofactor.second_factor_check(user=sanne, code=totp_code(at=now), now=now)


def test_wrong_codes_are_limited_per_account(app, client, world) -> None:
    _password(client, "sanne")
    assert [client.post("/login/code", data={"code": "111111"}).status_code for _ in range(5)] == [422] * 5
    blocked = client.post("/login/code", data={"code": totp_code()})
    assert blocked.status_code == 429
    assert client.get("/staff/").status_code == 302
    assert _actions(app)[-1] == ("login.code.blocked", "refused")


def test_the_code_step_expires_and_ends_with_the_session_version(app, client, world, monkeypatch) -> None:
    _password(client, "sanne")
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "sanne")).session_version += 1
        db.session.commit()
    response = client.post("/login/code", data={"code": totp_code()})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert client.get("/staff/").status_code == 302
    _password(client, "sanne")
    monkeypatch.setattr(time, "time", lambda real=time.time: real() + 301)
    assert client.get("/login/code").headers["Location"] == "/login"


def _enrol(client) -> tuple[str, list[str]]:
    page = client.get("/login/enrol")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and 'name="code"' in html
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    assert client.post("/login/enrol", data={"code": "000000"}).status_code == 422
    done = client.post("/login/enrol", data={"code": totp_code(secret)})
    assert done.status_code == 303 and done.headers["Location"] == "/account/recovery-codes"
    shown = client.get("/account/recovery-codes").get_data(as_text=True)
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", shown)
    assert len(codes) == 10
    again = client.get("/account/recovery-codes").get_data(as_text=True)
    assert not any(code in again for code in codes)  # shown once
    return secret, codes


def test_staff_without_a_second_factor_enrol_before_anything_opens(app, client, world) -> None:
    with app.app_context():
        make_caseworker(username="kees")
        db.session.commit()
    response = _password(client, "kees")
    assert response.headers["Location"] == "/login/enrol"
    assert client.get("/staff/").status_code == 302
    assert client.get("/login/code").headers["Location"] == "/login/enrol"  # nothing to skip to
    assert client.post("/login/code", data={"code": totp_code()}).headers["Location"] == "/login/enrol"
    secret, codes = _enrol(client)
    assert client.get("/staff/").status_code == 200
    with app.app_context():
        kees = db.session.scalar(select(User).where(User.username == "kees"))
        assert kees.has_second_factor and kees.totp_secret == secret
        stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == kees.id)).all()
    assert len(stored) == 10 and not any(code.replace("-", "") in h for code in codes for h in stored)
    assert ("totp.enrol", "ok") in _actions(app)


def test_a_recovery_code_works_once_in_the_code_field(app, world) -> None:
    with app.app_context():
        make_caseworker(username="kees")
        db.session.commit()
    client = app.test_client()
    _password(client, "kees")
    _secret, codes = _enrol(client)
    for attempt, expected in ((codes[0], 303), (codes[0], 422), (codes[1].upper().replace("-", " "), 303)):
        fresh = app.test_client()
        _password(fresh, "kees")
        assert fresh.post("/login/code", data={"code": attempt}).status_code == expected, attempt


def test_new_recovery_codes_end_the_old_ones(app, client, world) -> None:
    login(client, "sanne")
    assert client.post("/account/recovery-codes").headers["Location"].endswith("/account/recovery-codes")
    old = re.findall(r"<code>([a-z2-9-]{11})</code>", client.get("/account/recovery-codes").get_data(as_text=True))
    client.post("/account/recovery-codes")
    fresh = app.test_client()
    _password(fresh, "sanne")
    assert fresh.post("/login/code", data={"code": old[0]}).status_code == 422


def test_a_new_activation_code_still_asks_staff_for_the_code(app, client, world) -> None:
    with app.app_context():
        sanne = db.session.get(User, world.sanne_id)
        code = activation_code_issue(user=sanne, issued_by=None)
        db.session.commit()
    new_password = "een-nieuw-lang-wachtwoord"
    response = client.post(f"/activate/{code}", data={"password": new_password, "confirm": new_password})
    assert response.status_code == 303 and response.headers["Location"] == "/login/code"
    assert client.get("/staff/").status_code == 302


def test_residents_sign_in_without_a_code_until_they_turn_it_on(app, client, world) -> None:
    assert _password(client, "amina").headers["Location"] == "/"
    page = client.get("/account/code")
    assert page.status_code == 200 and "<svg" in page.get_data(as_text=True)
    with app.app_context():
        secret = db.session.scalar(select(User.totp_secret).where(User.username == "amina"))
    assert client.post("/account/code", data={"code": "000000"}).status_code == 422
    assert client.post("/account/code", data={"code": totp_code(secret)}).status_code == 303
    client.post("/logout")
    assert _password(client, "amina").headers["Location"] == "/login/code"
    assert client.get("/plan").status_code == 302
    assert client.post("/login/code", data={"code": totp_code(secret, at=time.time() + 30)}).status_code == 303
    # Turning it off takes a code too.
    assert client.post("/account/code/off", data={"code": "000000"}).status_code == 422
    assert client.post("/account/code/off", data={"code": totp_code(secret, at=time.time() - 30)}).status_code == 422
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "amina").values(totp_last_step=None))
        db.session.commit()
    assert client.post("/account/code/off", data={"code": totp_code(secret)}).status_code == 303
    client.post("/logout")
    assert _password(client, "amina").headers["Location"] == "/"


def test_staff_cannot_turn_the_code_off(ctx, world) -> None:
    from portal.domain import DomainError

    sanne = db.session.get(User, world.sanne_id)
    with pytest.raises(DomainError):
        twofactor.totp_turn_off(user=sanne, code=totp_code())
    assert sanne.has_second_factor


def test_the_demo_staff_sign_in_with_the_documented_secret(app, client) -> None:
    from portal.demo import DEMO_PASSWORD, demo_load

    with app.app_context():
        demo_load()
        db.session.commit()
    assert DEMO_TOTP_SECRET == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    for username in ("sanne", "pieter", "lead", "admin"):
        fresh = app.test_client()
        password_step = fresh.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert password_step.headers["Location"] == "/login/code"
        assert fresh.post("/login/code", data={"code": totp_code(DEMO_TOTP_SECRET)}).status_code == 303


@pytest.mark.parametrize("code", ["", " ", "1" * 33, "12345\u202e6", "<b>1</b>", "１２３４５６"])
def test_bad_codes_are_refused_without_a_500(client, world, code: str) -> None:
    _password(client, "sanne")
    assert client.post("/login/code", data={"code": code}).status_code == 422
    assert client.get("/staff/").status_code == 302
