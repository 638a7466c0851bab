"""The access table: per endpoint, how to call it and which roles may. Each area adds its own
rows in tests/<area>/access.py as ROWS; test_access.py gathers them all and fails for any
endpoint that has no row."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

import tests

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, "resident", "caseworker", "counsellor", "lead", "admin")
SIGNED_IN = frozenset(ROLES) - {ANONYMOUS}
EVERYONE = frozenset(ROLES)
STAFF_FILE = frozenset({"caseworker", "counsellor"})


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    url: Callable  # world -> path
    allowed: frozenset[str]
    data: Callable | None = None  # world -> form data for POST
    page: bool = True  # a GET that renders HTML: also tested as page and as fragment
    headers: dict = field(default_factory=dict)


def all_rows() -> list[Row]:
    rows: list[Row] = []
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.endswith(".access"):
            rows.extend(importlib.import_module(module.name).ROWS)
    return rows
