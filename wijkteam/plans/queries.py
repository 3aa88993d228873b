"""Loading a plan with everything its pages show, in a fixed number of queries."""

from __future__ import annotations

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from wijkteam.cases.models import Case, FamilyMember
from wijkteam.core.db import db
from wijkteam.notes.models import NotePart
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
)

# Built once (issue 21): building a statement with ten loader options and working out its
# cache key cost more than a millisecond per page; the case is a bound parameter.
_goals = selectinload(Plan.goals)
_WHOLE_PLAN = (
    select(Plan)
    .where(Plan.case_id == bindparam("case_id"))
    .options(
        _goals.selectinload(Goal.members),
        _goals.selectinload(Goal.actions).joinedload(Action.owner_member),
        _goals.selectinload(Goal.actions).joinedload(Action.network_member),
        _goals.selectinload(Goal.actions).joinedload(Action.resource),
        _goals.selectinload(Goal.actions).joinedload(Action.check_by),  # the goal page names them
        _goals.selectinload(Goal.scores).joinedload(ScaleScore.recorded_by),
        selectinload(Plan.ladder).joinedload(LadderEntry.recorded_by),
        selectinload(Plan.regie_history).joinedload(RegieEntry.recorded_by),
        selectinload(Plan.versions).joinedload(PlanVersion.finalised_by),
        selectinload(Plan.successes),
        selectinload(Plan.strengths).joinedload(PlanStrength.note_part).joinedload(NotePart.note),
    )
)
_PLAN_WITH_GOALS = (
    select(Plan).where(Plan.case_id == bindparam("case_id")).options(selectinload(Plan.goals))
)
_PLAN_SUMMARY = (
    select(Plan)
    .where(Plan.case_id == bindparam("case_id"))
    .options(
        selectinload(Plan.ladder).joinedload(LadderEntry.recorded_by),
        selectinload(Plan.regie_history),
    )
)


def load_plan(case: Case) -> Plan | None:
    return db.scalar(_WHOLE_PLAN, {"case_id": case.id})


def plan_with_goals(case: Case) -> Plan | None:
    """The plan with its goals only: for a form that offers the goals to choose from (a new
    conversation note: 2 queries instead of load_plan's 11). Anything else is read when used."""
    return db.scalar(_PLAN_WITH_GOALS, {"case_id": case.id})


def plan_summary(case: Case) -> Plan | None:
    """The plan with its ladder and regie history only (for the case page)."""
    return db.scalar(_PLAN_SUMMARY, {"case_id": case.id})


def get_plan_or_404(case: Case) -> Plan:
    plan = load_plan(case)
    if plan is None:
        abort(404)
    return plan


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
    for goal in plan.goals:
        for score in goal.scores:
            if score.id == score_id:
                return score
    abort(404)


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
            .options(joinedload(SocialLadderEntry.recorded_by))
            .order_by(SocialLadderEntry.recorded_on, SocialLadderEntry.id)
        )
    )


def latest_social_levels(case: Case) -> dict[int, SocialLadderEntry]:
    """The latest social-ladder entry per family member, in one query."""
    member_ids = [m.id for m in case.family.members]
    if not member_ids:
        return {}
    latest: dict[int, SocialLadderEntry] = {}
    rows = db.scalars(
        select(SocialLadderEntry)
        .where(SocialLadderEntry.member_id.in_(member_ids))
        .order_by(SocialLadderEntry.recorded_on, SocialLadderEntry.id)
    )
    for entry in rows:
        latest[entry.member_id] = entry
    return latest
