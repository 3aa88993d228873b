"""A family's case and what its professional writes in it: the family, conversation notes, the
plan (goals, actions, scores, an agreed version) and the network, through the services.

Every function works inside a request context, flushes and leaves the commit to the caller.
The texts are fictional; each has a default, and tests that look for a text pass their own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from tests.factories import app_api as api

OPENED = date(2026, 1, 5)
STARTED = date(2026, 2, 1)


def person(
    first: str,
    last: str,
    role: str = "parent",
    born: date | None = date(1990, 1, 2),
    custody: str | None = None,
    languages: Iterable[str] = ("Nederlands",),
) -> dict[str, Any]:
    """A family member as the registration form gives it."""
    return {
        "first_name": first,
        "last_name": last,
        "date_of_birth": born,
        "role": api.MemberRole(role),
        "languages": list(languages),
        "interpreter_needed": False,
        "interpreter_language": "",
        "custody": custody,
    }


def lisa_and_noah(last: str, *, with_child: bool = True) -> list[dict[str, Any]]:
    """Mother Lisa and her son Noah (who lives with her): the family of most worlds."""
    members = [person("Lisa", last, "parent", date(1990, 3, 1))]
    if with_child:
        members.append(person("Noah", last, "child", date(2017, 5, 2), custody="mother"))
    return members


def register(
    lead: Any,
    name: str,
    *,
    members: list[dict[str, Any]] | None = None,
    duo_id: int | None = None,
) -> Any:
    """A family registered with a case led by `lead` (one parent, Ada, unless `members`)."""
    case = api.register_family(
        lead,
        family={
            "name": name,
            "address": "Teststraat 1",
            "postcode": "9999 ZZ",
            "city": "Testdorp",
            "phone": "",
            "context": "",
        },
        members=members or [person("Ada", name)],
        question_for_help="We willen rust in huis.",
        lead_id=lead.id,
        duo_id=duo_id,
        opened_on=OPENED,
    )
    api.db.flush()
    api.db.refresh(case)
    return case


def members_of(case: Any) -> list[Any]:
    """The family's members in the order they were registered."""
    return sorted(case.family.members, key=lambda m: m.id)


def close(user: Any, case: Any, on: date = date(2026, 3, 1)) -> None:
    api.close_case(
        user,
        case,
        expected_version=case.version,
        reason=api.CloseReason.GOALS_REACHED,
        closed_on=on,
        note="Klaar.",
    )


def close_with_outcomes(
    user: Any,
    case: Any,
    results: Mapping[int, str] | None = None,
    *,
    ended_by: str = "together",
    reason: str = "goals_reached",
    on: date = date(2026, 3, 1),
    words: Mapping[int, str] | None = None,
) -> Any:
    """Close the case as the close page does: who ended it and a result per goal (`results`:
    goal id -> "reached", "partly" or "not_reached"; `words`: the family's words per goal)."""
    return api.close_case(
        user,
        case,
        expected_version=case.version,
        reason=api.CloseReason(reason),
        closed_on=on,
        note="Klaar.",
        ended_by=api.EndedBy(ended_by),
        goal_results=[
            api.closing.GoalResultInput(
                goal_id=goal_id,
                result=api.GoalResult(result),
                family_words=(words or {}).get(goal_id, ""),
            )
            for goal_id, result in (results or {}).items()
        ],
    )


def satisfaction(
    user: Any,
    case: Any,
    *,
    member_id: int | None = None,
    who_name: str = "",
    how: str = "with_professional",
    on: date = date(2026, 3, 2),
    answers: tuple[int | None, int | None, int | None] = (4, 5, 4),
    rating: int | None = 8,
    comment: str = "",
) -> Any:
    """What one person of the family answered about the help (heard, own say, better now)."""
    heard, own_say, better_now = answers
    return api.closing.record_satisfaction(
        user,
        case,
        answered_on=on,
        how=api.SatisfactionHow(how),
        member_id=member_id,
        who_name=who_name,
        heard=heard,
        own_say=own_say,
        better_now=better_now,
        rating=rating,
        comment=comment,
    )


def fresh(obj: Any) -> Any:
    """Flush, then reload the object's collections (services add children by id)."""
    api.db.flush()
    api.db.refresh(obj)
    return obj


# --- conversation notes -------------------------------------------------------------------


def note(
    user: Any,
    case: Any,
    text: str = "Lisa vertelde over de fiets.",
    *,
    plan: Any = None,
    parts: Mapping[Any, tuple[Any, ...]] | None = None,
    present: Iterable[int] = (),
    finalise: bool = True,
    on: date = date(2026, 3, 1),
) -> Any:
    """A home visit's note: `text` as the question part, or `parts` ({kind: (text, audience)}
    or (text, audience, member id); the audience None leaves it to the rule, as "Standard" on
    the form). `present`: the ids of the family members who took part."""
    return api.notes.save_note(
        user,
        case,
        plan,
        None,
        expected_version=None,
        finalise=finalise,
        data={
            "contact_on": on,
            "kind": api.ContactKind.HOME_VISIT,
            "location": "",
            "interpreter_name": "",
            "interpreter_language": "",
            "family_member_ids": list(present),
            "network_member_ids": [],
            "colleague_ids": [],
            "parts": {
                kind: (value[0], value[1], value[2] if len(value) > 2 else None)
                for kind, value in (parts or {api.PartKind.QUESTION: (text, None)}).items()
            },
            "pending": {},
        },
    )


def addendum(user: Any, case: Any, final: Any, text: str, *, internal: bool = False) -> Any:
    return api.notes.add_addendum(user, case, final, text=text, internal=internal)


def strengths_note(
    user: Any,
    case: Any,
    plan: Any = None,
    strengths: str = "Lisa plant de week goed.",
    compliments: str = "Noah helpt zijn zus met haar jas.",
    *,
    internal: bool = False,
    finalise: bool = True,
    on: date = date(2026, 3, 2),
) -> Any:
    """A note with a strengths part and a compliments part (both for the team only when
    `internal`, else for the whole family)."""
    audience = api.NoteAudience.TEAM if internal else api.NoteAudience.FAMILY
    parts = {api.PartKind.STRENGTHS: (strengths, audience)}
    if compliments:
        parts[api.PartKind.COMPLIMENTS] = (compliments, audience)
    return note(user, case, plan=plan, parts=parts, finalise=finalise, on=on)


# --- the plan -----------------------------------------------------------------------------


def start_plan(
    user: Any,
    case: Any,
    *,
    level: int = 3,
    regie: str = "shared",
    reason: str = "Samen.",
    evaluation_on: date | None = date(2026, 12, 1),
) -> Any:
    return api.plans.start_plan(
        user,
        case,
        started_on=STARTED,
        evaluation_on=evaluation_on,
        level=api.LadderLevel(level),
        level_reason=reason,
        regie=api.Regie(regie),
        regie_reason=reason,
    )


def goal(
    user: Any,
    case: Any,
    plan: Any,
    text: str = "Wij willen rustige ochtenden.",
    *,
    member_ids: Iterable[int] = (),
    **fields: Any,
) -> Any:
    """A goal; `fields` may give why_it_matters, first_step, reservations."""
    data = {
        "text": text,
        "why_it_matters": "Dan begint de dag goed.",
        "first_step": "Kleren klaarleggen.",
        "reservations": "",
        "member_ids": list(member_ids),
    }
    return api.plans.add_goal(user, case, plan, {**data, **fields})


def action(
    user: Any,
    case: Any,
    goal: Any,
    text: str = "Oma Ria haalt Noah op woensdag op.",
    *,
    helper_id: int | None = None,
    **fields: Any,
) -> Any:
    """A planned action: the network member `helper_id`'s, else the family's own."""
    data: dict[str, Any] = {"text": text, "status": api.ActionStatus.PLANNED}
    if helper_id is not None:
        data.update(owner_kind=api.OwnerKind.NETWORK, network_member_id=helper_id)
    else:
        data["owner_kind"] = api.OwnerKind.FAMILY
    return api.plans.add_action(user, case, goal, {**data, **fields})


def score(user: Any, case: Any, goal: Any, on: date = date(2026, 3, 1)) -> Any:
    return api.plans.add_score(
        user,
        case,
        goal,
        {
            "scored_on": on,
            "family_score": 4,
            "professional_score": 3,
            "one_point_higher": "Op tijd op school.",
        },
    )


def success(user: Any, case: Any, plan: Any, *, goal_id: int | None = None) -> Any:
    fresh(plan)
    return api.plans.add_success(
        user, case, plan, noted_on=date(2026, 3, 2), text="Op tijd!", goal_id=goal_id
    )


def agree(user: Any, case: Any, plan: Any, member_ids: list[int]) -> Any:
    """The plan agreed with the family: its first version, which asks for sign-off."""
    fresh(plan)
    return api.plans.finalise_version(
        user,
        case,
        plan,
        expected_version=plan.version,
        agreed_on=date(2026, 3, 4),
        agreed_how=api.AgreedHow.IN_PERSON,
        member_ids=member_ids,
        note="",
        explained_how=api.ExplainedHow.TOGETHER,
    )


def strength(
    user: Any,
    case: Any,
    plan: Any,
    from_note: Any = None,
    *,
    kind: Any = None,
    text: str = "",
) -> Any:
    """A strength on the family's paper: the `kind` part (strengths unless given) of the note
    `from_note`, else `text` in the family's words."""
    if from_note is not None:
        part = fresh(from_note).part(kind or api.PartKind.STRENGTHS)
        return api.plans.strengths.add_from_note_part(user, case, plan, part.id)
    return api.plans.strengths.add_text(user, case, plan, text)


# --- the network --------------------------------------------------------------------------


def helper(user: Any, case: Any, name: str = "Oma Ria", **fields: Any) -> Any:
    """A close, supportive member of the family's network who may be contacted."""
    data = {
        "name": name,
        "kind": api.NetworkKind.FAMILY,
        "closeness": api.Closeness.CLOSE,
        "quality": api.Quality.SUPPORTIVE,
        "may_contact": True,
        "consent_on": date(2026, 2, 1),
        "may_be_told": "Over school.",
        "languages": [],
    }
    return api.network.add_member(user, case, {**data, **fields})


def former_helper(user: Any, case: Any, name: str = "Buurman Piet") -> Any:
    """A neighbour who was in the network and moved away (archived)."""
    gone = api.network.add_member(
        user,
        case,
        {
            "name": name,
            "kind": api.NetworkKind.NEIGHBOUR,
            "closeness": api.Closeness.FAR,
            "quality": api.Quality.STRAINED,
            "languages": [],
        },
    )
    api.network.archive_member(
        user, case, gone, expected_version=gone.version, on=date(2026, 3, 1), reason="Verhuisd."
    )
    return gone


def network_meeting(
    user: Any, case: Any, plan: Any, helper_ids: list[int], member_ids: list[int]
) -> Any:
    fresh(plan)
    return api.network.record_meeting(
        user,
        case,
        plan,
        held_on=date(2026, 3, 3),
        kind=api.MeetingKind.INFORMAL,
        organised_by=api.OrganisedBy.FAMILY,
        network_member_ids=helper_ids,
        family_member_ids=member_ids,
        other_attendees="",
        summary="Samen gepraat.",
        agreed="Oma helpt.",
        agreements=[],
    )
