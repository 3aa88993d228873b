"""The team lead's dashboard and a professional's "my week": caseload and the cases that need
attention, each with its reason. A fixed number of queries, however big the team is."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from typing import cast as type_cast

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy import case as sa_case
from sqlalchemy.orm import aliased, load_only

from wijkteam.auth.models import User
from wijkteam.cases.models import Case, CaseStatus, Family, FamilyMember
from wijkteam.cases.queries import (
    open_case_ids,
    open_cases_select,
    sees_cases,
)
from wijkteam.cases.services import TEAM_PEOPLE, team_people
from wijkteam.core import clock
from wijkteam.core.db import db, one_of, plain_rows
from wijkteam.core.lists import Part
from wijkteam.network.models import NetworkMeeting, NetworkMember
from wijkteam.notes.models import Note, NoteStatus
from wijkteam.plans.models import (
    OWNER_SHOWN,
    Action,
    ActionStatus,
    Goal,
    GoalStatus,
    LadderEntry,
    Plan,
    PlanVersion,
)
from wijkteam.safety.models import ConcernStatus, MeldcodeStep, SafetyConcern
from wijkteam.web.pagination import Pagination, Shown

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


@dataclass(frozen=True)
class AttentionCase:
    """A case on the attention list, as the list names it: read with its signals (issue 21:
    the cases of a page were a query of their own, with their families and leads)."""

    id: int
    team_id: int
    lead_id: int
    duo_id: int | None
    status: CaseStatus
    family_name: str
    lead_name: str

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


@dataclass
class CaseAttention:
    case: AttentionCase
    signals: list[Signal] = field(default_factory=list)


# The kinds of signal, as numbered in the one statement that finds them all (below), in the
# order in which a case's signals are listed.
KINDS = (
    "evaluation",
    "no_contact",
    "safety",
    "low_ladder",
    "not_agreed",
    "overdue",
    "meeting_check",
)


@functools.cache
def _signals_statement(mine: bool) -> Any:
    """One statement that finds every signal of the user's open cases, built once per `mine`
    (issue 21: building the statements and working out their cache keys was a third of the
    dashboard's time; then one statement per kind of signal was seven trips to the database
    and seven result sets for the ORM). The user's team and id and the days they compare with
    are bound parameters (see `attention`).

    Every kind gives rows of the same shape: (kind, case_id, n1, n2, d1), the kind's number in
    KINDS and up to two numbers and a date, NULL where the kind has none, and then what the
    list shows of the case (`AttentionCase`: the family's name, the team, lead and duo, the
    status and the lead's name); ordered by kind, case, date and number, so that a case's
    signals come in the order of KINDS and a case's earliest overdue meeting check first."""
    # The user's open cases, found once for all seven kinds (a CTE: seven scans of the
    # team's cases before), each with its opening date and its plan (a case has at most one),
    # so that the kinds read the plan's columns from here instead of each looking up the
    # case and its plan again for every open case (issue 21: four kinds did, 40 cases each).
    open_cases = (
        open_cases_select(mine=mine)
        .add_columns(
            Case.opened_on,
            Plan.id.label("plan_id"),
            Plan.evaluation_on,
        )
        .outerjoin(Plan, Plan.case_id == Case.id)
        .cte("open_cases")
    )
    oc = open_cases.c
    cases = select(oc.id).scalar_subquery()
    today = bindparam("today", type_=Date)
    no_int, no_date = cast(null(), Integer), cast(null(), Date)

    def shaped(kind: str, case_id: Any, n1: Any = no_int, n2: Any = no_int, d1: Any = no_date):
        return (
            literal_column(str(KINDS.index(kind)), Integer).label("kind"),
            case_id.label("case_id"),
            type_coerce(n1, Integer).label("n1"),
            type_coerce(n2, Integer).label("n2"),
            type_coerce(d1, Date).label("d1"),
        )

    # The last contact of a case: read per case from the end of its notes' index (case,
    # contact date), not by grouping all of the team's notes (6.5 -> 0.5 ms in a team of 50
    # families with 20 notes each, PostgreSQL).
    last_contact = func.coalesce(
        select(func.max(Note.contact_on))
        .where(Note.case_id == oc.id, Note.status == NoteStatus.FINAL)
        .scalar_subquery(),
        oc.opened_on,
    )
    # Per concern and per plan, from their own index rows (the team's few), not by grouping
    # or joining all concerns' steps or all plans of the database.
    done = (
        select(func.count(MeldcodeStep.id))
        .where(MeldcodeStep.concern_id == SafetyConcern.id)
        .scalar_subquery()
    )
    earlier = aliased(LadderEntry)
    latest_entry = (
        select(func.max(earlier.id)).where(earlier.plan_id == oc.plan_id).scalar_subquery()
    )
    # Agreed: the plan has a version (no plan, no version).
    agreed = select(PlanVersion.id).where(PlanVersion.plan_id == oc.plan_id).exists()
    # Overdue actions, and overdue checks on a volunteer's action ("we stay responsible"), in
    # one pass over the open actions.
    late_check = Action.check_by_id.is_not(None) & (Action.check_on < today)
    later = aliased(NetworkMeeting)
    kinds = [
        select(*shaped("evaluation", oc.id, d1=oc.evaluation_on)).where(oc.evaluation_on < today),
        select(*shaped("no_contact", oc.id, d1=last_contact)).where(
            last_contact < bindparam("quiet_since", type_=Date)
        ),
        select(*shaped("safety", SafetyConcern.case_id, SafetyConcern.id, done)).where(
            SafetyConcern.case_id.in_(cases),
            SafetyConcern.status != ConcernStatus.CLOSED,
            done < 5,
        ),
        select(*shaped("low_ladder", oc.id, LadderEntry.level, d1=LadderEntry.changed_on))
        .select_from(open_cases)
        .join(LadderEntry, LadderEntry.plan_id == oc.plan_id)
        .where(
            LadderEntry.id == latest_entry,
            LadderEntry.level <= 2,
            LadderEntry.changed_on < bindparam("low_since", type_=Date),
        ),
        select(*shaped("not_agreed", oc.id)).where(
            ~agreed,
            oc.opened_on < bindparam("agreed_by", type_=Date),
        ),
        select(
            *shaped(
                "overdue",
                Plan.case_id,
                func.count(sa_case((Action.due_on < today, Action.id))),
                func.count(sa_case((late_check, Action.id))),
            )
        )
        .join(Goal, Goal.plan_id == Plan.id)
        .join(Action, Action.goal_id == Goal.id)
        .where(
            # From the plans of the cases, by index: joined to the CTE's plans (with ANALYZE's
            # statistics) or asked for the goals of its plans (without), SQLite read every
            # action of the database (tests/dashboard: no table read whole).
            Plan.case_id.in_(cases),
            Goal.status == GoalStatus.ACTIVE,
            one_of(Action.status, (ActionStatus.PLANNED, ActionStatus.DOING)),
            (Action.due_on < today) | late_check,
        )
        .group_by(Plan.case_id),
        # A network meeting whose check date passed, with no check recorded and no later
        # meeting of the case (`attention` keeps one per case: the earliest).
        select(
            *shaped(
                "meeting_check",
                NetworkMeeting.case_id,
                NetworkMeeting.id,
                d1=NetworkMeeting.follow_up_on,
            )
        ).where(
            NetworkMeeting.case_id.in_(cases),
            NetworkMeeting.follow_up_on < today,
            NetworkMeeting.followed_up_on.is_(None),
            ~select(later.id)
            .where(later.case_id == NetworkMeeting.case_id, later.held_on > NetworkMeeting.held_on)
            .exists(),
        ),
    ]
    everything = union_all(*kinds).subquery()
    # With what the list shows of each case: its family's name (which orders the list), its
    # lead's name, and what tells whether the user may write in it (issue 21: two queries of
    # their own before).
    return (
        select(
            *everything.c,
            Family.name,
            Case.team_id,
            Case.lead_id,
            Case.duo_id,
            Case.status,
            User.display_name,
        )
        .select_from(everything)
        .join(Case, Case.id == everything.c.case_id)
        .join(Family, Family.id == Case.family_id)
        .join(User, User.id == Case.lead_id)
        .order_by(everything.c.kind, everything.c.case_id, everything.c.d1, everything.c.n1)
    )


def attention(
    user: User, *, mine: bool, today: date | None = None, page: int = 1, per_page: int = PER_PAGE
) -> Pagination[CaseAttention]:
    """Open cases with at least one signal, most signals first, one page of them (the signals
    are counted for all open cases, in one statement; only the cases of the page are loaded)."""
    today = today or clock.today()
    if not sees_cases(user):
        return Pagination(items=[], page=1, per_page=per_page, total=0)
    params = {
        "team_id": user.team_id,
        "user_id": user.id,
        "today": today,
        "quiet_since": today - timedelta(days=NO_CONTACT_DAYS),
        "low_since": today - timedelta(days=LOW_LADDER_DAYS),
        "agreed_by": today - timedelta(days=PLAN_AGREED_WITHIN_DAYS),
    }
    found: dict[int, list[Signal]] = defaultdict(list)
    cases: dict[int, AttentionCase] = {}
    checked: set[int] = set()
    for number, case_id, n1, n2, d1, *shown in plain_rows(_signals_statement(mine), params):
        if case_id not in cases:
            name, team_id, lead_id, duo_id, status, lead_name = shown
            cases[case_id] = AttentionCase(
                case_id, team_id, lead_id, duo_id, status, name, lead_name
            )
        kind = KINDS[number]
        if kind in ("evaluation", "no_contact"):
            found[case_id].append(Signal(kind, d1))
        elif kind == "safety":
            found[case_id].append(Signal(kind, (n1, n2 + 1)))
        elif kind == "low_ladder":
            found[case_id].append(Signal(kind, (n1, d1)))
        elif kind == "not_agreed":
            found[case_id].append(Signal(kind))
        elif kind == "overdue":
            if n1:
                found[case_id].append(Signal("overdue", n1))
            if n2:
                found[case_id].append(Signal("check_overdue", n2))
        elif case_id not in checked:  # meeting_check: the earliest of the case
            checked.add(case_id)
            found[case_id].append(Signal(kind, (n1, d1)))

    if not found:
        return Pagination(items=[], page=1, per_page=per_page, total=0)
    order = sorted(found, key=lambda cid: (-len(found[cid]), cases[cid].family_name, cid))
    last_page = max(1, -(-len(order) // per_page))
    page = min(max(page, 1), last_page)
    chosen = order[(page - 1) * per_page : page * per_page]
    items = [CaseAttention(cases[cid], found[cid]) for cid in chosen]
    return Pagination(items=items, page=page, per_page=per_page, total=len(order))


@dataclass(frozen=True, slots=True)
class TeamPerson:
    """A colleague as the dashboard's caseload names them (a plain row: issue 21)."""

    id: int
    display_name: str
    work_percent: int


@dataclass
class Caseload:
    user: User | TeamPerson
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
    person's norm (the team's caseload norm for their part of a full-time job): the team's
    active people with their counts in one query (issue 21: the norm, the people and the
    counts were three). The norm is the team's as loaded with the user for this request."""
    today = today or clock.today()
    team_norm = user.team.caseload_norm if user.team is not None else None
    if not sees_cases(user):
        return [
            Caseload(u, norm=personal_norm(team_norm, u.work_percent))
            for u in team_people(user.team_id)
        ]
    params = {"team_id": user.team_id, "user_id": user.id, "first": today.replace(day=1)}
    return [
        Caseload(
            person,
            open_cases=open_count or 0,
            new_this_month=new_count or 0,
            as_duo=duo_count or 0,
            norm=personal_norm(team_norm, person.work_percent),
        )
        for person, open_count, new_count, duo_count in db.execute(_PEOPLE_WITH_LOADS, params)
    ]


# Built once with the team and the first of the month as bound parameters (issue 21).
_OPEN = Case.id.in_(open_case_ids(mine=False))
# Each person's open cases as case lead, the new ones of this month, and their cases as duo:
# one row per person, from one pass over the team's open cases as lead and one as duo.
_AS_LEAD_OR_DUO = union_all(
    select(
        Case.lead_id.label("person_id"),
        literal_column("1", Integer).label("lead"),
        sa_case((Case.opened_on >= bindparam("first", type_=Date), 1), else_=0).label("new"),
        literal_column("0", Integer).label("duo"),
    ).where(_OPEN),
    select(
        Case.duo_id,
        literal_column("0", Integer),
        literal_column("0", Integer),
        literal_column("1", Integer),
    ).where(_OPEN, Case.duo_id.is_not(None)),
).subquery()
_LOADS = (
    select(
        _AS_LEAD_OR_DUO.c.person_id,
        func.sum(_AS_LEAD_OR_DUO.c.lead).label("lead"),
        func.sum(_AS_LEAD_OR_DUO.c.new).label("new"),
        func.sum(_AS_LEAD_OR_DUO.c.duo).label("duo"),
    )
    .group_by(_AS_LEAD_OR_DUO.c.person_id)
    .subquery()
)
# The team's active people (as `team_people` lists them, in its order) with their counts;
# someone without open cases gets NULLs. Of each person only what the caseload shows: the
# name and the part of a full-time job (not 18 columns with the e-mail and password hash).
_PEOPLE_WITH_LOADS = (
    TEAM_PEOPLE.add_columns(_LOADS.c.lead, _LOADS.c.new, _LOADS.c.duo)
    .outerjoin(_LOADS, _LOADS.c.person_id == User.id)
    .options(load_only(User.display_name, User.work_percent))
)
# The caseload as the dashboard shows it: of each person only the name and the part of a
# full-time job, as plain rows (`_PEOPLE_WITH_LOADS`' people, counts and order).
CASELOAD = Part(
    select(
        User.id,
        User.display_name,
        User.work_percent,
        _LOADS.c.lead,
        _LOADS.c.new,
        _LOADS.c.duo,
    )
    .outerjoin(_LOADS, _LOADS.c.person_id == User.id)
    .where(type_cast("ColumnElement[bool]", TEAM_PEOPLE.whereclause)),
    (User.display_name, User.id),
)


def caseload_of(rows: list[tuple[Any, ...]], team_norm: int | None) -> list[Caseload]:
    return [
        Caseload(
            TeamPerson(person_id, name, work_percent),
            open_cases=open_count or 0,
            new_this_month=new_count or 0,
            as_duo=duo_count or 0,
            norm=personal_norm(team_norm, work_percent),
        )
        for person_id, name, work_percent, open_count, new_count, duo_count in rows
    ]


CHECKS_AHEAD_DAYS = 7
MY_CHECKS_LIMIT = 50


@dataclass(frozen=True)
class Check:
    """A check the user does on an action of a volunteer or informal worker, as the dashboard
    lists it: the action, its goal and case, the family's name, and who does the action (as
    `Action.owner_display`: a family member's first name, a network member's name, or the
    name written in)."""

    action_id: int
    goal_id: int
    case_id: int
    family_name: str
    text: str
    check_on: date
    owner: str


def my_checks(user: User, today: date | None = None) -> Shown[Check]:
    """The checks this user does on actions of volunteers and informal workers ("we stay
    responsible"), due within a week or overdue, oldest first; one query, of plain rows
    (issue 21: the actions with their goals, plans, cases, families and people as objects cost
    more than the query, mostly to find none)."""
    today = today or clock.today()
    if not sees_cases(user):
        return Shown.none()
    return checks_of(list(plain_rows(MY_CHECKS.alone, check_params(user, today))))


def check_params(user: User, today: date) -> dict[str, Any]:
    return {
        "team_id": user.team_id,
        "user_id": user.id,
        "until": today + timedelta(days=CHECKS_AHEAD_DAYS),
        "checks": MY_CHECKS_LIMIT + 1,
    }


def checks_of(rows: list[Any]) -> Shown[Check]:
    return Shown.of([Check(*row) for row in rows], MY_CHECKS_LIMIT)


# Built once, with the team, the user and the last day as bound parameters (issue 21: built
# per request it cost as much as the query).
MY_CHECKS = Part(
    select(
        Action.id,
        Action.goal_id,
        Plan.case_id,
        Family.name,
        Action.text,
        Action.check_on,
        OWNER_SHOWN,
    )
    .join(Goal, Goal.id == Action.goal_id)
    .join(Plan, Plan.id == Goal.plan_id)
    .join(Case, Case.id == Plan.case_id)
    .join(Family, Family.id == Case.family_id)
    .outerjoin(FamilyMember, FamilyMember.id == Action.owner_member_id)
    .outerjoin(NetworkMember, NetworkMember.id == Action.network_member_id)
    .where(
        Plan.case_id.in_(open_case_ids(mine=False)),
        Goal.status == GoalStatus.ACTIVE,
        one_of(Action.status, (ActionStatus.PLANNED, ActionStatus.DOING)),
        Action.check_by_id == bindparam("user_id"),
        Action.check_on <= bindparam("until", type_=Date),
    ),
    (Action.check_on, Action.id),
    bindparam("checks"),
)
