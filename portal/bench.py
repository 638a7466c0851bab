"""`flask --app wsgi bench`: time the main pages in-process on the demo data.

Signs in as the demo users through the test client, requests each page a number of times and
prints, per page, the median and 95th-percentile time, the SQL statements per request and the
HTML size (raw and gzipped). It reads only; run it on a database that holds the demo.
"""

from __future__ import annotations

import gzip
import statistics
import threading
import time

import click
from flask.cli import ScriptInfo, pass_script_info
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
    ("amina", "/learn"),
    ("amina", "/learn/check"),
    ("amina", "/learn/veilig-betalen/bankrekening-en-pinpas/1"),
    ("sanne", "/staff/"),
    ("sanne", "/staff/residents/{amina}"),
    ("sanne", "/staff/residents/{amina}/plan htmx"),
    ("sanne", "/staff/residents/{amina}/appointments htmx"),
    ("sanne", "/staff/messages/{amina}/panel htmx"),
    ("sanne", "/staff/residents/{amina}/ontzorgen htmx"),
    ("sanne", "/staff/residents/{amina}/learn htmx"),
    ("sanne", "/staff/messages"),
    ("sanne", "/staff/appointments"),
    ("lead", "/manage/"),
]


@click.command("bench")
@click.option("--repeat", default=50, show_default=True, help="Requests per page.")
@pass_script_info
def bench(info: ScriptInfo, repeat: int) -> None:
    """Time the main pages on the demo data (read-only)."""
    # The CLI holds an app context open; requests must each get their own, as in production,
    # so the measuring runs in a thread of its own (contexts are per thread).
    failure: list[BaseException] = []

    def run() -> None:
        try:
            _bench(info.load_app(), repeat)
        except BaseException as error:
            failure.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def _bench(app, repeat: int) -> None:
    with app.app_context():
        amina = db.session.scalar(
            select(Resident.id).join(User, User.id == Resident.user_id).where(User.username == "amina")
        )
        engine = db.engine
        dialect = engine.dialect.name
    if amina is None:
        raise click.ClickException("load the demo first: flask --app wsgi demo")
    app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    app.logger.setLevel("WARNING")
    statements: list[str] = []

    def count(*args) -> None:
        statements.append(args[2])

    clients = {}
    for username in {user for user, _ in PAGES}:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": "demo"})
        if response.status_code == 303 and response.headers.get("Location", "").endswith("/login/code"):
            # Demo staff give their second factor: the code an authenticator shows for the demo secret.
            import pyotp

            from portal.demo import DEMO_TOTP_SECRET

            response = client.post("/login/code", data={"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
        if response.status_code != 303:
            raise click.ClickException(f"could not sign in as {username}")
        clients[username] = client
    click.echo(f"database: {dialect}; {repeat} requests per page")
    click.echo("| page | user | median ms | p95 ms | SQL statements | HTML bytes | gzipped |")
    click.echo("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    event.listen(engine, "before_cursor_execute", count)
    try:
        for username, path in PAGES:
            url, _, how = path.format(amina=amina).partition(" ")
            # The file's panels are fetched by htmx, as the browser does.
            headers = {"HX-Request": "true"} if how == "htmx" else {}
            client = clients[username]
            client.get(url, headers=headers)  # warm up
            timings = []
            for _ in range(repeat):
                statements.clear()
                started = time.perf_counter()
                response = client.get(url, headers=headers)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise click.ClickException(f"{url} answered {response.status_code}")
            body = response.get_data()
            p95 = sorted(timings)[max(0, int(len(timings) * 0.95) - 1)]
            label = path.replace("{amina}", "<amina>")
            click.echo(f"| `{label}` | {username} | {statistics.median(timings):.1f} | {p95:.1f} | "
                       f"{len(statements)} | {len(body):,} | {len(gzip.compress(body)):,} |")
    finally:
        event.remove(engine, "before_cursor_execute", count)
