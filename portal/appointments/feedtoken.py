"""The secret in a calendar feed URL. The database keeps only its SHA-256, like an activation code, so a
copy of the database alone opens no feed; the account page can still show the URL, because the secret is
an HMAC (with SECRET_KEY) of the feed's resident and the moment it was made, which a reset changes."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime

from flask import current_app


def feed_secret(*, resident_id: int, created_at: datetime) -> str:
    """The token that goes into the feed URL."""
    key = current_app.config["SECRET_KEY"].encode()
    message = f"calendar-feed:{resident_id}:{created_at.isoformat()}".encode()
    mac = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def feed_digest(secret: str) -> str:
    """What the database keeps of a feed URL's token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_url_token(feed) -> str | None:
    """The token of this feed's URL; None when the stored hash does not match (made before tokens were
    hashed, or under another SECRET_KEY): the resident then makes a new link."""
    secret = feed_secret(resident_id=feed.resident_id, created_at=feed.created_at)
    return secret if hmac.compare_digest(feed_digest(secret), feed.token) else None
