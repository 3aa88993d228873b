"""Queries that feed case pages and lists, always filtered by what the user may see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from wijkteam.audit.services import record
from wijkteam.auth.models import Team, User
from wijkteam.cases.models import Case, CaseHandover, CaseStatus, Family, FamilyMember
from wijkteam.core.db import db, utc_now
from wijkteam.core.errors import NotAllowed
from wijkteam.core.permissions import can_close_case, can_edit_case, can_view_case
from wijkteam.web.errors import deny_case
from wijkteam.web.pagination import Page, paginate

OPEN_STATUSES = (CaseStatus.INTAKE, CaseStatus.ACTIVE)


def visible_cases(user: User) -> Select[tuple[Case]]:
    """Every case query starts here: only the cases of the user's own team, and none at all
    while that team is inactive (checked in the query itself, not on a loaded object)."""
    if not user.active or user.team_id is None:
        return select(Case).where(false())
    team_active = select(Team.id).where(Team.id == user.team_id, Team.active.is_(True)).exists()
    return select(Case).where(Case.team_id == user.team_id, team_active)


def case_list(
    user: User, *, scope: str, status: str, q: str, page: int, per_page: int
) -> Page[Any]:
    """The case list: family, lead and duo in one query per page, whatever the page size."""
    stmt = (
        visible_cases(user)
        .join(Case.family)
        .options(contains_eager(Case.family), joinedload(Case.lead), joinedload(Case.duo))
    )
    if scope == "mine":
        stmt = stmt.where(or_(Case.lead_id == user.id, Case.duo_id == user.id))
    if status == "open":
        stmt = stmt.where(Case.status.in_(OPEN_STATUSES))
    elif status == "closed":
        stmt = stmt.where(Case.status == CaseStatus.CLOSED)
    if q:
        pattern = f"%{q.lower()}%"
        member_match = (
            select(FamilyMember.id)
            .where(
                FamilyMember.family_id == Family.id,
                or_(
                    FamilyMember.first_name.ilike(pattern),
                    FamilyMember.last_name.ilike(pattern),
                ),
            )
            .exists()
        )
        stmt = stmt.where(or_(Family.name.ilike(pattern), member_match))
    stmt = stmt.order_by(Family.name, Case.id)
    return paginate(db, stmt, page, per_page)


def get_case_or_404(
    case_id: int, user: User, action: str = "view", *, log_view: bool = True
) -> Case:
    """Load a case the user may see (404 otherwise, exactly as for a missing case),
    then check the action: 'view', 'edit' or 'close'. Refusals are audited (errors.record_denied):
    an existing case outside the user's team as 'case.denied', a refused action as 'access.denied'.

    Every page that shows a case file (GET) is logged here as a view, and committed at once,
    so the log holds even if rendering fails afterwards. Changes are logged by the services."""
    case = db.scalar(
        select(Case)
        .where(Case.id == case_id)
        .options(
            joinedload(Case.family).selectinload(Family.members),
            joinedload(Case.lead),
            joinedload(Case.duo),
        )
    )
    if case is None:
        abort(404)
    if not can_view_case(user, case):
        deny_case(case.id)  # audited as an attempt; the answer is the same 404
        abort(404)
    if action == "edit" and not can_edit_case(user, case):
        raise NotAllowed(_l("This case is closed and can no longer be changed."))
    if action == "close" and not can_close_case(user, case):
        raise NotAllowed(
            _l("Only the case lead, the duo colleague or the team lead can close this case.")
        )
    if log_view and request.method == "GET":
        record(user, "case.view", case_id=case.id, obj=case)
        db.commit()
    return case


def get_member_or_404(case: Case, member_id: int) -> FamilyMember:
    member = db.get(FamilyMember, member_id)
    if member is None or member.family_id != case.family_id:
        abort(404)
    return member


def other_cases_of_family(case: Case) -> list[Case]:
    """Earlier or later cases of the same family within the same team."""
    return list(
        db.scalars(
            select(Case)
            .where(Case.family_id == case.family_id, Case.id != case.id)
            .where(Case.team_id == case.team_id)
            .options(selectinload(Case.lead))
            .order_by(Case.opened_on.desc())
        )
    )


HANDOVER_DAYS = 30


def recent_handovers(user: User, *, mine: bool, limit: int = 20) -> list[CaseHandover]:
    """Changes of case lead or duo colleague in the last month: for a team lead the whole
    team's, for everyone the ones that concern them (former or new lead or duo)."""
    if user.team_id is None:
        return []
    stmt = (
        select(CaseHandover)
        .where(
            CaseHandover.team_id == user.team_id,
            CaseHandover.case_id.in_(visible_cases(user).with_only_columns(Case.id)),
            CaseHandover.at >= utc_now() - timedelta(days=HANDOVER_DAYS),
        )
        .options(
            joinedload(CaseHandover.case).joinedload(Case.family),
            joinedload(CaseHandover.changed_by),
            joinedload(CaseHandover.from_lead),
            joinedload(CaseHandover.to_lead),
            joinedload(CaseHandover.from_duo),
            joinedload(CaseHandover.to_duo),
        )
        .order_by(CaseHandover.at.desc(), CaseHandover.id.desc())
        .limit(limit)
    )
    if mine:
        stmt = stmt.where(
            or_(
                CaseHandover.from_lead_id == user.id,
                CaseHandover.to_lead_id == user.id,
                CaseHandover.from_duo_id == user.id,
                CaseHandover.to_duo_id == user.id,
            )
        )
    return list(db.scalars(stmt))
