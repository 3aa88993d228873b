"""Error pages, and the audit row of every refused request (403, 404 on a known URL, a form
refused by the CSRF check). The domain errors themselves are in wijkteam/core/errors.py."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from wijkteam import rescue
from wijkteam.audit.services import record
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.core.errors import NotAllowed
from wijkteam.core.permissions import can_view_case
from wijkteam.web.json import wants_json


def deny_case(case_id: int) -> None:
    """Mark this request as an attempt on an existing case the user may not see. The answer
    stays the 404 of a missing case; the audit row (see record_denied) names the case."""
    g.denied_case_id = case_id


def record_denied(code: int, action: str | None = None, reason: str = "") -> None:
    """Write an audit row for a refused request (403, or 404 on a known URL, or a form refused
    by the CSRF check) of a logged-in user: who, from where, which method and path, and which
    case if there is one. `action` overrides the usual case.denied / access.denied.

    The request's own transaction is rolled back first (an aborted request must not keep
    half-done changes, and on SQLite it would hold the write lock); the row is then committed
    in a transaction of its own, so it holds although the request ends in an error."""
    if request.url_rule is None or request.endpoint == "static":
        return  # not one of our pages: nothing was refused
    if not (current_user and current_user.is_authenticated):
        return  # anonymous requests to pages are sent to the login page, not refused
    denied_case = g.pop("denied_case_id", None)
    try:
        db.rollback()
        user = current_user._get_current_object()
        case = None
        if denied_case is not None:
            case = db.get(Case, denied_case)
        else:
            wanted = (request.view_args or {}).get("case_id")
            case = db.get(Case, wanted) if isinstance(wanted, int) else None
            if case is not None and not can_view_case(user, case):
                denied_case = case.id  # refused before the case was even looked up
        detail = f"{code} {request.method} {request.path} ({request.endpoint})"
        record(
            user,
            action or ("case.denied" if denied_case is not None else "access.denied"),
            case_id=case.id if case is not None else None,
            obj=case,
            detail=f"{detail}: {reason}" if reason else detail,
        )
        db.commit()
    except SQLAlchemyError:
        db.rollback()
        current_app.logger.exception("could not write the audit row of a refused request")


def _answer(code: int, message: str) -> tuple[Any, int]:
    """The error page, or for a page's script (autosave) the message as JSON: it shows it and
    stops (the page and what is typed in it stay)."""
    if wants_json():
        return jsonify(stop=True, message=message), code
    return render_template("errors/error.html", code=code, message=message), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> Any:
        # Audited only for a logged-in user (live session): one row per refused request, from
        # someone known. A request with an ended session or none gets no row: anyone can send
        # those as fast as they like (a row each would be a storage flood), and a cross-site
        # page can make a victim's browser send an ended session's cookie, so the row would
        # blame someone who did nothing. Those answer 400 or the login page, and change nothing.
        record_denied(400, action="csrf.refused", reason=str(error.description))
        # A long form from a session that ended: keep the text, ask to log in again.
        response = rescue.keep_typed_text()
        if response is not None:
            response.status_code = 303
            return response
        if wants_json():
            return _answer(400, _("The page has expired. Save by hand to keep your text."))
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(NotAllowed)
    def _not_allowed(error: NotAllowed) -> tuple[Any, int]:
        record_denied(403)
        return _answer(403, str(error))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[Any, int]:
        code = error.code or 500
        if code in (403, 404):
            record_denied(code)
        messages = {
            400: _("The request could not be understood."),
            403: _("You do not have access to this page."),
            404: _("This page does not exist, or you do not have access to it."),
            405: _("This action is not possible here."),
            413: _("What you sent is too large."),
        }
        return _answer(code, messages.get(code, _("Something went wrong.")))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[Any, int]:
        app.logger.exception("unhandled error")
        if app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise error
        return _answer(
            500, _("Something went wrong on our side. What you typed may not have been saved.")
        )
