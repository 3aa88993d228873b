"""Login, logout and the language switch."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import update
from werkzeug.wrappers import Response

from wijkteam import rescue
from wijkteam.auth.forms import LoginForm
from wijkteam.auth.models import User
from wijkteam.auth.services import LockedOut, LoginFailed, authenticate, end_session, start_session
from wijkteam.db import db

bp = Blueprint("auth", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Only follow redirects within this site (no open redirect)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target:  # browsers read a backslash after "/" as a second slash
        return fallback
    if any(ord(c) < 32 or ord(c) == 127 for c in target):  # a newline cannot go in a header
        return fallback
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """Log in with e-mail address and password."""
    if current_user.is_authenticated:
        return redirect(url_for("cases.index"))
    form = LoginForm()
    if form.validate_on_submit():
        cfg = current_app.config
        try:
            user = authenticate(
                form.email.data or "",
                form.password.data or "",
                max_failures=cfg["LOGIN_MAX_FAILURES"],
                lockout=timedelta(minutes=cfg["LOGIN_LOCKOUT_MINUTES"]),
            )
        except LoginFailed:
            db.commit()
            form.form_errors.append(_("This e-mail address and password do not match an account."))
            return render_template("auth/login.html", form=form), 401
        except LockedOut:
            form.form_errors.append(
                _(
                    "Too many failed attempts. Try again in %(minutes)d minutes, "
                    "or ask your admin.",
                    minutes=cfg["LOGIN_LOCKOUT_MINUTES"],
                )
            )
            return render_template("auth/login.html", form=form), 429
        kept = {k: session[k] for k in ("lang",) if k in session}
        # Typed text kept after a session ended goes only to the user it belongs to.
        rescue_token = rescue.carry_over_login(user)
        # A fresh session at login: nothing else from before the login is carried over.
        session.clear()
        session.update(kept)
        if rescue_token:
            session["rescue"] = rescue_token
        session["sid"] = start_session(user)
        login_user(user)
        db.commit()
        return redirect(safe_next(request.args.get("next"), url_for("cases.index")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Log out and end the session on the server."""
    token = session.get("sid")
    if token:
        end_session(token, current_user if current_user.is_authenticated else None)
        db.commit()
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    """Switch the interface language (Dutch or English)."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            # A plain UPDATE: a preference is not an edit of the account, so it must not bump
            # the row's version (an admin editing the account meanwhile would get a conflict).
            db.execute(update(User).where(User.id == current_user.id).values(locale=lang))
            db.commit()
    return redirect(safe_next(request.form.get("next"), url_for("cases.index")))


@bp.route("/session/keepalive")
def keepalive() -> Response:
    """Called while someone types a long text, so the session does not run out meanwhile."""
    if not current_user.is_authenticated:
        return Response(status=401)
    return Response(status=204)
