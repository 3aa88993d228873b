"""The team lead's dashboard, and "my week" for a professional."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from wijkteam.auth.models import Role
from wijkteam.cases.queries import recent_handovers
from wijkteam.core import clock
from wijkteam.core.permissions import can_edit_case
from wijkteam.dashboard.queries import attention, caseload, my_checks
from wijkteam.discussions import queries as discussions
from wijkteam.reviews.queries import for_the_dashboard as reviews_for_the_dashboard
from wijkteam.reviews.queries import has_second_pair_of_eyes, version_changes
from wijkteam.web.helpers import actor

# Cases waiting for a case discussion on the team lead's overview: the ones waiting longest.
DASHBOARD_WAITING = 10

bp = Blueprint("dashboard", __name__)


@bp.route("/dashboard")
@login_required
def index() -> str:
    """Cases needing attention with the reason, and (for team leads) the caseload per person."""
    user = actor()
    if user.team_id is None:
        abort(403)
    is_team_lead = user.role == Role.TEAMLEAD
    mine = not is_team_lead or request.args.get("scope") == "mine"
    to_sign, asked = reviews_for_the_dashboard(user)
    whole_team = is_team_lead and not mine
    if whole_team:  # the cases brought in that wait, and the lead's own: one query
        waiting_items, my_items = discussions.for_the_dashboard(user, per_page=DASHBOARD_WAITING)
    else:
        waiting_items, my_items = None, discussions.my_open_items(user)
    result = attention(user, mine=mine, page=request.args.get("page", 1, type=int) or 1)
    return render_template(
        "dashboard/index.html",
        result=result,
        # "Write a note" in one click on the rows of the cases the user works on.
        write_note_ids={
            item.case.id
            for item in result.items
            if user.id in (item.case.lead_id, item.case.duo_id) and can_edit_case(user, item.case)
        },
        caseload=caseload(user) if whole_team else None,
        mine=mine,
        is_team_lead=is_team_lead,
        to_sign=to_sign,
        to_sign_changes=version_changes(to_sign.items),
        asked=asked,
        # Told only next to what still waits (asked only then: a query less on most visits).
        no_second_reviewer=is_team_lead
        and bool(asked.waiting)
        and not has_second_pair_of_eyes(user),
        waiting_items=waiting_items,
        next_discussions=discussions.upcoming(user, limit=2).items if whole_team else [],
        my_items=my_items,
        tasks=discussions.my_tasks(user),
        checks=my_checks(user),
        handovers=recent_handovers(user, mine=mine),
        today=clock.today(),
    )
