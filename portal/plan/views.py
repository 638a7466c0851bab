"""Routes of the plan area."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("plan", __name__)
