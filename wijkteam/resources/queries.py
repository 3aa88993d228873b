"""Catalogue and referral queries, always within the user's team."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import joinedload, selectinload

from wijkteam.auth.models import Role, User
from wijkteam.cases.models import Case
from wijkteam.cases.queries import visible_cases
from wijkteam.core import clock
from wijkteam.core.db import db, one_of
from wijkteam.resources.models import OPEN_REFERRAL, Referral, Resource
from wijkteam.web.pagination import Pagination, paginate


def catalogue(
    user: User,
    *,
    q: str,
    kind: str,
    language: str,
    free_only: bool,
    archived: bool,
    page: int,
    per_page: int,
) -> Pagination[Any]:
    stmt = select(Resource).where(Resource.team_id == user.team_id)
    stmt = stmt.where(
        Resource.archived_on.is_not(None) if archived else Resource.archived_on.is_(None)
    )
    if q:
        pattern = f"%{q}%"
        stmt = stmt.where(
            or_(
                Resource.name.ilike(pattern),
                Resource.offers.ilike(pattern),
                Resource.area.ilike(pattern),
                Resource.contact_name.ilike(pattern),
            )
        )
    if kind:
        stmt = stmt.where(Resource.kind == kind)
    if language:
        # languages is a JSON list; its text form contains the quoted name.
        stmt = stmt.where(cast(Resource.languages, String).ilike(f'%"{language}%'))
    if free_only:
        stmt = stmt.where(Resource.free.is_(True))
    return paginate(db, stmt.order_by(Resource.name, Resource.id), page, per_page)


def team_resources(team_id: int) -> list[Resource]:
    return list(
        db.scalars(
            select(Resource)
            .where(Resource.team_id == team_id, Resource.archived_on.is_(None))
            .order_by(Resource.name)
        )
    )


def get_resource_or_404(user: User, resource_id: int) -> Resource:
    resource = db.get(Resource, resource_id)
    if resource is None or user.team_id is None or resource.team_id != user.team_id:
        abort(404)
    return resource


def referrals_of_case(case: Case) -> list[Referral]:
    return list(
        db.scalars(
            select(Referral)
            .where(Referral.case_id == case.id)
            .options(joinedload(Referral.resource), joinedload(Referral.owner))
            .order_by(Referral.created_at.desc())
        )
    )


def get_referral_or_404(case: Case, referral_id: int) -> Referral:
    referral = db.scalar(
        select(Referral)
        .where(Referral.id == referral_id, Referral.case_id == case.id)
        .options(
            joinedload(Referral.resource),
            joinedload(Referral.owner),
            selectinload(Referral.history),
        )
    )
    if referral is None:
        abort(404)
    return referral


def needing_follow_up(user: User, page: int, per_page: int) -> Pagination[Any]:
    """Open referrals without a follow-up date or past it: the owner's own, or the whole team
    for a team lead. Nothing is handed off silently."""
    stmt = (
        select(Referral)
        .where(
            Referral.case_id.in_(visible_cases(user).with_only_columns(Case.id)),
            one_of(Referral.status, OPEN_REFERRAL),
            or_(Referral.follow_up_on.is_(None), Referral.follow_up_on < clock.today()),
        )
        .options(
            joinedload(Referral.resource),
            joinedload(Referral.owner),
            joinedload(Referral.case).joinedload(Case.family),
        )
        .order_by(Referral.follow_up_on.is_(None).desc(), Referral.follow_up_on)
    )
    if user.role != Role.TEAMLEAD:
        stmt = stmt.where(Referral.owner_id == user.id)
    return paginate(db, stmt, page, per_page)
