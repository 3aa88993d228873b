"""Rules for the family's network and network meetings. Services flush; callers commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from wijkteam.auth.models import User
from wijkteam.cases.interpreting import check_interpreter
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.editing import create, save_changes
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import require_can_edit_case
from wijkteam.keyfigures.models import KeyFigure
from wijkteam.network.models import (
    LEANED_ON_KINDS,
    LEGACY_ROLES,
    InformalRole,
    MeetingKind,
    NetworkMeeting,
    NetworkMember,
    OrganisedBy,
)
from wijkteam.network.queries import network_members
from wijkteam.plans import services as plans
from wijkteam.plans.models import Plan

# A volunteer or informal worker with this many open actions may be asked too much.
OVERASKED_OPEN_ACTIONS = 3


def _check_member(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    related = data.get("related_member_id")
    if related is not None and related not in {m.id for m in case.family.members}:
        raise FieldError("related_member_id", _l("Choose someone from this family."))
    data = _check_informal(case, data)
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


def _check_informal(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """Roles, the key figure, the role agreement and confidentiality: for volunteers and
    informal workers only (cleared for anyone else)."""
    if "informal_role" in data and "informal_roles" not in data:  # a caller of before issue 18
        role = data.pop("informal_role")
        data["informal_roles"] = [role] if role else []
    leaned_on = data.get("kind") in LEANED_ON_KINDS
    roles = [InformalRole(r) for r in data.get("informal_roles") or []] if leaned_on else []
    data["informal_roles"] = [r.value for r in dict.fromkeys(roles)]
    data["informal_role"] = next((r for r in roles if r.value in LEGACY_ROLES), None)
    if not leaned_on:
        data.update(key_figure_id=None, role_does="", role_does_not="", role_agreed_on=None)
        data.update(confidentiality_agreed=None, confidentiality_on=None)
        return data
    if data.get("key_figure_id") is not None:
        key_figure = db.get(KeyFigure, data["key_figure_id"])
        if key_figure is None or key_figure.team_id != case.team_id:
            raise FieldError("key_figure_id", _l("Choose a key figure of your team."))
    agreement = (data.get("role_does") or "").strip() or (data.get("role_does_not") or "").strip()
    if agreement and data.get("role_agreed_on") is None:
        raise FieldError("role_agreed_on", _l("When was this agreed?"))
    if not agreement and data.get("role_agreed_on") is not None:
        raise FieldError("role_does", _l("Write what they do, or what they do not do."))
    if data.get("confidentiality_agreed") is None:
        data["confidentiality_on"] = None
    elif data.get("confidentiality_on") is None:
        raise FieldError("confidentiality_on", _l("When was this agreed?"))
    for name in ("role_agreed_on", "confidentiality_on"):
        if data.get(name) is not None and data[name] > clock.today():
            raise FieldError(name, _l("This date cannot be in the future."))
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
    """A volunteer or informal worker with many open actions. For a key figure, pass their
    open actions across all the team's families (keyfigures.queries.loads), not this one's."""
    leaned_on = member.kind in LEANED_ON_KINDS or member.key_figure_id is not None
    return leaned_on and open_actions >= OVERASKED_OPEN_ACTIONS


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
    follow_up_on: date | None = None,
    interpreter: dict[str, Any] | None = None,
) -> NetworkMeeting:
    """Record a network meeting; each agreement becomes a plan action with its owner. An
    optional follow-up date says when to check whether the contacts held. `interpreter`: who
    interpreted (wijkteam/cases/interpreting.py: never a child)."""
    require_can_edit_case(actor, case)
    if held_on > clock.today():
        raise FieldError("held_on", _l("This date cannot be in the future."))
    _check_follow_up_date(held_on, follow_up_on)
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
        follow_up_on=follow_up_on,
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


def _check_follow_up_date(held_on: date, follow_up_on: date | None) -> None:
    if follow_up_on is not None and follow_up_on <= held_on:
        raise FieldError("follow_up_on", _l("The check comes after the meeting."))


def record_follow_up(
    actor: User,
    case: Case,
    meeting: NetworkMeeting,
    *,
    expected_version: int | None,
    data: dict[str, Any],
) -> list[str]:
    """Plan or move the check after a network meeting, or record it: when it was done and what
    was found. A recorded check ends the meeting's signal on the dashboard."""
    require_can_edit_case(actor, case)
    _check_follow_up_date(meeting.held_on, data["follow_up_on"])
    done_on, note = data["followed_up_on"], data["follow_up_note"].strip()
    if done_on is not None:
        if done_on > clock.today():
            raise FieldError("followed_up_on", _l("This date cannot be in the future."))
        if done_on < meeting.held_on:
            raise FieldError("followed_up_on", _l("The check cannot be before the meeting."))
        if not note:
            raise FieldError("follow_up_note", _l("Write what you found."))
    elif note:
        raise FieldError("followed_up_on", _l("Fill in when you checked."))
    elif data["follow_up_on"] is None:
        raise FieldError("follow_up_on", _l("Fill in a date to check, or record the check."))
    return save_changes(
        actor,
        meeting,
        expected_version=expected_version,
        data={**data, "follow_up_note": note},
        action="meeting.follow_up",
        case_id=case.id,
    )
