"""The plan's own page, read as plain rows (issue 21).

The page only shows the plan: it changes nothing and follows no relationship. Read as mapped
objects, the ORM's handling of the rows (an identity map, a state per object, row processors
set up for each statement) cost about four times the statements themselves. Here each list is
a statement of columns, and each row a small frozen object with the attribute names of the
model it stands for, so that the templates (plans/show.html, plans/_ladder_timeline.html,
plans/_sign_off.html) and the services that compare the draft with its last agreed version
(`services.versions.snapshot`) read them as they read the models.

The other pages of the plan and the services keep the mapped objects (`queries.load_plan`
and `get_plan_or_404`): they change them. tests/test_seed.py holds this page's rows equal to
the models' for every plan of the demo, and the page's HTML equal to the one rendered from the
mapped plan (`test_the_plan_pages_rows_are_the_models`,
`test_the_plan_page_shows_the_rows_as_the_models`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import aliased

from wijkteam.auth.models import User
from wijkteam.cases.models import Case, FamilyMember
from wijkteam.core.lists import Part, unlike_lists_in_one
from wijkteam.network.models import NetworkMember
from wijkteam.plans.enums import (
    ActionStatus,
    AgreedHow,
    GoalStatus,
    LadderLevel,
    OwnerKind,
    Regie,
    Repeats,
)
from wijkteam.plans.models import (
    OWNER_SHOWN,
    Action,
    Goal,
    LadderEntry,
    Plan,
    PlanStrength,
    PlanVersion,
    RegieEntry,
    ScaleScore,
    SecondText,
    SocialLadderEntry,
    Success,
    goal_members,
)
from wijkteam.reviews.models import Review, ReviewKind, ReviewStatus


@dataclass(frozen=True, slots=True)
class Person:
    """Someone named where a list shows who did it (`recorded_by`, `decided_by`)."""

    display_name: str


@dataclass(frozen=True, slots=True)
class MemberName:
    """A family member a goal is about, as the page names them."""

    id: int
    first_name: str


@dataclass(frozen=True, slots=True)
class ActionLine:
    """An action of a goal, as `Action` (`owner_display` and `from_team` as its properties)."""

    id: int
    text: str
    owner_kind: OwnerKind
    owner_display: str
    due_on: date | None
    repeats: Repeats
    status: ActionStatus
    from_team: bool


@dataclass(frozen=True, slots=True)
class GoalCard:
    """A goal with the family members it is about and its actions, as `Goal` (no scores:
    the page shows each goal's latest, `PlanPage.latest_scores`)."""

    id: int
    text: str
    why_it_matters: str
    first_step: str
    status: GoalStatus
    version: int
    members: list[MemberName]
    actions: list[ActionLine]

    @property
    def is_open(self) -> bool:
        return self.status == GoalStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class LatestScore:
    """A goal's latest score that was not voided."""

    id: int
    scored_on: date
    family_score: int | None
    professional_score: int | None


@dataclass(frozen=True, slots=True)
class LadderStep:
    """A step of the participation ladder, as `LadderEntry`."""

    id: int
    level: LadderLevel
    changed_on: date
    reason: str
    climb_back: str
    recorded_by: Person


@dataclass(frozen=True, slots=True)
class RegieStep:
    """A change of regie, as `RegieEntry`."""

    id: int
    regie: Regie
    changed_on: date
    reason: str
    recorded_by: Person


@dataclass(frozen=True, slots=True)
class SignOff:
    """The sign-off of an agreed version: the latest request for it, as `Review`."""

    id: int
    status: ReviewStatus
    decided_by: Person | None
    decided_at: datetime | None
    comment: str


@dataclass(frozen=True, slots=True)
class VersionLine:
    """An agreed version, as `PlanVersion`; only the last one carries its snapshot (the page
    compares the draft with it), the others None."""

    id: int
    number: int
    agreed_on: date
    agreed_by: list[str]
    agreed_how: AgreedHow
    snapshot: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class SuccessLine:
    """A small success, as `Success`."""

    id: int
    noted_on: date
    text: str


@dataclass(frozen=True, slots=True)
class PlanView:
    """The plan as its page shows it, as `Plan` with its lists in the relationships' order."""

    id: int
    started_on: date
    evaluation_on: date | None
    goals: list[GoalCard]
    ladder: list[LadderStep]
    regie_history: list[RegieStep]
    versions: list[VersionLine]
    successes: list[SuccessLine]

    @property
    def ladder_level(self) -> LadderLevel | None:
        return self.ladder[-1].level if self.ladder else None

    @property
    def regie(self) -> Regie | None:
        return self.regie_history[-1].regie if self.regie_history else None


@dataclass(frozen=True)
class PlanPage:
    """The plan as its own page shows it, and what the plan's statement found out on the
    way: how many strengths go on paper (the page shows the number), and whether the case
    has any second text and social-ladder entry at all. The page reads each of these lists
    only when it has something (issue 21: every statement costs a round trip, empty or
    not). Each goal's latest score that was not voided (`Goal.latest_score`) by goal id, and
    the sign-off of each agreed version by version number."""

    plan: PlanView
    strengths: int
    sign_offs: dict[int, SignOff]
    second_texts: bool
    social_levels: bool
    latest_scores: dict[int, LatestScore]


def read_plan_page(case: Case) -> PlanPage | None:
    """The case's plan as its page shows it, its lists read as one (`_LISTS`, `Lists.read`:
    one statement on PostgreSQL): the plan with its goals, their members and latest scores and
    what its other lists hold; the goals' actions; the ladder; the regie history; the agreed
    versions with their sign-offs, of which only the last one's snapshot is read; the small
    successes. None without a plan.

    Through the session's connection, not the session's own execute, which sets up the
    ORM's handling of a result even for rows of plain columns (issue 21: on PostgreSQL each
    statement also cost SQLAlchemy and psycopg more than the database takes for a list)."""
    params = {"case_id": case.id, "family_id": case.family_id}
    rows, action_rows, ladder_rows, regie_rows, version_rows, success_rows = _LISTS.read(params)
    if not rows:
        return None
    first = rows[0]
    actions: dict[int, list[ActionLine]] = {}
    for a in action_rows:
        actions.setdefault(a.goal_id, []).append(
            ActionLine(
                a.id,
                a.text,
                a.owner_kind,
                a.owner,
                a.due_on,
                a.repeats,
                a.status,
                a.discussion_item_id is not None,
            )
        )
    goals: dict[int, GoalCard] = {}
    latest: dict[int, LatestScore] = {}
    for row in rows:
        if row.goal_id is None:  # a plan without goals: its one row
            break
        goal = goals.get(row.goal_id)
        if goal is None:
            goal = goals[row.goal_id] = GoalCard(
                row.goal_id,
                row.text,
                row.why_it_matters,
                row.first_step,
                row.status,
                row.version,
                [],
                actions.get(row.goal_id, []),
            )
            if row.latest_id is not None:
                latest[row.goal_id] = LatestScore(
                    row.latest_id, row.scored_on, row.family_score, row.professional_score
                )
        if row.member_id is not None:
            goal.members.append(MemberName(row.member_id, row.first_name))
    ladder = [
        LadderStep(h.id, h.level, h.changed_on, h.reason, h.climb_back, Person(h.display_name))
        for h in ladder_rows
    ]
    regie = [
        RegieStep(h.id, h.regie, h.changed_on, h.reason, Person(h.display_name)) for h in regie_rows
    ]
    versions: list[VersionLine] = []
    sign_offs: dict[int, SignOff] = {}
    for v in version_rows:
        versions.append(
            VersionLine(v.id, v.number, v.agreed_on, v.agreed_by, v.agreed_how, v.last_snapshot)
        )
        if v.review_id is not None:
            decided_by = Person(v.decided_by) if v.decided_by is not None else None
            sign_offs[v.number] = SignOff(
                v.review_id, v.review_status, decided_by, v.decided_at, v.comment
            )
    plan = PlanView(
        first.plan_id,
        first.started_on,
        first.evaluation_on,
        list(goals.values()),
        ladder,
        regie,
        versions,
        [SuccessLine(*row) for row in success_rows],
    )
    return PlanPage(  # SQLite answers EXISTS with 0 or 1
        plan,
        strengths=first.strengths,
        sign_offs=sign_offs,
        second_texts=bool(first.second_texts),
        social_levels=bool(first.social_levels),
        latest_scores=latest,
    )


# The lists, built once (issue 21), each in its relationship's order (models.py). All but
# the first find the plan by the case (`_plan_id`: its one plan, by the unique index).
_plan_id = select(Plan.id).where(Plan.case_id == bindparam("case_id")).scalar_subquery()
# Per goal of the case's plan, its scores numbered newest first (the relationship's order,
# reversed), voided ones left out. Window functions: SQLite 3.25 and PostgreSQL alike.
_SCORED_GOAL, _SCORED_PLAN = aliased(Goal), aliased(Plan)
_RANKED_SCORES = (
    select(
        ScaleScore.id,
        ScaleScore.goal_id,
        func.row_number()
        .over(
            partition_by=ScaleScore.goal_id,
            order_by=(ScaleScore.scored_on.desc(), ScaleScore.id.desc()),
        )
        .label("place"),
    )
    .join(_SCORED_GOAL, _SCORED_GOAL.id == ScaleScore.goal_id)
    .join(_SCORED_PLAN, _SCORED_PLAN.id == _SCORED_GOAL.plan_id)
    .where(_SCORED_PLAN.case_id == bindparam("case_id"), ScaleScore.voided_at.is_(None))
    .subquery("ranked")
)
_LATEST = aliased(ScaleScore, name="latest")
_FAMILY_MEMBER = aliased(FamilyMember)
# The plan, a row per goal and member it is about (a goal without members, and a plan
# without goals, have one row), each goal's latest score, and what the other lists hold.
_PAGE = (
    select(
        Plan.id.label("plan_id"),
        Plan.started_on,
        Plan.evaluation_on,
        Goal.id.label("goal_id"),
        Goal.text,
        Goal.why_it_matters,
        Goal.first_step,
        Goal.status,
        Goal.version,
        FamilyMember.id.label("member_id"),
        FamilyMember.first_name,
        _LATEST.id.label("latest_id"),
        _LATEST.scored_on,
        _LATEST.family_score,
        _LATEST.professional_score,
        select(func.count(PlanStrength.id))
        .where(PlanStrength.plan_id == Plan.id, PlanStrength.removed_at.is_(None))
        .correlate(Plan)
        .scalar_subquery()
        .label("strengths"),
        exists().where(SecondText.case_id == Plan.case_id).correlate(Plan).label("second_texts"),
        exists()
        .where(
            SocialLadderEntry.member_id == _FAMILY_MEMBER.id,
            _FAMILY_MEMBER.family_id == bindparam("family_id"),
        )
        .correlate(None)
        .label("social_levels"),
    )
    .select_from(Plan)
    .outerjoin(Goal, Goal.plan_id == Plan.id)
    .outerjoin(goal_members, goal_members.c.goal_id == Goal.id)
    .outerjoin(FamilyMember, FamilyMember.id == goal_members.c.member_id)
    .outerjoin(
        _RANKED_SCORES, and_(_RANKED_SCORES.c.goal_id == Goal.id, _RANKED_SCORES.c.place == 1)
    )
    .outerjoin(_LATEST, _LATEST.id == _RANKED_SCORES.c.id)
    .where(Plan.case_id == bindparam("case_id"))
)
_PAGE_ORDER = (Goal.position, Goal.id, FamilyMember.id)
# The goals' actions with the name of who does them (`Action.owner_display`).
_ACTIONS = (
    select(
        Action.id,
        Action.goal_id,
        Action.text,
        Action.owner_kind,
        OWNER_SHOWN.label("owner"),
        Action.due_on,
        Action.repeats,
        Action.status,
        Action.discussion_item_id,
    )
    .select_from(Action)
    .join(Goal, Goal.id == Action.goal_id)
    .outerjoin(FamilyMember, FamilyMember.id == Action.owner_member_id)
    .outerjoin(NetworkMember, NetworkMember.id == Action.network_member_id)
    .where(Goal.plan_id == _plan_id)
)


def _history(entry: Any, what: Any, *more: Any) -> Part:
    """A history of the plan (the ladder, the regie), oldest first: each step's id, what it
    set, its date and reason, `more`, and who recorded it."""
    return Part(
        select(entry.id, what, entry.changed_on, entry.reason, *more, User.display_name)
        .select_from(entry)
        .join(User, User.id == entry.recorded_by_id)
        .where(entry.plan_id == _plan_id),
        (entry.changed_on, entry.id),
    )


_LADDER = _history(LadderEntry, LadderEntry.level, LadderEntry.climb_back)
_REGIE = _history(RegieEntry, RegieEntry.regie)
# The versions, each with its sign-off (the latest request for that version, as
# `reviews.queries.version_sign_offs`; none if it was never asked), and the last one's
# snapshot only.
_LATER = aliased(Review)
_DECIDER = aliased(User)
_VERSIONS = (
    select(
        PlanVersion.id,
        PlanVersion.number,
        PlanVersion.agreed_on,
        PlanVersion.agreed_by,
        PlanVersion.agreed_how,
        sql_case(
            (PlanVersion.number == func.max(PlanVersion.number).over(), PlanVersion.snapshot)
        ).label("last_snapshot"),
        Review.id.label("review_id"),
        Review.status.label("review_status"),
        _DECIDER.display_name.label("decided_by"),
        Review.decided_at,
        Review.comment,
    )
    .select_from(PlanVersion)
    .outerjoin(
        Review,
        and_(
            Review.case_id == bindparam("case_id"),
            Review.kind == ReviewKind.PLAN_VERSION,
            Review.ref_id == PlanVersion.number,
            ~exists().where(
                _LATER.case_id == Review.case_id,
                _LATER.kind == Review.kind,
                _LATER.ref_id == Review.ref_id,
                _LATER.id > Review.id,
            ),
        ),
    )
    .outerjoin(_DECIDER, _DECIDER.id == Review.decided_by_id)
    .where(PlanVersion.plan_id == _plan_id)
)
_SUCCESSES = select(Success.id, Success.noted_on, Success.text).where(Success.plan_id == _plan_id)
_PARTS = (
    Part(_PAGE, _PAGE_ORDER),
    Part(_ACTIONS, (Action.due_on, Action.id)),
    _LADDER,
    _REGIE,
    Part(_VERSIONS, (PlanVersion.number,)),
    Part(_SUCCESSES, (Success.noted_on.desc(), Success.id.desc())),
)
_LISTS = unlike_lists_in_one(_PARTS)
