"""Second factor: a TOTP code from an authenticator app (RFC 6238), or a one-time recovery code.

Staff must have one; residents may turn it on. The secret is stored as is in users.totp_secret:
encrypting it would need a key kept apart from the database, which this deployment does not have
yet. Recovery codes are kept only as a salted SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, or_, select, update

from portal.accounts.models import RecoveryCode, User
from portal.db import db, utcnow
from portal.domain import DomainError
from portal.i18n import _l

ISSUER = "Wegwijs"
STEP_SECONDS = 30
DRIFT_STEPS = 1  # a code from the step before or after is accepted: clocks on phones drift
RECOVERY_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10
WRONG_CODE = _l("Deze code klopt niet.")


def _step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch in RECOVERY_ALPHABET or ch in "01")


def _recovery_digest(code: str, salt: str) -> str:
    return f"{salt}${hashlib.sha256((salt + _normalise(code)).encode()).hexdigest()}"


def _recovery_matches(code: str, stored: str) -> bool:
    salt, _, _digest = stored.partition("$")
    return hmac.compare_digest(_recovery_digest(code, salt), stored)


def totp_uri(user: User) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(user.totp_secret or "").provisioning_uri(name=user.username, issuer_name=ISSUER)


def totp_qr_svg(user: User, *, title: str) -> Markup:
    """The QR code as inline SVG (no external image, no script)."""
    svg = segno.make(totp_uri(user), error="m").svg_inline(scale=4, title=title, dark="#000", light="#fff")
    return Markup(svg)  # noqa: S704 -- segno's own SVG of an otpauth URI built from our data


def totp_enrolment_start(*, user: User) -> User:
    """Give the account a new secret to confirm with a code; an unconfirmed one is kept across page loads."""
    if user.has_second_factor:
        raise DomainError(_l("Je hebt al een extra code."))
    if user.totp_secret is None:
        user.totp_secret = pyotp.random_base32(32)
        user.totp_last_step = None
        db.session.flush()
    return user


def _totp_claim(*, user: User, code: str, now: float | None = None) -> bool:
    """Whether the code is the TOTP of a step within the drift not used before; the step is then used up."""
    digits = "".join(ch for ch in code if ch in "0123456789")
    if user.totp_secret is None or len(digits) != 6 or len(code.strip()) > 8:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current = _step(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), digits):
            # One statement, so two requests with the same code cannot both claim the step.
            claimed = db.session.execute(
                update(User)
                .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
                .values(totp_last_step=step)
                .execution_options(synchronize_session=False)
            ).rowcount
            if claimed == 1:
                user.totp_last_step = step
                return True
            return False
    return False


def _recovery_claim(*, user: User, code: str) -> bool:
    """Whether the code is one of the account's unused recovery codes; it is then used up."""
    if len(_normalise(code)) != RECOVERY_LENGTH:
        return False
    for record in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        if _recovery_matches(code, record.code_hash):
            # Used or not is decided here only, in one statement: two requests cannot both claim it.
            claimed = db.session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == record.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
                .execution_options(synchronize_session=False)
            ).rowcount
            return claimed == 1
    return False


def second_factor_check(*, user: User, code: str, now: float | None = None) -> bool:
    """The sign-in's second step: a TOTP code or a recovery code, each usable once."""
    if not user.has_second_factor:
        return False
    return _totp_claim(user=user, code=code, now=now) or _recovery_claim(user=user, code=code)


def recovery_codes_issue(*, user: User) -> list[str]:
    """New recovery codes (the old ones stop working); the plain codes are returned once and not kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_COUNT):
        code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_digest(code, secrets.token_hex(8))))
        codes.append(f"{code[:5]}-{code[5:]}")
    db.session.flush()
    return codes


def totp_enrol(*, user: User, code: str, now: float | None = None) -> list[str]:
    """Confirm the new secret with a code from the app; returns the new recovery codes."""
    if user.has_second_factor or user.totp_secret is None:
        raise DomainError(WRONG_CODE, field="code")
    if not _totp_claim(user=user, code=code, now=now):
        raise DomainError(WRONG_CODE, field="code")
    user.totp_enrolled_at = utcnow()
    db.session.flush()
    return recovery_codes_issue(user=user)


def totp_turn_off(*, user: User, code: str, now: float | None = None) -> User:
    """A resident turns the second factor off, with a code; staff cannot."""
    if user.is_staff:
        raise DomainError(_l("Medewerkers hebben altijd een extra code nodig."), field="code")
    if not second_factor_check(user=user, code=code, now=now):
        raise DomainError(WRONG_CODE, field="code")
    totp_remove(user=user)
    return user


def totp_remove(*, user: User) -> User:
    """Forget the secret and the recovery codes (the demo's reset, a resident's own choice)."""
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()
    return user


def totp_set(*, user: User, secret: str) -> User:
    """Enrol with a given secret (demo accounts only: the brief's documented demo secret)."""
    user.totp_secret = secret
    user.totp_enrolled_at = utcnow()
    user.totp_last_step = None
    db.session.flush()
    return user
