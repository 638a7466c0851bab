"""Uploaded files (a payment run or a bank statement), kept between preview and confirmation.

Only the uploader sees an upload, and only until it is confirmed once.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from portal.accounts.models import User
from portal.db import db, utcnow
from portal.domain import DomainError, NotFound
from portal.i18n import _
from portal.ontzorgen.models import Upload

MAX_UPLOAD_BYTES = 5 * 2**20
KINDS = ("payments", "statement")
IN_CHUNK = 900  # values per IN (...): below SQLite's old limit of 999 bound values
FILENAME_MAX = 255
STALE_UPLOAD = timedelta(days=1)  # an unconfirmed upload older than this is removed at the next upload


def _clean_filename(name: str) -> str:
    """The last path part, without control or invisible characters, at most 255 characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C")).strip()
    return name[:FILENAME_MAX].strip() or "bestand"


def upload_store(*, kind: str, filename: str, data: bytes, actor: User) -> Upload:
    """Keep an uploaded file until it is confirmed. Refuses an empty file and one over 5 MB.

    Also removes the actor's own unconfirmed uploads of this kind older than a day: they were left behind.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown upload kind {kind!r}")
    if not data:
        raise DomainError(_("Dit bestand is leeg. Kies een ander bestand."), field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(_("Dit bestand is te groot. Een bestand mag hoogstens %(mb)s MB zijn.",
                            mb=MAX_UPLOAD_BYTES // 2**20), field="file")
    db.session.execute(delete(Upload).where(
        Upload.uploaded_by_id == actor.id, Upload.kind == kind, Upload.confirmed_at.is_(None),
        Upload.uploaded_at < utcnow() - STALE_UPLOAD,
    ))
    upload = Upload(kind=kind, filename=_clean_filename(filename), sha256=hashlib.sha256(data).hexdigest(),
                    data=data, uploaded_by_id=actor.id)
    db.session.add(upload)
    db.session.flush()
    return upload


def upload_get(*, upload_id: int, staff: User, kind: str) -> Upload | None:
    """The staff member's own upload of this kind that is not confirmed yet, or None."""
    return db.session.scalar(select(Upload).where(
        Upload.id == upload_id, Upload.uploaded_by_id == staff.id, Upload.kind == kind,
        Upload.confirmed_at.is_(None),
    ))


def upload_check(upload: Upload, *, staff: User, kind: str) -> None:
    """Refuses an upload of someone else or of another kind (the views find it with upload_get)."""
    if upload.uploaded_by_id != staff.id or upload.kind != kind:
        raise NotFound(_("Dit bestand is niet gevonden. Lees het opnieuw in."), field="file")


def upload_claim(upload: Upload) -> None:
    """Mark the upload confirmed, once: a second confirmation (a double click, two tabs) is refused.

    The conditional UPDATE makes this hold across concurrent requests too: only one of them changes the row.
    """
    now = utcnow()
    claimed = db.session.execute(
        update(Upload).where(Upload.id == upload.id, Upload.confirmed_at.is_(None)).values(confirmed_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise DomainError(_("Dit bestand is al verwerkt. Lees het opnieuw in als dat nodig is."), field="file")
    set_committed_value(upload, "confirmed_at", now)  # what the row now holds, without a second UPDATE


def chunked(values: Iterable[str], size: int = IN_CHUNK) -> Iterator[list[str]]:
    """Distinct values in lists of at most `size`, for IN (...) lists."""
    values = sorted(set(values))
    for start in range(0, len(values), size):
        yield values[start:start + size]

