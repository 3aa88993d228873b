"""Queries that feed case pages and lists, always filtered by what the user may see. (The
loader of a case page, get_case_or_404, is in wijkteam/web/loaders.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import abort
from sqlalchemy import Select, bindparam, false, func, or_, select
from sqlalchemy.orm import aliased

from wijkteam.auth.models import Team, User, by_name
from wijkteam.cases.models import (
    Case,
    CaseHandover,
    CaseStatus,
    Family,
    FamilyMember,
)
from wijkteam.core.db import db, one_of, plain_rows, utc_now
from wijkteam.core.lists import Part
from wijkteam.web.pagination import Pagination, Shown, page_number

OPEN_STATUSES = (CaseStatus.INTAKE, CaseStatus.ACTIVE)


def sees_cases(user: User) -> bool:
    """Whether the user can see any case at all: an active account in a team."""
    return user.active and user.team_id is not None


def _team_is_active(team_id: Any) -> Any:
    """The team is active, checked in the query itself (not on a loaded object)."""
    return select(Team.id).where(Team.id == team_id, Team.active.is_(True)).exists()


def visible_cases(user: User) -> Select[Case]:
    """Every case query starts here: only the cases of the user's own team, and none at all
    while that team is inactive (checked in the query itself, not on a loaded object)."""
    if not sees_cases(user):
        return select(Case).where(false())
    return select(Case).where(Case.team_id == user.team_id, _team_is_active(user.team_id))


def _seen_by_team(*columns: Any) -> Select[Any]:
    """`visible_cases`' rule for statements built once: the cases of the team given as the bound
    parameter `team_id`, none while that team is inactive."""
    team_id: Any = bindparam("team_id")
    return select(*columns).where(Case.team_id == team_id, _team_is_active(team_id))


def visible_case_ids() -> Any:
    """The ids of every case a user sees, as `visible_cases(user)`, with the user's team as the
    bound parameter `team_id`: for statements built once (issue 21). The caller checks
    `sees_cases(user)` first; tests/cases/test_open_case_ids.py holds the two equal."""
    return _seen_by_team(Case.id).scalar_subquery()


def open_case_ids(*, mine: bool) -> Any:
    """The ids of the open cases a user sees, as `visible_cases(user)` with the open statuses
    (and, `mine`, the cases the user leads or is duo of), with the user's team and id as bound
    parameters `team_id` and `user_id`: a statement built once and used for every user (the
    dashboard, issue 21). The caller checks `sees_cases(user)` first (visible_cases gives
    nothing otherwise); tests/cases/test_open_case_ids.py holds the two to the same answer."""
    return _open_cases(mine).scalar_subquery()


def open_cases_select(*, mine: bool) -> Select[Any]:
    """`open_case_ids` as the statement itself (one column, `Case.id`), for a statement that
    adds what it needs of each open case and asks for them as a common table expression, so
    that the database finds them once (PostgreSQL and SQLite work out a CTE used more than
    once a single time): the dashboard's signals."""
    return _open_cases(mine)


def _open_cases(mine: bool) -> Select[Any]:
    stmt = _seen_by_team(Case.id).where(one_of(Case.status, OPEN_STATUSES))
    if mine:
        stmt = stmt.where(
            or_(Case.lead_id == bindparam("user_id"), Case.duo_id == bindparam("user_id"))
        )
    return stmt


@cache
def _case_list_statements(*, mine: bool, status: str, search: bool) -> tuple[Any, Any]:
    """The case list's count and page for one kind of list, built once (issue 21): the user's
    team and id, the search pattern and the page's limit and offset are bound parameters
    (`team_id`, `user_id`, `pattern`, `limit`, `offset`). The filter is `visible_cases`';
    tests/cases/test_case_list.py holds the two to the same cases."""
    stmt = _seen_by_team(Case).join(Case.family)
    if mine:
        user_id: Any = bindparam("user_id")
        stmt = stmt.where(or_(Case.lead_id == user_id, Case.duo_id == user_id))
    if status == "open":
        stmt = stmt.where(one_of(Case.status, OPEN_STATUSES))
    elif status == "closed":
        stmt = stmt.where(Case.status == CaseStatus.CLOSED)
    if search:
        pattern: Any = bindparam("pattern")
        member_match = (
            select(FamilyMember.id)
            .where(
                FamilyMember.family_id == Family.id,
                or_(FamilyMember.first_name.ilike(pattern), FamilyMember.last_name.ilike(pattern)),
            )
            .exists()
        )
        stmt = stmt.where(or_(Family.name.ilike(pattern), member_match))
    count = select(func.count()).select_from(stmt.with_only_columns(Case.id).subquery())
    # The page's ids first (with the count of the whole list, worked out before the limit),
    # then their rows with lead and duo: joined to every case of the team, PostgreSQL reads
    # all users twice into hash tables (issue 21: 1.4 -> 0.4 ms).
    shown = (
        stmt.with_only_columns(Case.id, func.count().over().label("total"))
        .order_by(Family.name, Case.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .subquery()
    )
    # Plain rows with what the list shows, not entities (issue 21: making 25 cases, their
    # families and 50 users into objects cost more than the query).
    lead, duo = aliased(User), aliased(User)
    page = (
        select(
            Case.id,
            Family.name.label("family_name"),
            Case.question_for_help,
            lead.display_name.label("lead_name"),
            duo.display_name.label("duo_name"),
            Case.status,
            Case.opened_on,
            shown.c.total,
        )
        .join(shown, shown.c.id == Case.id)
        .join(Family, Family.id == Case.family_id)
        .join(lead, lead.id == Case.lead_id)
        .outerjoin(duo, duo.id == Case.duo_id)
        .order_by(Family.name, Case.id)
    )
    return count, page


# A page number from a URL is cut to this before it is known how many pages there are (an
# offset past 2**63 breaks the query).
_LAST_PAGE = 1_000_000


def case_list(
    user: User, *, scope: str, status: str, q: str, page: int, per_page: int
) -> Pagination[Any]:
    """The case list: a page of it, as rows of what the list shows (`id`, `family_name`,
    `question_for_help`, `lead_name`, `duo_name`, `status`, `opened_on`), and the count of the
    whole list, in one query whatever the page size (a second and third only for a page past
    the end)."""
    if not sees_cases(user):
        return Pagination(items=[], page=1, per_page=per_page, total=0)
    count, rows = _case_list_statements(mine=scope == "mine", status=status, search=bool(q))
    params: dict[str, Any] = {"team_id": user.team_id, "user_id": user.id}
    if q:
        params["pattern"] = f"%{q.lower()}%"

    def read(page: int) -> list[Any]:
        window = {"limit": per_page, "offset": (page - 1) * per_page}
        return list(plain_rows(rows, params | window).all())

    page = min(max(1, page), _LAST_PAGE)
    found = read(page)
    if found:
        total = found[0].total
    elif page == 1:
        total = 0
    else:  # past the end: the last page instead
        total = db.scalar(count, params) or 0
        page = page_number(page, total, per_page)
        found = read(page)
    return Pagination(items=found, page=page, per_page=per_page, total=total)


def get_member_or_404(case: Case, member_id: int) -> FamilyMember:
    member = db.get(FamilyMember, member_id)
    if member is None or member.family_id != case.family_id:
        abort(404)
    return member


def other_cases_of_family(case: Case) -> list[Case]:
    """Earlier or later cases of the same family within the same team."""
    params = {"family_id": case.family_id, "case_id": case.id, "team_id": case.team_id}
    return list(db.scalars(_OTHER_CASES, params))


_OTHER_CASES = (  # built once (issue 21): the case page reads it
    select(Case)
    .where(
        Case.family_id == bindparam("family_id"),
        Case.id != bindparam("case_id"),
        Case.team_id == bindparam("team_id"),
    )
    .options(by_name(Case.lead))
    .order_by(Case.opened_on.desc())
)


HANDOVER_DAYS = 30
# The latest hand-overs on the dashboard (a reorganisation moves many cases at once).
HANDOVERS_SHOWN = 20


@dataclass(frozen=True)
class Handover:
    """A change of case lead or duo colleague as the dashboard lists it: when, the case (its
    family's name), why, and the names of who decided it and of the leads and duo colleagues
    before and after (None: no duo colleague)."""

    at: datetime
    case_id: int
    family_name: str
    reason: str
    from_lead_id: int
    to_lead_id: int
    from_duo_id: int | None
    to_duo_id: int | None
    changed_by: str
    from_lead: str
    to_lead: str
    from_duo: str | None
    to_duo: str | None

    @property
    def lead_changed(self) -> bool:
        return self.from_lead_id != self.to_lead_id

    @property
    def duo_changed(self) -> bool:
        return self.from_duo_id != self.to_duo_id


def recent_handovers(user: User, *, mine: bool) -> Shown[Handover]:
    """Changes of case lead or duo colleague in the last month: for a team lead the whole
    team's, for everyone the ones that concern them (former or new lead or duo). Plain rows
    with the names (issue 21: the hand-overs with their case, family and five people as
    objects cost more than the query, mostly to find none). The dashboard reads them with its
    other lists (`handovers_part`, `handover_params`, `handovers_of`)."""
    if user.team_id is None or not sees_cases(user):
        return Shown.none()
    rows = plain_rows(handovers_part(mine).alone, handover_params(user))
    return handovers_of(list(rows))


def handover_params(user: User) -> dict[str, Any]:
    """The bound parameters of `handovers_part`."""
    return {
        "team_id": user.team_id,
        "user_id": user.id,
        "since": utc_now() - timedelta(days=HANDOVER_DAYS),
        "handovers": HANDOVERS_SHOWN + 1,
    }


def handovers_of(rows: list[Any]) -> Shown[Handover]:
    """`handovers_part`'s rows as the hand-overs shown (and whether more follow)."""
    return Shown.of([Handover(*row) for row in rows], HANDOVERS_SHOWN)


@cache
def handovers_part(mine: bool) -> Part:
    """recent_handovers' list, built once (issue 21); the user's team and id, the first
    moment and the limit are bound parameters (`handover_params`)."""
    changed_by, from_lead, to_lead, from_duo, to_duo = (aliased(User) for _ in range(5))
    stmt = (
        select(
            CaseHandover.at,
            CaseHandover.case_id,
            Family.name.label("family_name"),
            CaseHandover.reason,
            CaseHandover.from_lead_id,
            CaseHandover.to_lead_id,
            CaseHandover.from_duo_id,
            CaseHandover.to_duo_id,
            changed_by.display_name.label("changed_by"),
            from_lead.display_name.label("from_lead"),
            to_lead.display_name.label("to_lead"),
            from_duo.display_name.label("from_duo"),
            to_duo.display_name.label("to_duo"),
        )
        .join(Case, Case.id == CaseHandover.case_id)
        .join(Family, Family.id == Case.family_id)
        .join(changed_by, changed_by.id == CaseHandover.changed_by_id)
        .join(from_lead, from_lead.id == CaseHandover.from_lead_id)
        .join(to_lead, to_lead.id == CaseHandover.to_lead_id)
        .outerjoin(from_duo, from_duo.id == CaseHandover.from_duo_id)
        .outerjoin(to_duo, to_duo.id == CaseHandover.to_duo_id)
        .where(
            CaseHandover.team_id == bindparam("team_id"),
            CaseHandover.case_id.in_(visible_case_ids()),
            CaseHandover.at >= bindparam("since"),
        )
    )
    if mine:
        user_id: Any = bindparam("user_id")
        stmt = stmt.where(
            or_(
                CaseHandover.from_lead_id == user_id,
                CaseHandover.to_lead_id == user_id,
                CaseHandover.from_duo_id == user_id,
                CaseHandover.to_duo_id == user_id,
            )
        )
    order = (CaseHandover.at.desc(), CaseHandover.id.desc())
    return Part(stmt, order, bindparam("handovers"))
