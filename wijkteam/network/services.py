"""Rules for the family's network and network meetings. Services flush; callers commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from wijkteam.auth.models import User
from wijkteam.cases.interpreting import check_interpreter
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.editing import create, save_changes
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import require_can_edit_case
from wijkteam.network.models import (
    MeetingKind,
    NetworkKind,
    NetworkMeeting,
    NetworkMember,
    OrganisedBy,
)
from wijkteam.network.queries import network_members
from wijkteam.plans import services as plans
from wijkteam.plans.models import Plan

# A volunteer or informal worker with this many open actions may be asked too much.
OVERASKED_OPEN_ACTIONS = 3
LEANED_ON_KINDS = (NetworkKind.VOLUNTEER, NetworkKind.INFORMAL_WORKER)


def _check_member(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    related = data.get("related_member_id")
    if related is not None and related not in {m.id for m in case.family.members}:
        raise FieldError("related_member_id", _l("Choose someone from this family."))
    if data.get("kind") != NetworkKind.INFORMAL_WORKER:
        data["informal_role"] = None
    if data.get("asked_status") is None:
        data["asked_on"], data["asked_for"] = None, ""
    elif data.get("asked_on") is None:
        raise FieldError("asked_on", _l("When was this person asked?"))
    elif data["asked_on"] > clock.today():
        raise FieldError("asked_on", _l("This date cannot be in the future."))
    if data.get("may_contact") is None:
        data["consent_on"] = None
    elif data.get("consent_on") is None:
        raise FieldError("consent_on", _l("When did the family say this?"))
    elif data["consent_on"] > clock.today():
        raise FieldError("consent_on", _l("This date cannot be in the future."))
    return data


def add_member(actor: User, case: Case, data: dict[str, Any]) -> NetworkMember:
    """Add someone to the family's network."""
    require_can_edit_case(actor, case)
    member = NetworkMember(family_id=case.family_id, **_check_member(case, data))
    create(actor, member, action="network.create", case_id=case.id)
    return member


def update_member(
    actor: User,
    case: Case,
    member: NetworkMember,
    *,
    expected_version: int | None,
    data: dict[str, Any],
) -> list[str]:
    """Change what is known about a network member (the history keeps what it was)."""
    require_can_edit_case(actor, case)
    if member.is_archived:
        raise NotAllowed(_l("This person is archived. Bring them back first."))
    return save_changes(
        actor,
        member,
        expected_version=expected_version,
        data=_check_member(case, data),
        action="network.update",
        case_id=case.id,
    )


def archive_member(
    actor: User,
    case: Case,
    member: NetworkMember,
    *,
    expected_version: int | None,
    on: date,
    reason: str,
) -> None:
    """Take someone off the current network map; they stay on record (and in earlier maps)."""
    require_can_edit_case(actor, case)
    if member.is_archived:
        raise NotAllowed(_l("This person is archived already."))
    if on > clock.today():
        raise FieldError("archived_on", _l("This date cannot be in the future."))
    if not reason.strip():
        raise FieldError("archive_reason", _l("Write why this person is no longer in the network."))
    save_changes(
        actor,
        member,
        expected_version=expected_version,
        data={"archived_on": on, "archive_reason": reason},
        action="network.archive",
        case_id=case.id,
    )


def restore_member(
    actor: User, case: Case, member: NetworkMember, *, expected_version: int | None
) -> None:
    """Bring an archived person back into the network."""
    require_can_edit_case(actor, case)
    if not member.is_archived:
        raise NotAllowed(_l("This person is not archived."))
    save_changes(
        actor,
        member,
        expected_version=expected_version,
        data={"archived_on": None, "archive_reason": ""},
        action="network.restore",
        case_id=case.id,
    )


def is_overasked(member: NetworkMember, open_actions: int) -> bool:
    return member.kind in LEANED_ON_KINDS and open_actions >= OVERASKED_OPEN_ACTIONS


def record_meeting(
    actor: User,
    case: Case,
    plan: Plan | None,
    *,
    held_on: date,
    kind: MeetingKind,
    organised_by: OrganisedBy,
    network_member_ids: list[int],
    family_member_ids: list[int],
    other_attendees: str,
    summary: str,
    agreed: str,
    agreements: list[dict[str, Any]],
    interpreter: dict[str, Any] | None = None,
) -> NetworkMeeting:
    """Record a network meeting; each agreement becomes a plan action with its owner.
    `interpreter`: who interpreted (wijkteam/cases/interpreting.py: never a child)."""
    require_can_edit_case(actor, case)
    if held_on > clock.today():
        raise FieldError("held_on", _l("This date cannot be in the future."))
    network = {m.id: m for m in network_members(case)}
    family = {m.id: m for m in case.family.members}
    if any(i not in network for i in network_member_ids):
        raise FieldError("network_member_ids", _l("Choose people from this family's network."))
    if any(i not in family for i in family_member_ids):
        raise FieldError("family_member_ids", _l("Choose people from this family."))
    if not network_member_ids and not family_member_ids and not other_attendees.strip():
        raise FieldError("family_member_ids", _l("Who came? Tick at least one person."))
    interpreted = check_interpreter(
        case.family.members,
        {m.id for m in network_members(case, include_archived=True)},
        interpreter or {},
        on=held_on,
    )
    if agreements and plan is None:
        raise FieldError(
            "agreements", _l("Start the family plan first: agreements become actions in it.")
        )
    meeting = NetworkMeeting(
        case_id=case.id,
        held_on=held_on,
        kind=kind,
        organised_by=organised_by,
        other_attendees=other_attendees,
        summary=summary,
        agreed=agreed,
        recorded_by_id=actor.id,
        **interpreted,
    )
    meeting.network_members = [network[i] for i in network_member_ids]
    meeting.family_members = [family[i] for i in family_member_ids]
    create(actor, meeting, action="meeting.create", case_id=case.id)
    goals = {g.id: g for g in plan.goals} if plan is not None else {}
    for row in agreements:
        goal = goals.get(row["goal_id"])
        if goal is None:
            raise FieldError("agreements", _l("Choose a goal of the plan for each agreement."))
        plans.add_agreed_action(actor, case, goal, row, field="agreements", meeting_id=meeting.id)
    return meeting
