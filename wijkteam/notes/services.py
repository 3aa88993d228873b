"""Rules for conversation notes. A note is a draft (only its author sees and edits it) until
finalised; then it is read-only and corrections are addenda. Scores and next steps typed in a
note become the goals' scores and plan actions when the note is finalised."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from wijkteam.audit.services import audited_since, record
from wijkteam.auth.models import User
from wijkteam.cases.interpreting import INTERPRETER_KEYS, check_interpreter
from wijkteam.cases.models import Case, FamilyMember
from wijkteam.cases.services import team_people
from wijkteam.core import clock
from wijkteam.core.db import db, utc_now
from wijkteam.core.editing import check_version, create
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import require_can_edit_case
from wijkteam.network.models import NetworkMember
from wijkteam.notes.models import Audience, Note, NoteAddendum, NotePart, NoteStatus, PartKind
from wijkteam.notes.readers import default_audience, is_own_reader
from wijkteam.plans import services as plans
from wijkteam.plans.models import ActionStatus, GoalStatus, Plan

# A part as the form gives it: its text, and who may read it (an audience, None for "by the
# rule", and the family member an audience of one member names).
PartData = tuple[str, Audience | None, int | None]


def _participants(
    case: Case, data: dict[str, Any], network_members: list[NetworkMember], team: list[User]
) -> dict[str, list[Any]]:
    family = {m.id: m for m in case.family.members}
    network = {m.id: m for m in network_members}
    colleagues = {u.id: u for u in team}
    chosen = {}
    for field, pool in (
        ("family_member_ids", family),
        ("network_member_ids", network),
        ("colleague_ids", colleagues),
    ):
        ids = data.get(field, [])
        if any(i not in pool for i in ids):
            raise FieldError(field, _l("Choose from the people offered."))
        chosen[field] = [pool[i] for i in ids]
    return chosen


def _check(
    case: Case,
    plan: Plan | None,
    data: dict[str, Any],
    finalising: bool,
    network_members: list[NetworkMember],
) -> None:
    if data["contact_on"] > clock.today():
        raise FieldError("contact_on", _l("This date cannot be in the future."))
    if data["contact_on"] < case.opened_on:
        raise FieldError("contact_on", _l("This date is before the case was opened."))
    network_ids = [m.id for m in network_members]
    data.update(check_interpreter(case.family.members, network_ids, data, on=data["contact_on"]))
    goals = {g.id: g for g in plan.goals} if plan is not None else {}
    for row in data["pending"].get("scores", []):
        goal = goals.get(row["goal_id"])
        if goal is None or goal.status != GoalStatus.ACTIVE:
            raise FieldError("scores", _l("Scores are for the plan's current goals."))
        for key in ("family_score", "professional_score"):
            value = row.get(key)
            if value is not None and not 0 <= value <= 10:
                raise FieldError("scores", _l("A score is a number from 0 to 10."))
    for row in data["pending"].get("steps", []):
        if row.get("goal_id") not in goals:
            raise FieldError("steps", _l("Choose a goal of the plan for each next step."))
    if finalising:
        has_text = any(text.strip() for text, *_audience in data["parts"].values())
        if not has_text and not data["pending"].get("scores"):
            raise FieldError(
                "question", _l("Write at least one part, or a score, before finalising.")
            )


def _audiences(
    case: Case, data: dict[str, Any], present: list[FamilyMember]
) -> dict[PartKind, tuple[Audience, FamilyMember | None]]:
    """Who may read each part: the audience chosen, or the rule's (`default_audience`) for a
    part left to the rule. A named member must be of this family and read for themself
    (12 or older on the day of the contact); anything else is refused on the part's field."""
    day = data["contact_on"]
    family = {m.id: m for m in case.family.members}
    rule, rule_member_id = default_audience(present, case.family, day)
    by_rule = (rule, family[rule_member_id] if rule_member_id is not None else None)
    chosen: dict[PartKind, tuple[Audience, FamilyMember | None]] = {}
    for kind in PartKind:
        _text, audience, member_id = data["parts"].get(kind, ("", None, None))
        field = f"{kind.value}_audience"
        if audience is None:
            if member_id is not None:
                raise FieldError(field, _l("Choose one of the options offered."))
            chosen[kind] = by_rule
            continue
        if not audience.names_member:
            if member_id is not None:
                raise FieldError(field, _l("Choose one of the options offered."))
            chosen[kind] = (audience, None)
            continue
        member = family.get(member_id) if member_id is not None else None
        if member is None:
            raise FieldError(field, _l("Choose someone of this family who may read this part."))
        if not is_own_reader(member, day):
            raise FieldError(
                field,
                _l(
                    "%(name)s is younger than 12, or the age is not known: the parents with "
                    "parental authority read for them. Choose who else may read this part.",
                    name=member.first_name,
                ),
            )
        chosen[kind] = (audience, member)
    return chosen


def _apply(
    note: Note,
    data: dict[str, Any],
    people: dict[str, list[Any]],
    audiences: dict[PartKind, tuple[Audience, FamilyMember | None]],
) -> None:
    for name in ("contact_on", "kind", "location", *INTERPRETER_KEYS):
        setattr(note, name, data[name])
    note.family_members = people["family_member_ids"]
    note.network_members = people["network_member_ids"]
    note.colleagues = people["colleague_ids"]
    existing = {p.kind: p for p in note.parts}
    for kind in PartKind:
        text = data["parts"].get(kind, ("", None, None))[0]
        audience, member = audiences[kind]
        part = existing.get(kind)
        if part is None:
            if text:
                part = NotePart(kind=kind, text=text)
                note.parts.append(part)
            else:
                continue
        part.text, part.audience, part.audience_member = text, audience, member
    note.pending = data["pending"]
    note.updated_at = utc_now()  # the parts changed: bump the note's version


_NETWORK = select(NetworkMember).where(NetworkMember.family_id == bindparam("family_id"))


def save_note(
    actor: User,
    case: Case,
    plan: Plan | None,
    note: Note | None,
    *,
    expected_version: int | None,
    data: dict[str, Any],
    finalise: bool,
    form_id: str | None = None,
    audited_from: datetime | None = None,
    people: tuple[list[NetworkMember], list[User]] | None = None,
) -> Note:
    """Save a draft (new or the author's own), and finalise it when asked: then its scores and
    next steps go into the plan and the note can no longer be edited.

    `form_id`: the form instance a new draft is started from (queries.draft_of_form finds it
    again). `audited_from`: an autosave, audited only if this user has no row on the note from
    that moment (their login) on, so typing makes one audited change, not one per save.
    `people`: the family's whole network (archived members too) and the team's active people
    (`team_people`), if the caller read them in this transaction already (the note form
    does, to offer them: issue 21, two statements less per save); else read here."""
    require_can_edit_case(actor, case)
    if note is not None:
        if not note.is_draft:
            raise NotAllowed(_l("A finished note is not changed; add an addendum instead."))
        if note.author_id != actor.id:
            raise NotAllowed(_l("Only the author can change a draft."))
        check_version(note, expected_version)
    # The family's whole network (archived members too: an earlier visit may name them).
    network, team = people or (
        list(db.scalars(_NETWORK, {"family_id": case.family_id})),
        team_people(case.team_id),
    )
    _check(case, plan, data, finalise, network)
    chosen = _participants(case, data, network, team)
    audiences = _audiences(case, data, chosen["family_member_ids"])
    created = note is None
    if note is None:
        note = Note(
            case_id=case.id,
            author_id=actor.id,
            status=NoteStatus.DRAFT,
            pending={},
            origin_form_id=form_id,
        )
        db.add(note)
    _apply(note, data, chosen, audiences)
    db.flush()
    if audited_from is None or not audited_since(actor, note, audited_from):
        record(actor, "note.create" if created else "note.update", case_id=case.id, obj=note)
    if finalise:
        _finalise(actor, case, plan, note)
    return note


def _finalise(actor: User, case: Case, plan: Plan | None, note: Note) -> None:
    goals = {g.id: g for g in plan.goals} if plan is not None else {}
    for row in note.pending.get("scores", []):
        plans.add_score(
            actor,
            case,
            goals[row["goal_id"]],
            {
                "scored_on": note.contact_on,
                "family_score": row.get("family_score"),
                "professional_score": row.get("professional_score"),
                "one_point_higher": row.get("one_point_higher", ""),
                "note_id": note.id,
            },
        )
    for row in note.pending.get("steps", []):
        plans.add_action(
            actor,
            case,
            goals[row["goal_id"]],
            {
                "text": row["text"],
                "owner_kind": row["owner_kind"],
                "owner_member_id": row.get("owner_member_id"),
                "network_member_id": row.get("network_member_id"),
                "owner_name": row.get("owner_name") or "",
                "due_on": date.fromisoformat(row["due_on"]) if row.get("due_on") else None,
                "status": ActionStatus.PLANNED,
                "note_id": note.id,
            },
            field="steps",
        )
    note.status = NoteStatus.FINAL
    note.finalised_at = utc_now()
    note.pending = {}
    db.flush()
    record(actor, "note.finalise", case_id=case.id, obj=note)


def add_addendum(actor: User, case: Case, note: Note, *, text: str, internal: bool) -> NoteAddendum:
    """Add a dated correction or addition to a finished note."""
    require_can_edit_case(actor, case)
    if note.is_draft:
        raise NotAllowed(_l("A draft can still be changed; an addendum is for finished notes."))
    if not text.strip():
        raise FieldError("text", _l("Write the addendum."))
    addendum = NoteAddendum(note_id=note.id, author_id=actor.id, text=text, internal=internal)
    create(actor, addendum, action="note.addendum", case_id=case.id)
    return addendum
