"""Safety concern pages. Every view of a safety page is written to the audit log."""

from __future__ import annotations

from flask import Blueprint, request, url_for

from wijkteam.audit.services import record
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.safety.models import SafetyConcern
from wijkteam.web.helpers import actor, require_login
from wijkteam.web.loaders import get_case_or_404

bp = Blueprint("safety", __name__)


require_login(bp)


def _case(case_id: int, action: str = "view") -> Case:
    """Load the case; a GET of any safety page is logged as a safety view (not a case view)."""
    user = actor()
    case = get_case_or_404(case_id, user, action, log_view=False)
    if request.method == "GET":
        record(user, "safety.view", case_id=case.id, obj=case)
        db.commit()
    return case


def _concern_url(case: Case, concern: SafetyConcern) -> str:
    return url_for("safety.concern", case_id=case.id, concern_id=concern.id)


# The routes live in these modules and register on bp when they are imported.
from wijkteam.safety.views import concerns, meldcode, safety_map  # noqa: E402, F401
