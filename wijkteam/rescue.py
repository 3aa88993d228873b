"""Keeping typed text when a session runs out before a form is sent.

When a POST to a long form arrives without a live session (idle timeout, CSRF token from a
session that ended), the fields are stored server-side under a random token kept in the
(new) session cookie; the user logs in again and the form comes back with their text. Nothing
is saved into the case file by this: the user checks the text and saves it themselves."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from wijkteam.db import db, utc_now
from wijkteam.forms import clean_text
from wijkteam.notes.models import FormRescue

KEEP_FOR = timedelta(hours=24)
MAX_FIELDS = 400
MAX_BYTES = 200_000


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_rescuable() -> bool:
    return request.method == "POST" and request.endpoint in current_app.config.get(
        "RESCUABLE_ENDPOINTS", set()
    )


def rescue_and_ask_to_log_in() -> Response:
    """Store the posted fields, then send the user to the login page and back to the form."""
    fields = [(k, clean_text(v)) for k, v in request.form.items(multi=True) if k != "csrf_token"]
    size = sum(len(k) + len(v) for k, v in fields)
    if len(fields) <= MAX_FIELDS and size <= MAX_BYTES:
        token = secrets.token_urlsafe(32)
        db.execute(delete(FormRescue).where(FormRescue.created_at < utc_now() - KEEP_FOR))
        db.add(FormRescue(token_hash=_hash(token), path=request.path, data={"fields": fields}))
        db.commit()
        session["rescue"] = token
        if current_user.is_authenticated:
            # A live session but an old or missing security code: back to the form.
            flash(
                _(
                    "The form could not be accepted as sent. Your text is back: check it and "
                    "save again."
                ),
                "info",
            )
            return redirect(request.path)
        flash(
            _(
                "Your session had ended, but the text you typed is kept. Log in again to "
                "continue; then check the text and save it."
            ),
            "info",
        )
    return redirect(url_for("auth.login", next=request.path))


def take_rescue(path: str) -> MultiDict[str, str] | None:
    """The fields kept for this form, once (the rescue is removed when taken)."""
    token = session.get("rescue")
    if not token:
        return None
    rescue = db.scalar(select(FormRescue).where(FormRescue.token_hash == _hash(token)))
    if rescue is None or rescue.path != path or utc_now() - rescue.created_at > KEEP_FOR:
        return None
    session.pop("rescue", None)
    db.delete(rescue)
    db.commit()
    return MultiDict([(k, v) for k, v in rescue.data["fields"]])
