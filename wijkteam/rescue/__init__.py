"""Keeping typed text when a session runs out before a form is sent.

When a POST to a long form arrives after the user's session ended (idle timeout, maximum age)
or with a security code that no longer matches a live session, the fields are stored
server-side, bound to that user, under a random token kept in the session cookie; the user logs
in again and the form comes back with their text. Nothing is saved into the case file by this:
the user checks the text and saves it themselves.

Only a request that carries the user's *own* session (live, or ended but still naming an active
account) and comes from our own pages is rescued. Anything else (a cross-site form, a request
without our cookie, a made-up cookie) stores nothing and does not touch the cookie, so another
site can neither plant text in someone's form, nor fill the table, nor log anyone out
(docs/security.md).

What the rest of the app calls: `rescuable` (a blueprint names its long forms), `rescued_form`
(a form page gets the kept text back), `keep_typed_text` (the login wall and the CSRF refusal
keep the text), `carry_over_login` (the login keeps it for the same user). The kept text is a
`FormRescue` row (wijkteam/rescue/models.py)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from wijkteam.auth.models import User
from wijkteam.auth.services import find_session
from wijkteam.core.db import db, utc_now
from wijkteam.rescue.models import FormRescue
from wijkteam.web.forms import clean_text

F = TypeVar("F", bound=FlaskForm)

KEEP_FOR = timedelta(hours=24)
MAX_FIELDS = 400
MAX_BYTES = 200_000
# Kept texts per account: a new one pushes out the oldest.
MAX_PER_USER = 3


def rescuable(bp: Blueprint, *endpoints: str) -> None:
    """Name the long forms of a blueprint: a POST to one of them that arrives after the
    session ended is kept and given back after login (app.config["RESCUABLE_ENDPOINTS"])."""

    @bp.record_once
    def _register(state: Any) -> None:
        state.app.config.setdefault("RESCUABLE_ENDPOINTS", set()).update(endpoints)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _same_origin() -> bool:
    """The form was sent from one of our own pages. Browsers send Origin with every POST (and
    "null" from sandboxed or privacy-stripped contexts); a client that sends neither Origin nor
    Referer is not a browser acting for someone else, so it is judged by its cookie alone."""
    own = f"{request.scheme}://{request.host}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == own
    referer = request.headers.get("Referer")
    if referer is not None:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == own
    return True


def session_owner() -> User | None:
    """The account whose session this request carries: the logged-in user, or the user of a
    session that has ended (idle time, maximum age) but whose account is still active."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    token = session.get("sid")
    if not isinstance(token, str) or not token:
        return None
    auth = find_session(token)
    if auth is None or auth.revoked_at is None or not auth.user.active:
        return None
    return auth.user


def is_rescuable() -> bool:
    """A POST to a long form, from our own pages, carrying the user's own session."""
    return (
        request.method == "POST"
        and request.endpoint in current_app.config.get("RESCUABLE_ENDPOINTS", set())
        and _same_origin()
        and session_owner() is not None
    )


def _store(owner: User) -> bool:
    fields = [(k, clean_text(v)) for k, v in request.form.items(multi=True) if k != "csrf_token"]
    size = sum(len(k) + len(v) for k, v in fields)
    if len(fields) > MAX_FIELDS or size > MAX_BYTES:
        return False
    db.execute(delete(FormRescue).where(FormRescue.created_at < utc_now() - KEEP_FOR))
    keep = list(
        db.scalars(
            select(FormRescue.id)
            .where(FormRescue.user_id == owner.id)
            .order_by(FormRescue.created_at.desc(), FormRescue.id.desc())
            .limit(MAX_PER_USER - 1)
        )
    )
    db.execute(delete(FormRescue).where(FormRescue.user_id == owner.id, FormRescue.id.not_in(keep)))
    token = secrets.token_urlsafe(32)
    db.add(
        FormRescue(
            token_hash=_hash(token),
            user_id=owner.id,
            path=request.path,
            data={"fields": fields},
        )
    )
    db.commit()
    session["rescue"] = token
    return True


def keep_typed_text() -> Response | None:
    """For a POST to a long form from the user's own session (see is_rescuable): store the
    posted fields for their owner, then send the user back to the form (live session) or to
    the login page and from there back to the form (ended session). None for any other
    request: the caller answers it as usual."""
    owner = session_owner() if is_rescuable() else None
    if owner is None:
        return None
    kept = _store(owner)
    if current_user.is_authenticated:
        # A live session but an old or missing security code: back to the form.
        if kept:
            flash(
                _(
                    "The form could not be accepted as sent. Your text is back: check it and "
                    "save again."
                ),
                "info",
            )
        else:
            flash(_("The form could not be accepted as sent. Please fill it in again."), "error")
        return redirect(request.path)
    if kept:
        flash(
            _(
                "Your session had ended, but the text you typed is kept. Log in again to "
                "continue; then check the text and save it."
            ),
            "info",
        )
    return redirect(url_for("auth.login", next=request.path))


def _find(token: object) -> FormRescue | None:
    if not isinstance(token, str) or not token:
        return None
    return db.scalar(select(FormRescue).where(FormRescue.token_hash == _hash(token)))


def carry_over_login(user: User) -> str | None:
    """At login: the kept text's token if it belongs to the user who logs in. Text kept for
    someone else on this browser is dropped, never shown to the next person."""
    token = session.get("rescue")
    rescue = _find(token)
    if rescue is None:
        return None
    if rescue.user_id != user.id:
        db.delete(rescue)
        return None
    return token


def take_rescue(path: str) -> MultiDict[str, str] | None:
    """The fields kept for this form and this user, once (the rescue is removed when taken)."""
    rescue = _find(session.get("rescue"))
    if rescue is None or rescue.path != path:
        return None
    session.pop("rescue", None)
    db.delete(rescue)
    db.commit()
    mine = current_user.is_authenticated and rescue.user_id == current_user.id
    if not mine or utc_now() - rescue.created_at > KEEP_FOR:
        return None
    return MultiDict([(k, v) for k, v in rescue.data["fields"]])


def rescued_form(form_cls: type[F]) -> F | None:
    """On a GET of a form page: the form filled with the text kept for it, with a message to
    check it (once: the kept text is removed). None if nothing was kept for this user and page,
    and on any other request."""
    rescued = take_rescue(request.path) if request.method == "GET" else None
    if rescued is None:
        return None
    flash(_("Here is the text you typed before your session ended. Check it and save."), "info")
    return form_cls(formdata=rescued)
