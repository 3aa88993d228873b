"""A family's network: its members, their archiving, and network meetings with agreements.

Plan actions and notes name an owner the way a meeting's agreement does, so the owner rows
(`agreement`, `network_owner`) live here too."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from wijkteam.auth.models import User
from wijkteam.cases.models import Case, IntermediaryHelp, WayIn
from wijkteam.core.db import db
from wijkteam.keyfigures import services as keyfigure_services
from wijkteam.keyfigures.models import KeyFigure, KeyFigureKind
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
from wijkteam.resources.models import Resource
from wijkteam.seed.common import members_by_name

SUPPORT_KINDS = ("emotional", "practical", "information")


def load_key_figures(
    lead: User, entries: list[dict[str, Any]], resources: dict[str, Resource]
) -> dict[str, KeyFigure]:
    """The team's key figures, by name (a family's network member names one with
    `key_figure:`); one the team has already is kept as it is."""
    existing = {
        k.name: k for k in db.scalars(select(KeyFigure).where(KeyFigure.team_id == lead.team_id))
    }
    for entry in entries:
        if entry["name"] in existing:
            continue
        resource = resources.get(entry.get("resource", ""))
        existing[entry["name"]] = keyfigure_services.add_key_figure(
            lead,
            {
                "name": entry["name"],
                "kind": KeyFigureKind(entry["kind"]),
                "resource_id": resource.id if resource is not None else None,
                "organisation": "" if resource is not None else entry.get("organisation", ""),
                "phone": entry.get("phone", ""),
                "email": entry.get("email", ""),
                "languages": list(entry.get("languages", [])),
                "notes": entry.get("notes", ""),
            },
        )
    return existing


def _network_member(
    case: Case, data: dict[str, Any], key_figures: dict[str, KeyFigure]
) -> dict[str, Any]:
    members = members_by_name(case)
    support = set(data.get("support", []))
    if support - set(SUPPORT_KINDS):
        raise ValueError(f"{data['name']}: unknown support {sorted(support - set(SUPPORT_KINDS))}")
    related = data.get("related_to")
    role = data.get("informal_role")
    roles = list(data.get("roles", [role] if role else []))
    key_figure = key_figures[data["key_figure"]] if data.get("key_figure") else None
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
        "informal_roles": [InformalRole(r).value for r in roles],
        "key_figure_id": key_figure.id if key_figure is not None else None,
        "role_does": data.get("role_does", "").strip(),
        "role_does_not": data.get("role_does_not", "").strip(),
        "role_agreed_on": data.get("role_agreed_on"),
        "confidentiality_agreed": data.get("confidentiality_agreed"),
        "confidentiality_on": data.get("confidentiality_on"),
        "organisation": data.get("organisation", ""),
        "may_contact": data.get("may_contact"),  # omitted: the family was not asked yet
        "may_be_told": data.get("may_be_told", ""),
        "consent_on": data.get("consent_on"),
        "notes": data.get("notes", ""),
    }


def load_network(
    lead: User, case: Case, specs: list[dict[str, Any]], key_figures: dict[str, KeyFigure]
) -> dict[str, NetworkMember]:
    """The family's network, by name (plan actions and meetings refer to these names)."""
    return {
        m["name"]: network_services.add_member(lead, case, _network_member(case, m, key_figures))
        for m in specs
    }


def load_way_in(
    lead: User, case: Case, spec: dict[str, Any] | None, key_figures: dict[str, KeyFigure]
) -> None:
    """How the family came to the team (`way_in:` route, detail, via: a key figure's name,
    help: what the intermediary did)."""
    if not spec:
        return
    via = key_figures[spec["via"]] if spec.get("via") else None
    help_given = set(spec.get("help", []))
    unknown = help_given - {h.value for h in IntermediaryHelp}
    if unknown:
        raise ValueError(f"{case.family.name}: unknown way-in help {sorted(unknown)}")
    keyfigure_services.set_way_in(
        lead,
        case,
        {
            "way_in": WayIn(spec["route"]),
            "way_in_detail": spec.get("detail", ""),
            "key_figure_id": via.id if via is not None else None,
            **{f"via_{h.value}": h.value in help_given for h in IntermediaryHelp},
        },
        new_case=True,
    )


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
