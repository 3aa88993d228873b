"""The plan itself, its goals and actions, and the scaling scores of a goal."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.core.editing import check_scores, create, save_changes, strike_out
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import require_can_edit_case
from wijkteam.network.models import NetworkMember
from wijkteam.plans.models import (
    Action,
    ActionStatus,
    Goal,
    GoalStatus,
    LadderEntry,
    LadderLevel,
    OwnerKind,
    Plan,
    Regie,
    RegieEntry,
    ScaleScore,
)
from wijkteam.plans.services import checks
from wijkteam.plans.services.rules import (
    GOAL_TEXTS,
    MAX_ACTIONS_PER_PLAN,
    MAX_GOALS,
    OPEN_ACTIONS,
    _check_lengths,
    _count_actions,
    _family_members,
    _not_in_future,
    check_room_for_action,
)
from wijkteam.resources.models import Resource

# --- the plan itself ------------------------------------------------------------------


def start_plan(
    actor: User,
    case: Case,
    *,
    started_on: date,
    evaluation_on: date | None,
    level: LadderLevel,
    level_reason: str,
    regie: Regie,
    regie_reason: str,
) -> Plan:
    """Start the family's plan with where the family stands: ladder level and regie."""
    require_can_edit_case(actor, case)
    if db.query(Plan.id).filter_by(case_id=case.id).first() is not None:
        raise NotAllowed(_l("This case already has a plan."))
    _check_dates(case, started_on, evaluation_on)
    plan = Plan(case_id=case.id, started_on=started_on, evaluation_on=evaluation_on)
    create(actor, plan, action="plan.create", case_id=case.id)
    db.add(
        LadderEntry(
            plan_id=plan.id,
            level=level,
            changed_on=started_on,
            reason=level_reason,
            recorded_by_id=actor.id,
        )
    )
    db.add(
        RegieEntry(
            plan_id=plan.id,
            regie=regie,
            changed_on=started_on,
            reason=regie_reason,
            recorded_by_id=actor.id,
        )
    )
    db.flush()
    return plan


def _check_dates(case: Case, started_on: date, evaluation_on: date | None) -> None:
    if started_on < case.opened_on:
        raise FieldError("started_on", _l("The plan cannot start before the case was opened."))
    if evaluation_on is not None and evaluation_on < started_on:
        raise FieldError(
            "evaluation_on", _l("The evaluation date must come after the start of the plan.")
        )


def update_plan(
    actor: User, case: Case, plan: Plan, *, expected_version: int | None, data: dict[str, Any]
) -> list[str]:
    """Change the plan's start and evaluation date."""
    require_can_edit_case(actor, case)
    _check_dates(case, data["started_on"], data.get("evaluation_on"))
    earliest_due = min((a.due_on for g in plan.goals for a in g.actions if a.due_on), default=None)
    if earliest_due is not None and data["started_on"] > earliest_due:
        raise FieldError(
            "started_on", _l("An action is due before this date. Change that action first.")
        )
    return save_changes(
        actor,
        plan,
        expected_version=expected_version,
        data=data,
        action="plan.update",
        case_id=case.id,
    )


# --- goals --------------------------------------------------------------------------


def add_goal(actor: User, case: Case, plan: Plan, data: dict[str, Any]) -> Goal:
    """Add a goal in the family's own words."""
    require_can_edit_case(actor, case)
    _check_lengths(data, GOAL_TEXTS)
    goals = db.scalar(select(func.count(Goal.id)).where(Goal.plan_id == plan.id)) or 0
    if goals >= MAX_GOALS:
        raise FieldError(
            "text",
            _l(
                "This plan already has %(n)d goals, the most one plan can hold. Change a goal "
                "that is no longer current instead of adding one.",
                n=MAX_GOALS,
            ),
        )
    members = _family_members(case, data.pop("member_ids", []))
    position = max((g.position for g in plan.goals), default=0) + 1
    goal = Goal(plan_id=plan.id, position=position, status=GoalStatus.ACTIVE, **data)
    goal.members = members
    create(actor, goal, action="goal.create", case_id=case.id)
    return goal


def update_goal(
    actor: User, case: Case, goal: Goal, *, expected_version: int | None, data: dict[str, Any]
) -> list[str]:
    """Change a goal's text (the old text stays in its history)."""
    require_can_edit_case(actor, case)
    _check_lengths(data, GOAL_TEXTS)
    members = _family_members(case, data.pop("member_ids", []))
    changed = save_changes(
        actor,
        goal,
        expected_version=expected_version,
        data=data,
        action="goal.update",
        case_id=case.id,
    )
    if {m.id for m in members} != {m.id for m in goal.members}:
        goal.members = members
        record(actor, "goal.update", case_id=case.id, obj=goal, fields=["members"])
        changed.append("members")
    return changed


def set_goal_status(
    actor: User,
    case: Case,
    goal: Goal,
    *,
    expected_version: int | None,
    status: GoalStatus,
    on: date,
    reason: str,
) -> list[str]:
    """Mark a goal achieved, changed or dropped (or active again), with a date and why."""
    require_can_edit_case(actor, case)
    _not_in_future("status_on", on)
    if status == goal.status:
        raise FieldError("status", _l("The goal already has this status."))
    if not reason.strip():
        raise FieldError("status_reason", _l("Write a word on why."))
    return save_changes(
        actor,
        goal,
        expected_version=expected_version,
        data={"status": status, "status_on": on, "status_reason": reason},
        action="goal.status",
        case_id=case.id,
    )


# --- actions ------------------------------------------------------------------------


def _check_action(case: Case, plan: Plan, data: dict[str, Any]) -> dict[str, Any]:
    _check_lengths(data, ("text",))
    kind = data["owner_kind"]
    network_member_id = data.get("network_member_id")
    if kind == OwnerKind.FAMILY:
        if data.get("owner_member_id") is not None:
            _family_members(case, [data["owner_member_id"]])
        data.update(owner_name="", network_member_id=None)
    elif kind == OwnerKind.NETWORK and network_member_id is not None:
        member = db.get(NetworkMember, network_member_id)
        if member is None or member.family_id != case.family_id or member.is_archived:
            raise FieldError("network_member_id", _l("Choose someone from this family's network."))
        data.update(owner_name="", owner_member_id=None)
    else:
        data.update(owner_member_id=None, network_member_id=None)
        if not data.get("owner_name", "").strip():
            raise FieldError("owner_name", _l("Who does it? Write a name."))
    resource_id = data.get("resource_id")
    if resource_id is not None:
        resource = db.get(Resource, resource_id)
        if resource is None or resource.team_id != case.team_id or resource.is_archived:
            raise FieldError("resource_id", _l("Choose a resource from your team's catalogue."))
    if data.get("due_on") is not None and data["due_on"] < plan.started_on:
        raise FieldError("due_on", _l("The due date cannot be before the plan started."))
    return checks.follow_up(case, data)


def add_action(
    actor: User, case: Case, goal: Goal, data: dict[str, Any], *, field: str = "text"
) -> Action:
    """Add an action to a goal, with who does it. `field`: where a full goal or plan is
    reported on the form that adds it (a meeting's agreements, a note's next steps)."""
    require_can_edit_case(actor, case)
    if data.get("status", ActionStatus.PLANNED) in OPEN_ACTIONS:
        check_room_for_action(goal.plan, goal, field)
    elif _count_actions(goal.plan, open_only=False) >= MAX_ACTIONS_PER_PLAN:
        check_room_for_action(goal.plan, goal, field)  # raises: the plan is full
    action = Action(goal_id=goal.id, **_check_action(case, goal.plan, data))
    create(actor, action, action="action.create", case_id=case.id)
    return action


def add_agreed_action(
    actor: User, case: Case, goal: Goal, row: dict[str, Any], *, field: str = "text", **link: Any
) -> Action:
    """An action agreed elsewhere (a network meeting, a case discussion) from a form row with
    text, owner and date; `link` names where it was agreed (e.g. meeting_id=...), `field` the
    form field that reports a full plan."""
    return add_action(
        actor,
        case,
        goal,
        {
            "text": row["text"],
            "owner_kind": row["owner_kind"],
            "owner_member_id": row.get("owner_member_id"),
            "network_member_id": row.get("network_member_id"),
            "owner_name": row.get("owner_name", ""),
            "due_on": row.get("due_on"),
            "status": ActionStatus.PLANNED,
            **link,
        },
        field=field,
    )


def update_action(
    actor: User, case: Case, action: Action, *, expected_version: int | None, data: dict[str, Any]
) -> list[str]:
    """Change an action: what, who, when, how far."""
    require_can_edit_case(actor, case)
    reopened = action.status not in OPEN_ACTIONS and data.get("status") in OPEN_ACTIONS
    if reopened:
        check_room_for_action(action.goal.plan, action.goal, "status", new=False)
    return save_changes(
        actor,
        action,
        expected_version=expected_version,
        data=_check_action(case, action.goal.plan, data),
        action="action.update",
        case_id=case.id,
    )


# --- scaling ------------------------------------------------------------------------


def _check_score(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    check_scores(
        data,
        ("family_score", "professional_score"),
        _l("Fill in the family's score, yours, or both."),
    )
    _not_in_future("scored_on", data["scored_on"])
    if data["scored_on"] < case.opened_on:
        raise FieldError("scored_on", _l("This date is before the case was opened."))
    return data


def add_score(actor: User, case: Case, goal: Goal, data: dict[str, Any]) -> ScaleScore:
    """Record a scaling score (0-10) for a goal at a contact."""
    require_can_edit_case(actor, case)
    score = ScaleScore(goal_id=goal.id, recorded_by_id=actor.id, **_check_score(case, data))
    create(actor, score, action="score.create", case_id=case.id)
    return score


def score_from_plan(
    actor: User, case: Case, goal: Goal, *, expected_version: int | None, data: dict[str, Any]
) -> ScaleScore:
    """The family's score given on the plan page (two clicks): only for a goal still worked on,
    and only for the words the page showed (`expected_version`: the goal's version then)."""
    require_can_edit_case(actor, case)
    if data.get("family_score") is None:
        raise FieldError("family_score", _l("Choose the family's score: a number from 0 to 10."))
    if not goal.is_open:
        raise FieldError(
            "family_score",
            _l(
                "This goal is no longer being worked on, so it cannot be scored from the plan. "
                "Does the score belong to an earlier visit? Then fill in its date here."
            ),
        )
    if expected_version is None or expected_version != goal.version:
        raise FieldError(
            "family_score",
            _l(
                "This goal was changed after you opened the plan. Read its words above and "
                "save the score again."
            ),
        )
    return add_score(actor, case, goal, data)


def correct_score(
    actor: User,
    case: Case,
    score: ScaleScore,
    *,
    expected_version: int | None,
    data: dict[str, Any],
) -> list[str]:
    """Correct a score; what it was stays in its history."""
    require_can_edit_case(actor, case)
    if score.voided_at is not None:
        raise NotAllowed(_l("This score was struck out and can no longer be changed."))
    return save_changes(
        actor,
        score,
        expected_version=expected_version,
        data=_check_score(case, data),
        action="score.update",
        case_id=case.id,
    )


def void_score(
    actor: User, case: Case, score: ScaleScore, *, expected_version: int | None, reason: str
) -> None:
    """Strike out a wrong score with a reason: it leaves the chart but stays on record."""
    require_can_edit_case(actor, case)
    strike_out(
        actor,
        score,
        expected_version=expected_version,
        reason=reason,
        action="score.void",
        case_id=case.id,
    )
