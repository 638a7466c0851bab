"""The request is the unit of work: one commit for a successful response, one rollback for any other.

Views, services and queries never commit. A response below 400 (a page, a fragment, a redirect)
commits what the request wrote; an error response (a refused form, a 403, a 404, a 500) rolls it
all back. Audit lines are the one exception, by one rule: they are kept apart from the request's
writes and are always stored — in the same transaction as the writes when the response succeeds,
on their own after the rollback when it fails — so a look at a file or a refusal is never lost and
never stores half of a refused change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context

from portal.db import db

_PENDING = "unit_of_work_pending"


def succeeded(response: Response) -> bool:
    return response.status_code < 400


def keep_whatever_happens(make: Callable[[bool], Any]) -> None:
    """Store the object `make(failed)` builds at the end of this request, whether it succeeds or not.

    Outside a request (commands, tests of services) the object is added to the session at once.
    """
    if not has_request_context():
        db.session.add(make(False))
        return
    g.setdefault(_PENDING, []).append(make)


def _store_pending(*, failed: bool) -> None:
    pending: list[Callable[[bool], Any]] = g.get(_PENDING, [])
    db.session.add_all([make(failed) for make in pending])


def discard_writes() -> None:
    """Forget this request's writes before showing a refused form again (kept audit lines stay)."""
    db.session.rollback()


def finish(response: Response) -> Response:
    """after_request: commit a success, roll back anything else; the kept objects are stored either way."""
    if succeeded(response):
        try:
            _store_pending(failed=False)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise  # the error handler answers 500 and this runs again for that response
        g.pop(_PENDING, None)
        return response
    db.session.rollback()
    if g.get(_PENDING):
        try:
            _store_pending(failed=True)
            db.session.commit()
        except Exception:  # the audit write must not turn a 403 into a 500
            db.session.rollback()
            current_app.logger.exception("could not store audit event")
        g.pop(_PENDING, None)
    return response


def init_transactions(app: Flask) -> None:
    app.after_request(finish)
