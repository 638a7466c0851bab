"""Demo data of the appointments area: a plausible history for everyone, a full week for sanne.

Every place here is invented (the town of Wegwijk does not exist).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert

from portal.appointments.models import LOCAL_TZ, Appointment
from portal.appointments.queries import working_week
from portal.db import db

AZC = "AZC Wegwijk, Kazerneweg 12, Wegwijk"
TOWN_HALL = "Stadskantoor Wegwijk, Marktplein 1, Wegwijk"
LANGUAGE_SCHOOL = "Taalhuis De Brug, Schoolstraat 5, Wegwijk"
COUNSELLING = "Steunpunt Nieuwkomers, Lindelaan 3, Wegwijk"
LIBRARY = "Bibliotheek Wegwijk, Kerkplein 2, Wegwijk"
WORK_SQUARE = "Werkplein Wegwijk, Industrieweg 40, Wegwijk"
COLLEGE = "ROC Wegwijk, Onderwijsboulevard 8, Wegwijk"
PHONE = "030 000 12 34"
VIDEO = "https://video.gemeente.example/wegwijs/"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ).astimezone(UTC)


def _weekday(day: date) -> date:
    """The same day, or the Monday after when it falls in a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


class _Rows:
    def __init__(self, today: date) -> None:
        self.rows: list[dict] = []
        self.now = _at(today, 8)
        self.busy: dict[tuple[str, int], list[tuple[datetime, datetime]]] = {}

    def _clashes(self, keys: list[tuple[str, int]], starts_at: datetime, ends_at: datetime) -> bool:
        return any(start < ends_at and starts_at < end for key in keys for start, end in self.busy.get(key, []))

    def _free_time(self, keys, day: date, hour: int, minute: int, minutes: int) -> tuple[datetime, datetime]:
        """The asked time, or the next half hour (office hours, weekdays) when someone is busy then."""
        day = _weekday(day)
        starts_at = _at(day, hour, minute)
        for _ in range(200):
            ends_at = starts_at + timedelta(minutes=minutes)
            if not self._clashes(keys, starts_at, ends_at):
                return starts_at, ends_at
            starts_at += timedelta(minutes=30)
            if starts_at.astimezone(LOCAL_TZ).hour * 60 + minutes > 17 * 60:
                day = _weekday(day + timedelta(days=1))
                starts_at = _at(day, 9)
        return starts_at, starts_at + timedelta(minutes=minutes)

    def add(self, resident, kind: str, day: date, hour: int, minute: int = 0, *, minutes: int = 60,
            location_kind: str = "address", location: str = TOWN_HALL, staff=None, with_other: str = "",
            interpreter: str | None = None, bring: str = "", status: str = "planned", response: str | None = None,
            reason: str = "", allow_overlap: bool = False) -> None:
        keys = [("resident", resident.id)] + ([("staff", staff.id)] if staff is not None else [])
        if allow_overlap:
            starts_at = _at(_weekday(day), hour, minute)
            ends_at = starts_at + timedelta(minutes=minutes)
        else:
            starts_at, ends_at = self._free_time(keys, day, hour, minute, minutes)
        if status != "cancelled":
            for key in keys:
                self.busy.setdefault(key, []).append((starts_at, ends_at))
        created_at = min(starts_at - timedelta(days=10), self.now - timedelta(hours=1))
        answered = response is not None
        self.rows.append({
            "resident_id": resident.id, "kind": kind, "starts_at": starts_at, "ends_at": ends_at,
            "location_kind": location_kind, "location": location, "staff_id": staff.id if staff else None,
            "with_other": with_other, "interpreter_language": interpreter, "bring": bring, "status": status,
            "response": response, "response_at": created_at + timedelta(days=1) if answered else None,
            "change_reason": reason, "sequence": 1 if status == "cancelled" else 0,
            "created_by_id": resident.contact_person_id, "created_at": created_at, "updated_at": created_at,
            "cancelled_at": min(created_at + timedelta(days=2), self.now) if status == "cancelled" else None,
        })


def _interpreter(resident) -> str | None:
    return resident.user.language if resident.user.language not in ("nl", "en") else None


def _history(rows: _Rows, ctx, resident) -> None:
    rng, today = ctx.rng, ctx.today
    linked = resident.linked_on or today - timedelta(days=200)
    contact = resident.contact_person
    tolk = _interpreter(resident)
    done = "confirmed"

    def past_or_future(day: date) -> bool:
        return day < today + timedelta(days=28)

    steps = [
        (linked + timedelta(days=rng.randint(1, 5)), dict(kind="warm_handover", location=AZC, staff=contact,
                                                          interpreter=tolk, minutes=90)),
        (linked + timedelta(days=rng.randint(21, 42)), dict(kind="broad_intake", staff=contact, interpreter=tolk,
                                                            minutes=120, bring="Paspoort of verblijfsdocument")),
        (linked + timedelta(days=rng.randint(56, 84)), dict(kind="pip_talk", staff=contact, interpreter=tolk)),
        (linked + timedelta(days=rng.randint(60, 120)), dict(kind="language_school", location=LANGUAGE_SCHOOL,
                                                             with_other="Intake taalhuis", minutes=45)),
    ]
    if rng.random() < 0.6:
        steps.append((linked + timedelta(days=rng.randint(90, 200)),
                      dict(kind="pvt", location=LIBRARY, with_other="Workshop participatieverklaring", minutes=180)))
    if rng.random() < 0.45:
        steps.append((linked + timedelta(days=rng.randint(150, 300)),
                      dict(kind="map", location=WORK_SQUARE, with_other="Werkcoach", minutes=120)))
    if resident.counsellor is not None and rng.random() < 0.7:
        steps.append((linked + timedelta(days=rng.randint(10, 60)),
                      dict(kind="counsellor", location=COUNSELLING, staff=resident.counsellor)))
    for _ in range(rng.randint(0, 2)):
        steps.append((linked + timedelta(days=rng.randint(100, 700)),
                      dict(kind="contact_talk", staff=contact, location_kind="phone", location="", minutes=30)))
    if rng.random() < 0.3:
        steps.append((today + timedelta(days=rng.randint(3, 27)),
                      dict(kind="contact_talk", staff=contact, interpreter=tolk)))
    for day, details in steps:
        if not past_or_future(day):
            continue
        upcoming = day >= today
        cancelled = not upcoming and rng.random() < 0.06
        response = None if upcoming and rng.random() < 0.6 else (None if cancelled else done)
        rows.add(resident, day=day, hour=rng.choice([9, 10, 11, 13, 14, 15]), minute=rng.choice([0, 30]),
                 status="cancelled" if cancelled else "planned", response=response, **details)


def _amina(rows: _Rows, ctx) -> None:
    amina, today = ctx.amina, ctx.today
    sanne, pieter = amina.contact_person, amina.counsellor
    rows.add(amina, "warm_handover", amina.linked_on + timedelta(days=2), 10, location=AZC, staff=sanne,
             interpreter="ar", minutes=90, response="confirmed")
    rows.add(amina, "broad_intake", today - timedelta(days=120), 9, 30, staff=sanne, interpreter="ar", minutes=120,
             bring="Paspoort, verblijfsdocument", response="confirmed")
    rows.add(amina, "pip_talk", today - timedelta(days=88), 13, staff=sanne, interpreter="ar", response="confirmed")
    rows.add(amina, "counsellor", today - timedelta(days=40), 11, location=COUNSELLING, staff=pieter,
             response="confirmed")
    rows.add(amina, "contact_talk", today - timedelta(days=12), 10, location_kind="phone", location="", staff=sanne,
             minutes=30, response="confirmed")
    rows.add(amina, "contact_talk", today + timedelta(days=2), 10, staff=sanne, interpreter="ar",
             bring="Brief van de Belastingdienst over de zorgtoeslag", response="confirmed")
    rows.add(amina, "language_school", today + timedelta(days=6), 9, 30, location=LANGUAGE_SCHOOL,
             with_other="Docent Nederlands", minutes=45, bring="Paspoort\nPen en schrift")
    rows.add(amina, "pvt", today + timedelta(days=9), 13, location=LIBRARY,
             with_other="Workshop participatieverklaring", interpreter="ar", minutes=180, status="cancelled")
    rows.add(amina, "pip_talk", today + timedelta(days=15), 14, location_kind="video", location=VIDEO + "amina",
             staff=sanne, interpreter="ar")


def _yonas(rows: _Rows, ctx) -> None:
    yonas, today = ctx.yonas, ctx.today
    sanne, pieter = yonas.contact_person, yonas.counsellor
    rows.add(yonas, "warm_handover", yonas.linked_on + timedelta(days=3), 11, location=AZC, staff=sanne,
             interpreter="ti", minutes=90, response="confirmed")
    rows.add(yonas, "broad_intake", yonas.linked_on + timedelta(days=30), 9, staff=sanne, interpreter="ti",
             minutes=120, response="confirmed")
    rows.add(yonas, "pip_talk", yonas.linked_on + timedelta(days=70), 14, staff=sanne, interpreter="ti",
             response="confirmed")
    rows.add(yonas, "map", today - timedelta(days=45), 10, location=WORK_SQUARE, with_other="Werkcoach",
             minutes=120, status="cancelled")
    rows.add(yonas, "counsellor", today + timedelta(days=1), 15, location=COUNSELLING, staff=pieter,
             interpreter="ti")
    rows.add(yonas, "contact_talk", today + timedelta(days=4), 11, staff=sanne, interpreter="ti",
             response="change_requested", reason="Ik heb dan les op school. Kan het om 15:00 uur?")
    rows.add(yonas, "language_school", today + timedelta(days=8), 13, location=COLLEGE,
             with_other="Intake onderwijsroute", minutes=90, bring="Diploma's en cijferlijsten\nPaspoort")
    rows.add(yonas, "other", today + timedelta(days=12), 16, location_kind="phone", location=PHONE,
             with_other="Jongerenwerker", minutes=30)


def _sannes_week(rows: _Rows, ctx) -> None:
    """Enough in sanne's working week that her week view looks real, with one overlap to notice."""
    sanne, rng, today = ctx.staff["sanne"], ctx.rng, ctx.today
    monday = working_week(today)
    mine = [r for r in ctx.residents if r.contact_person_id == sanne.id and r.user.username not in ("amina", "yonas")]
    slots = [(0, 9), (0, 11), (0, 14), (1, 10), (1, 13, 30), (2, 9, 30), (2, 15), (3, 8, 30), (3, 11), (4, 9), (4, 13)]
    kinds = ["contact_talk", "pip_talk", "broad_intake", "contact_talk", "pip_talk"]
    for n, slot in enumerate(slots):
        resident = mine[n % len(mine)]
        day, hour, minute = monday + timedelta(days=slot[0]), slot[1], slot[2] if len(slot) > 2 else 0
        kind = kinds[n % len(kinds)]
        rows.add(resident, kind, day, hour, minute, staff=sanne, interpreter=_interpreter(resident),
                 location_kind="phone" if n % 4 == 3 else "address", location="" if n % 4 == 3 else TOWN_HALL,
                 minutes=120 if kind == "broad_intake" else 60,
                 response="confirmed" if day < today or rng.random() < 0.5 else None)
    # Planned by mistake at the same time as the 11:00 on Thursday.
    rows.add(mine[-1], "contact_talk", monday + timedelta(days=3), 11, 30, staff=sanne, minutes=45,
             interpreter=_interpreter(mine[-1]), allow_overlap=True)


def seed(ctx) -> None:
    """Add this area's fictitious demo data (ctx: portal.demo.DemoContext)."""
    rows = _Rows(ctx.today)
    special = {ctx.amina.id, ctx.yonas.id}
    # The fixed appointments first; the random histories then find free times around them.
    _amina(rows, ctx)
    _yonas(rows, ctx)
    _sannes_week(rows, ctx)
    for resident in ctx.residents:
        if resident.id not in special:
            _history(rows, ctx, resident)
    db.session.execute(insert(Appointment), rows.rows)
