"""Fictitious demo data: the sign-ins of PRODUCT.md and 634 residents in guidance.

Every person here is invented. Names are common given names and family names put
together at random; any likeness to a real person is chance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, select, text

from portal.accounts.models import User
from portal.accounts.services import password_hash
from portal.caseload.models import Resident
from portal.db import db, utcnow
from portal.roles import Role

DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo password
RESIDENT_COUNT = 634

CASEWORKERS = [
    ("sanne", "Sanne de Vries"),
    ("ruben", "Ruben Jansen"),
    ("fleur", "Fleur Bakker"),
    ("daan", "Daan Visser"),
    ("noor", "Noor Smit"),
    ("thijs", "Thijs Mulder"),
    ("lotte", "Lotte de Boer"),
    ("bram", "Bram Meijer"),
]
COUNSELLORS = [
    ("pieter", "Pieter Hendriks"),
    ("ineke", "Ineke Kok"),
    ("youssef", "Youssef el Amrani"),
]

# (language, share, given names, family names)
GROUPS = [
    ("ar", 0.40,
     ["Amina", "Fatima", "Omar", "Khaled", "Rania", "Yousef", "Layla", "Ahmad", "Nour", "Samir",
      "Hiba", "Mahmoud", "Reem", "Tarek", "Dima", "Bilal", "Salma", "Hassan", "Lina", "Majd"],
     ["Haddad", "Al-Masri", "Khalil", "Nasser", "Darwish", "Saleh", "Hamdan", "Aziz", "Mansour",
      "Ibrahim", "Yassin", "Qasim", "Sabbagh", "Halabi", "Jaber"]),
    ("ti", 0.25,
     ["Yonas", "Selam", "Tesfay", "Helen", "Semhar", "Filmon", "Merhawi", "Luwam", "Aman", "Saba",
      "Robel", "Winta", "Dawit", "Hiwet", "Yohannes", "Feven"],
     ["Tesfamariam", "Gebremedhin", "Haile", "Kidane", "Berhe", "Woldu", "Tekle", "Ghebreyesus",
      "Habte", "Asfaha", "Mebrahtu", "Negash"]),
    ("fa", 0.15,
     ["Zahra", "Ali", "Maryam", "Reza", "Farid", "Shirin", "Hamid", "Parisa", "Mehdi", "Nasrin",
      "Javid", "Soraya", "Karim", "Laleh"],
     ["Ahmadi", "Hosseini", "Rahimi", "Karimi", "Sultani", "Jafari", "Mohammadi", "Azizi",
      "Noori", "Sadat"]),
    ("tr", 0.10,
     ["Mehmet", "Elif", "Ayşe", "Mustafa", "Zeynep", "Emre", "Fatma", "Can", "Derya", "Murat"],
     ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan", "Doğan"]),
    ("en", 0.06,
     ["Grace", "Samuel", "Esther", "Daniel", "Mercy", "Joseph", "Faith", "Emmanuel"],
     ["Okafor", "Mensah", "Nkosi", "Mwangi", "Abebe", "Kamara", "Otieno", "Banda"]),
    ("nl", 0.04,
     ["Amal", "Said", "Nadia", "Idris", "Sara", "Musa"],
     ["Abdi", "Warsame", "Farah", "Hassan", "Ali", "Osman"]),
]


@dataclass
class DemoContext:
    today: date
    rng: random.Random
    staff: dict[str, User] = field(default_factory=dict)
    residents: list[Resident] = field(default_factory=list)
    # Uploaded files of the data a reset deleted: removed once that deletion is committed.
    stale_files: list[str] = field(default_factory=list)

    @property
    def amina(self) -> Resident:
        return next(r for r in self.residents if r.user.username == "amina")

    @property
    def yonas(self) -> Resident:
        return next(r for r in self.residents if r.user.username == "yonas")


class DemoRefused(Exception):
    pass


def database_is_empty() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is None


# Which accounts the demo creates. The residents' user names come from GROUPS ("omar.haddad",
# "omar.haddad2", ...); which ones a load picks depends on the day it ran, so any of them counts.
DEMO_STAFF = frozenset([u for u, _ in CASEWORKERS] + [u for u, _ in COUNSELLORS] + ["lead", "admin"])
DEMO_FIXED = DEMO_STAFF | {"amina", "yonas"}


def _username_base(name: str) -> str:
    base = name.lower().replace(" ", ".").replace("ı", "i").replace("ş", "s").replace("ç", "c")
    return base.replace("ğ", "g").replace("ö", "o").replace("ü", "u").replace("-", "")


_DEMO_RESIDENT_BASES = frozenset(
    _username_base(f"{given_name} {family_name}")
    for _, _, given, family in GROUPS for given_name in given for family_name in family
)


def _is_demo_account(username: str, role: str) -> bool:
    if role != Role.RESIDENT:
        return username in DEMO_STAFF
    if username in ("amina", "yonas"):
        return True
    base = username.rstrip("0123456789")
    number = username[len(base):]
    return base in _DEMO_RESIDENT_BASES and (not number or (number[0] != "0" and int(number) >= 2))


def demo_difference() -> str | None:
    """Why the database does not hold the demo alone, or None when it does (or is empty).

    The demo alone: every account is one the demo makes (its staff, amina and yonas, residents named
    from its lists) and the demo's staff, amina and yonas are all there. So real accounts, or a fresh
    database with only an administrator who happens to be called "admin", never pass for the demo.
    """
    strangers: list[str] = []
    fixed: set[str] = set()
    accounts = 0
    for username, role in db.session.execute(select(User.username, User.role)):
        accounts += 1
        if not _is_demo_account(username, role):
            strangers.append(username)
        elif username in DEMO_FIXED:
            fixed.add(username)
    if strangers:
        shown = ", ".join(sorted(strangers)[:5]) + (", ..." if len(strangers) > 5 else "")
        return f"{len(strangers)} account(s) the demo does not make: {shown}"
    if accounts and fixed != DEMO_FIXED:
        return "the demo's own accounts are missing: " + ", ".join(sorted(DEMO_FIXED - fixed))
    return None


def database_empty() -> list[str]:
    """Delete every row of every table; the schema and its migration version stay.

    Returns the uploaded files the deleted rows pointed to: remove them (stale_files_remove) after the commit.
    """
    import portal.models  # noqa: F401 - every area's tables in the metadata
    from portal.messages.models import Attachment

    files = [name for row in db.session.execute(select(Attachment.stored_name, Attachment.preview_name))
             for name in row if name]
    for table in reversed(db.metadata.sorted_tables):
        if table.name == "audit_events" and db.engine.dialect.name == "postgresql":
            # Append-only (migration 0007): no DELETE; emptying the whole database is the one TRUNCATE.
            db.session.execute(text("TRUNCATE audit_events"))
        else:
            db.session.execute(delete(table))
    db.session.flush()
    return files


def stale_files_remove(names: list[str]) -> None:
    from portal.messages.files import remove_stored

    for name in names:
        remove_stored(name)


def demo_reset(*, force: bool = False, today: date | None = None, seed: int = 2019) -> DemoContext:
    """Empty the database and load the demo again; refuses data that is not the demo's unless forced."""
    if not force:
        difference = demo_difference()
        if difference:
            raise DemoRefused(f"the database holds more than the demo ({difference}); "
                              "it is only emptied when it holds the demo alone, or with --force")
    stale = database_empty()
    ctx = demo_load(today=today, seed=seed)
    ctx.stale_files = stale
    return ctx


def demo_load(*, today: date | None = None, seed: int = 2019) -> DemoContext:
    """Fill an empty database with the demo; refuses a database that holds any account."""
    if not database_is_empty():
        raise DemoRefused("the database already holds data; the demo is only loaded into an empty one")
    ctx = DemoContext(today=today or date.today(), rng=random.Random(seed))
    hashed = password_hash(DEMO_PASSWORD)
    _seed_staff(ctx, hashed)
    _seed_residents(ctx, hashed)
    db.session.flush()
    from portal.appointments.demo import seed as seed_appointments
    from portal.learn.demo import seed as seed_learn
    from portal.messages.demo import seed as seed_messages
    from portal.ontzorgen.demo import seed as seed_ontzorgen
    from portal.plan.demo import seed as seed_plans

    seed_plans(ctx)
    seed_appointments(ctx)
    seed_messages(ctx)
    seed_ontzorgen(ctx)
    seed_learn(ctx)
    db.session.flush()
    return ctx


# The second factor of every demo staff account (documented in the README; demo only): any
# authenticator app with this secret gives the code the sign-in asks for.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 -- the brief's public demo secret


def _seed_staff(ctx: DemoContext, hashed: str) -> None:
    accounts = (
        [(u, n, Role.CASEWORKER) for u, n in CASEWORKERS]
        + [(u, n, Role.COUNSELLOR) for u, n in COUNSELLORS]
        + [("lead", "Marleen Vos", Role.LEAD), ("admin", "Beheer Wegwijs", Role.ADMIN)]
    )
    for username, name, role in accounts:
        user = User(username=username, name=name, role=role.value, language="nl", password_hash=hashed,
                    totp_secret=DEMO_TOTP_SECRET, totp_enrolled_at=utcnow())
        db.session.add(user)
        ctx.staff[username] = user
    db.session.flush()


def _birth_date(ctx: DemoContext, age_from: int, age_to: int) -> date:
    days = ctx.rng.randint(age_from * 365 + 30, age_to * 365 + 300)
    return ctx.today - timedelta(days=days)


def _seed_residents(ctx: DemoContext, hashed: str) -> None:
    rng, today = ctx.rng, ctx.today
    caseworkers = [ctx.staff[u] for u, _ in CASEWORKERS]
    counsellors = [ctx.staff[u] for u, _ in COUNSELLORS]
    sanne, pieter = ctx.staff["sanne"], ctx.staff["pieter"]
    taken: set[str] = {"amina", "yonas"}

    def add(username: str, name: str, language: str, **file) -> Resident:
        user = User(username=username, name=name, role=Role.RESIDENT.value, language=language,
                    password_hash=file.pop("password_hash", None))
        resident = Resident(user=user, client_number=f"T{len(ctx.residents):06d}", **file)
        db.session.add(resident)
        ctx.residents.append(resident)
        return resident

    add("amina", "Amina Haddad", "ar", password_hash=hashed, contact_person=sanne, counsellor=pieter,
        date_of_birth=date(today.year - 34, 4, 12), linked_on=today - timedelta(days=150),
        benefit_started_on=today - timedelta(days=75))
    add("yonas", "Yonas Tesfamariam", "ti", password_hash=hashed, contact_person=sanne, counsellor=pieter,
        date_of_birth=today - timedelta(days=19 * 365 + 120), linked_on=today - timedelta(days=400),
        benefit_started_on=today - timedelta(days=340))

    # About twenty young Eritreans get intensive guidance (the report's group).
    young_eritreans = 20
    weights = [share for _, share, _, _ in GROUPS]
    for i in range(RESIDENT_COUNT - 2):
        if i < young_eritreans:
            language, _, given, family = GROUPS[1]
            birth = _birth_date(ctx, 18, 23)
        else:
            language, _, given, family = rng.choices(GROUPS, weights=weights)[0]
            birth = _birth_date(ctx, 18, 62)
        name = f"{rng.choice(given)} {rng.choice(family)}"
        base = _username_base(name)
        username, n = base, 1
        while username in taken:
            n += 1
            username = f"{base}{n}"
        taken.add(username)
        # Since 1 January 2019 people have been linked to the municipality.
        linked = date(2019, 1, 7) + timedelta(days=rng.randint(0, max(1, (today - date(2019, 1, 7)).days - 20)))
        benefit = linked + timedelta(days=rng.randint(20, 70)) if rng.random() < 0.96 else None
        if benefit is not None and benefit > today:
            benefit = None
        add(username, name, language,
            password_hash=hashed if rng.random() < 0.8 else None,
            contact_person=caseworkers[i % len(caseworkers)],
            counsellor=rng.choice(counsellors) if rng.random() < 0.55 else None,
            date_of_birth=birth, linked_on=linked, benefit_started_on=benefit)
    db.session.flush()
    for resident in ctx.residents:
        resident.client_number = f"W{resident.user_id:06d}"
    db.session.flush()


DEMO_SIGN_INS = [
    ("amina", "resident, Arabic, B1-route, month 3 of ontzorgen"),
    ("yonas", "resident, Tigrinya, 19, onderwijsroute"),
    ("sanne", "caseworker (contact person of amina and yonas)"),
    ("pieter", "counsellor"),
    ("lead", "team lead"),
    ("admin", "administrator (staff accounts)"),
]
