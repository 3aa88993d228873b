"""Domain errors raised by services, and the handlers that turn errors into pages."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


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


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> Any:
        from wijkteam import rescue

        if rescue.is_rescuable():
            # A long form from a session that ended: keep the text, ask to log in again.
            response = rescue.rescue_and_ask_to_log_in()
            response.status_code = 303
            return response
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(NotAllowed)
    def _not_allowed(error: NotAllowed) -> tuple[str, int]:
        return render_template("errors/error.html", code=403, message=str(error)), 403

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        messages = {
            400: _("The request could not be understood."),
            403: _("You do not have access to this page."),
            404: _("This page does not exist, or you do not have access to it."),
            405: _("This action is not possible here."),
            413: _("What you sent is too large."),
        }
        message = messages.get(code, _("Something went wrong."))
        return render_template("errors/error.html", code=code, message=message), code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        app.logger.exception("unhandled error")
        if app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise error
        message = _("Something went wrong on our side. What you typed may not have been saved.")
        return render_template("errors/error.html", code=500, message=message), 500
