"""Loading a plan with everything its pages show, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import BindParameter, Select, and_, bindparam, exists, func, inspect, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import aliased, contains_eager, defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from wijkteam.auth.models import by_name
from wijkteam.cases.models import Case, FamilyMember
from wijkteam.core.db import db
from wijkteam.notes.models import NotePart
from wijkteam.plans.enums import LadderLevel, Regie
from wijkteam.plans.models import (
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
from wijkteam.reviews.models import Review, ReviewKind
from wijkteam.reviews.queries import version_sign_offs

# Built once (issue 21), with the case or plan as a bound parameter. The whole plan is read
# with plain statements whose rows are handed to the relationships (`_plan_with`), not with
# selectinload: the loader machinery (paths, options, one query per relationship all the
# same) cost twice the queries' own time, 6.6 against 3.4 ms per plan on PostgreSQL. Each
# statement repeats its relationship's filter and order (models.py); tests/test_seed.py holds
# the result equal to the relationships' own loading for every plan of the demo.
_plan_id: BindParameter[int] = bindparam("plan_id")
_PLAN = select(Plan).where(Plan.case_id == bindparam("case_id"))
_PLAN_PARTS = {
    "goals": select(Goal).where(Goal.plan_id == _plan_id).order_by(Goal.position, Goal.id),
    "ladder": select(LadderEntry)
    .where(LadderEntry.plan_id == _plan_id)
    .options(by_name(LadderEntry.recorded_by))
    .order_by(LadderEntry.changed_on, LadderEntry.id),
    "regie_history": select(RegieEntry)
    .where(RegieEntry.plan_id == _plan_id)
    .options(by_name(RegieEntry.recorded_by))
    .order_by(RegieEntry.changed_on, RegieEntry.id),
    "versions": select(PlanVersion)
    .where(PlanVersion.plan_id == _plan_id)
    .options(by_name(PlanVersion.finalised_by))
    .order_by(PlanVersion.number),
    "successes": select(Success)
    .where(Success.plan_id == _plan_id)
    .order_by(Success.noted_on.desc(), Success.id.desc()),
    "strengths": select(PlanStrength)
    .where(PlanStrength.plan_id == _plan_id, PlanStrength.removed_at.is_(None))
    .options(joinedload(PlanStrength.note_part).joinedload(NotePart.note))
    .order_by(PlanStrength.position, PlanStrength.id),
}
# The goals' own lists, for all goals of the plan at once: (goal id, row).
_GOAL_PARTS: dict[str, Select[int, Any]] = {
    "actions": select(Action.goal_id, Action)
    .join(Goal, Goal.id == Action.goal_id)
    .where(Goal.plan_id == _plan_id)
    .options(
        joinedload(Action.owner_member),
        joinedload(Action.network_member),
        joinedload(Action.resource),
        by_name(Action.check_by),  # the goal page names them
    )
    .order_by(Action.due_on, Action.id),
    "scores": select(ScaleScore.goal_id, ScaleScore)
    .join(Goal, Goal.id == ScaleScore.goal_id)
    .where(Goal.plan_id == _plan_id)
    .options(by_name(ScaleScore.recorded_by))
    .order_by(ScaleScore.scored_on, ScaleScore.id),
    "members": select(goal_members.c.goal_id, FamilyMember)
    .join(FamilyMember, FamilyMember.id == goal_members.c.member_id)
    .join(Goal, Goal.id == goal_members.c.goal_id)
    .where(Goal.plan_id == _plan_id)
    .order_by(FamilyMember.id),
}


def _plan_with(
    case: Case, plan_parts: tuple[str, ...] = tuple(_PLAN_PARTS), goal_parts: tuple[str, ...] = ()
) -> Plan | None:
    """The case's plan with these of its lists and of its goals' lists ("goals" among
    plan_parts), one query each (the goals joined to the plan's own); a list already loaded
    in this session is left as it is, as an eager load does (whoever changed the plan flushed
    first: the database holds the same)."""
    if "goals" in plan_parts:  # the goals joined to the plan: one query and a few rows more
        joined = _WITH_GOAL_MEMBERS if "members" in goal_parts else _WITH_GOALS
        plan = db.scalars(joined, {"case_id": case.id}).unique().first()
    else:
        plan = db.scalar(_PLAN, {"case_id": case.id})
    if plan is not None:
        _read_parts(plan, plan_parts, goal_parts)
    return plan


def _read_parts(
    plan: Plan,
    plan_parts: tuple[str, ...],
    goal_parts: tuple[str, ...],
    empty: frozenset[str] = frozenset(),
) -> None:
    """Read these lists of the plan and of its goals, one query each, unless already loaded;
    the plan lists named in `empty` are known to be empty and are set so without a query."""
    params = {"plan_id": plan.id}
    unloaded = inspect(plan).unloaded
    for name in plan_parts:
        if name in unloaded:
            rows = [] if name in empty else list(db.scalars(_PLAN_PARTS[name], params))
            set_committed_value(plan, name, rows)
    goals = plan.goals if goal_parts else []
    for name in goal_parts:
        todo = [goal for goal in goals if name in inspect(goal).unloaded]
        if not todo:
            continue
        found: dict[int, list[object]] = {goal.id: [] for goal in todo}
        for goal_id, row in db.execute(_GOAL_PARTS[name], params):
            if goal_id in found:
                found[goal_id].append(row)
        for goal in todo:
            set_committed_value(goal, name, found[goal.id])


def load_plan(case: Case) -> Plan | None:
    """The case's plan with everything its pages show: the plan with its goals and the family
    members each goal is about, then seven queries (five for a plan without goals)."""
    return _plan_with(case, goal_parts=tuple(_GOAL_PARTS))


@dataclass(frozen=True)
class PlanPage:
    """The plan as its own page shows it, and what the plan's query found out on the way:
    how many strengths go on paper (the page shows the number), and whether the case has
    any second text and social-ladder entry at all. The page reads each of these lists only
    when it has something (issue 21: every query costs a round trip and the ORM's setup,
    empty or not: some 5% of the page each). Each goal's latest score that was not voided
    (`Goal.latest_score`), by goal id, came with the goals; the sign-off of each agreed
    version, by version number, with the versions."""

    plan: Plan
    strengths: int
    sign_offs: dict[int, Review]
    second_texts: bool
    social_levels: bool
    latest_scores: dict[int, ScaleScore]


def load_plan_page(case: Case) -> PlanPage | None:
    """The plan as its own page shows it: as `load_plan`, but without the goals' scores, of
    which the page shows only the latest per goal (`PlanPage.latest_scores`), and without the
    strengths, of which it shows the number. A plan of some years holds hundreds of scores
    (issue 21: a case's own long history must not slow its first page). The goals' `scores`
    and the plan's `strengths` stay unloaded: whatever reads them reads them all. The small
    successes are read only when there are any. Of the agreed versions only the last one's
    snapshot is read (the page compares the draft with it): a plan agreed many times
    would otherwise hand every snapshot over on each visit. Each version's sign-off comes
    with it."""
    rows = db.execute(_PAGE, {"case_id": case.id, "family_id": case.family_id}).unique().all()
    if not rows:
        return None
    row = rows[0]
    plan = row.Plan
    latest = {each.latest.goal_id: each.latest for each in rows if each.latest is not None}
    if "versions" in inspect(plan).unloaded:
        versions, sign_offs = [], {}
        params = {"plan_id": plan.id, "case_id": case.id}
        for version, snapshot, sign_off in db.execute(_PAGE_VERSIONS, params):
            if snapshot is not None:  # the last one's
                set_committed_value(version, "snapshot", snapshot)
            if sign_off is not None:
                sign_offs[version.number] = sign_off
            versions.append(version)
        set_committed_value(plan, "versions", versions)
    else:  # read earlier in this request
        sign_offs = version_sign_offs(case)
    _read_parts(
        plan,
        _PAGE_PARTS,
        ("actions", "members"),
        empty=frozenset() if row.successes else frozenset({"successes"}),
    )
    return PlanPage(  # SQLite answers EXISTS with 0 or 1
        plan,
        strengths=row.strengths,
        sign_offs=sign_offs,
        second_texts=bool(row.second_texts),
        latest_scores=latest,
        social_levels=bool(row.social_levels),
    )


def plan_with_goals(case: Case) -> Plan | None:
    """The plan with its goals only, in one query: for a form that offers the goals to choose
    from (a new conversation note). Anything else is read when used."""
    return db.scalars(_WITH_GOALS, {"case_id": case.id}).unique().first()


def plan_with_actions(case: Case) -> Plan | None:
    """The plan with its goals and their actions, in one query: for what adds scores and
    actions to goals (a finished note's next steps count against the plan's open actions)."""
    return db.scalars(_WITH_ACTIONS, {"case_id": case.id}).unique().first()


# One plan's goals (and their actions: at most MAX_ACTIONS_PER_PLAN) joined to it: one query
# and a few rows, where a query per list costs more. The order is the relationships'.
_WITH_GOALS = _PLAN.options(joinedload(Plan.goals))
# The goals with the members they are about (a few rows more; issue 21: a query less).
_WITH_GOAL_MEMBERS = _PLAN.options(joinedload(Plan.goals).joinedload(Goal.members))
_WITH_ACTIONS = _PLAN.options(joinedload(Plan.goals).joinedload(Goal.actions))
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
# The plan page: the goals with their members and each goal's latest score (issue 21: a
# statement less than reading the latest scores on their own), and what the page's other
# lists hold. The goals and members are joined by hand (`contains_eager`, in the
# relationships' order) so that the latest score can be joined to its goal.
_PAGE = (
    select(Plan, _LATEST)
    .outerjoin(Plan.goals)
    .outerjoin(Goal.members)
    .outerjoin(
        _RANKED_SCORES, and_(_RANKED_SCORES.c.goal_id == Goal.id, _RANKED_SCORES.c.place == 1)
    )
    .outerjoin(_LATEST, _LATEST.id == _RANKED_SCORES.c.id)
    .where(Plan.case_id == bindparam("case_id"))
    .options(contains_eager(Plan.goals).contains_eager(Goal.members))
    .order_by(Goal.position, Goal.id, FamilyMember.id)
    .add_columns(
        select(func.count(PlanStrength.id))
        .where(PlanStrength.plan_id == Plan.id, PlanStrength.removed_at.is_(None))
        .correlate(Plan)
        .scalar_subquery()
        .label("strengths"),
        exists().where(Success.plan_id == Plan.id).correlate(Plan).label("successes"),
        exists().where(SecondText.case_id == Plan.case_id).correlate(Plan).label("second_texts"),
        exists()
        .where(
            SocialLadderEntry.member_id == _FAMILY_MEMBER.id,
            _FAMILY_MEMBER.family_id == bindparam("family_id"),
        )
        .correlate(None)
        .label("social_levels"),
    )
)
_PAGE_PARTS = tuple(name for name in _PLAN_PARTS if name != "strengths")
# The plan page's versions: each without its snapshot but the last one, and with its
# sign-off (the latest request for that version, as `version_sign_offs`; none if it was
# never asked) in the same statement (issue 21: a statement less for a plan with sign-offs).
_LATER = aliased(Review)
_PAGE_VERSIONS = (
    select(
        PlanVersion,
        sql_case(
            (PlanVersion.number == func.max(PlanVersion.number).over(), PlanVersion.snapshot)
        ).label("last_snapshot"),
        Review,
    )
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
    .where(PlanVersion.plan_id == _plan_id)
    .options(
        defer(PlanVersion.snapshot), by_name(PlanVersion.finalised_by), by_name(Review.decided_by)
    )
    .order_by(PlanVersion.number)
)


def plan_summary(case: Case) -> Plan | None:
    """The plan with its ladder and regie history only (the close form of a case, the page of a
    safety concern; the case page itself reads where it stands, `standing_columns`)."""
    return _plan_with(case, ("ladder", "regie_history"))


@dataclass(frozen=True)
class Standing:
    """Where a plan stands now: the latest ladder level and regie (the case page)."""

    ladder_level: LadderLevel | None
    regie: Regie | None


def standing_columns() -> list[Any]:
    """Columns for a statement without FROM, for the case `case_id`: whether it has a plan
    (`has_plan`), and the plan's latest ladder level and regie (`ladder_level`, `regie`; as
    `Plan.ladder_level` and `Plan.regie` read them from the whole histories). The case page
    reads them with what else it needs (cases/page.py)."""
    return [
        exists().where(Plan.case_id == bindparam("case_id")).label("has_plan"),
        _latest(LadderEntry, LadderEntry.level).label("ladder_level"),
        _latest(RegieEntry, RegieEntry.regie).label("regie"),
    ]


def _latest(entry: Any, column: Any) -> Any:
    return (
        select(column)
        .join(Plan, Plan.id == entry.plan_id)
        .where(Plan.case_id == bindparam("case_id"))
        .order_by(entry.changed_on.desc(), entry.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def get_plan_or_404(case: Case) -> Plan:
    """The case's plan as `load_plan` reads it, for the plan's other pages, but without the
    goals' scores: a plan of some years holds hundreds, and the forms of a goal, an action,
    the ladder or the versions show none (issue 21). The pages of one goal read that goal's
    (`with_scores`), a score's forms that score (`get_score_or_404`). Unloaded, they stay
    so: whatever reads them reads them all, one query per goal (tests/test_seed.py holds
    every page to none)."""
    plan = _plan_with(case, goal_parts=("actions", "members"))
    if plan is None:
        abort(404)
    return plan


def with_scores(goal: Goal) -> Goal:
    """The goal with its scores (who recorded each by name), in one query: a goal's own page
    shows them all, the other goals' it leaves unread."""
    if "scores" in inspect(goal).unloaded:
        scores = list(db.scalars(_SCORES_OF_GOAL, {"goal_id": goal.id}))
        set_committed_value(goal, "scores", scores)
        for score in scores:
            set_committed_value(score, "goal", goal)
    return goal


_SCORES_OF_GOAL = (
    select(ScaleScore)
    .where(ScaleScore.goal_id == bindparam("goal_id"))
    .options(by_name(ScaleScore.recorded_by))
    .order_by(ScaleScore.scored_on, ScaleScore.id)
)


def get_goal_or_404(plan: Plan, goal_id: int) -> Goal:
    for goal in plan.goals:
        if goal.id == goal_id:
            return goal
    abort(404)


def get_action_or_404(plan: Plan, action_id: int) -> Action:
    for goal in plan.goals:
        for action in goal.actions:
            if action.id == action_id:
                return action
    abort(404)


def get_score_or_404(plan: Plan, score_id: int) -> ScaleScore:
    """A score of one of the plan's goals (read on its own, with its goal handed to it)."""
    goals = {goal.id: goal for goal in plan.goals}
    score = db.scalar(_ONE_SCORE, {"score_id": score_id}) if 0 < score_id < 2**31 else None
    if score is None or score.goal_id not in goals:
        abort(404)
    set_committed_value(score, "goal", goals[score.goal_id])
    return score


_ONE_SCORE = (
    select(ScaleScore)
    .where(ScaleScore.id == bindparam("score_id"))
    .options(by_name(ScaleScore.recorded_by))
)


def get_version_or_404(plan: Plan, number: int) -> PlanVersion:
    for version in plan.versions:
        if version.number == number:
            return version
    abort(404)


def get_strength_or_404(plan: Plan, strength_id: int) -> PlanStrength:
    """A strength on the plan's paper now (a removed one is gone)."""
    for strength in plan.strengths:
        if strength.id == strength_id:
            return strength
    abort(404)


def social_ladder(member: FamilyMember) -> list[SocialLadderEntry]:
    return list(
        db.scalars(
            select(SocialLadderEntry)
            .where(SocialLadderEntry.member_id == member.id)
            .options(by_name(SocialLadderEntry.recorded_by))
            .order_by(SocialLadderEntry.recorded_on, SocialLadderEntry.id)
        )
    )


def latest_social_levels(case: Case) -> dict[int, SocialLadderEntry]:
    """The latest social-ladder entry per family member, in one query."""
    latest: dict[int, SocialLadderEntry] = {}
    for entry in db.scalars(_SOCIAL_LADDERS, {"family_id": case.family_id}):
        latest[entry.member_id] = entry
    return latest


_SOCIAL_LADDERS = (  # built once (issue 21): the plan page reads it
    select(SocialLadderEntry)
    .where(
        SocialLadderEntry.member_id.in_(
            select(FamilyMember.id).where(FamilyMember.family_id == bindparam("family_id"))
        )
    )
    .order_by(SocialLadderEntry.recorded_on, SocialLadderEntry.id)
)
