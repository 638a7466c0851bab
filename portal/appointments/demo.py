"""Demo data of the appointments area."""

from __future__ import annotations


def seed(ctx) -> None:
    """Add this area's fictitious demo data (ctx: portal.demo.DemoContext)."""
