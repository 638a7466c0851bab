"""Domain errors carry a translatable message for the user and, where it fits, the form field."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it does."""
