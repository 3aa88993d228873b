"""Reads for key figures: the team's list with each one's load, one key figure's families, and
the way in per period. Every read is scoped to the user's team; a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import abort
from sqlalchemy import distinct, func, or_, select, true
from sqlalchemy.orm import joinedload

from wijkteam.auth.models import Role, User
from wijkteam.cases.models import Case, CaseStatus, IntermediaryHelp, WayIn
from wijkteam.core.db import db, one_of
from wijkteam.core.permissions import in_team
from wijkteam.keyfigures.models import KeyFigure
from wijkteam.network.models import NetworkMember
from wijkteam.plans.models import Action, ActionStatus
from wijkteam.web.pagination import Pagination, page_number, paginate

OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.DOING)


@dataclass(frozen=True)
class Load:
    """What a key figure carries for the team: families (with an open case) and open actions
    across all of them. Numbers only: shown on a family's case without any names."""

    families: int = 0
    open_actions: int = 0


def get_key_figure_or_404(user: User, key_figure_id: int) -> KeyFigure:
    """A key figure of the user's team; 404 for another team's (as for a missing one)."""
    key_figure = db.get(KeyFigure, key_figure_id)
    if key_figure is None or not in_team(user, key_figure.team_id):
        abort(404)
    return key_figure


def key_figure_page(user: User, page: int, per_page: int) -> Pagination[KeyFigure]:
    stmt = (
        select(KeyFigure)
        .where(KeyFigure.team_id == user.team_id)
        .options(joinedload(KeyFigure.resource))
        .order_by(KeyFigure.name, KeyFigure.id)
    )
    return paginate(db, stmt, page, per_page)


def _linked(team_id: int) -> Any:
    """The network members linked to a key figure, in families with an open case of the team
    (a family the team no longer works with does not count towards the load)."""
    open_case = (
        select(Case.id)
        .where(
            Case.family_id == NetworkMember.family_id,
            Case.team_id == team_id,
            Case.status != CaseStatus.CLOSED,
        )
        .exists()
    )
    return NetworkMember.key_figure_id.is_not(None), NetworkMember.archived_on.is_(None), open_case


def loads(team_id: int, key_figure_ids: list[int]) -> dict[int, Load]:
    """The load of each key figure across all the team's families, in two queries."""
    if not key_figure_ids:
        return {}
    where = (*_linked(team_id), NetworkMember.key_figure_id.in_(key_figure_ids))
    families = dict(
        db.execute(
            select(NetworkMember.key_figure_id, func.count(distinct(NetworkMember.family_id)))
            .where(*where)
            .group_by(NetworkMember.key_figure_id)
        ).all()
    )
    actions = dict(
        db.execute(
            select(NetworkMember.key_figure_id, func.count(Action.id))
            .join(Action, Action.network_member_id == NetworkMember.id)
            .where(*where, one_of(Action.status, OPEN_ACTION_STATUSES))
            .group_by(NetworkMember.key_figure_id)
        ).all()
    )
    return {
        i: Load(families=families.get(i, 0), open_actions=actions.get(i, 0)) for i in key_figure_ids
    }


def load_of(key_figure: KeyFigure) -> Load:
    return loads(key_figure.team_id, [key_figure.id])[key_figure.id]


def member_loads(case: Case, members: list[NetworkMember]) -> dict[int, Load]:
    """network member id -> the load of their key figure, for this family's linked members."""
    by_key_figure = loads(
        case.team_id, sorted({m.key_figure_id for m in members if m.key_figure_id})
    )
    return {m.id: by_key_figure[m.key_figure_id] for m in members if m.key_figure_id}


@dataclass
class Families:
    """The families a key figure helps, as far as this user may see them by name: the cases
    they work on (lead or duo), or all for the team lead, a page at a time; the rest only as
    a number."""

    shown: Pagination[tuple[Case, NetworkMember]]
    others: int = 0


def families_of(user: User, key_figure: KeyFigure, page: int, per_page: int) -> Families:
    """In three queries (issue 21: a school's or a mosque's contact can help hundreds of the
    team's families): how many families in all and by name, then a page of them, each once
    (its first open case and the first of its members linked to this key figure), by case."""
    linked = (
        NetworkMember.key_figure_id == key_figure.id,
        NetworkMember.archived_on.is_(None),
        Case.team_id == key_figure.team_id,
        Case.status != CaseStatus.CLOSED,
    )
    named = (
        true()
        if user.role == Role.TEAMLEAD
        else or_(Case.lead_id == user.id, Case.duo_id == user.id)
    )
    joined = (
        select().select_from(Case).join(NetworkMember, NetworkMember.family_id == Case.family_id)
    )
    families, shown_total = db.execute(
        joined.add_columns(
            func.count(distinct(Case.family_id)),
            func.count(distinct(Case.family_id)).filter(named),
        ).where(*linked)
    ).one()
    page = page_number(page, shown_total, per_page)
    first = (
        joined.add_columns(
            func.min(Case.id).label("case_id"), func.min(NetworkMember.id).label("member_id")
        )
        .where(*linked, named)
        .group_by(Case.family_id)
        .order_by(func.min(Case.id))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    rows = db.execute(
        select(Case, NetworkMember)
        .join(first, first.c.case_id == Case.id)
        .join(NetworkMember, NetworkMember.id == first.c.member_id)
        .options(joinedload(Case.family))
        .order_by(Case.id)
    ).all()
    shown = Pagination(
        items=[(case, member) for case, member in rows],
        page=page,
        per_page=per_page,
        total=shown_total,
    )
    return Families(shown=shown, others=families - shown_total)


@dataclass
class WayInReport:
    """How the cases opened in a period came in: per route, and per key figure with what they
    did (IntermediaryHelp)."""

    start: date
    end: date
    total: int = 0
    per_route: dict[WayIn | None, int] = field(default_factory=dict)
    per_key_figure: list[tuple[KeyFigure, int, dict[IntermediaryHelp, int]]] = field(
        default_factory=list
    )


def way_in_report(user: User, start: date, end: date) -> WayInReport:
    """Cases of the team opened from `start` to `end` (both included), in three queries."""
    report = WayInReport(start=start, end=end)
    in_period = (
        Case.team_id == user.team_id,
        Case.opened_on >= start,
        Case.opened_on <= end,
    )
    for way_in, count in db.execute(
        select(Case.way_in, func.count(Case.id)).where(*in_period).group_by(Case.way_in)
    ):
        report.per_route[way_in] = count
        report.total += count
    helps = [func.count(Case.id).filter(getattr(Case, f"via_{h.value}")) for h in IntermediaryHelp]
    rows = db.execute(
        select(NetworkMember.key_figure_id, func.count(Case.id), *helps)
        .join(NetworkMember, NetworkMember.id == Case.way_in_network_member_id)
        .where(
            *in_period, Case.way_in == WayIn.INTERMEDIARY, NetworkMember.key_figure_id.is_not(None)
        )
        .group_by(NetworkMember.key_figure_id)
    ).all()
    key_figures = (
        {
            k.id: k
            for k in db.scalars(
                select(KeyFigure)
                .where(KeyFigure.id.in_([r[0] for r in rows]))
                .options(joinedload(KeyFigure.resource))
            )
        }
        if rows
        else {}
    )
    report.per_key_figure = sorted(
        (
            (key_figures[r[0] or 0], r[1], dict(zip(IntermediaryHelp, r[2:], strict=True)))
            for r in rows
        ),
        key=lambda row: (-row[1], row[0].name),
    )
    return report
