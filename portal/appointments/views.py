"""Routes of the appointments area."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("appointments", __name__)
