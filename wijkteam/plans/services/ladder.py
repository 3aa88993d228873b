"""Where the family stands: the participation ladder, regie, an adult's step on the social
participation ladder, and small successes."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case, FamilyMember, MemberRole
from wijkteam.core.db import db
from wijkteam.core.editing import create
from wijkteam.core.errors import FieldError
from wijkteam.core.permissions import require_can_edit_case
from wijkteam.plans.models import (
    LadderEntry,
    LadderLevel,
    Plan,
    Regie,
    RegieEntry,
    SocialLadderEntry,
    SocialLadderLevel,
    Success,
)
from wijkteam.plans.services.rules import _not_in_future

ADULT_AGE = 18


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
