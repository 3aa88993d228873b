"""Managing teams and accounts (admins). Admins do not read case files here."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from wijkteam.admin.forms import TeamForm, UserForm
from wijkteam.auth import services
from wijkteam.auth.models import Team, User
from wijkteam.db import db
from wijkteam.pagination import paginate
from wijkteam.permissions import can_manage_accounts
from wijkteam.views_helpers import Page, actor, form_page

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _require_admin() -> None:
    """Only admins manage teams and accounts."""
    if not can_manage_accounts(actor()):
        abort(403)


def _team_choices() -> list[SelectChoice]:
    teams = db.scalars(select(Team).order_by(Team.name))
    return [SelectChoice("", _("No team")), *(SelectChoice(t.id, t.name) for t in teams)]  # type: ignore[arg-type]


@bp.route("/teams")
def teams() -> str:
    """All teams with their number of active accounts."""
    counts = dict(
        db.execute(
            select(User.team_id, func.count(User.id))
            .where(User.active.is_(True))
            .group_by(User.team_id)
        ).all()
    )
    all_teams = list(db.scalars(select(Team).order_by(Team.name)))
    return render_template("admin/teams.html", teams=all_teams, counts=counts)


@bp.route("/teams/new", methods=["GET", "POST"])
def new_team() -> Page:
    """Create a team."""
    form = TeamForm()
    return form_page(
        form,
        template="admin/team_form.html",
        context={"team": None},
        save=lambda: services.create_team(
            actor(), name=form.name.data or "", area=form.area.data or ""
        ),
        message=_("The team is created."),
        done=lambda _team: url_for("admin.teams"),
    )


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
def edit_team(team_id: int) -> Page:
    """Rename a team or mark it inactive."""
    team = db.get(Team, team_id) or abort(404)
    form = TeamForm(obj=team if request.method == "GET" else None)
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


@bp.route("/users")
def users() -> str:
    """All accounts, page by page."""
    page = request.args.get("page", 1, type=int) or 1
    stmt = select(User).options(joinedload(User.team)).order_by(User.display_name, User.id)
    result = paginate(db, stmt, page, current_app.config["PAGE_SIZE"])
    return render_template("admin/users.html", result=result)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user() -> Page:
    """Create an account."""
    form = UserForm()
    form.team_id.choices = _team_choices()

    def save() -> User:
        data = form.user_data()
        data.pop("active")  # a new account is active
        return services.create_user(actor(), password=form.password.data or "", **data)

    return form_page(
        form,
        template="admin/user_form.html",
        context={"user": None},
        save=save,
        message=_("The account is created."),
        done=lambda _user: url_for("admin.users"),
    )


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int) -> Page:
    """Change an account: name, role, team, active, password."""
    user = db.get(User, user_id) or abort(404)
    form = UserForm(obj=user if request.method == "GET" else None)
    form.team_id.choices = _team_choices()
    if request.method == "GET":
        form.password.data = ""
    return form_page(
        form,
        template="admin/user_form.html",
        context={"user": user},
        save=lambda: services.update_user(
            actor(),
            user,
            expected_version=form.version.data,
            password=form.password.data or "",
            **form.user_data(),
        ),
        message=_("The account is saved."),
        done=lambda _result: url_for("admin.users"),
        obj=user,
        typed=form.user_data,
    )
