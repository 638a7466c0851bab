"""Routes of the messages area."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("messages", __name__)
