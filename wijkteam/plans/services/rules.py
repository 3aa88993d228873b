"""What one plan may hold, and the checks the parts of the plan share."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from wijkteam.cases.models import Case, FamilyMember
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.errors import FieldError
from wijkteam.plans.models import Action, ActionStatus, Goal, Plan

# What one plan may hold (docs/printout.md, "Limits"). A plan is read on paper by the family:
# real plans have 2-6 goals with a few actions each. The limits keep every printout of a plan
# small enough to make in seconds, whatever is typed in. Goals are never deleted, so every goal
# counts; of the actions, the open ones (planned or doing) are printed and count towards the
# first two limits, and all of them towards the third (each agreed version keeps a copy).
MAX_GOALS = 25
MAX_OPEN_ACTIONS_PER_GOAL = 20
MAX_OPEN_ACTIONS_PER_PLAN = 100
MAX_ACTIONS_PER_PLAN = 500
# Characters in a goal's text, why it matters, its first step, an action's text and a strength
# written for the paper.
MAX_TEXT = 1000
# Strengths on the family's paper ("what you are good at"): a few, chosen with care.
MAX_STRENGTHS = 10
GOAL_TEXTS = ("text", "why_it_matters", "first_step")
OPEN_ACTIONS = (ActionStatus.PLANNED, ActionStatus.DOING)


def _not_in_future(field: str, day: date) -> None:
    if day > clock.today():
        raise FieldError(field, _l("This date cannot be in the future."))


def _family_members(case: Case, member_ids: list[int]) -> list[FamilyMember]:
    by_id = {m.id: m for m in case.family.members}
    unknown = [i for i in member_ids if i not in by_id]
    if unknown:
        raise FieldError("member_ids", _l("Choose people from this family."))
    return [by_id[i] for i in member_ids]


def _check_lengths(data: dict[str, Any], fields: tuple[str, ...]) -> None:
    """The forms check lengths too; this holds for every way in (meetings, notes, the seed)."""
    for name in fields:
        if len(data.get(name) or "") > MAX_TEXT:
            raise FieldError(name, _l("Write at most %(n)d characters.", n=MAX_TEXT))


def _count_actions(plan: Plan, goal: Goal | None = None, open_only: bool = True) -> int:
    query = select(func.count(Action.id)).join(Goal, Goal.id == Action.goal_id)
    query = query.where(Goal.plan_id == plan.id)
    if goal is not None:
        query = query.where(Action.goal_id == goal.id)
    if open_only:
        query = query.where(Action.status.in_(OPEN_ACTIONS))
    return db.scalar(query) or 0


def check_room_for_action(plan: Plan, goal: Goal, field: str = "text", *, new: bool = True) -> None:
    """Refuse one more open action (a new one, or `new=False`: one opened again) when the goal
    or the plan is full (see the limits above)."""
    if new and _count_actions(plan, open_only=False) >= MAX_ACTIONS_PER_PLAN:
        raise FieldError(
            field,
            _l(
                "This plan already has %(n)d actions in all, the most one plan can hold. Change "
                "an action that is done or stopped instead of adding one.",
                n=MAX_ACTIONS_PER_PLAN,
            ),
        )
    if _count_actions(plan, goal) >= MAX_OPEN_ACTIONS_PER_GOAL:
        raise FieldError(
            field,
            _l(
                "This goal already has %(n)d open actions, the most one goal can hold. Mark "
                "actions that are done or stopped first.",
                n=MAX_OPEN_ACTIONS_PER_GOAL,
            ),
        )
    if _count_actions(plan) >= MAX_OPEN_ACTIONS_PER_PLAN:
        raise FieldError(
            field,
            _l(
                "This plan already has %(n)d open actions, the most one plan can hold. Mark "
                "actions that are done or stopped first.",
                n=MAX_OPEN_ACTIONS_PER_PLAN,
            ),
        )
