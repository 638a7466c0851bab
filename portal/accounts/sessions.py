"""How long a signed-in session lasts: an idle timeout per kind of user and an absolute lifetime.

The times live in the signed session cookie, not bound to the client address (phones switch networks).
Together with the session version on the account (raised at sign-out, a new password, a new code,
deactivation) they make a copied cookie useless once the session has ended.
"""

from __future__ import annotations

import time

from flask import current_app, request, session

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
# Requests the page makes by itself (polling for new messages) do not count as activity.
BACKGROUND_HEADER = "X-Wegwijs-Background"


def idle_seconds(user) -> int:
    """How long this user may be idle before the session ends."""
    cfg = current_app.config
    minutes = cfg["SESSION_IDLE_STAFF_MINUTES"] if user.is_staff else cfg["SESSION_IDLE_RESIDENT_MINUTES"]
    return int(minutes) * 60


def session_start() -> None:
    """Stamp a fresh session at sign-in."""
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def session_alive(user, *, now: float | None = None) -> bool:
    """Whether the current session may continue for this user; marks it as seen when it may."""
    now = int(now if now is not None else time.time())
    signed_in_at = session.get(SIGNED_IN_AT)
    seen_at = session.get(SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        return False
    if now - signed_in_at >= current_app.config["SESSION_MAX_HOURS"] * 3600:
        return False
    if now - seen_at >= idle_seconds(user):
        return False
    if request.headers.get(BACKGROUND_HEADER) != "1":
        session[SEEN_AT] = now
    return True


def session_end() -> None:
    """Forget everything of the session except the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
