"""Loading safety concerns, always through a case the user may see (or their team)."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.cases.queries import visible_cases
from wijkteam.db import db
from wijkteam.pagination import Page, paginate
from wijkteam.safety.models import ConcernStatus, MeldcodeStep, SafetyConcern, Signal


def concerns_of_case(case: Case) -> list[SafetyConcern]:
    return list(
        db.scalars(
            select(SafetyConcern)
            .where(SafetyConcern.case_id == case.id)
            .options(selectinload(SafetyConcern.steps), selectinload(SafetyConcern.children))
            .order_by(SafetyConcern.opened_on.desc(), SafetyConcern.id.desc())
        )
    )


def get_concern_or_404(case: Case, concern_id: int) -> SafetyConcern:
    concern = db.scalar(
        select(SafetyConcern)
        .where(SafetyConcern.id == concern_id, SafetyConcern.case_id == case.id)
        .options(
            selectinload(SafetyConcern.children),
            selectinload(SafetyConcern.signals).joinedload(Signal.recorded_by),
            selectinload(SafetyConcern.steps).joinedload(MeldcodeStep.done_by),
            selectinload(SafetyConcern.safety_map),
            selectinload(SafetyConcern.scores),
            selectinload(SafetyConcern.conditions),
            joinedload(SafetyConcern.opened_by),
        )
    )
    if concern is None:
        abort(404)
    return concern


def team_open_concerns(user: User, page: int, per_page: int) -> Page[Any]:
    """Open concerns of the user's team with their steps, in a fixed number of queries."""
    stmt = (
        select(SafetyConcern)
        .join(SafetyConcern.case)
        .join(Case.family)
        .where(
            SafetyConcern.case_id.in_(visible_cases(user).with_only_columns(Case.id)),
            SafetyConcern.status != ConcernStatus.CLOSED,
        )
        .options(
            contains_eager(SafetyConcern.case).contains_eager(Case.family),
            contains_eager(SafetyConcern.case).joinedload(Case.lead),
            selectinload(SafetyConcern.steps),
        )
        .order_by(SafetyConcern.opened_on, SafetyConcern.id)
    )
    return paginate(db, stmt, page, per_page)
