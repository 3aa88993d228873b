"""The family plan pages: overview, goals with their chart, actions, scores, ladders,
regie, small successes and agreed versions."""

from __future__ import annotations

from flask import Blueprint, request, url_for

from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.plans.models import LadderLevel
from wijkteam.web.helpers import require_login

bp = Blueprint("plans", __name__, url_prefix="/cases/<int:case_id>")


require_login(bp)


@bp.context_processor
def _ladder_levels() -> dict[str, list[LadderLevel]]:
    """The ladder's levels, for its explanation (plans/_ladder_explained.html)."""
    return {"ladder_levels": list(LadderLevel)}


def _plan_url(case: Case) -> str:
    return url_for("plans.show", case_id=case.id)


def _today_if_get(*fields: object) -> None:
    if request.method == "GET":
        for field in fields:
            field.data = clock.today()  # type: ignore[attr-defined]


# The routes live in these modules and register on bp when they are imported.
from wijkteam.plans.views import (  # noqa: E402, F401
    goals,
    ladder,
    plan,
    second_texts,
    strengths,
    versions,
)
