"""Lots of data for one resident, from every area that has some: for query-count tests."""

from __future__ import annotations


def fill_resident(resident) -> None:
    """Give the resident many rows in every area (areas add theirs here)."""
