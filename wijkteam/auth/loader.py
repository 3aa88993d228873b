"""Flask-Login wiring: the user comes from a live server-side session, or not at all."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, flash, g, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkteam.auth.models import User
from wijkteam.auth.services import find_session
from wijkteam.core.db import db, utc_now
from wijkteam.extensions import login_manager
from wijkteam.rescue import keep_typed_text
from wijkteam.web.json import wants_json

# last_seen_at is written at most this often, so reading pages does not mean a write each time.
TOUCH_INTERVAL = timedelta(seconds=60)


def load_user(user_id: str) -> User | None:
    token = session.get("sid")
    if not token:
        return None
    auth = find_session(token)
    if auth is None or auth.revoked_at is not None or str(auth.user_id) != user_id:
        return None
    now = utc_now()
    idle = timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"])
    max_age = timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    if now - auth.last_seen_at > idle or now - auth.created_at > max_age:
        auth.revoked_at = now
        db.commit()
        g.session_expired = True
        return None
    user = auth.user
    if not user.active or not user.team_is_active:
        # Deactivation and an inactive team end sessions when they happen; this holds even
        # for a session that change missed (a change made in the database directly).
        return None
    if now - auth.last_seen_at > TOUCH_INTERVAL:
        auth.last_seen_at = now
        db.commit()
    g.logged_in_at = auth.created_at
    return user


def unauthorized() -> Response | tuple[Response, int]:
    kept = keep_typed_text()  # a long form sent after the session ended: keep the text
    if kept is not None:
        return kept
    if wants_json():
        # A script's request (autosave): it says so and saves nothing; the page keeps the text,
        # and saving it by hand goes through the login and the rescue above.
        return jsonify(stop=True, message=_("Your session has ended. Please log in again.")), 401
    if g.get("session_expired"):
        flash(_("You were logged out after a period of inactivity. Please log in again."), "info")
    elif session.get("sid"):
        flash(_("Your session has ended. Please log in again."), "info")
    session.pop("sid", None)
    session.pop("_user_id", None)
    next_url = request.full_path if request.method == "GET" else None
    return redirect(url_for("auth.login", next=next_url))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session does this job
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
