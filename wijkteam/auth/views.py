"""Login, logout and the language switch."""

from __future__ import annotations

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
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import update
from werkzeug.wrappers import Response

from wijkteam import rescue
from wijkteam.auth import services, throttle
from wijkteam.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    SetPasswordForm,
    TeamSettingsForm,
)
from wijkteam.auth.models import Team, User
from wijkteam.auth.services import (
    LockedOut,
    LoginFailed,
    TeamInactive,
    authenticate,
    end_session,
    find_password_link,
    normalise_email,
    set_password_from_link,
    start_session,
)
from wijkteam.core.db import db, utc_now
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.web.forms import show_field_error
from wijkteam.web.helpers import Page, actor, form_page, home_url, safe_next

bp = Blueprint("auth", __name__)


def _client(account: str) -> throttle.Client:
    """This request's client for a login to `account`: its address (through the proxy, see
    WIJKTEAM_PROXY_HOPS) and its device cookie for that account, if it logged in before."""
    cfg = current_app.config
    device = throttle.read_device(
        request.cookies.get(cfg["DEVICE_COOKIE_NAME"]),
        cfg["SECRET_KEY"],
        normalise_email(account),
        utc_now().date(),
        cfg["LOGIN_DEVICE_DAYS"],
    )
    return throttle.Client(address=request.remote_addr or "", device=device)


def _remember_device(response: Response, account: str) -> None:
    """After a successful login: this browser is known to the account from now on."""
    cfg = current_app.config
    value = throttle.issue_device(
        request.cookies.get(cfg["DEVICE_COOKIE_NAME"]),
        cfg["SECRET_KEY"],
        normalise_email(account),
        utc_now().date(),
    )
    response.set_cookie(
        cfg["DEVICE_COOKIE_NAME"],
        value,
        max_age=cfg["LOGIN_DEVICE_DAYS"] * 24 * 3600,
        path="/",
        secure=cfg["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Log in with e-mail address and password."""
    if current_user.is_authenticated:
        return redirect(home_url(actor()))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        now = utc_now()
        try:
            user = authenticate(
                email,
                form.password.data or "",
                limits=throttle.Limits.from_config(current_app.config),
                client=_client(email),
                now=now,
            )
        except LoginFailed:
            db.commit()
            form.form_errors.append(_("This e-mail address and password do not match an account."))
            return render_template("auth/login.html", form=form), 401
        except LockedOut as held:
            db.commit()  # the audit row of the refused attempt
            seconds = held.hold.retry_after(now)
            form.form_errors.append(
                _(
                    "Too many failed attempts. Try again in %(minutes)d minutes, "
                    "or ask your admin.",
                    minutes=max(1, -(-seconds // 60)),
                )
            )
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(seconds)}
        except TeamInactive:
            db.commit()
            form.form_errors.append(
                _(
                    "Your team is no longer active, so you cannot log in now. Ask your admin "
                    "to move you to another team."
                )
            )
            return render_template("auth/login.html", form=form), 403
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
        response = redirect(safe_next(request.args.get("next"), home_url(user)))
        _remember_device(response, user.email)
        return response
    return render_template("auth/login.html", form=form)


@bp.route("/password/link/<token>", methods=["GET", "POST"])
def password_link(token: str) -> Page:
    """Set a password through a one-time invitation or reset link from an admin."""
    if current_user.is_authenticated:
        # Someone else's link in a logged-in browser (or one's own while logged in): setting a
        # password here would act for another person. Log out first.
        raise NotAllowed(_("You are logged in. Log out first to use this link."))
    link = find_password_link(token[:100])
    if link is None:
        message = _("This link is not valid (any more). Ask your admin for a new one.")
        return render_template("auth/link_invalid.html", message=message), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password_from_link(link, form.password.data or "")
            db.commit()
        except FieldError as error:
            db.rollback()
            show_field_error(form, error)
            return render_template("auth/set_password.html", form=form, link=link), 422
        flash(
            _("Your password is set. Log in with your e-mail address and new password."), "success"
        )
        return redirect(url_for("auth.login"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/set_password.html", form=form, link=link), status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> Page:
    """Change one's own password (the current one is asked); other sessions end."""
    user = actor()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                user,
                current=form.current_password.data or "",
                new=form.new_password.data or "",
                session_token=session.get("sid"),
                limits=throttle.Limits.from_config(current_app.config),
                client=_client(user.email),
            )
            db.commit()
        except FieldError as error:
            # A wrong current password is counted (throttle) and audited: keep those rows.
            if error.field == "current_password":
                db.commit()
            else:
                db.rollback()
            show_field_error(form, error)
            return render_template("auth/change_password.html", form=form), 422
        flash(_("Your password is changed. You are logged out everywhere else."), "success")
        return redirect(home_url(user))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def profile() -> Page:
    """One's own languages, background knowledge and expertise (for matching a family with a
    case lead). Only these: nothing that decides access can be changed here."""
    user = actor()
    form = ProfileForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.languages.data = ", ".join(user.languages)
    return form_page(
        form,
        template="auth/profile.html",
        context={},
        save=lambda: services.update_profile(
            user, expected_version=form.version.data, **form.profile_data()
        ),
        message=_("Your profile is saved."),
        done=lambda _changed: url_for("auth.profile"),
        obj=user,
        typed=form.profile_data,
    )


@bp.route("/team/settings", methods=["GET", "POST"])
@login_required
def team_settings() -> Page:
    """The own team's caseload norm and each member's part of a full-time job (its team lead;
    admins use admin.team_settings)."""
    user = actor()
    team = user.team
    if team is None or not services.can_change_team_settings(user, team):
        raise NotAllowed(_("Only the team lead or an admin changes the team's settings."))
    return team_settings_page(
        team, back=url_for("dashboard.index"), done=url_for("auth.team_settings")
    )


def team_settings_page(team: Team, *, back: str, done: str) -> Page:
    """The form of a team's caseload norm and its members' parts of a full-time job, for its
    team lead here and for admins (admin.team_settings); the service checks who may."""
    form = TeamSettingsForm()
    names = form.prepare(team, services.team_members(team), request.method == "GET")
    return form_page(
        form,
        template="auth/team_settings.html",
        context={"team": team, "names": names, "back": back},
        save=lambda: services.update_team_settings(
            actor(),
            team,
            expected_version=form.version.data,
            caseload_norm=form.caseload_norm.data,
            work_percent=form.percents(),
        ),
        message=_("The team's settings are saved."),
        done=lambda _changed: done,
        obj=team,
        typed=lambda: {"caseload_norm": form.caseload_norm.data},
    )


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
    home = home_url(actor()) if current_user.is_authenticated else url_for("cases.index")
    return redirect(safe_next(request.form.get("next"), home))


@bp.route("/session/keepalive")
def keepalive() -> Response:
    """Called while someone types a long text, so the session does not run out meanwhile."""
    if not current_user.is_authenticated:
        return Response(status=401)
    return Response(status=204)
