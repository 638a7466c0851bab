# ruff: noqa: S310, S603, S607 - a load generator: it starts our own programs and requests only http://127.0.0.1
"""`make stress`: 50 residents send messages for up to 60 s through gunicorn on 127.0.0.1, while a worker is killed
with SIGKILL and (on PostgreSQL) the app's database connections are ended with pg_terminate_backend.

It reports 5xx answers, acknowledged writes that were lost and duplicates; all should be zero except requests that
were in flight when their worker died (those show as connection errors and are retried once with the same
idempotency key, which is safe: a message is stored once per client key).

Runs on a fresh SQLite file always, and on a fresh PostgreSQL database `<name>_stress` when BENCH_DATABASE_URL or
TEST_DATABASE_URL is PostgreSQL (only that database's connections are ended). Not part of `make test`.

    .venv/bin/python bench/stress.py [--seconds 60] [--writers 50] [--workers 4]
"""

from __future__ import annotations

import argparse
import html
import http.client
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|X-CSRFToken&#34;: &#34;([^&]+)&#34;|"X-CSRFToken": "([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acked: dict[str, str] = field(default_factory=dict)  # client key -> username
    status: dict[int, int] = field(default_factory=dict)
    connection_errors: int = 0
    retried: int = 0
    latencies: list[float] = field(default_factory=list)

    def count(self, code: int) -> None:
        with self.lock:
            self.status[code] = self.status.get(code, 0) + 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict[str, str]) -> str:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=300).stdout


def residents(url: str, n: int) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        names = conn.execute(text(
            "SELECT u.username FROM users u JOIN residents r ON r.user_id = u.id "
            "WHERE r.contact_person_id IS NOT NULL AND u.password_hash IS NOT NULL ORDER BY u.id")).scalars().all()
    engine.dispose()
    return list(names[:n])


def stored(url: str) -> tuple[set[str], int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT client_key FROM messages WHERE body LIKE 'Stresstest %'")).scalars().all()
        dupes = conn.execute(text(
            "SELECT count(*) FROM (SELECT conversation_id, client_key FROM messages "
            "GROUP BY conversation_id, client_key HAVING count(*) > 1) d")).scalar_one()
    engine.dispose()
    return set(keys), dupes


class Resident:
    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.username = username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.csrf = ""

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={"X-CSRFToken": self.csrf} if body else {})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:  # our 303 lands here too (no redirects followed)
            try:
                return error.code, error.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):  # the status line arrived: it counts, the body may not
                return error.code, ""

    def sign_in(self) -> None:
        self.refresh_csrf("/login")
        code, _ = self.request("/login", {"username": self.username, "password": "demo", "csrf_token": self.csrf})
        if code != 303:
            raise RuntimeError(f"sign-in of {self.username} answered {code}")
        self.refresh_csrf("/messages")

    def refresh_csrf(self, path: str) -> None:
        code, page = self.request(path)
        found = CSRF.search(page)
        if code != 200 or not found:
            raise RuntimeError(f"{path} answered {code} without a CSRF token")
        self.csrf = html.unescape(next(g for g in found.groups() if g))

    def send(self, key: str, n: int) -> int:
        return self.request("/messages", {"body": f"Stresstest {n}", "client_key": key, "csrf_token": self.csrf})[0]


def writer(resident: Resident, deadline: float, tally: Tally) -> None:
    n = 0
    while time.monotonic() < deadline:
        n += 1
        key = str(uuid.uuid4())
        for attempt in (1, 2):  # the same key twice is safe: the message is stored once
            started = time.monotonic()
            try:
                code = resident.send(key, n)
            except (OSError, http.client.HTTPException):  # in flight when its worker or connection died
                with tally.lock:
                    tally.connection_errors += 1
                    tally.retried += attempt == 1
                continue
            tally.count(code)
            with tally.lock:
                tally.latencies.append(time.monotonic() - started)
            if code == 303:
                with tally.lock:
                    tally.acked[key] = resident.username
                break
            if code in (502, 503, 504) and attempt == 1:
                with tally.lock:
                    tally.retried += 1
                time.sleep(0.2)
                continue
            break


def workers_of(master: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split()]


def terminate_connections(admin_url: str, database: str) -> int:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        ended = conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": database}).scalar_one()
    engine.dispose()
    return ended


def scenario(kind: str, url: str, seconds: int, writers: int, workers: int, admin_url: str | None) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"wegwijs-stress-{kind}-"))
    env = dict(os.environ, WEGWIJS_ENV="development", DATABASE_URL=url, UPLOAD_FOLDER=str(folder / "uploads"),
               SECRET_KEY="stress-" + uuid.uuid4().hex * 2, FORCE_HTTPS="0", LOG_LEVEL="WARNING",
               RATELIMIT_LOGIN_IP="10000 per minute", RATELIMIT_LOGIN_USER="10000 per minute")
    env.pop("REDIS_URL", None)
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    run([*flask, "db", "upgrade"], env)
    run([*flask, "demo"], env)
    names = residents(url, writers)
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(workers), "--threads", "2", "--bind", f"127.0.0.1:{port}",
         "--timeout", "30", "--graceful-timeout", "5", "--log-level", "warning", "wsgi:app"],
        env=env, cwd=ROOT, stdout=open(folder / "gunicorn.log", "w"), stderr=subprocess.STDOUT)  # noqa: SIM115
    base = f"http://127.0.0.1:{port}"
    events: list[str] = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        people = [Resident(base, name) for name in names]
        for person in people:
            person.sign_in()
        tally = Tally()
        start = time.monotonic()
        deadline = start + seconds
        threads = [threading.Thread(target=writer, args=(p, deadline, tally)) for p in people]
        for thread in threads:
            thread.start()
        time.sleep(seconds / 3)
        victims = workers_of(server.pid)
        if victims:
            os.kill(victims[0], signal.SIGKILL)
            events.append(f"t={time.monotonic() - start:.0f}s kill -9 worker {victims[0]}")
        if admin_url:
            time.sleep(seconds / 3)
            ended = terminate_connections(admin_url, make_url(url).database)
            events.append(f"t={time.monotonic() - start:.0f}s pg_terminate_backend: {ended} connections")
        for thread in threads:
            thread.join(timeout=seconds + 60)
        elapsed = time.monotonic() - start
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    keys, duplicates = stored(url)
    lost = [k for k in tally.acked if k not in keys]
    fivexx = {c: n for c, n in tally.status.items() if c >= 500}
    lat = sorted(tally.latencies) or [0.0]
    return {
        "database": kind, "seconds": round(elapsed, 1), "writers": len(names), "workers": workers,
        "requests": sum(tally.status.values()) + tally.connection_errors, "acknowledged": len(tally.acked),
        "status": dict(sorted(tally.status.items())), "5xx": fivexx, "connection_errors": tally.connection_errors,
        "retried": tally.retried, "lost_acknowledged": len(lost), "duplicates": duplicates,
        "stored_messages": len(keys),
        "stored_not_acked": len(keys - set(tally.acked)), "p50_ms": round(statistics.median(lat) * 1000),
        "p95_ms": round(lat[int(len(lat) * 0.95) - 1] * 1000), "events": events, "log": str(folder / "gunicorn.log"),
    }


def postgres_database(base_url: str) -> tuple[str, str]:
    base = make_url(base_url)
    name = f"{base.database}_stress"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False), base.render_as_string(hide_password=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    seconds = max(5, min(args.seconds, 60))
    results = []
    sqlite_dir = Path(tempfile.mkdtemp(prefix="wegwijs-stress-db-"))
    results.append(scenario("sqlite", f"sqlite:///{sqlite_dir / 'stress.db'}", seconds, args.writers, args.workers,
                            None))
    pg = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or ""
    if pg.startswith("postgresql"):
        url, admin = postgres_database(pg)
        results.append(scenario("postgresql", url, seconds, args.writers, args.workers, admin))
    failed = False
    for r in results:
        print(f"\n== {r['database']}: {r['writers']} writers, {r['workers']} gunicorn workers, {r['seconds']} s")
        for key in ("requests", "acknowledged", "status", "5xx", "connection_errors", "retried",
                    "lost_acknowledged", "duplicates", "stored_messages", "stored_not_acked", "p50_ms", "p95_ms",
                    "events", "log"):
            print(f"  {key:<18} {r[key]}")
        # 503 is the promised answer to a killed connection; other 5xx, a lost write or a duplicate is a failure.
        failed |= bool(r["lost_acknowledged"] or r["duplicates"] or any(c != 503 for c in r["5xx"]))
    print("\nFAILED" if failed else "\nOK: no lost acknowledged write, no duplicate, no 5xx but 503")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
