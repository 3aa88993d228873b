"""Managing teams and accounts (admins). Admins do not read case files here."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from wijkteam.admin.forms import ConfirmForm, TeamForm, UserForm
from wijkteam.audit.models import AuditEvent
from wijkteam.auth import services, throttle
from wijkteam.auth.models import PasswordLink, Team, User
from wijkteam.auth.views import team_settings_page
from wijkteam.core.db import db, utc_now
from wijkteam.core.errors import FieldError
from wijkteam.core.permissions import can_manage_accounts
from wijkteam.printout.contact_sheet import default_texts
from wijkteam.web.forms import show_field_error
from wijkteam.web.helpers import Page, actor, form_page
from wijkteam.web.pagination import paginate

bp = Blueprint("admin", __name__, url_prefix="/admin")


# Teams per page on the admin's list (a municipality has tens of teams, a region more).
PAGE_SIZE_TEAMS = 50


@bp.before_request
@login_required
def _require_admin() -> None:
    """Only admins manage teams and accounts."""
    if not can_manage_accounts(actor()):
        abort(403)


def _team_choices(current: int | None = None) -> list[SelectChoice]:
    """Active teams (and the account's own team, also when that one is inactive): nobody is
    given an inactive team."""
    teams = db.scalars(
        select(Team).where(or_(Team.active.is_(True), Team.id == current)).order_by(Team.name)
    )
    return [SelectChoice("", _("No team")), *(SelectChoice(t.id, t.name) for t in teams)]


def _link_page(user: User, link: PasswordLink, token: str, *, new: bool) -> str:
    """The one-time link, shown once: the admin passes it on to the person."""
    url = url_for("auth.password_link", token=token, _external=True)
    return render_template("admin/user_link.html", user=user, link=link, url=url, new=new)


def _link_lifetime() -> timedelta:
    return timedelta(hours=current_app.config["PASSWORD_LINK_HOURS"])


@bp.route("/teams")
def teams() -> str:
    """All teams, page by page, with their number of active accounts."""
    page = request.args.get("page", 1, type=int) or 1
    result = paginate(db, select(Team).order_by(Team.name, Team.id), page, PAGE_SIZE_TEAMS)
    counts = dict(
        db.execute(
            select(User.team_id, func.count(User.id))
            .where(User.active.is_(True), User.team_id.in_([t.id for t in result.items]))
            .group_by(User.team_id)
        ).all()
    )
    return render_template("admin/teams.html", result=result, counts=counts)


def _show_defaults(form: TeamForm) -> None:
    """Add to the help text of each field that has a default what the paper says when the field
    is left empty (in the page's language)."""
    for name, default in default_texts().items():
        field = form[name]
        field.description = _(
            "%(where)s Left empty, the paper says: %(default)s",
            where=field.description,
            default=default,
        )


@bp.route("/teams/new", methods=["GET", "POST"])
def new_team() -> Page:
    """Create a team."""
    form = TeamForm()
    _show_defaults(form)
    return form_page(
        form,
        template="admin/team_form.html",
        context={"team": None},
        save=lambda: services.create_team(
            actor(),
            name=form.name.data or "",
            area=form.area.data or "",
            print_languages=form.chosen_print_languages(),
            **form.contact_data(),
        ),
        message=_("The team is created."),
        done=lambda _team: url_for("admin.teams"),
    )


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
def edit_team(team_id: int) -> Page:
    """Rename a team, change its contact details on the family's paper, or mark it inactive."""
    team = db.get(Team, team_id) or abort(404)
    form = TeamForm(obj=team if request.method == "GET" else None)
    _show_defaults(form)
    return form_page(
        form,
        template="admin/team_form.html",
        context={"team": team},
        save=lambda: services.update_team(
            actor(), team, expected_version=form.version.data, **form.team_data()
        ),
        message=_("The team is saved."),
        done=lambda _result: url_for("admin.teams"),
        obj=team,
        typed=form.team_data,
    )


@bp.route("/teams/<int:team_id>/settings", methods=["GET", "POST"])
def team_settings(team_id: int) -> Page:
    """A team's caseload norm and its members' part of a full-time job (as its team lead can,
    on the team's own settings page)."""
    team = db.get(Team, team_id) or abort(404)
    return team_settings_page(team, back=url_for("admin.teams"), done=url_for("admin.teams"))


@bp.route("/users")
def users() -> str:
    """All accounts, page by page."""
    page = request.args.get("page", 1, type=int) or 1
    stmt = select(User).options(joinedload(User.team)).order_by(User.display_name, User.id)
    result = paginate(db, stmt, page, current_app.config["PAGE_SIZE"])
    return render_template("admin/users.html", result=result)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user() -> Page:
    """Create an account without a password, and show the invitation link to pass on."""
    form = UserForm()
    form.team_id.choices = _team_choices()
    if form.validate_on_submit():
        data = form.user_data()
        data.pop("active")  # a new account is active
        try:
            user = services.create_user(actor(), **data)
            link, token = services.issue_password_link(
                actor(), user, kind="invite", valid_for=_link_lifetime()
            )
            db.commit()
        except FieldError as error:
            db.rollback()
            show_field_error(form, error)
            return render_template("admin/user_form.html", form=form, user=None), 422
        return _link_page(user, link, token, new=True)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int) -> Page:
    """Change an account: name, e-mail address, phone and working days, role, team, active,
    second reviewer. On one's own account only name, e-mail address, phone and working days:
    another admin changes what decides access."""
    user = db.get(User, user_id) or abort(404)
    own = user.id == actor().id
    form = UserForm(obj=user if request.method == "GET" else None)
    if own:
        form.drop_access_fields()
    else:
        form.team_id.choices = _team_choices(user.team_id)
    now = utc_now()
    context = {
        "user": user,
        "own": own,
        "holds": throttle.holds_on(user.email, now),
        "open_link": db.scalar(
            select(PasswordLink)
            .where(
                PasswordLink.user_id == user.id,
                PasswordLink.used_at.is_(None),
                PasswordLink.cancelled_at.is_(None),
                PasswordLink.expires_at > now,
            )
            .order_by(PasswordLink.id.desc())
            .limit(1)
        ),
    }
    return form_page(
        form,
        template="admin/user_form.html",
        context=context,
        save=lambda: services.update_user(
            actor(), user, expected_version=form.version.data, **form.user_data()
        ),
        message=_("The account is saved."),
        done=lambda _result: url_for("admin.users"),
        obj=user,
        typed=form.user_data,
    )


@bp.route("/users/<int:user_id>/password-link", methods=["POST"])
def password_link(user_id: int) -> Page:
    """Reset an account's password: the old one stops working, and a one-time link is shown
    for the person to choose a new one."""
    user = db.get(User, user_id) or abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        link, token = services.reset_password(actor(), user, valid_for=_link_lifetime())
        db.commit()
    except FieldError as error:
        db.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return _link_page(user, link, token, new=False)


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
def unlock(user_id: int) -> Response:
    """Lift every hold on an account's login (too many failed attempts), from every client."""
    user = db.get(User, user_id) or abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    lifted = services.unlock_login(actor(), user)
    db.commit()
    if lifted:
        flash(_("Logging in to this account is possible again from everywhere."), "success")
    else:
        flash(_("Nothing was holding up this account's login."), "info")
    return redirect(url_for("admin.edit_user", user_id=user.id))


# What the account and team changes page lists (all admins see it).
CHANGE_ACTIONS = (
    "user.create",
    "user.update",
    "user.password_link",
    "user.password_set",
    "user.unlock",
    "team.create",
    "team.update",
    "team.settings",
)


@bp.route("/changes")
def changes() -> str:
    """Every change to accounts and teams, newest first: who did what, with old and new values,
    so admins see each other's changes (an admin cannot give himself a team unnoticed)."""
    page = request.args.get("page", 1, type=int) or 1
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.action.in_(CHANGE_ACTIONS))
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    result = paginate(db, stmt, page, current_app.config["PAGE_SIZE"])
    ids = {e.object_id for e in result.items if e.object_type == "User" and e.object_id}
    accounts = {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    team_ids = {e.object_id for e in result.items if e.object_type == "Team" and e.object_id}
    teams = (
        {t.id: t for t in db.scalars(select(Team).where(Team.id.in_(team_ids)))} if team_ids else {}
    )
    labels = {
        "user.create": _("Account created"),
        "user.update": _("Account changed"),
        "user.password_link": _("Password link made"),
        "user.password_set": _("Password chosen through a link"),
        "user.unlock": _("Hold on logging in lifted"),
        "team.create": _("Team created"),
        "team.update": _("Team changed"),
        "team.settings": _("Caseload norm or part-time shares changed"),
    }
    return render_template(
        "admin/changes.html",
        result=result,
        accounts=accounts,
        teams=teams,
        change_labels=labels,
    )
