"""The team lead's dashboard, and "my week" for a professional."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from wijkteam.auth.models import Role
from wijkteam.core import clock
from wijkteam.core.permissions import can_edit_case
from wijkteam.dashboard.lists import lists
from wijkteam.dashboard.queries import attention
from wijkteam.reviews.queries import has_second_pair_of_eyes, version_changes
from wijkteam.web.helpers import actor

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
    whole_team = is_team_lead and not mine
    listed = lists(user, whole_team=whole_team, mine=mine)
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
        caseload=listed.caseload,
        mine=mine,
        is_team_lead=is_team_lead,
        to_sign=listed.to_sign,
        to_sign_changes=version_changes(listed.to_sign.items),
        asked=listed.asked,
        # Told only next to what still waits (asked only then: a query less on most visits).
        no_second_reviewer=is_team_lead
        and bool(listed.asked.waiting)
        and not has_second_pair_of_eyes(user),
        waiting_items=listed.waiting_items,
        next_discussions=listed.next_discussions,
        my_items=listed.my_items,
        tasks=listed.tasks,
        checks=listed.checks,
        handovers=listed.handovers,
        today=clock.today(),
    )
