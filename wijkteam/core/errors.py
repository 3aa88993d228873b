"""Domain errors raised by services. They know nothing of requests or pages: the web layer
(wijkteam/web/errors.py and web/helpers.form_page) turns them into answers."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain was broken; the message is shown to the user."""


class FieldError(DomainError):
    """A rule about one form field that needs the database (e.g. a duplicate family)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class EditConflict(DomainError):
    """Someone else saved the record since the form was opened."""

    def __init__(self, obj: Any) -> None:
        super().__init__("edit conflict")
        self.obj = obj


class NotAllowed(DomainError):
    """The user may see the object but not do this with it (shown as 403)."""
