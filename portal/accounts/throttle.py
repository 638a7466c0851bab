"""Sign-in limits that count failures, not attempts, on the rate-limit storage (Redis when REDIS_URL is set).

- RATELIMIT_LOGIN_IP: failed sign-ins per client address; beyond it the address waits (429). A shared
  network (an AZC, a library) is not held back by the people on it who sign in correctly.
- RATELIMIT_LOGIN_USER: failed sign-ins per user name; beyond it the name is locked, but only for
  addresses that have been failing: the owner signing in from a clean address still gets in, so
  knowing someone's user name is not enough to keep them out. A locked name gets the same answer as
  a wrong password.
"""

from __future__ import annotations

from flask import current_app, request
from limits import RateLimitItem, parse

from portal.extensions import limiter

ADDRESS = "login-failed-address"
USERNAME = "login-failed-user"


def _item(setting: str) -> RateLimitItem:
    return parse(current_app.config[setting])


def _address() -> str:
    return request.remote_addr or "unknown"


def _name(username: str) -> str:
    return username.strip().lower()[:64]


def login_address_blocked() -> bool:
    """Whether this client address has used up its budget of failed sign-ins."""
    return limiter.enabled and not limiter.limiter.test(_item("RATELIMIT_LOGIN_IP"), ADDRESS, _address())


def login_address_failing() -> bool:
    """Whether this client address failed a sign-in within the window."""
    if not limiter.enabled:
        return False
    item = _item("RATELIMIT_LOGIN_IP")
    return limiter.limiter.get_window_stats(item, ADDRESS, _address()).remaining < item.amount


def login_name_locked(username: str) -> bool:
    """Whether this user name has used up its budget of failed sign-ins (known or not: the same)."""
    return limiter.enabled and not limiter.limiter.test(_item("RATELIMIT_LOGIN_USER"), USERNAME, _name(username))


def login_failed(username: str) -> None:
    """Count one failed sign-in for the address and the user name."""
    if limiter.enabled:
        limiter.limiter.hit(_item("RATELIMIT_LOGIN_IP"), ADDRESS, _address())
        limiter.limiter.hit(_item("RATELIMIT_LOGIN_USER"), USERNAME, _name(username))


def login_succeeded(username: str) -> None:
    """The owner got in: the user name's failures are forgiven (the address's are not)."""
    if limiter.enabled:
        limiter.limiter.clear(_item("RATELIMIT_LOGIN_USER"), USERNAME, _name(username))


CODE = "second-step-failed-user"


def _code_item() -> RateLimitItem:
    return parse(current_app.config.get("RATELIMIT_LOGIN_CODE", "5 per 10 minutes"))


def code_locked(user_id: int) -> bool:
    """Whether this account has used up its budget of wrong second-step codes."""
    return limiter.enabled and not limiter.limiter.test(_code_item(), CODE, str(user_id))


def code_failed(user_id: int) -> None:
    """Count one wrong code for the account and, like a wrong password, for the address."""
    if limiter.enabled:
        limiter.limiter.hit(_code_item(), CODE, str(user_id))
        limiter.limiter.hit(_item("RATELIMIT_LOGIN_IP"), ADDRESS, _address())


def code_succeeded(user_id: int) -> None:
    """The right code: the account's wrong codes are forgiven."""
    if limiter.enabled:
        limiter.limiter.clear(_code_item(), CODE, str(user_id))
