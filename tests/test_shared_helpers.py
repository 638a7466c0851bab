"""Small shared helpers: get_or_add (portal/db.py) and languages_for (portal/i18n.py)."""

from __future__ import annotations

from flask_login import AnonymousUserMixin

from portal.db import db, get_or_add
from portal.i18n import LANGUAGES, languages_for
from portal.messages.models import ResidentMessageSettings
from portal.plan.models import Baseline
from portal.roles import Role
from tests.factories import make_caseworker, make_resident, make_user


def test_get_or_add_finds_the_row_or_adds_one_without_flushing(ctx, count_queries) -> None:
    resident = make_resident()
    added = get_or_add(ResidentMessageSettings, resident_id=resident.id)
    assert added in db.session.new and added.resident_id == resident.id
    db.session.flush()
    before = count_queries.count
    assert get_or_add(ResidentMessageSettings, resident_id=resident.id) is added
    assert count_queries.count == before  # by primary key: from the session, no statement

    baseline = get_or_add(Baseline, resident_id=resident.id, domain="work")  # by other columns
    baseline.score = 3
    db.session.flush()
    db.session.expunge_all()
    again = get_or_add(Baseline, resident_id=resident.id, domain="work")
    assert again.id == baseline.id and again.score == 3 and again not in db.session.new
    assert get_or_add(Baseline, resident_id=resident.id, domain="health") in db.session.new


def test_staff_choose_dutch_or_english_everyone_else_all_six(ctx) -> None:
    assert languages_for(make_caseworker()) == {"nl": "Nederlands", "en": "English"}
    assert languages_for(make_user(role=Role.ADMIN)) == {"nl": "Nederlands", "en": "English"}
    assert languages_for(make_resident().user) == LANGUAGES
    assert languages_for(AnonymousUserMixin()) == languages_for(None) == LANGUAGES
