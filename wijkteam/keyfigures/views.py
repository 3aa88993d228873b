"""Team pages: the team's key figures (each once, with their load across the team's families)
and, for the team lead, through whom and what families came in per period."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from wijkteam.audit.history import revisions_of
from wijkteam.audit.services import record
from wijkteam.cases.models import IntermediaryHelp, WayIn
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.permissions import in_team, is_team_lead_of
from wijkteam.keyfigures import services
from wijkteam.keyfigures.forms import KeyFigureForm
from wijkteam.keyfigures.models import KeyFigure
from wijkteam.keyfigures.picker import KEY_FIGURES
from wijkteam.keyfigures.queries import (
    families_of,
    get_key_figure_or_404,
    key_figure_page,
    load_of,
    loads,
    way_in_report,
)
from wijkteam.network.services import OVERASKED_OPEN_ACTIONS
from wijkteam.resources.picker import offer_resources
from wijkteam.web.helpers import Page, actor, form_page
from wijkteam.web.history import shown_history
from wijkteam.web.picker import options_answer

bp = Blueprint("keyfigures", __name__)


@bp.before_request
@login_required
def _require_team() -> None:
    """Team data: only members of an active team see it (an admin without a team gets 403)."""
    user = actor()
    if user.team_id is None or not in_team(user, user.team_id):
        abort(403)


@bp.route("/key-figures")
def index() -> str:
    """The team's key figures, with each one's load across the team's families (numbers)."""
    user = actor()
    result = key_figure_page(
        user, request.args.get("page", 1, type=int) or 1, current_app.config["PAGE_SIZE"]
    )
    assert user.team_id is not None  # noqa: S101 - _require_team
    return render_template(
        "keyfigures/index.html",
        result=result,
        loads=loads(user.team_id, [k.id for k in result.items]),
        overasked_from=OVERASKED_OPEN_ACTIONS,
    )


@bp.route("/key-figures/options")
def options() -> Response:
    """The team's key figures matching the words typed next to a key figure field of a form
    (for static/picker.js; without the script the form's own search button does the same)."""
    return options_answer(KEY_FIGURES, actor().team_id or 0)


@bp.route("/key-figures/new", methods=["GET", "POST"])
def new() -> Page:
    user = actor()
    form = KeyFigureForm()
    offer_resources(form.resource_id, user.team_id or 0)
    return form_page(
        form,
        template="keyfigures/form.html",
        context={"key_figure": None},
        save=lambda: services.add_key_figure(user, form.key_figure_data()),
        message=_("The key figure is added for the team."),
        done=lambda k: url_for("keyfigures.show", key_figure_id=k.id),
    )


@bp.route("/key-figures/<int:key_figure_id>")
def show(key_figure_id: int) -> str:
    """One key figure: who they are, their load across all the team's families, and the
    families by name only where the user works on the case (the team lead: all of them)."""
    user = actor()
    key_figure = get_key_figure_or_404(user, key_figure_id)
    page = request.args.get("page", 1, type=int) or 1
    families = families_of(user, key_figure, page, current_app.config["PAGE_SIZE"])
    record(user, "keyfigure.view", obj=key_figure)
    db.commit()
    return render_template(
        "keyfigures/show.html",
        key_figure=key_figure,
        load=load_of(key_figure),
        families=families,
        history=shown_history(revisions_of(key_figure), KeyFigure, KeyFigureForm),
        overasked_from=OVERASKED_OPEN_ACTIONS,
    )


@bp.route("/key-figures/<int:key_figure_id>/edit", methods=["GET", "POST"])
def edit(key_figure_id: int) -> Page:
    user = actor()
    key_figure = get_key_figure_or_404(user, key_figure_id)
    form = KeyFigureForm(obj=key_figure if request.method == "GET" else None)
    offer_resources(form.resource_id, user.team_id or 0)
    if request.method == "GET":
        form.languages.data = ", ".join(key_figure.languages)
    return form_page(
        form,
        template="keyfigures/form.html",
        context={"key_figure": key_figure},
        save=lambda: services.update_key_figure(
            user, key_figure, expected_version=form.version.data, data=form.key_figure_data()
        ),
        message=_("The key figure is saved."),
        done=lambda _r: url_for("keyfigures.show", key_figure_id=key_figure.id),
        obj=key_figure,
        typed=form.key_figure_data,
    )


def quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    next_first = date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    return first, next_first - timedelta(days=1)


def _period() -> tuple[date, date, bool]:
    """?from=&to= (ISO dates); the current quarter when missing or not understood."""
    start, end = quarter_of(clock.today())
    try:
        start = date.fromisoformat(request.args.get("from", "") or start.isoformat())
        end = date.fromisoformat(request.args.get("to", "") or end.isoformat())
    except ValueError:
        return *quarter_of(clock.today()), False
    if end < start:
        return *quarter_of(clock.today()), False
    return start, end, True


@bp.route("/way-in")
def way_in() -> str:
    """For the team lead: through whom and what the families of a period came in."""
    user = actor()
    assert user.team_id is not None  # noqa: S101 - _require_team
    if not is_team_lead_of(user, user.team_id):
        abort(403)
    start, end, understood = _period()
    quarters = []
    first, _last = quarter_of(clock.today())
    for _i in range(6):
        quarters.append(quarter_of(first))
        first = quarter_of(first - timedelta(days=1))[0]
    return render_template(
        "keyfigures/way_in.html",
        report=way_in_report(user, start, end),
        quarters=quarters,
        understood=understood,
        ways_in=list(WayIn),
        helps=list(IntermediaryHelp),
    )
