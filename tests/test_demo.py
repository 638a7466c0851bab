"""The demo: PRODUCT.md's sign-ins, 634 fictitious residents, never into a database with data."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.accounts.services import user_authenticate
from portal.caseload.models import Resident
from portal.db import db
from portal.demo import DemoRefused, demo_load
from portal.ontzorgen.queries import ontzorgen_period
from portal.roles import Role
from tests.factories import make_caseworker


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
    assert len(rows) == 13 and all(int(row.split("|")[5]) > 0 for row in rows)  # statements per page


def test_staff_create_command(app) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["staff", "create", "kees", "--name", "Kees Klaver", "--role", "caseworker",
                                 "--password", "een-goed-wachtwoord"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert user_authenticate(username="kees", password="een-goed-wachtwoord").role == "caseworker"
    duplicate = runner.invoke(args=["staff", "create", "kees", "--name", "K", "--role", "lead", "--password", "x" * 10])
    assert duplicate.exit_code != 0
