"""The demo: PRODUCT.md's sign-ins, 634 fictitious residents, never into a database with data."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.accounts.services import user_authenticate
from portal.bench import PAGES
from portal.caseload.models import Resident
from portal.db import db
from portal.demo import CASEWORKERS, COUNSELLORS, DemoRefused, demo_difference, demo_load
from portal.messages.files import upload_root
from portal.messages.models import Attachment
from portal.ontzorgen.queries import ontzorgen_period
from portal.roles import Role
from tests.factories import make_caseworker, make_resident, make_user


def test_demo_loads_the_documented_cast(ctx) -> None:
    demo = demo_load()
    db.session.commit()
    residents = db.session.scalars(select(Resident)).all()
    assert len(residents) == 634
    for username in ("amina", "yonas", "sanne", "pieter", "lead"):
        assert user_authenticate(username=username, password="demo") is not None, username
    roles = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    assert roles[Role.CASEWORKER] == 8 and roles[Role.LEAD] == 1
    per_caseworker = Counter(r.contact_person_id for r in residents)
    assert len(per_caseworker) == 8 and max(per_caseworker.values()) - min(per_caseworker.values()) <= 2
    languages = Counter(r.user.language for r in residents)
    assert set(languages) == {"ar", "ti", "fa", "tr", "en", "nl"}
    assert languages.most_common(1)[0][0] == "ar"

    amina, yonas = demo.amina, demo.yonas
    assert (amina.user.language, yonas.user.language) == ("ar", "ti")
    assert amina.contact_person.username == yonas.contact_person.username == "sanne"
    assert amina.counsellor.username == "pieter"
    assert ontzorgen_period(amina, today=demo.today).month == 3
    age = (demo.today - yonas.date_of_birth).days // 365
    assert age == 19
    young_eritreans = [r for r in residents if r.user.language == "ti" and r.date_of_birth
                       and (demo.today - r.date_of_birth).days < 24 * 365]
    assert len(young_eritreans) >= 20
    assert len({r.client_number for r in residents}) == 634
    assert demo_difference() is None  # a loaded demo passes for the demo, whatever day it was loaded


def test_demo_refuses_a_database_with_data(ctx) -> None:
    make_caseworker()
    db.session.commit()
    with pytest.raises(DemoRefused):
        demo_load()


def test_demo_command(app) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "amina" in first.output and "demo" in first.output
    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "already holds data" in again.output
    quiet = runner.invoke(args=["demo", "--if-empty"])
    assert quiet.exit_code == 0 and "not loaded again" in quiet.output and "amina" in quiet.output
    bench = runner.invoke(args=["bench", "--repeat", "1"])
    assert bench.exit_code == 0, bench.output
    rows = [line for line in bench.output.splitlines() if line.startswith("| `")]
    assert len(rows) == len(PAGES) and all(int(row.split("|")[5]) > 0 for row in rows)  # statements per page


def test_staff_create_command(app) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["staff", "create", "kees", "--name", "Kees Klaver", "--role", "caseworker",
                                 "--password", "een-goed-wachtwoord"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert user_authenticate(username="kees", password="een-goed-wachtwoord").role == "caseworker"
    duplicate = runner.invoke(args=["staff", "create", "kees", "--name", "K", "--role", "lead", "--password", "x" * 10])
    assert duplicate.exit_code != 0


def test_demo_reset_loads_the_demo_afresh(app, monkeypatch) -> None:
    monkeypatch.setattr("portal.demo.RESIDENT_COUNT", 40)  # a smaller demo: this test is about the reset
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    # Tried out, then loaded afresh: what was changed is gone, the demo is whole again.
    with app.app_context():
        amina = db.session.scalar(select(User).where(User.username == "amina"))
        amina.name = "Iemand Anders"
        db.session.commit()
        files_before = {name for row in db.session.execute(select(Attachment.stored_name, Attachment.preview_name))
                        for name in row if name}
        assert files_before and all((upload_root() / name).is_file() for name in files_before)
    reset = runner.invoke(args=["demo", "--reset"])
    assert reset.exit_code == 0, reset.output
    assert "demo loaded again: 40 residents" in reset.output and "amina" in reset.output
    with app.app_context():
        assert db.session.scalar(select(User.name).where(User.username == "amina")) == "Amina Haddad"
        assert db.session.scalar(select(func.count()).select_from(Resident)) == 40
        files_after = {name for row in db.session.execute(select(Attachment.stored_name, Attachment.preview_name))
                       for name in row if name}
        assert files_after and all((upload_root() / name).is_file() for name in files_after)
        assert not any((upload_root() / name).exists() for name in files_before)  # the old uploads went too


def _demo_like() -> None:
    """The demo's own accounts and a few residents named as the demo names them, without loading it all."""
    if db.session.scalar(select(User.id).filter_by(username="admin")) is None:
        make_user(role=Role.ADMIN, username="admin")
    staff = {username: make_caseworker(username=username) for username, _ in CASEWORKERS}
    for username, _ in COUNSELLORS:
        make_user(role=Role.COUNSELLOR, username=username)
    make_user(role=Role.LEAD, username="lead")
    for username in ("amina", "yonas", "omar.haddad", "omar.haddad2", "ayse.yilmaz", "selam.tesfamariam12"):
        make_resident(contact_person=staff["sanne"], username=username)


def test_only_the_demo_s_own_accounts_pass_for_the_demo(ctx) -> None:
    assert demo_difference() is None  # an empty database
    make_user(role=Role.ADMIN, username="admin")
    db.session.flush()
    assert "missing" in demo_difference()  # a fresh database with an administrator called admin
    _demo_like()
    db.session.flush()
    assert demo_difference() is None
    for username in ("kees", "omar.haddad1", "omar.haddad02", "sanne2"):
        make_resident(username=username, contact_person=db.session.scalar(select(User).filter_by(username="ruben")))
    make_user(role=Role.CASEWORKER, username="amina.haddad")  # a resident's name, but a member of staff
    db.session.flush()
    difference = demo_difference()
    assert difference.startswith("5 account(s) the demo does not make")
    assert all(name in difference for name in ("kees", "omar.haddad1", "omar.haddad02", "sanne2", "amina.haddad"))


def test_demo_reset_refuses_data_that_is_not_the_demo(app) -> None:
    with app.app_context():
        _demo_like()
        make_resident(username="kees.klaver", contact_person=make_caseworker(username="jet"))
        db.session.commit()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["demo", "--reset"])
    assert refused.exit_code == 1 and "Nothing deleted" in refused.output and "--force" in refused.output
    assert "jet" in refused.output and "kees.klaver" in refused.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 13 + 6 + 2
    assert runner.invoke(args=["demo", "--force"]).exit_code == 2  # --force only with --reset
    assert runner.invoke(args=["demo", "--reset", "--if-empty"]).exit_code == 2


def test_demo_reset_with_force_empties_any_database(app, monkeypatch) -> None:
    monkeypatch.setattr("portal.demo.RESIDENT_COUNT", 40)  # a smaller demo: this test is about the reset
    with app.app_context():
        make_resident(username="kees.klaver", contact_person=make_caseworker(username="jet"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo", "--reset", "--force"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        usernames = set(db.session.scalars(select(User.username)))
        assert "kees.klaver" not in usernames and "jet" not in usernames and {"amina", "sanne"} <= usernames
        assert db.session.scalar(select(func.count()).select_from(Resident)) == 40
        assert demo_difference() is None
