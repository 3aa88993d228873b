"""A form is saved once: a second POST of the same form instance shows the saved result.

Every AppForm carries a one-time form id (`form_id`, a hidden field made when the form is
opened). `web.helpers.form_page` claims the id in the transaction that saves the form: the first
POST adds a `FormSubmission` row before the service runs. A second POST with the same id is
answered before any view runs (`init_app`: so also where the view would refuse it, as the edit
page of a note that the first POST finished), or, if it was sent while the first was still
saving (a double click on a slow connection), loses the race on the unique constraint: either
way it saves nothing and is redirected (303) to the page the first one went to, with a word why.
A POST without a form id (an old page, a script) is not tracked.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import Flask, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, delete, select
from werkzeug.wrappers import Response

from wijkteam.core.db import db, utc_now
from wijkteam.submissions.models import FormSubmission

# What we make: secrets.token_urlsafe(16). Anything else is not one of our ids.
FORM_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# A form is not sent again days later: older records go (`forget_old`, the worker's hourly
# task; issue 21: a DELETE of the user's old records on every save before).
KEEP_FOR = timedelta(days=2)


def valid_form_id(value: object) -> str | None:
    return value if isinstance(value, str) and FORM_ID.match(value) else None


def saved_target(user_id: int, form_id: str) -> str | None:
    """Where the saved result of this form instance is shown, or None if it was not saved."""
    return db.scalar(_TARGET, {"user_id": user_id, "form_id": form_id})


_TARGET = select(FormSubmission.target).where(  # built once (issue 21): every POST asks
    FormSubmission.user_id == bindparam("user_id"), FormSubmission.form_id == bindparam("form_id")
)


def claim(user_id: int, form_id: str) -> FormSubmission:
    """Record this form instance as saved, in the caller's transaction (flushed at once, so a
    second POST of the same form waits for this one or fails on the unique constraint)."""
    row = FormSubmission(user_id=user_id, form_id=form_id, target="")
    db.add(row)
    db.flush()
    return row


def forget_old(now: datetime | None = None) -> int:
    """Remove everyone's records older than KEEP_FOR (the caller commits); how many."""
    cutoff = (now or utc_now()) - KEEP_FOR
    result = db.execute(delete(FormSubmission).where(FormSubmission.created_at < cutoff))
    return int(result.rowcount)  # type: ignore[attr-defined]  # a CursorResult here


def already_saved(target: str) -> Response:
    """The answer to a second POST of a form that was saved: its result, with a word why."""
    from wijkteam.web.helpers import safe_next

    flash(_("This was already saved."), "info")
    return redirect(safe_next(target, request.path), 303)


def init_app(app: Flask) -> None:
    @app.before_request
    def _saved_before() -> Response | None:
        if request.method != "POST" or not current_user.is_authenticated:
            return None
        form_id = valid_form_id(request.form.get("form_id"))
        if form_id is None:
            return None
        target = saved_target(current_user.id, form_id)
        return None if target is None else already_saved(target)
