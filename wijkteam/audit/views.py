"""The audit trail of a case, for team leads."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import login_required

from wijkteam.audit.queries import case_trail
from wijkteam.audit.services import record
from wijkteam.core.db import db
from wijkteam.core.permissions import can_view_audit
from wijkteam.web.helpers import actor
from wijkteam.web.loaders import get_case_or_404

bp = Blueprint("audit", __name__)


@bp.route("/cases/<int:case_id>/audit")
@login_required
def case_audit(case_id: int) -> str:
    """Who saw or changed this case file, and when (team leads only)."""
    user = actor()
    case = get_case_or_404(case_id, user, log_view=False)
    if not can_view_audit(user, case):
        abort(403)
    page = request.args.get("page", 1, type=int) or 1
    trail = case_trail(case.id, page, current_app.config["PAGE_SIZE"] * 2)
    record(user, "audit.view", case_id=case.id, obj=case)
    db.commit()
    return render_template("audit/case.html", case=case, trail=trail)
