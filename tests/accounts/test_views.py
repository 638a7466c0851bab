"""Sign-in, activation, language and account pages over HTTP."""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
import segno
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import activation_code_issue
from portal.db import db, utcnow
from tests.accounts.data import export_data
from tests.conftest import login, make_test_app, second_step
from tests.factories import PASSWORD, make_caseworker, make_resident
from tests.i18n_text import t


def _session_cookie(client) -> str | None:
    cookie = client.get_cookie("wegwijs_session")
    return cookie.value if cookie else None


def test_sign_in_sends_each_role_home(client, world) -> None:
    for username, home in [("amina", "/"), ("sanne", "/staff/"), ("pieter", "/staff/"), ("lead", "/manage/"),
                           ("admin", "/admin/")]:
        response = login(client, username)
        assert response.headers["Location"] == home
        client.post("/logout")


def test_unknown_user_and_wrong_password_get_the_same_message(client, world) -> None:
    wrong = client.post("/login", data={"username": "amina", "password": "nope"})
    unknown = client.post("/login", data={"username": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 422
    message = "Gebruikersnaam of wachtwoord klopt niet."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_session_is_rotated_at_sign_in(client, world) -> None:
    client.get("/login")
    before = _session_cookie(client)
    login(client, "amina")
    after = _session_cookie(client)
    assert before and after and before != after
    with client.session_transaction() as session:
        assert "_user_id" in session


@pytest.mark.parametrize("target, expected", [
    ("/account", "/account"),
    ("https://evil.example/", "/"),
    ("//evil.example/x", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_only_redirects_to_local_paths(client, world, target, expected) -> None:
    response = client.post("/login", query_string={"next": target}, data={"username": "amina", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == expected


def test_anonymous_is_sent_to_sign_in_and_back(client, world) -> None:
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/account"
    signed = client.post(response.headers["Location"], data={"username": "amina", "password": PASSWORD})
    assert signed.headers["Location"] == "/account"


WRONG = "Gebruikersnaam of wachtwoord klopt niet."


def _try(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_a_locked_user_name_answers_like_a_wrong_password(app, client, world) -> None:
    statuses = [_try(client, "amina", "wrong").status_code for _ in range(8)]
    assert statuses == [422] * 8
    # Locked now: from this failing address even the right password gets the wrong-password answer.
    page = _try(client, "amina", PASSWORD)
    assert page.status_code == 422 and WRONG in page.get_data(as_text=True)
    unknown = _try(client, "nobody", "wrong")
    assert unknown.status_code == 422 and WRONG in unknown.get_data(as_text=True)


def test_a_locked_user_name_still_opens_with_the_right_password_from_a_clean_address(app, world) -> None:
    attacker = app.test_client()
    for n in range(10):
        assert _try(attacker, "yonas", "wrong", f"198.51.100.{n % 3}").status_code == 422
    assert _try(attacker, "yonas", PASSWORD, "198.51.100.1").status_code == 422  # failing address: no
    owner = app.test_client()
    assert _try(owner, "yonas", PASSWORD, "203.0.113.7").status_code == 303  # the owner gets in


def test_successful_sign_ins_do_not_use_up_the_address_budget(app, world) -> None:
    app.config["RATELIMIT_LOGIN_IP"] = "3 per 10 minutes"
    for _ in range(6):  # a whole AZC behind one address signs in all day
        fresh = app.test_client()
        assert _try(fresh, "amina", PASSWORD, "192.0.2.50").status_code == 303
    blocked = app.test_client()
    for name in ("a1", "a2", "a3"):
        assert _try(blocked, name, "wrong", "192.0.2.99").status_code == 422
    page = _try(blocked, "amina", PASSWORD, "192.0.2.99")
    assert page.status_code == 429 and "Te veel pogingen" in page.get_data(as_text=True)
    assert _try(app.test_client(), "amina", PASSWORD, "192.0.2.50").status_code == 303


def test_every_sign_in_attempt_is_in_the_audit_log(app, world) -> None:
    from portal.audit.models import AuditEvent

    app.config["RATELIMIT_LOGIN_IP"] = "4 per 10 minutes"
    app.config["RATELIMIT_LOGIN_USER"] = "2 per 10 minutes"
    client = app.test_client()
    _try(client, "nobody", "wrong")
    _try(client, "amina", "wrong")
    _try(client, "amina", "wrong")
    _try(client, "amina", PASSWORD)  # locked: refused, the address's fourth failure
    _try(client, "amina", "wrong")  # the address's budget of four is used up now
    _try(client, "amina", PASSWORD)
    sanne = app.test_client()
    sanne.environ_base["REMOTE_ADDR"] = "203.0.113.5"
    password_step = _try(sanne, "sanne", PASSWORD, "203.0.113.5")
    assert password_step.status_code == 303
    second_step(sanne, "sanne", password_step)
    with app.app_context():
        events = db.session.execute(select(AuditEvent.action, AuditEvent.outcome, AuditEvent.detail,
                                           AuditEvent.actor_id).order_by(AuditEvent.id)).all()
    amina = f"user={world.amina_user_id}"
    assert [tuple(e[:3]) for e in events] == [
        ("login.failed", "refused", "user=unknown"),
        ("login.failed", "refused", amina),
        ("login.failed", "refused", amina),
        ("login.locked", "refused", amina),
        ("login.blocked", "refused", amina),
        ("login.blocked", "refused", amina),
        ("login", "ok", ""),
    ]
    assert events[-1].actor_id == world.sanne_id
    assert all(PASSWORD not in e.detail and "wrong" not in e.detail for e in events)


def test_unknown_and_known_user_names_take_the_same_work(app, world, monkeypatch) -> None:
    from argon2 import PasswordHasher

    calls: list[str] = []
    for name in ("hash", "verify"):
        original = getattr(PasswordHasher, name)
        monkeypatch.setattr(PasswordHasher, name,
                            lambda self, *a, _o=original, _n=name, **k: (calls.append(_n), _o(self, *a, **k))[1])
    client = app.test_client()
    for username in ("nobody", "amina"):
        calls.clear()
        assert _try(client, username, "wrong").status_code == 422
        assert len(calls) == 1, f"one argon2 run for {username}: {calls}"


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL not set (CI sets it)")
def test_rate_limit_state_lives_in_redis_when_configured(database_url, world) -> None:
    import redis

    url = os.environ["TEST_REDIS_URL"]
    redis.Redis.from_url(url).flushdb()
    first = make_test_app(database_url, RATELIMIT_STORAGE_URI=url, RATELIMIT_LOGIN_USER="3 per minute")
    second = make_test_app(database_url, RATELIMIT_STORAGE_URI=url, RATELIMIT_LOGIN_USER="3 per minute")
    # Two workers share the count: two failures on one, the third on the other locks the name.
    for app in (first, first, second):
        response = _try(app.test_client(), "yonas", "x")
        assert response.status_code == 422 and WRONG in response.get_data(as_text=True)
    response = _try(second.test_client(), "yonas", PASSWORD)
    assert response.status_code == 422 and WRONG in response.get_data(as_text=True)
    assert _try(first.test_client(), "yonas", PASSWORD, "203.0.113.9").status_code == 303
    redis.Redis.from_url(url).flushdb()


def _resident_with_code(app, **overrides) -> tuple[int, str]:
    with app.app_context():
        resident = make_resident(username="fatima", password=None, language="fa", **overrides)
        code = activation_code_issue(user=resident.user, issued_by=resident.contact_person)
        db.session.commit()
        return resident.user_id, code


def test_activation_letter_flow_signs_the_resident_in(app, client) -> None:
    _, code = _resident_with_code(app)
    page = client.get(f"/activate/{code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'lang="fa"' in html and 'dir="rtl"' in html  # the page follows the letter's language
    assert "fatima" in html
    done = client.post(f"/activate/{code}", data={"password": "blauwe-fiets-42", "confirm": "blauwe-fiets-42"})
    assert done.status_code == 303 and done.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post("/logout")
    again = client.post(f"/activate/{code}", data={"password": "andere-fiets-42", "confirm": "andere-fiets-42"})
    assert again.status_code == 404  # single use
    login(client, "fatima", "blauwe-fiets-42")


def test_code_can_be_typed_in(app, client) -> None:
    _, code = _resident_with_code(app)
    typed = code.replace("-", " ").lower()
    response = client.post("/activate", data={"code": typed})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/activate/{code}"
    wrong = client.post("/activate", data={"code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 422
    assert "Deze code werkt niet" in wrong.get_data(as_text=True)


def test_expired_code_is_refused(app, client) -> None:
    with app.app_context():
        resident = make_resident(username="late", password=None)
        code = activation_code_issue(user=resident.user, issued_by=None, now=utcnow() - timedelta(days=15))
        db.session.commit()
    response = client.get(f"/activate/{code}")
    assert response.status_code == 404
    assert "Vraag je contactpersoon om een nieuwe code" in response.get_data(as_text=True)


def test_activation_with_mismatching_passwords_stores_nothing(app, client) -> None:
    user_id, code = _resident_with_code(app)
    response = client.post(f"/activate/{code}", data={"password": "blauwe-fiets-42", "confirm": "rode-fiets-42"})
    assert response.status_code == 422
    assert t("fa", "De twee wachtwoorden zijn niet gelijk.") in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).password_hash is None


def test_new_code_from_contact_person_ends_old_sessions(app, client, world) -> None:
    login(client, "amina")
    assert client.get("/").status_code == 200
    staff = app.test_client()
    login(staff, "sanne")
    letter = staff.post(f"/staff/residents/{world.amina_id}/activation")
    assert letter.status_code == 200
    html = letter.get_data(as_text=True)
    assert 'lang="ar"' in html and 'dir="rtl"' in html  # the letter is in amina's language
    code = re.search(r'class="code">([A-Z0-9-]{14})<', html).group(1)
    # The QR code encodes exactly the activation URL of this code.
    expected = segno.make(f"http://localhost/activate/{code}", error="m").svg_inline(scale=4, border=2)
    assert re.search(r' d="([^"]+)"', expected).group(1) in html
    assert client.get("/").status_code == 302  # amina's old session has ended
    assert client.get(f"/activate/{code}").status_code == 200
    # The lost phone's password no longer works either, from anywhere.
    stale = _try(app.test_client(), "amina", PASSWORD, "203.0.113.20")
    assert stale.status_code == 422 and WRONG in stale.get_data(as_text=True)


def test_activation_links_are_rate_limited_when_opened_too(client) -> None:
    statuses = [client.get("/activate/AAAA-BBBB-CCCC").status_code for _ in range(16)]
    assert statuses[:15] == [404] * 15
    assert statuses[15] == 429


def test_language_before_sign_in_is_kept_in_the_session(client, world) -> None:
    response = client.post("/language", data={"language": "ti", "next": "/login"})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert 'lang="ti"' in client.get("/login").get_data(as_text=True)
    bad = client.post("/language", data={"language": "xx"})
    assert bad.status_code == 422
    assert t("ti", "Kies een taal uit de lijst.") in bad.get_data(as_text=True)
    assert 'lang="ti"' in client.get("/login").get_data(as_text=True)  # the earlier choice stays


def test_signed_in_language_choice_is_stored_on_the_account(app, client, world) -> None:
    login(client, "amina")
    client.post("/account/language", data={"language": "tr"})
    with app.app_context():
        assert db.session.scalar(select(User.language).where(User.username == "amina")) == "tr"
    assert 'lang="tr"' in client.get("/").get_data(as_text=True)


def test_staff_cannot_pick_a_resident_language(app, client, world) -> None:
    login(client, "sanne")
    response = client.post("/account/language", data={"language": "ar"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(User.language).where(User.username == "sanne")) == "nl"


def test_accept_language_picks_the_page_language(client) -> None:
    page = client.get("/login", headers={"Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"})
    assert 'lang="fa"' in page.get_data(as_text=True) and 'dir="rtl"' in page.get_data(as_text=True)
    assert 'lang="nl"' in client.get("/login", headers={"Accept-Language": "de"}).get_data(as_text=True)


def test_also_show_dutch(app, client, world) -> None:
    login(client, "amina")
    client.post("/account/preferences", data={"show_dutch": "y"})
    html = client.get("/account").get_data(as_text=True)
    # Dutch first, amina's Arabic beneath it.
    expected = ('<span class="bilingual__nl" lang="nl" dir="ltr">Mijn account</span>'
                f'<span class="bilingual__own">{t("ar", "Mijn account")}</span>')
    assert expected in html


def test_password_change_keeps_this_session_and_ends_others(app, client, world) -> None:
    other = app.test_client()
    login(other, "amina")
    login(client, "amina")
    new = "nieuw-wachtwoord-9"
    response = client.post("/account/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 303
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "amina", "password": PASSWORD}).status_code == 422
    login(fresh, "amina", new)


def test_my_data_download(client, world) -> None:
    login(client, "amina")
    response = client.get("/account/data")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = export_data(response)
    assert data["account"]["username"] == "amina"
    assert data["file"]["contact_person"] == "Sanne de Vries"


def test_email_address_is_checked(app, client, world) -> None:
    login(client, "amina")
    bad = client.post("/account/email", data={"email": "geen-adres"})
    assert bad.status_code == 422 and t("ar", "Dit is geen geldig e-mailadres.") in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.email).where(User.username == "amina")) is None
    assert client.post("/account/email", data={"email": "amina@example.org"}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(User.email).where(User.username == "amina")) == "amina@example.org"


def test_admin_resets_a_staff_password_with_a_letter(app, client, world) -> None:
    login(client, "admin")
    letter = client.post(f"/admin/staff/{world.sanne_id}/code")
    assert letter.status_code == 200
    html = letter.get_data(as_text=True)
    assert "sanne" in html and "/activate/" in html


def test_admin_switches_a_staff_account_off(app, client, world) -> None:
    sanne = app.test_client()
    login(sanne, "sanne")
    login(client, "admin")
    assert client.post(f"/admin/staff/{world.sanne_id}/active", data={"active": "0"}).status_code == 303
    with app.app_context():
        assert db.session.get(User, world.sanne_id).active is False
    assert sanne.get("/staff/").status_code == 302
    refused = app.test_client().post("/login", data={"username": "sanne", "password": PASSWORD})
    assert refused.status_code == 422
    assert "Gebruikersnaam of wachtwoord klopt niet." in refused.get_data(as_text=True)


def test_admin_creates_staff_and_gets_a_letter(app, client, world) -> None:
    login(client, "admin")
    response = client.post("/admin/staff", data={"name": "Kees Klaver", "username": "kees", "role": "caseworker",
                                                  "language": "nl"})
    assert response.status_code == 200 and "/activate/" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.username == "kees")) == "caseworker"


def test_resident_cannot_be_made_by_admin_form(app, client, world) -> None:
    login(client, "admin")
    response = client.post("/admin/staff", data={"name": "X", "username": "x", "role": "resident", "language": "nl"})
    assert response.status_code == 422
    assert re.search(r'id="role-error">\s*<p>Kies een optie uit de lijst.</p>', response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "x")) is None


def test_make_caseworker_helper_is_usable(ctx) -> None:
    assert make_caseworker().role == "caseworker"
