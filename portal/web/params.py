"""Numbers from the query string, bounded at the edge: the database never sees one it cannot hold."""

from __future__ import annotations

from flask import request

MAX_INT = 2**31 - 1  # PostgreSQL's integer, as the URL converter
MAX_PAGE = 100_000  # a larger page number is a wish for the last page, not an offset for the database


def int_arg(name: str, default: int | None = None, *, low: int = 0, high: int = MAX_INT) -> int | None:
    """The query parameter as a whole number in low..high; the default when it is missing, not plain ASCII
    digits (no "1e9", "١٢", "1_0" or " 7") or out of range."""
    raw = request.args.get(name)
    if raw is None or not raw.isascii() or not raw.lstrip("-").isdigit() or len(raw) > 12:
        return default
    value = int(raw)
    return value if low <= value <= high else default


def page_arg(name: str = "page") -> int:
    """A page number from 1 to MAX_PAGE: 1 when missing or not a number, MAX_PAGE (the last page) when larger."""
    raw = request.args.get(name, "")
    if not raw.isascii() or not raw.isdigit():
        return 1
    if len(raw) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(int(raw), 1), MAX_PAGE)
