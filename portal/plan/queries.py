"""Reads of the plan area."""

from __future__ import annotations


def plan_home_card(resident):
    """What the home page shows of the plan (goals in progress), or None."""
    return None


def export_for_resident(resident) -> dict:
    """This area's part of the resident's data download (/account/data)."""
    return {}
