"""Backup and restore of the database and the uploads folder, together, with a manifest of hashes.

A backup is one folder `wegwijs-backup-<UTC time>/` holding
  database.sqlite3   SQLite's online backup (sqlite3.Connection.backup: consistent while the app runs), or
  database.dump      `pg_dump -Fc` of the PostgreSQL database,
  uploads/...        a copy of UPLOAD_FOLDER (message attachments),
  manifest.json      time, database kind, schema revision and the sha256 of every file above.
The database is copied first and the uploads second, so every file the copied database names is in the
copy (a file that arrives in between is an unused extra, never a missing one). The folder is written as
`<name>.partial` and renamed when complete, so a broken-off backup never looks like a finished one.

Restore checks every hash first, then refuses a database or uploads folder that holds anything, unless forced.
Commands (portal/cli.py) call these; they talk to the operator in English, like every command.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 # only pg_dump/pg_restore, by absolute path, arguments as a list, no shell
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from alembic.migration import MigrationContext
from flask import current_app
from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL

from portal.db import db

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
UPLOADS = "uploads"


class BackupError(Exception):
    """Something the operator must fix; nothing was changed."""


@dataclass
class Restored:
    database: str
    revision: str | None
    files: int
    moved_aside: Path | None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _url() -> URL:
    return db.engine.url


def database_kind() -> str:
    name = _url().get_backend_name()
    if name not in {"sqlite", "postgresql"}:
        raise BackupError(f"backups of {name} databases are not supported")
    return name


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def pg_tool(name: str) -> str:
    """The absolute path of a PostgreSQL client program, or a BackupError saying how to get it."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found on the PATH: install the PostgreSQL client programs "
                          f"(Debian: apt-get install postgresql-client) of the server's major version or newer")
    return found


def _pg_args(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and an environment carrying it (never on the command line,
    where `ps` shows it)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return libpq, env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603 # see the import
    if result.returncode != 0:
        raise BackupError(f"{what} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def schema_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _upload_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def backup_create(*, to: Path, now: datetime | None = None) -> Path:
    """Write a complete backup folder under `to` and return its path."""
    kind = database_kind()
    now = now or datetime.now(UTC)
    to.mkdir(parents=True, exist_ok=True)
    name = f"wegwijs-backup-{now:%Y%m%dT%H%M%SZ}"
    final = to / name
    if final.exists():
        raise BackupError(f"{final} exists already")
    work = to / f"{name}.partial"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(mode=0o700)  # it holds every resident's data
    revision = schema_revision()
    url = _url()
    if kind == "sqlite":
        database_file = work / SQLITE_FILE
        source = sqlite3.connect(f"file:{_sqlite_path(url)}?mode=ro", uri=True)
        target = sqlite3.connect(database_file)
        try:
            with target:
                source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file, no -wal/-shm beside it
        finally:
            target.close()
            source.close()
    else:
        database_file = work / PG_FILE
        libpq, env = _pg_args(url)
        _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl", f"--file={database_file}",
              f"--dbname={libpq}"], env, "pg_dump")

    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    for path in _upload_files(uploads):
        copy = work / UPLOADS / path.relative_to(uploads)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)

    files = {p.relative_to(work).as_posix(): sha256_of(p) for p in sorted(work.rglob("*")) if p.is_file()}
    manifest = {"format": FORMAT, "created_at": now.isoformat(), "database": kind, "revision": revision,
                "files": files}
    (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    work.rename(final)
    return final


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(part in {"", ".", ".."} for part in path.parts) or "\\" in name:
        raise BackupError(f"the manifest names a file outside the backup: {name!r}")
    return path


def backup_verify(source: Path) -> dict:
    """The manifest of a backup whose every file is present and has its recorded hash; BackupError otherwise."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a Wegwijs backup: no readable {MANIFEST}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"),
                                                                                            dict):
        raise BackupError(f"{source / MANIFEST} is not a manifest this version understands")
    if manifest.get("database") not in {"sqlite", "postgresql"}:
        raise BackupError("the manifest names no database kind this version understands")
    root = source.resolve()
    for name, expected in manifest["files"].items():
        path = (root / _safe_relative(name)).resolve()
        if root not in path.parents or not path.is_file() or path.is_symlink():
            raise BackupError(f"{name} is missing from the backup")
        if sha256_of(path) != expected:
            raise BackupError(f"{name} does not match its hash in the manifest: the backup is damaged")
    database_file = SQLITE_FILE if manifest["database"] == "sqlite" else PG_FILE
    if database_file not in manifest["files"]:
        raise BackupError(f"the backup holds no {database_file}")
    listed = {Path(name) for name in manifest["files"]}
    for path in root.rglob("*"):
        if path.is_file() and path.relative_to(root) not in listed and path.name != MANIFEST:
            raise BackupError(f"{path.relative_to(root)} is in the backup but not in its manifest")
    return manifest


def database_row_counts() -> dict[str, int]:
    """Rows per table of the models that exist in the database (a missing table counts as absent)."""
    existing = set(inspect(db.engine).get_table_names())
    counts = {}
    with db.engine.connect() as connection:
        for model_table in db.metadata.sorted_tables:
            if model_table.name in existing:
                counts[model_table.name] = connection.scalar(select(func.count()).select_from(table(model_table.name)))
    return counts


def database_is_empty() -> bool:
    return not any(database_row_counts().values())


def backup_restore(*, source: Path, force: bool = False) -> Restored:
    """Restore a verified backup into this app's database and UPLOAD_FOLDER; both must be empty unless forced."""
    manifest = backup_verify(source)
    kind = database_kind()
    if manifest["database"] != kind:
        raise BackupError(f"the backup is of a {manifest['database']} database; this one is {kind}")
    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    if not force:
        if not database_is_empty():
            raise BackupError("the database is not empty; restore into an empty one (or use --force to replace it)")
        if _upload_files(uploads):
            raise BackupError(f"the uploads folder {uploads} is not empty (--force moves it aside)")

    db.session.remove()
    db.engine.dispose()
    url = _url()
    if kind == "sqlite":
        target_path = _sqlite_path(url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        backup = sqlite3.connect(f"file:{source.resolve() / SQLITE_FILE}?mode=ro&immutable=1", uri=True)
        target = sqlite3.connect(target_path)
        try:
            with target:
                backup.backup(target)  # replaces the whole database, schema and alembic_version included
            if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("the restored database fails SQLite's integrity check")
        finally:
            target.close()
            backup.close()
    else:
        libpq, env = _pg_args(url)
        _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
              "--exit-on-error", f"--dbname={libpq}", str(source / PG_FILE)], env, "pg_restore")
    db.engine.dispose()

    moved_aside = None
    if uploads.exists() and _upload_files(uploads):
        moved_aside = uploads.with_name(f"{uploads.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
        uploads.rename(moved_aside)
    files = 0
    prefix = f"{UPLOADS}/"
    for name in manifest["files"]:
        if not name.startswith(prefix):
            continue
        relative = _safe_relative(name[len(prefix):])
        target_file = uploads / relative
        target_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, target_file)
        files += 1
    return Restored(database=kind, revision=manifest.get("revision"), files=files, moved_aside=moved_aside)
