"""Reads of the messages area."""

from __future__ import annotations


def messages_home_card(resident):
    """What the home page shows of messages (unread count, last reply), or None."""
    return None


def export_for_resident(resident) -> dict:
    """This area's part of the resident's data download (/account/data)."""
    return {}
