"""Conversation notes through the note services: saved and finalised (or left a draft), with
their addenda."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wijkteam.auth.models import User
from wijkteam.cases.models import Case, FamilyMember
from wijkteam.network.models import NetworkMember
from wijkteam.notes import services as notes
from wijkteam.notes.models import Audience, ContactKind, Note, PartKind
from wijkteam.plans.models import Goal, OwnerKind, Plan
from wijkteam.seed.common import fresh, members_by_name
from wijkteam.seed.network import agreement


@dataclass
class NotePeople:
    """What a family's notes refer to by name: team members by e-mail (the author defaults to
    the case lead), network members by name, and plan goals by their index in the YAML."""

    users: dict[str, User]
    lead: User
    network: dict[str, NetworkMember]
    goals: list[Goal]


Readers = tuple[Audience, int | None]


def _audience(spec: dict[str, Any], members: dict[str, FamilyMember], default: Readers) -> Readers:
    """Who may read a part (or, on the note, each of its parts): `audience: team|family|parents`,
    `member: <first name>`, `member_and_parents: <first name>`, or `internal: true` (the team);
    `default` without any of these."""
    if spec.get("internal"):
        return Audience.TEAM, None
    if "member" in spec:
        return Audience.MEMBER, members[spec["member"]].id
    if "member_and_parents" in spec:
        return Audience.MEMBER_AND_PARENTS, members[spec["member_and_parents"]].id
    if "audience" in spec:
        audience = Audience(spec["audience"])
        if audience.names_member:
            raise ValueError(f"audience {audience.value}: name the member with `{audience.value}:`")
        return audience, None
    return default


def _note_parts(
    spec: dict[str, Any], members: dict[str, FamilyMember]
) -> dict[PartKind, tuple[str, Audience, int | None]]:
    """A part is a text, or {text, and who may read it (see `_audience`)}. What the note says
    is the default of its parts, else the whole family; a note marked internal makes every part
    the team's."""
    default = _audience(spec, members, (Audience.FAMILY, None))
    parts = {}
    for name, value in spec.get("parts", {}).items():
        if isinstance(value, dict):
            text, readers = value["text"], _audience(value, members, default)
        else:
            text, readers = value, default
        if spec.get("internal"):
            readers = (Audience.TEAM, None)
        parts[PartKind(name)] = (text.strip(), *readers)
    return parts


def _note_scores(goals: list[Goal], specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "goal_id": goals[sc["goal"]].id,
            "family_score": sc.get("family"),
            "professional_score": sc.get("professional"),
            "one_point_higher": sc.get("higher", ""),
        }
        for sc in specs
    ]


def _note_step(case: Case, people: NotePeople, spec: dict[str, Any]) -> dict[str, Any]:
    """A next step as the note form stores it while pending: plain JSON values."""
    row = agreement(case, people.goals, people.network, spec)
    return row | {
        "owner_kind": OwnerKind(row["owner_kind"]).value,
        "owner_name": row.get("owner_name", ""),
        "due_on": row["due_on"].isoformat() if row.get("due_on") else None,
    }


def _note_data(case: Case, people: NotePeople, spec: dict[str, Any]) -> dict[str, Any]:
    """The data of the note form (see NoteForm.note_data), from a note in the YAML."""
    members = members_by_name(case)
    return {
        "contact_on": spec["contact_on"],
        "kind": ContactKind(spec["kind"]),
        "location": spec.get("location", ""),
        "interpreter_name": spec.get("interpreter_name", ""),
        "interpreter_language": spec.get("interpreter_language", ""),
        "family_member_ids": [members[name].id for name in spec.get("family", [])],
        "network_member_ids": [people.network[name].id for name in spec.get("network", [])],
        "colleague_ids": [people.users[email].id for email in spec.get("colleagues", [])],
        "parts": _note_parts(spec, members),
        "pending": {
            "scores": _note_scores(people.goals, spec.get("scores", [])),
            "steps": [_note_step(case, people, s) for s in spec.get("steps", [])],
        },
    }


def load_note(case: Case, plan: Plan | None, people: NotePeople, spec: dict[str, Any]) -> Note:
    """A conversation note through the note services: saved and finalised (its scores and next
    steps go into the plan) unless it stays a draft; then its addenda, if any."""
    author = people.users[spec["author"]] if spec.get("author") else people.lead
    if plan is not None:
        fresh(plan)  # its goals as they are now
    note = notes.save_note(
        author,
        case,
        plan,
        None,
        expected_version=None,
        data=_note_data(case, people, spec),
        finalise=not spec.get("draft", False),
    )
    for addendum in spec.get("addenda", []):
        notes.add_addendum(
            people.users[addendum["author"]] if addendum.get("author") else author,
            case,
            note,
            text=addendum["text"].strip(),
            internal=bool(addendum.get("internal", False)),
        )
    return note
