"""Liveness with a database round trip."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from portal.db import db
from portal.extensions import talisman
from portal.web import access

bp = Blueprint("system", __name__)


@bp.route("/healthz")
@talisman(force_https=False)
@access.public
def healthz():
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except Exception as error:  # any failure to reach the database means "not healthy"
        db.session.rollback()
        current_app.logger.warning("health check failed", extra={"error": type(error).__name__})
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
