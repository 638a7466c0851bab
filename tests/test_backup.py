"""Backup and restore: the restore drill (back up, restore into a fresh database, check, sign in) and its guards.

The drill runs on a fresh SQLite file always, and on a fresh PostgreSQL database `<name>_restore` when the run
itself is on PostgreSQL (TEST_DATABASE_URL), as in CI.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from portal.accounts.models import User
from portal.backup import MANIFEST, BackupError, database_row_counts, pg_tool, schema_revision, sha256_of
from portal.caseload.models import Resident
from portal.db import db
from portal.messages.models import Attachment
from portal.messages.services import Upload, message_send
from tests.conftest import build_world, is_postgres, login, make_test_app
from tests.factories import make_user
from tests.messages.factories import png_bytes

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "portal" / "migrations")


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_of(p) for p in folder.rglob("*") if p.is_file()}


def _fill(app: Flask) -> None:
    """A small world and a message with a photo, so the uploads folder holds files the database names."""
    with app.app_context():
        build_world()
        amina = db.session.scalar(select(Resident).join(User, Resident.user).where(User.username == "amina"))
        message_send(resident=amina, sender=amina.user, client_key=str(uuid.uuid4()),
                     body="Hier is de brief.", uploads=[Upload(filename="brief.png", data=png_bytes())])
        db.session.commit()


def _cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def source(app: Flask, database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Flask:
    """The app to back up: the run's database when it is of the kind asked for, else a freshly migrated SQLite file."""
    kind = getattr(request, "param", "sqlite")
    if kind == "postgresql" and not is_postgres(database_url):
        pytest.skip("the PostgreSQL drill runs when TEST_DATABASE_URL is PostgreSQL")
    if (kind == "postgresql") == is_postgres(database_url):
        chosen = app
    else:
        chosen = make_test_app(f"sqlite:///{tmp_path / 'source.db'}")
        with chosen.app_context():
            upgrade(directory=MIGRATIONS)
    chosen.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    _fill(chosen)
    return chosen


@pytest.fixture
def fresh_url(source: Flask, tmp_path: Path) -> Iterator[str]:
    """An empty database of the source's kind: a new SQLite file, or a new PostgreSQL database `<name>_restore`."""
    with source.app_context():
        url = db.engine.url
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"{url.database}_restore"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.parametrize("source", ["sqlite", "postgresql"], indirect=True)
def test_restore_drill(source: Flask, fresh_url: str, tmp_path: Path) -> None:
    result = _cli(source, "backup", "--to", str(tmp_path / "backups"))
    assert result.exit_code == 0, result.output
    (made,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((made / MANIFEST).read_text())
    with source.app_context():
        counts = database_row_counts()
        revision = schema_revision()
        kind = db.engine.url.get_backend_name()
        attachment_id = db.session.scalar(select(Attachment.id))
    assert manifest["database"] == kind and manifest["revision"] == revision
    uploads = _files(Path(source.config["UPLOAD_FOLDER"]))
    assert len(uploads) >= 1
    assert {f"uploads/{name}": digest for name, digest in uploads.items()}.items() <= manifest["files"].items()

    restored = make_test_app(fresh_url, UPLOAD_FOLDER=str(tmp_path / "restored-uploads"))
    result = _cli(restored, "restore", str(made))
    assert result.exit_code == 0, result.output

    with restored.app_context():
        assert database_row_counts() == counts
        assert counts["users"] >= 7 and counts["message_attachments"] == 1
        assert schema_revision() == revision
        if kind == "sqlite":
            assert db.session.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        assert db.session.scalar(select(User.name).where(User.username == "amina")) == "Amina Haddad"
    assert _files(tmp_path / "restored-uploads") == uploads

    client = restored.test_client()
    login(client, "amina")
    page = client.get("/messages")
    assert page.status_code == 200 and "Hier is de brief." in page.text
    with client.get(f"/messages/files/{attachment_id}") as photo:  # closes the file it sends
        assert photo.status_code == 200 and len(photo.data) > 0


def test_restore_refuses_a_database_that_holds_data(source: Flask, tmp_path: Path) -> None:
    assert _cli(source, "backup", "--to", str(tmp_path / "backups")).exit_code == 0
    (made,) = (tmp_path / "backups").iterdir()
    with source.app_context():
        make_user(username="nieuw")
        db.session.commit()
    shutil.rmtree(source.config["UPLOAD_FOLDER"])  # only the database is in the way

    result = _cli(source, "restore", str(made))
    assert result.exit_code == 1 and "not empty" in result.output
    with source.app_context():
        assert db.session.scalar(select(User.id).where(User.username == "nieuw")) is not None


def test_restore_refuses_a_full_uploads_folder(source: Flask, fresh_url: str, tmp_path: Path) -> None:
    assert _cli(source, "backup", "--to", str(tmp_path / "backups")).exit_code == 0
    (made,) = (tmp_path / "backups").iterdir()
    folder = tmp_path / "other-uploads"
    (folder / "messages").mkdir(parents=True)
    (folder / "messages" / "keep.pdf").write_bytes(b"%PDF-1.4 not ours")
    restored = make_test_app(fresh_url, UPLOAD_FOLDER=str(folder))

    result = _cli(restored, "restore", str(made))
    assert result.exit_code == 1 and "uploads folder" in result.output
    assert _files(folder) == {"messages/keep.pdf": sha256_of(folder / "messages" / "keep.pdf")}
    with restored.app_context():
        assert not any(database_row_counts().values())


REASONS = {"changed": "does not match its hash", "missing": "is missing", "extra": "not in its manifest",
           "outside": "outside the backup"}


@pytest.mark.parametrize("damage", list(REASONS))
def test_restore_refuses_a_damaged_backup_and_changes_nothing(source: Flask, fresh_url: str, tmp_path: Path,
                                                              damage: str) -> None:
    assert _cli(source, "backup", "--to", str(tmp_path / "backups")).exit_code == 0
    (made,) = (tmp_path / "backups").iterdir()
    photo = next((made / "uploads").rglob("*.png"))
    if damage == "changed":
        photo.write_bytes(photo.read_bytes()[:-1] + b"\0")
    elif damage == "missing":
        photo.unlink()
    elif damage == "extra":
        (made / "uploads" / "messages" / "planted.pdf").write_bytes(b"%PDF-1.4")
    else:
        manifest = json.loads((made / MANIFEST).read_text())
        # a file inside the backup, with its right hash, that a restore would write beside the uploads folder
        (made / "planted").write_bytes(photo.read_bytes())
        manifest["files"]["uploads/../planted"] = manifest["files"].pop(photo.relative_to(made).as_posix())
        photo.unlink()
        (made / MANIFEST).write_text(json.dumps(manifest))
    restored = make_test_app(fresh_url, UPLOAD_FOLDER=str(tmp_path / "restored-uploads"))

    result = _cli(restored, "restore", str(made))
    assert result.exit_code == 1, result.output
    assert REASONS[damage] in result.output
    with restored.app_context():
        assert not any(database_row_counts().values())
    assert not (tmp_path / "restored-uploads").exists()
    assert not (tmp_path / "planted").exists()


def test_backup_names_pg_dump_when_it_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(BackupError, match="pg_dump was not found"):
        pg_tool("pg_dump")
