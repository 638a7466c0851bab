"""Wegwijs: the app factory, the one place that binds extensions, blueprints, errors and CLI."""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

from flask import Flask, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from portal.config import INSTANCE, ROOT, Config, config_from_env
from portal.db import db
from portal.extensions import babel, csrf, htmx, limiter, login_manager, migrate

MAX_ID = 2**31 - 1  # PostgreSQL's integer


class BoundedInt(IntegerConverter):
    """`<int:…>` in every route stops at the largest id a database column holds, so a huge number in a URL is a
    404 instead of an overflow in the database (integer out of range on PostgreSQL, beyond 2^63 on SQLite)."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def create_app(config: Config | None = None, **overrides: Any) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(INSTANCE),
    )
    app.config.from_object(config or config_from_env())
    app.config.update(overrides)
    if app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{INSTANCE / 'wegwijs.db'}":
        INSTANCE.mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_FIX"]:
        hops = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    app.url_map.converters["int"] = BoundedInt
    _bind_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _bind_extensions(app: Flask) -> None:
    from portal import models  # noqa: F401 - every table known before the first query
    from portal.i18n import install_template_helpers, select_locale
    from portal.web import access
    from portal.web.errors import init_errors
    from portal.web.logs import init_logging
    from portal.web.security import init_security
    from portal.web.templating import install as install_templating
    from portal.web.transaction import init_transactions

    init_transactions(app)  # registered first, so its after_request runs last: nothing reloads after it
    init_logging(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "portal" / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    login_manager.login_view = "accounts.login"
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    init_security(app)
    init_errors(app)
    install_template_helpers(app)
    install_templating(app)
    app.jinja_env.globals["asset"] = _asset_url
    app.before_request(access.enforce)
    app.view_functions["static"].access_rule = access.PUBLIC  # type: ignore[attr-defined]


def _load_user(user_id: str):
    from portal.accounts.models import User
    from portal.accounts.sessions import session_alive, session_end
    from portal.caseload.models import Resident

    raw_id, _, version = user_id.partition(":")
    if not raw_id.isdigit() or not version.isdigit():
        return None
    user = db.session.scalar(
        select(User)
        .options(joinedload(User.resident).joinedload(Resident.contact_person))
        .where(User.id == int(raw_id))
    )
    if user is None or not user.active or user.session_version != int(version):
        session_end()  # signed out, deactivated, new password or code: this cookie is done for good
        return None
    if not session_alive(user):
        session_end()
        return None
    return user


def _unauthorized():
    from flask import request

    from portal.web.htmx import current_url, is_htmx, unauthorized_response
    from portal.web.urls import safe_next

    target = current_url() if is_htmx() else request.full_path
    next_path = safe_next(target)
    login_url = url_for("accounts.login", next=next_path) if next_path and next_path != "/" else url_for(
        "accounts.login"
    )
    return unauthorized_response(login_url)


@cache
def _static_digest(path: str) -> str:
    file = ROOT / "static" / path
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10] if file.exists() else "0"


def _asset_url(path: str) -> str:
    """A static URL with a content hash, so files can be cached for a year."""
    return url_for("static", filename=path, v=_static_digest(path))


def _register_blueprints(app: Flask) -> None:
    from portal.accounts.admin import bp as admin_bp
    from portal.accounts.views import bp as accounts_bp
    from portal.appointments.views import bp as appointments_bp
    from portal.caseload.views import bp as caseload_bp
    from portal.home.views import bp as home_bp
    from portal.learn.views import bp as learn_bp
    from portal.messages.views import bp as messages_bp
    from portal.ontzorgen.views import bp as ontzorgen_bp
    from portal.plan.views import bp as plan_bp
    from portal.reports.views import bp as reports_bp
    from portal.web.health import bp as health_bp

    # Order matters where areas add panels to the staff view of a resident's file.
    for blueprint in (accounts_bp, admin_bp, caseload_bp, home_bp, plan_bp, appointments_bp, ontzorgen_bp,
                      learn_bp, messages_bp, reports_bp, health_bp):
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from portal.cli import register

    register(app)
