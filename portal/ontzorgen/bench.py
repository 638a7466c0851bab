"""Time the payment run import: preview and confirm of a generated CSV, and the SQL statements they take.

import_benchmark() builds a caseworker with residents, arrangements and fixed costs in the current database
session, generates the CSV in memory, times the preview and the confirmation, and rolls everything back: the
database is left as it was. Call it in a fresh session (it refuses one with pending changes, which the
rollback would lose), e.g. from `flask shell` or a CLI command.
"""

from __future__ import annotations

import math
import secrets
import time
from datetime import date
from typing import Any

from schwifty import IBAN
from sqlalchemy import event, select

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db
from portal.ontzorgen.imports import payment_run_confirm, payment_run_preview, upload_store
from portal.ontzorgen.models import Arrangement, CostKind, Creditor, FixedCost
from portal.roles import Role

COSTS = [  # (kind, creditor name, amount in cents); one fictitious creditor each (bank code DEMO)
    (CostKind.RENT.value, "Woonstichting Bench", 712_50),
    (CostKind.ENERGY.value, "Energie Bench", 131_00),
    (CostKind.WATER.value, "Water Bench", 19_85),
    (CostKind.HEALTH_INSURANCE.value, "Zorgverzekeraar Bench", 142_95),
    (CostKind.MUNICIPAL_TAX.value, "Belastingen Bench", 33_10),
]
MONTHS = 4  # rows per cost: January to April 2026
ROWS_PER_RESIDENT = len(COSTS) * MONTHS


def _creditors() -> list[Creditor]:
    ibans = [IBAN.generate("NL", bank_code="DEMO", account_code=f"{9_000_000_001 + n}").compact
             for n in range(len(COSTS))]
    found = {c.iban: c for c in db.session.scalars(select(Creditor).where(Creditor.iban.in_(ibans)))}
    creditors = []
    for iban, (_, name, _) in zip(ibans, COSTS, strict=True):
        creditor = found.get(iban) or Creditor(name=name, iban=iban)
        db.session.add(creditor)
        creditors.append(creditor)
    return creditors


def _build(rows: int) -> tuple[User, bytes]:
    """A caseworker with enough residents for `rows` payments, and the payment run CSV for them."""
    tag = secrets.token_hex(3).upper()
    staff = User(username=f"bench-{tag}", name="Bench Caseworker", role=Role.CASEWORKER.value, language="nl")
    db.session.add(staff)
    creditors = _creditors()
    residents = []
    for n in range(math.ceil(rows / ROWS_PER_RESIDENT)):
        user = User(username=f"bench-{tag}-{n}", name=f"Bench Resident {n}", role=Role.RESIDENT.value,
                    language="nl")
        resident = Resident(user=user, contact_person=staff, client_number=f"B{tag}{n:07d}",
                            benefit_started_on=date(2026, 1, 1))
        arrangement = Arrangement(resident=resident, starts_on=date(2026, 1, 1), ends_on=date(2026, 7, 1))
        arrangement.costs = [FixedCost(kind=kind, creditor=creditor, amount_cents=cents)
                             for (kind, _, cents), creditor in zip(COSTS, creditors, strict=True)]
        db.session.add_all([user, resident, arrangement])
        residents.append(resident)
    db.session.flush()

    lines = ["Klantnummer;Crediteur;IBAN;Bedrag;Datum;Periode;Betalingskenmerk"]
    for resident in residents:
        for month in range(1, MONTHS + 1):
            for (_, name, cents), creditor in zip(COSTS, creditors, strict=True):
                lines.append(f"{resident.client_number};{name};{creditor.iban};{cents // 100},{cents % 100:02d};"
                             f"01-{month:02d}-2026;{month:02d}-2026;BENCH-{resident.client_number}-{month}-"
                             f"{creditor.id}")
    return staff, ("\r\n".join(lines[:rows + 1]) + "\r\n").encode()


def import_benchmark(rows: int = 5000) -> dict[str, Any]:
    """Preview and confirm a generated payment run of `rows` rows; returns the timings and statement counts.

    Everything it made is rolled back at the end.
    """
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("import_benchmark rolls back: run it in a session without pending changes")
    engine = db.session.get_bind()
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    try:
        staff, data = _build(rows)
        upload = upload_store(kind="payments", filename="bench.csv", data=data, actor=staff)
        event.listen(engine, "before_cursor_execute", count)
        try:
            started = time.perf_counter()
            preview = payment_run_preview(upload=upload, staff=staff)
            previewed = time.perf_counter()
            preview_statements = len(statements)
            result = payment_run_confirm(upload=upload, staff=staff)
            confirmed = time.perf_counter()
        finally:
            event.remove(engine, "before_cursor_execute", count)
        if preview.error or preview.bad or result.booked != rows:
            raise RuntimeError(f"the generated run did not book every row: {preview.error or preview.bad[:3]}")
    finally:
        db.session.rollback()
    seconds = confirmed - started
    return {
        "rows": rows,
        "bytes": len(data),
        "database": engine.dialect.name,
        "seconds": round(seconds, 4),
        "preview_seconds": round(previewed - started, 4),
        "confirm_seconds": round(confirmed - previewed, 4),
        "rows_per_second": round(rows / seconds) if seconds else None,
        "statements": len(statements),
        "preview_statements": preview_statements,
        "confirm_statements": len(statements) - preview_statements,
        "booked": result.booked,
    }
