"""Closing a case: the rule that no safety concern may be open, and what is recorded for the
way out. Services take the acting user, flush and never commit (the view commits once).

`close_case` is re-exported by wijkteam/cases/services.py, where callers find it. What a
closing records about outcomes (issue 20): who ended the support, each goal's result (in the
same transaction as the closing) and, at or after closing, the family's satisfaction answers
(`record_satisfaction`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case, CaseStatus, CloseReason
from wijkteam.closing.models import (
    AftercareContact,
    CaseClosing,
    EndedBy,
    GoalOutcome,
    GoalResult,
    SatisfactionAnswer,
    SatisfactionHow,
)
from wijkteam.closing.queries import (
    OpenConcern,
    closing_goals,
    last_family_score,
    open_concerns,
)
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.editing import save_changes
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import can_close_case, can_record_satisfaction
from wijkteam.network.models import NetworkMember, Quality
from wijkteam.notes.readers import is_own_reader
from wijkteam.plans.enums import LadderLevel, Regie
from wijkteam.resources.models import Resource

MAX_STAYING = 30
MAX_FAMILY_WORDS = 2000
MAX_COMMENT = 2000
MAX_WHO_NAME = 200
# The satisfaction questions: each answered from 1 (not at all) to 5 (very much), and a mark.
ANSWER_FIELDS = ("heard", "own_say", "better_now")
ANSWER_RANGE = (1, 5)
RATING_RANGE = (1, 10)


@dataclass(frozen=True)
class GoalResultInput:
    """What the closing form says about one goal: reached or not, and the family's words."""

    goal_id: int
    result: GoalResult
    family_words: str = ""


def open_concerns_message(concerns: list[OpenConcern]) -> Any:
    """The refusal, naming the open concern(s); the close form links to each."""
    titles = ", ".join(f"“{c.title}”" for c in concerns)
    return _l(
        "This case cannot close while a safety concern is open: %(titles)s. "
        "Finish the Meldcode and close the concern first.",
        titles=titles,
    )


def check_no_open_concern(case: Case) -> None:
    """Refuse (a message above the form, 422) while a safety concern of the case is open."""
    concerns = open_concerns(case.id)
    if concerns:
        raise FieldError("concerns", open_concerns_message(concerns))


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _staying_people(case: Case, ids: list[int]) -> list[NetworkMember]:
    if not ids:
        return []
    found = {
        m.id: m
        for m in db.scalars(
            select(NetworkMember).where(
                NetworkMember.id.in_(ids),
                NetworkMember.family_id == case.family_id,
                NetworkMember.archived_on.is_(None),
            )
        )
    }
    if any(i not in found for i in ids):
        raise FieldError("network_member_ids", _l("Choose people from this family's network."))
    unsafe = [found[i].name for i in ids if found[i].quality == Quality.UNSAFE]
    if unsafe:
        raise FieldError(
            "network_member_ids",
            _l(
                "%(names)s is marked unsafe in the network and cannot be someone who stays "
                "involved.",
                names=", ".join(unsafe),
            ),
        )
    return [found[i] for i in ids]


def _staying_services(case: Case, ids: list[int]) -> list[Resource]:
    if not ids:
        return []
    found = {
        r.id: r
        for r in db.scalars(
            select(Resource).where(
                Resource.id.in_(ids),
                Resource.team_id == case.team_id,
                Resource.archived_on.is_(None),
            )
        )
    }
    if any(i not in found for i in ids):
        raise FieldError("resource_ids", _l("Choose services from the team's resource catalogue."))
    return [found[i] for i in ids]


def close_case(
    actor: User,
    case: Case,
    *,
    expected_version: int | None,
    reason: CloseReason,
    closed_on: date,
    note: str,
    ladder_level: LadderLevel | None = None,
    regie: Regie | None = None,
    network_member_ids: Iterable[int] = (),
    resource_ids: Iterable[int] = (),
    aftercare_agreement: str = "",
    come_back: str = "",
    ended_by: EndedBy | None = None,
    goal_results: Sequence[GoalResultInput] | None = None,
) -> CaseClosing:
    """Close the case with a reason; it stays readable but can no longer be changed. Refused
    while a safety concern of the case is open. Records where the family stood at the end
    (participation ladder, regie), who stays involved (network members of the family, services
    of the team's catalogue), the aftercare agreement and how the family can come back; and
    about outcomes (issue 20) who ended the support and, when `goal_results` is given, a result
    for each goal of the plan that was still worked on or achieved (all of them, each once).

    The close page always gives `ended_by` and `goal_results`; None leaves them unrecorded, as
    for closings made before they were asked (older callers, imports)."""
    if not can_close_case(actor, case):
        raise NotAllowed(
            _l("Only the case lead, the duo colleague or the team lead can close this case.")
        )
    # Before the version check: a form opened before a concern was opened gets this message,
    # not a conflict page.
    check_no_open_concern(case)
    if closed_on < case.opened_on:
        raise FieldError("closed_on", _l("A case cannot close before it was opened."))
    if reason == CloseReason.OTHER and not note.strip():
        raise FieldError("close_note", _l("Please explain the reason."))
    people_ids, service_ids = _unique(network_member_ids), _unique(resource_ids)
    if len(people_ids) + len(service_ids) > MAX_STAYING:
        raise FieldError(
            "network_member_ids", _l("Choose at most %(n)d people and services.", n=MAX_STAYING)
        )
    people = _staying_people(case, people_ids)
    services = _staying_services(case, service_ids)
    outcomes = _goal_outcomes(case, goal_results) if goal_results is not None else []
    save_changes(
        actor,
        case,
        expected_version=expected_version,
        data={
            "status": CaseStatus.CLOSED,
            "close_reason": reason,
            "closed_on": closed_on,
            "close_note": note,
        },
        action="case.close",
        case_id=case.id,
    )
    closing = CaseClosing(
        case_id=case.id,
        ladder_level=ladder_level,
        regie=regie,
        aftercare_agreement=aftercare_agreement.strip(),
        come_back=come_back.strip(),
        ended_by=ended_by,
        recorded_by_id=actor.id,
    )
    db.add(closing)
    for person in people:
        db.add(AftercareContact(case_id=case.id, network_member_id=person.id))
    for service in services:
        db.add(AftercareContact(case_id=case.id, resource_id=service.id))
    db.flush()
    filled = {
        "ladder_level": ladder_level is not None,
        "regie": regie is not None,
        "aftercare_agreement": bool(closing.aftercare_agreement),
        "come_back": bool(closing.come_back),
        "staying_involved": bool(people or services),
    }
    record(
        actor,
        "case.aftercare",
        case_id=case.id,
        obj=closing,
        fields=[name for name, given in filled.items() if given],
        detail=f"network members: {people_ids}; resources: {service_ids}",
    )
    if ended_by is not None or goal_results is not None:
        _record_outcomes(actor, case, closing, outcomes)
    return closing


def _goal_outcomes(case: Case, given: Sequence[GoalResultInput]) -> list[GoalOutcome]:
    """One outcome per goal the closing asks about, refusing a result for any other goal (of
    another case, changed or dropped) and a goal left without one. The family's last valid
    score is copied: the plan's scores stay as they were."""
    goals = {goal.id: goal for goal in closing_goals(case)}
    by_goal: dict[int, GoalResultInput] = {}
    for item in given:
        if item.goal_id not in goals or item.goal_id in by_goal:
            raise FieldError("goals", _l("Give one result for each goal of this plan."))
        if len(item.family_words) > MAX_FAMILY_WORDS:
            raise FieldError(
                "goals", _l("Write at most %(n)d characters per goal.", n=MAX_FAMILY_WORDS)
            )
        by_goal[item.goal_id] = item
    missing = [goal for goal_id, goal in goals.items() if goal_id not in by_goal]
    if missing:
        raise FieldError("goals", _l("Choose for each goal whether it was reached."))
    return [
        GoalOutcome(
            case_id=case.id,
            goal_id=goal_id,
            result=GoalResult(by_goal[goal_id].result),
            last_score=last_family_score(goal),
            family_words=by_goal[goal_id].family_words.strip(),
        )
        for goal_id, goal in goals.items()
    ]


def _record_outcomes(
    actor: User, case: Case, closing: CaseClosing, outcomes: list[GoalOutcome]
) -> None:
    """Add the goals' results with the closing, audited as `case.outcomes`: which facts were
    given and how many goals had each result (never the family's words)."""
    for outcome in outcomes:
        db.add(outcome)
    db.flush()
    counts = {r.value: sum(1 for o in outcomes if o.result == r) for r in GoalResult}
    fields = ["ended_by"] if closing.ended_by is not None else []
    if outcomes:
        fields.append("goal_results")
    if any(o.family_words for o in outcomes):
        fields.append("family_words")
    record(
        actor,
        "case.outcomes",
        case_id=case.id,
        obj=closing,
        fields=fields,
        detail=f"ended by: {closing.ended_by.value if closing.ended_by else '-'}; goals: "
        + ", ".join(f"{name} {n}" for name, n in counts.items()),
    )


def record_satisfaction(
    actor: User,
    case: Case,
    *,
    answered_on: date,
    how: SatisfactionHow,
    member_id: int | None = None,
    who_name: str = "",
    heard: int | None = None,
    own_say: int | None = None,
    better_now: int | None = None,
    rating: int | None = None,
    comment: str = "",
) -> SatisfactionAnswer:
    """Record what one person of the family answered about the help (on the paper form of
    the closing letter, with the professional, or by phone): who answered, how, the three
    questions (1-5) and the mark (1-10), each of which may be left open, and a comment.

    Who answered is a member of this family who speaks for themself (12 or older on the day,
    or an adult without a date of birth), or a name (someone not registered as a member):
    exactly one of the two. The case lead, the duo colleague or the team lead records it, also
    after the case closed. Append-only; audited as `case.satisfaction` (which questions were
    answered, never the answers)."""
    if not can_record_satisfaction(actor, case):
        raise NotAllowed(
            _l(
                "Only the case lead, the duo colleague or the team lead can record what the "
                "family said about the help."
            )
        )
    who_name = who_name.strip()
    if member_id is not None and who_name:
        raise FieldError("member_id", _l("Choose a family member or write a name, not both."))
    if member_id is None and not who_name:
        raise FieldError("member_id", _l("Choose who answered, or write their name."))
    if len(who_name) > MAX_WHO_NAME:
        raise FieldError("who_name", _l("Write at most %(n)d characters.", n=MAX_WHO_NAME))
    if member_id is not None:
        member = next((m for m in case.family.members if m.id == member_id), None)
        if member is None:
            raise FieldError("member_id", _l("Choose a member of this family."))
        if not is_own_reader(member, answered_on):
            raise FieldError(
                "member_id",
                _l(
                    "%(name)s is younger than 12: a child that young does not fill in this "
                    "form. Ask a parent, or write the name of who answered.",
                    name=member.first_name,
                ),
            )
    if answered_on < case.opened_on:
        raise FieldError("answered_on", _l("The answers cannot be from before the case opened."))
    if answered_on > clock.today():
        raise FieldError("answered_on", _l("This date cannot be in the future."))
    answers = {"heard": heard, "own_say": own_say, "better_now": better_now}
    for name, value in answers.items():
        if value is not None and not ANSWER_RANGE[0] <= value <= ANSWER_RANGE[1]:
            raise FieldError(name, _l("Choose an answer from 1 to 5."))
    if rating is not None and not RATING_RANGE[0] <= rating <= RATING_RANGE[1]:
        raise FieldError("rating", _l("Give a mark from 1 to 10."))
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise FieldError("comment", _l("Write at most %(n)d characters.", n=MAX_COMMENT))
    given = [name for name, value in {**answers, "rating": rating}.items() if value is not None]
    if not given and not comment:
        raise FieldError("heard", _l("Fill in at least one answer, the mark or what they said."))
    fields = [*given, *(["comment"] if comment else [])]
    fields.append("member_id" if member_id is not None else "who_name")
    answer = SatisfactionAnswer(
        case_id=case.id,
        answered_on=answered_on,
        how=how,
        member_id=member_id,
        who_name=who_name,
        heard=heard,
        own_say=own_say,
        better_now=better_now,
        rating=rating,
        comment=comment,
        recorded_by_id=actor.id,
    )
    db.add(answer)
    db.flush()
    record(
        actor,
        "case.satisfaction",
        case_id=case.id,
        obj=answer,
        fields=fields,
        detail=f"how: {how.value}",
    )
    return answer
