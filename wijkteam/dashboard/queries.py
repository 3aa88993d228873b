"""The team lead's dashboard and a professional's "my week": caseload and the cases that need
attention, each with its reason. A fixed number of queries, however big the team is."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, bindparam, func, select
from sqlalchemy import case as sa_case
from sqlalchemy.orm import aliased, joinedload

from wijkteam.auth.models import Team, User
from wijkteam.cases.models import Case, Family
from wijkteam.cases.queries import open_case_ids, sees_cases
from wijkteam.cases.services import team_people
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.network.models import NetworkMeeting
from wijkteam.notes.models import Note, NoteStatus
from wijkteam.plans.models import (
    Action,
    ActionStatus,
    Goal,
    GoalStatus,
    LadderEntry,
    Plan,
    PlanVersion,
)
from wijkteam.safety.models import ConcernStatus, MeldcodeStep, SafetyConcern
from wijkteam.web.pagination import Pagination

NO_CONTACT_DAYS = 42
LOW_LADDER_DAYS = 90
PLAN_AGREED_WITHIN_DAYS = 42
PER_PAGE = 50


@dataclass
class Signal:
    # evaluation, no_contact, safety, low_ladder, not_agreed, overdue, check_overdue,
    # meeting_check
    kind: str
    detail: Any = None


@dataclass
class CaseAttention:
    case: Case
    signals: list[Signal] = field(default_factory=list)


@functools.cache
def _signal_statements(mine: bool) -> dict[str, Any]:
    """The statements that find the signals, built once per `mine` (issue 21: building them
    and working out their cache keys was a third of the dashboard's time). The user's team and
    id and the days they compare with are bound parameters (see `attention`)."""
    cases = open_case_ids(mine=mine)
    today = bindparam("today", type_=Date)
    last_contact = (
        select(Note.case_id, func.max(Note.contact_on).label("last"))
        .where(Note.status == NoteStatus.FINAL, Note.case_id.in_(cases))
        .group_by(Note.case_id)
        .subquery()
    )
    steps_done = (
        select(MeldcodeStep.concern_id, func.count(MeldcodeStep.id).label("done"))
        .where(
            MeldcodeStep.concern_id.in_(
                select(SafetyConcern.id).where(SafetyConcern.case_id.in_(cases))
            )
        )
        .group_by(MeldcodeStep.concern_id)
        .subquery()
    )
    latest = (
        select(LadderEntry.plan_id, func.max(LadderEntry.id).label("last_id"))
        .where(LadderEntry.plan_id.in_(select(Plan.id).where(Plan.case_id.in_(cases))))
        .group_by(LadderEntry.plan_id)
        .subquery()
    )
    agreed = (
        select(PlanVersion.id)
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .where(Plan.case_id == Case.id)
        .exists()
    )
    # Overdue actions, and overdue checks on a volunteer's action ("we stay responsible"), in
    # one pass over the open actions.
    late_check = Action.check_by_id.is_not(None) & (Action.check_on < today)
    later = aliased(NetworkMeeting)
    return {
        "evaluation": select(Plan.case_id, Plan.evaluation_on).where(
            Plan.case_id.in_(cases), Plan.evaluation_on < today
        ),
        "no_contact": select(Case.id, last_contact.c.last, Case.opened_on)
        .outerjoin(last_contact, last_contact.c.case_id == Case.id)
        .where(
            Case.id.in_(cases),
            func.coalesce(last_contact.c.last, Case.opened_on)
            < bindparam("quiet_since", type_=Date),
        ),
        "safety": select(
            SafetyConcern.case_id, SafetyConcern.id, func.coalesce(steps_done.c.done, 0)
        )
        .outerjoin(steps_done, steps_done.c.concern_id == SafetyConcern.id)
        .where(
            SafetyConcern.case_id.in_(cases),
            SafetyConcern.status != ConcernStatus.CLOSED,
            func.coalesce(steps_done.c.done, 0) < 5,
        ),
        "low_ladder": select(Plan.case_id, LadderEntry.level, LadderEntry.changed_on)
        .join(latest, latest.c.plan_id == Plan.id)
        .join(LadderEntry, LadderEntry.id == latest.c.last_id)
        .where(
            Plan.case_id.in_(cases),
            LadderEntry.level <= 2,
            LadderEntry.changed_on < bindparam("low_since", type_=Date),
        ),
        "not_agreed": select(Case.id).where(
            Case.id.in_(cases),
            ~agreed,
            Case.opened_on < bindparam("agreed_by", type_=Date),
        ),
        "overdue": select(
            Plan.case_id,
            func.count(sa_case((Action.due_on < today, Action.id))),
            func.count(sa_case((late_check, Action.id))),
        )
        .join(Goal, Goal.plan_id == Plan.id)
        .join(Action, Action.goal_id == Goal.id)
        .where(
            Plan.case_id.in_(cases),
            Goal.status == GoalStatus.ACTIVE,
            Action.status.in_((ActionStatus.PLANNED, ActionStatus.DOING)),
            (Action.due_on < today) | late_check,
        )
        .group_by(Plan.case_id),
        # A network meeting whose check date passed, with no check recorded and no later
        # meeting of the case: one signal per case (the earliest).
        "meeting_check": select(
            NetworkMeeting.case_id, NetworkMeeting.id, NetworkMeeting.follow_up_on
        )
        .where(
            NetworkMeeting.case_id.in_(cases),
            NetworkMeeting.follow_up_on < today,
            NetworkMeeting.followed_up_on.is_(None),
            ~select(later.id)
            .where(later.case_id == NetworkMeeting.case_id, later.held_on > NetworkMeeting.held_on)
            .exists(),
        )
        .order_by(NetworkMeeting.case_id, NetworkMeeting.follow_up_on, NetworkMeeting.id),
    }


def attention(
    user: User, *, mine: bool, today: date | None = None, page: int = 1, per_page: int = PER_PAGE
) -> Pagination[CaseAttention]:
    """Open cases with at least one signal, most signals first, one page of them (the signals
    are counted for all open cases; only the cases of the page are loaded)."""
    today = today or clock.today()
    if not sees_cases(user):
        return Pagination(items=[], page=1, per_page=per_page, total=0)
    statements = _signal_statements(mine)
    params = {
        "team_id": user.team_id,
        "user_id": user.id,
        "today": today,
        "quiet_since": today - timedelta(days=NO_CONTACT_DAYS),
        "low_since": today - timedelta(days=LOW_LADDER_DAYS),
        "agreed_by": today - timedelta(days=PLAN_AGREED_WITHIN_DAYS),
    }
    found: dict[int, list[Signal]] = defaultdict(list)

    def rows(kind: str) -> Any:
        return db.execute(statements[kind], params)

    for case_id, on in rows("evaluation"):
        found[case_id].append(Signal("evaluation", on))
    for case_id, last, opened in rows("no_contact"):
        found[case_id].append(Signal("no_contact", last or opened))
    for case_id, concern_id, done in rows("safety"):
        found[case_id].append(Signal("safety", (concern_id, done + 1)))
    for case_id, level, since in rows("low_ladder"):
        found[case_id].append(Signal("low_ladder", (int(level), since)))
    for (case_id,) in rows("not_agreed"):
        found[case_id].append(Signal("not_agreed"))
    for case_id, overdue, checks in rows("overdue"):
        if overdue:
            found[case_id].append(Signal("overdue", overdue))
        if checks:
            found[case_id].append(Signal("check_overdue", checks))
    seen: set[int] = set()
    for case_id, meeting_id, on in rows("meeting_check"):
        if case_id not in seen:
            seen.add(case_id)
            found[case_id].append(Signal("meeting_check", (meeting_id, on)))

    if not found:
        return Pagination(items=[], page=1, per_page=per_page, total=0)
    names = dict(
        db.execute(
            select(Case.id, Family.name).join(Case.family).where(Case.id.in_(list(found)))
        ).all()
    )
    order = sorted(found, key=lambda cid: (-len(found[cid]), names[cid], cid))
    last_page = max(1, -(-len(order) // per_page))
    page = min(max(page, 1), last_page)
    chosen = order[(page - 1) * per_page : page * per_page]
    loaded = {
        c.id: c
        for c in db.scalars(
            select(Case)
            .where(Case.id.in_(chosen))
            .options(joinedload(Case.family), joinedload(Case.lead))
        )
    }
    items = [CaseAttention(loaded[cid], found[cid]) for cid in chosen]
    return Pagination(items=items, page=page, per_page=per_page, total=len(order))


@dataclass
class Caseload:
    user: User
    open_cases: int = 0
    new_this_month: int = 0
    as_duo: int = 0
    # The team's caseload norm for this person's part of a full-time job (None: no norm).
    norm: int | None = None

    @property
    def over_norm(self) -> bool:
        return self.norm is not None and self.open_cases > self.norm

    @property
    def norm_share(self) -> int | None:
        """Open cases as case lead in percent of the norm (for the bar on the dashboard)."""
        if not self.norm:
            return None
        return round(100 * self.open_cases / self.norm)


def personal_norm(team_norm: int | None, work_percent: int) -> int | None:
    """The team's norm (families per full-time professional) for a part-time share, rounded
    to whole families (half up), at least one."""
    if team_norm is None:
        return None
    return max(1, int(team_norm * work_percent / 100 + 0.5))


def caseload(user: User, today: date | None = None) -> list[Caseload]:
    """Open cases per team member as case lead (and as duo), new cases this month, and each
    person's norm (the team's caseload norm for their part of a full-time job)."""
    today = today or clock.today()
    params = {"team_id": user.team_id, "first": today.replace(day=1)}
    team_norm = db.scalar(_TEAM_NORM, params)
    people = {
        u.id: Caseload(u, norm=personal_norm(team_norm, u.work_percent))
        for u in team_people(user.team_id)
    }
    if not sees_cases(user):
        return list(people.values())
    for case_lead_id, open_count, new_count in db.execute(_AS_LEAD, params):
        if case_lead_id in people:
            people[case_lead_id].open_cases = open_count
            people[case_lead_id].new_this_month = new_count
    for duo_id, count in db.execute(_AS_DUO, params):
        if duo_id in people:
            people[duo_id].as_duo = count
    return list(people.values())


# Built once with the team and the first of the month as bound parameters (issue 21).
_TEAM_NORM = select(Team.caseload_norm).where(Team.id == bindparam("team_id"))
_OPEN = Case.id.in_(open_case_ids(mine=False))
_AS_LEAD = (
    select(
        Case.lead_id,
        func.count(Case.id),
        func.count(Case.id).filter(Case.opened_on >= bindparam("first")),
    )
    .where(_OPEN)
    .group_by(Case.lead_id)
)
_AS_DUO = (
    select(Case.duo_id, func.count(Case.id))
    .where(_OPEN, Case.duo_id.is_not(None))
    .group_by(Case.duo_id)
)


CHECKS_AHEAD_DAYS = 7
MY_CHECKS_LIMIT = 50


def my_checks(user: User, today: date | None = None) -> list[Action]:
    """The checks this user does on actions of volunteers and informal workers ("we stay
    responsible"), due within a week or overdue, oldest first; one query."""
    today = today or clock.today()
    if not sees_cases(user):
        return []
    return list(
        db.scalars(
            select(Action)
            .join(Goal, Goal.id == Action.goal_id)
            .join(Plan, Plan.id == Goal.plan_id)
            .where(
                Plan.case_id.in_(open_case_ids(mine=False)),
                Goal.status == GoalStatus.ACTIVE,
                Action.status.in_((ActionStatus.PLANNED, ActionStatus.DOING)),
                Action.check_by_id == user.id,
                Action.check_on <= today + timedelta(days=CHECKS_AHEAD_DAYS),
            )
            .options(
                joinedload(Action.network_member),
                joinedload(Action.goal)
                .joinedload(Goal.plan)
                .joinedload(Plan.case)
                .joinedload(Case.family),
            )
            .order_by(Action.check_on, Action.id)
            .limit(MY_CHECKS_LIMIT),
            {"team_id": user.team_id},
        ).unique()
    )
