"""Loading a plan with everything its pages show, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import BindParameter, Select, bindparam, exists, inspect, select
from sqlalchemy.orm import joinedload
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
    SocialLadderEntry,
    Success,
    goal_members,
)

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
) -> None:
    """Read these lists of the plan and of its goals, one query each, unless already loaded."""
    params = {"plan_id": plan.id}
    unloaded = inspect(plan).unloaded
    for name in plan_parts:
        if name in unloaded:
            set_committed_value(plan, name, list(db.scalars(_PLAN_PARTS[name], params)))
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
