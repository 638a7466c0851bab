"""Demo data of the messages area."""

from __future__ import annotations


def seed(ctx) -> None:
    """Add this area's fictitious demo data (ctx: portal.demo.DemoContext)."""
