"""Who may use which endpoint. Every endpoint declares a rule; a test walks url_map to prove it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import abort, current_app, request
from flask_login import current_user

from portal.registry import record_refusal
from portal.roles import Role

F = TypeVar("F", bound=Callable)


@dataclass(frozen=True)
class Rule:
    public: bool = False
    roles: frozenset[str] = frozenset()

    def allows(self, role: str | None) -> bool:
        return self.public or (role is not None and role in self.roles)


PUBLIC = Rule(public=True)
STAFF_FILE = frozenset({Role.CASEWORKER, Role.COUNSELLOR})
EVERY_ROLE = frozenset(Role)


def _declare(rule: Rule) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorator


def public(view: F) -> F:
    """Anyone, signed in or not."""
    return _declare(PUBLIC)(view)


def signed_in(view: F) -> F:
    """Any signed-in account."""
    return _declare(Rule(roles=EVERY_ROLE))(view)


def roles(*allowed: Role) -> Callable[[F], F]:
    """Only signed-in accounts with one of these roles."""
    if not allowed:
        raise ValueError("roles() needs at least one role")
    return _declare(Rule(roles=frozenset(allowed)))


def rule_for(endpoint: str) -> Rule | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def enforce() -> None:
    """before_request: refuse anything without a rule, anonymous users to sign-in, wrong roles 403."""
    if request.endpoint is None:
        return None  # routing failed; the 404/405 handler answers
    rule = rule_for(request.endpoint)
    if rule is None:
        current_app.logger.error("endpoint without access rule refused", extra={"endpoint": request.endpoint})
        abort(403)
    if rule.public:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.role not in rule.roles:
        record_refusal(action=f"endpoint:{request.endpoint}")
        abort(403)
    return None
