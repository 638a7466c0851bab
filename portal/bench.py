"""`flask --app wsgi bench`: time the main pages in-process on the demo data.

Signs in as the demo users through the test client, requests each page a number of times and
prints, per page, the median and 95th-percentile time, the SQL statements per request and the
HTML size (raw and gzipped). It reads only; run it on a database that holds the demo.
"""

from __future__ import annotations

import gzip
import statistics
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import event, select

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db

PAGES = [
    ("amina", "/"),
    ("amina", "/plan"),
    ("amina", "/appointments"),
    ("amina", "/messages"),
    ("amina", "/ontzorgen"),
    ("sanne", "/staff/"),
    ("sanne", "/staff/residents/{amina}"),
    ("lead", "/manage/"),
]


@click.command("bench")
@click.option("--repeat", default=50, show_default=True, help="Requests per page.")
@with_appcontext
def bench(repeat: int) -> None:
    """Time the main pages on the demo data (read-only)."""
    amina = db.session.scalar(
        select(Resident.id).join(User, User.id == Resident.user_id).where(User.username == "amina")
    )
    if amina is None:
        raise click.ClickException("load the demo first: flask --app wsgi demo")
    app = current_app._get_current_object()
    app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    statements: list[str] = []

    def count(*args) -> None:
        statements.append(args[2])

    clients = {}
    for username in {user for user, _ in PAGES}:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": "demo"})
        if response.status_code != 303:
            raise click.ClickException(f"could not sign in as {username}")
        clients[username] = client
    click.echo(f"database: {db.engine.dialect.name}; {repeat} requests per page")
    click.echo("| page | user | median ms | p95 ms | SQL statements | HTML bytes | gzipped |")
    click.echo("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for username, path in PAGES:
            url = path.format(amina=amina)
            client = clients[username]
            client.get(url)  # warm up
            timings = []
            for _ in range(repeat):
                statements.clear()
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise click.ClickException(f"{url} answered {response.status_code}")
            body = response.get_data()
            p95 = sorted(timings)[max(0, int(len(timings) * 0.95) - 1)]
            click.echo(f"| `{path}` | {username} | {statistics.median(timings):.1f} | {p95:.1f} | "
                       f"{len(statements)} | {len(body):,} | {len(gzip.compress(body)):,} |")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
