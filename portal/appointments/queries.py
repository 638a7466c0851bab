"""Reads of the appointments area."""

from __future__ import annotations


def appointment_home_card(resident, *, now=None):
    """What the home page shows of appointments (the next one), or None."""
    return None


def export_for_resident(resident) -> dict:
    """This area's part of the resident's data download (/account/data)."""
    return {}
