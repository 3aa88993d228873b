"""A family's network: its members, their archiving, and network meetings with agreements.

Plan actions and notes name an owner the way a meeting's agreement does, so the owner rows
(`agreement`, `network_owner`) live here too."""

from __future__ import annotations

from typing import Any

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.network import services as network_services
from wijkteam.network.models import (
    Closeness,
    InformalRole,
    MeetingKind,
    NetworkKind,
    NetworkMember,
    OrganisedBy,
    Quality,
)
from wijkteam.plans.models import Goal, OwnerKind, Plan
from wijkteam.seed.common import members_by_name

SUPPORT_KINDS = ("emotional", "practical", "information")


def _network_member(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    members = members_by_name(case)
    support = set(data.get("support", []))
    if support - set(SUPPORT_KINDS):
        raise ValueError(f"{data['name']}: unknown support {sorted(support - set(SUPPORT_KINDS))}")
    related = data.get("related_to")
    role = data.get("informal_role")
    return {
        "name": data["name"],
        "kind": NetworkKind(data["kind"]),
        "related_member_id": members[related].id if related else None,
        "relation": data.get("relation", ""),
        "supports_emotional": "emotional" in support,
        "supports_practical": "practical" in support,
        "supports_information": "information" in support,
        "closeness": Closeness(data["closeness"]),
        "quality": Quality(data["quality"]),
        "gives_back": data.get("gives_back", ""),
        "phone": data.get("phone", ""),
        "email": data.get("email", ""),
        "languages": list(data.get("languages", [])),
        "informal_role": InformalRole(role) if role else None,
        "organisation": data.get("organisation", ""),
        "may_contact": data.get("may_contact"),  # omitted: the family was not asked yet
        "may_be_told": data.get("may_be_told", ""),
        "consent_on": data.get("consent_on"),
        "notes": data.get("notes", ""),
    }


def load_network(lead: User, case: Case, specs: list[dict[str, Any]]) -> dict[str, NetworkMember]:
    """The family's network, by name (plan actions and meetings refer to these names)."""
    return {
        m["name"]: network_services.add_member(lead, case, _network_member(case, m)) for m in specs
    }


def archive_network(
    lead: User, case: Case, specs: list[dict[str, Any]], network: dict[str, NetworkMember]
) -> None:
    for m in specs:
        if m.get("archived"):
            member = network[m["name"]]
            network_services.archive_member(
                lead,
                case,
                member,
                expected_version=member.version,
                on=m["archived"]["on"],  # quote "on" in YAML, or it reads as True
                reason=m["archived"]["reason"],
            )


def agreement(
    case: Case, goals: list[Goal], network: dict[str, NetworkMember], data: dict[str, Any]
) -> dict[str, Any]:
    """An agreement of a meeting; owner is "family", "family:<first name>",
    "network:<name>" or "other:<name>"."""
    kind, _, name = data["owner"].partition(":")
    row: dict[str, Any] = {
        "text": data["text"],
        "goal_id": goals[data["goal"]].id,
        "due_on": data.get("due_on"),
    }
    if kind == "family":
        members = members_by_name(case)
        return row | {
            "owner_kind": OwnerKind.FAMILY,
            "owner_member_id": members[name].id if name else None,
        }
    if kind == "network":
        return row | network_owner(network, name)
    if kind == "other":
        return row | {"owner_kind": OwnerKind.PROFESSIONAL, "owner_name": name}
    raise ValueError(f"unknown agreement owner {data['owner']!r}")


def network_owner(network: dict[str, NetworkMember], name: str) -> dict[str, Any]:
    """A network member when the name is one, else just the name as written."""
    member = network.get(name)
    return {
        "owner_kind": OwnerKind.NETWORK,
        "network_member_id": member.id if member else None,
        "owner_name": "" if member else name,
    }


def load_meeting(
    lead: User,
    case: Case,
    plan: Plan | None,
    goals: list[Goal],
    network: dict[str, NetworkMember],
    spec: dict[str, Any],
) -> None:
    members = members_by_name(case)
    network_services.record_meeting(
        lead,
        case,
        plan,
        held_on=spec["held_on"],
        kind=MeetingKind(spec["kind"]),
        organised_by=OrganisedBy(spec["organised_by"]),
        network_member_ids=[network[name].id for name in spec.get("network", [])],
        family_member_ids=[members[name].id for name in spec.get("family", [])],
        other_attendees=spec.get("other_attendees", ""),
        summary=spec.get("summary", ""),
        agreed=spec.get("agreed", ""),
        agreements=[agreement(case, goals, network, a) for a in spec.get("agreements", [])],
        follow_up_on=spec.get("follow_up_on"),
    )
