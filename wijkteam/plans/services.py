"""Rules of the family plan. Services take the acting user, flush, and never commit.

Nothing is hard-deleted: goals end with a status, scores are voided with a reason, ladder and
regie changes are new entries, corrections keep the earlier values (wijkteam.audit.history)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case, FamilyMember, MemberRole
from wijkteam.core import clock
from wijkteam.core.db import db, utc_now
from wijkteam.core.editing import check_scores, check_version, create, save_changes, strike_out
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import require_can_edit_case
from wijkteam.network.models import NetworkMember
from wijkteam.plans.models import (
    Action,
    ActionStatus,
    AgreedHow,
    Goal,
    GoalStatus,
    LadderEntry,
    LadderLevel,
    OwnerKind,
    Plan,
    PlanVersion,
    Regie,
    RegieEntry,
    ScaleScore,
    SocialLadderEntry,
    SocialLadderLevel,
    Success,
)
from wijkteam.resources.models import Resource
from wijkteam.reviews.models import ReviewKind
from wijkteam.reviews.services import request_review

ADULT_AGE = 18

# What one plan may hold (docs/printout.md, "Limits"). A plan is read on paper by the family:
# real plans have 2-6 goals with a few actions each. The limits keep every printout of a plan
# small enough to make in seconds, whatever is typed in. Goals are never deleted, so every goal
# counts; of the actions, the open ones (planned or doing) are printed and count towards the
# first two limits, and all of them towards the third (each agreed version keeps a copy).
MAX_GOALS = 25
MAX_OPEN_ACTIONS_PER_GOAL = 20
MAX_OPEN_ACTIONS_PER_PLAN = 100
MAX_ACTIONS_PER_PLAN = 500
# Characters in a goal's text, why it matters, its first step, and an action's text.
MAX_TEXT = 1000
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
    return data


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


# --- participation ladder and regie ---------------------------------------------------


def change_ladder(
    actor: User,
    case: Case,
    plan: Plan,
    *,
    level: LadderLevel,
    changed_on: date,
    reason: str,
    climb_back: str,
    safety_concern_id: int | None = None,
) -> LadderEntry:
    """Record a new level on the participation ladder. Going down needs a reason and what it
    would take to climb back."""
    require_can_edit_case(actor, case)
    current = plan.ladder[-1] if plan.ladder else None
    if current is not None and level == current.level:
        raise FieldError("level", _l("The plan is already at this level."))
    _not_in_future("changed_on", changed_on)
    if current is not None and changed_on < current.changed_on:
        raise FieldError("changed_on", _l("This date is before the last change of level."))
    if not reason.strip():
        raise FieldError("reason", _l("Write why the level changes."))
    going_down = current is not None and level < current.level
    if going_down and not climb_back.strip():
        raise FieldError(
            "climb_back", _l("The level goes down: write what it would take to climb back.")
        )
    entry = LadderEntry(
        plan_id=plan.id,
        level=level,
        changed_on=changed_on,
        reason=reason,
        climb_back=climb_back if going_down else "",
        safety_concern_id=safety_concern_id,
        recorded_by_id=actor.id,
    )
    db.add(entry)
    db.flush()
    record(actor, "ladder.change", case_id=case.id, obj=entry, fields=["level"])
    return entry


def change_regie(
    actor: User,
    case: Case,
    plan: Plan,
    *,
    regie: Regie,
    changed_on: date,
    reason: str,
    safety_concern_id: int | None = None,
) -> RegieEntry:
    """Record who holds direction (regie) from now on, and why."""
    require_can_edit_case(actor, case)
    current = plan.regie_history[-1] if plan.regie_history else None
    if current is not None and regie == current.regie:
        raise FieldError("regie", _l("Regie is already like this."))
    _not_in_future("changed_on", changed_on)
    if current is not None and changed_on < current.changed_on:
        raise FieldError("changed_on", _l("This date is before the last change of regie."))
    if not reason.strip():
        raise FieldError("reason", _l("Write why regie changes."))
    entry = RegieEntry(
        plan_id=plan.id,
        regie=regie,
        changed_on=changed_on,
        reason=reason,
        safety_concern_id=safety_concern_id,
        recorded_by_id=actor.id,
    )
    db.add(entry)
    db.flush()
    record(actor, "regie.change", case_id=case.id, obj=entry, fields=["regie"])
    return entry


def is_adult(member: FamilyMember, on: date) -> bool:
    if member.date_of_birth is None:
        return member.role != MemberRole.CHILD
    born = member.date_of_birth
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return age >= ADULT_AGE


def record_social_ladder(
    actor: User,
    case: Case,
    member: FamilyMember,
    *,
    level: SocialLadderLevel,
    recorded_on: date,
    note: str,
) -> SocialLadderEntry:
    """Record an adult's step on the social participation ladder (VNG)."""
    require_can_edit_case(actor, case)
    _not_in_future("recorded_on", recorded_on)
    if not is_adult(member, recorded_on):
        raise FieldError(
            "level", _l("The social participation ladder is for adults (18 and older).")
        )
    entry = SocialLadderEntry(
        member_id=member.id,
        level=level,
        recorded_on=recorded_on,
        note=note,
        recorded_by_id=actor.id,
    )
    db.add(entry)
    db.flush()
    record(actor, "social_ladder.create", case_id=case.id, obj=entry, fields=["level"])
    return entry


def add_success(
    actor: User, case: Case, plan: Plan, *, noted_on: date, text: str, goal_id: int | None
) -> Success:
    """Write down a small success."""
    require_can_edit_case(actor, case)
    _not_in_future("noted_on", noted_on)
    if goal_id is not None and goal_id not in {g.id for g in plan.goals}:
        raise FieldError("goal_id", _l("Choose a goal of this plan."))
    success = Success(
        plan_id=plan.id, goal_id=goal_id, noted_on=noted_on, text=text, recorded_by_id=actor.id
    )
    create(actor, success, action="success.create", case_id=case.id)
    return success


# --- versions -------------------------------------------------------------------------


def snapshot(plan: Plan) -> dict[str, Any]:
    """The plan's content as the family sees it (internal reservations are left out)."""
    return {
        "started_on": plan.started_on.isoformat(),
        "evaluation_on": plan.evaluation_on.isoformat() if plan.evaluation_on else None,
        "ladder_level": int(plan.ladder_level) if plan.ladder_level else None,
        "regie": plan.regie.value if plan.regie else None,
        "goals": [
            {
                "id": goal.id,
                "text": goal.text,
                "why_it_matters": goal.why_it_matters,
                "first_step": goal.first_step,
                "status": goal.status.value,
                "members": [m.first_name for m in goal.members],
                "actions": [
                    {
                        "text": action.text,
                        "owner_kind": action.owner_kind.value,
                        "owner": action.owner_display,
                        "due_on": action.due_on.isoformat() if action.due_on else None,
                        "status": action.status.value,
                    }
                    for action in goal.actions
                ],
            }
            for goal in plan.goals
        ],
    }


def finalise_version(
    actor: User,
    case: Case,
    plan: Plan,
    *,
    expected_version: int | None,
    agreed_on: date,
    agreed_how: AgreedHow,
    member_ids: list[int],
    note: str,
) -> PlanVersion:
    """Freeze the plan as agreed with the family. That version is read-only from now on;
    the plan itself continues as the next draft."""
    require_can_edit_case(actor, case)
    check_version(plan, expected_version)
    if not plan.goals:
        raise FieldError("member_ids", _l("Add at least one goal before agreeing the plan."))
    members = _family_members(case, member_ids)
    if not members:
        raise FieldError("member_ids", _l("Who in the family agreed? Tick at least one person."))
    _not_in_future("agreed_on", agreed_on)
    if agreed_on < plan.started_on:
        raise FieldError("agreed_on", _l("This date is before the plan started."))
    last = plan.versions[-1] if plan.versions else None
    if last is not None and agreed_on < last.agreed_on:
        raise FieldError("agreed_on", _l("This date is before the previous agreed version."))
    version = PlanVersion(
        plan_id=plan.id,
        number=(last.number if last else 0) + 1,
        agreed_on=agreed_on,
        agreed_how=agreed_how,
        agreed_by=[m.full_name for m in members],
        note=note,
        finalised_by_id=actor.id,
        snapshot=snapshot(plan),
    )
    db.add(version)
    plan.updated_at = utc_now()  # bumps the plan's version: a second finalise gets a conflict
    db.flush()
    record(actor, "plan.finalise", case_id=case.id, obj=version)
    request_review(
        actor,
        case,
        ReviewKind.PLAN_VERSION,
        version.number,
        case.family.name,
    )
    return version
