"""The family's file (inzage, GDPR art. 15), made for one reader: everything recorded about the
family that this reader may see, and a plain list of what is left out and why.

In it: the family's details and context in their own words, the case, the plan with its agreed
versions, who decides and why (ladder and regie), the scores over time, small successes,
conversation notes (only the parts for this reader), the network and its meetings, referrals,
safety concerns the family was told about, and who looked at or changed the file.

Left out: note parts for the team only or for another family member, internal addenda and
reservations, signals and their sources, the Meldcode weighing, and safety work the family has
not been told about or that is held back under the Jeugdwet. Never a header, date or count of
what is left out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from wijkteam.cases.models import Case
from wijkteam.closing.models import RATING_QUESTION, SATISFACTION_QUESTIONS, SatisfactionScale
from wijkteam.closing.queries import (
    closing_of,
    goal_outcomes,
    satisfaction_answers,
    staying_involved,
)
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.network.models import NetworkMeeting
from wijkteam.network.queries import network_members
from wijkteam.notes.models import Note, NoteStatus
from wijkteam.plans.models import ExplainedHow, LadderEntry, Plan, RegieEntry
from wijkteam.plans.queries import load_plan
from wijkteam.plans.services import snapshot
from wijkteam.printout import wording
from wijkteam.printout.access import Hidden, access_log, access_summary
from wijkteam.printout.reader import PaperReader
from wijkteam.resources.models import Referral
from wijkteam.safety.models import SafetyConcern
from wijkteam.safety.queries import family_file_concerns


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _notes(
    case: Case, reader: PaperReader, hidden_concerns: frozenset[int]
) -> tuple[list[dict[str, Any]], Hidden]:
    """The notes with a part this reader may see, with only those parts; and all that is hidden
    from this reader (for the access log)."""
    notes = db.scalars(
        select(Note)
        .where(Note.case_id == case.id)
        .options(selectinload(Note.parts), selectinload(Note.addenda), joinedload(Note.author))
        .order_by(Note.contact_on, Note.id)
    )
    shown: list[dict[str, Any]] = []
    hidden_notes: set[int] = set()
    hidden_addenda: set[int] = set()
    for note in notes:
        parts = (
            [p for p in note.ordered_parts if reader.sees_part(p)]
            if note.status == NoteStatus.FINAL
            else []
        )
        addenda = [a for a in note.addenda if reader.sees_addendum(a, bool(parts))]
        hidden_addenda.update(a.id for a in note.addenda if a not in addenda)
        if not parts:
            hidden_notes.add(note.id)
            continue
        shown.append(
            {
                "date": note.contact_on.isoformat(),
                "kind": note.kind.label,
                "written_by": note.author.display_name,
                "parts": [
                    {"part": wording.part_words(p.kind.value), "text": p.text} for p in parts
                ],
                "addenda": [
                    {"date": clock.local(a.created_at).date().isoformat(), "text": a.text}
                    for a in addenda
                ],
            }
        )
    return shown, Hidden(frozenset(hidden_notes), frozenset(hidden_addenda), hidden_concerns)


def _plan(plan: Plan | None, hidden_concerns: frozenset[int]) -> dict[str, Any] | None:
    if plan is None:
        return None

    def why(entry: LadderEntry | RegieEntry) -> str:
        # A change made because of a concern the family was not told about keeps its reason
        # out of the file (the change itself is on their plan).
        return "" if entry.safety_concern_id in hidden_concerns else entry.reason

    return {
        "current": snapshot(plan),
        "agreed_versions": [
            {
                "number": v.number,
                "agreed_on": v.agreed_on.isoformat(),
                "agreed_by": v.agreed_by,
                "agreed_how": v.agreed_how.label,
                "interpreter_language": getattr(v, "interpreter_language", ""),
                # How the plan was explained (issue 19); None for versions agreed before.
                "explained_how": v.explained_how.value if v.explained_how else None,
                "explained_how_label": str(v.explained_how.label) if v.explained_how else "",
                "interpreter": v.interpreter_shown
                if v.explained_how is ExplainedHow.INTERPRETER
                else "",
                "read_aloud_by": v.reader_shown if v.explained_how is ExplainedHow.READER else "",
                "content": v.snapshot,
            }
            for v in plan.versions
        ],
        "who_decides": [
            {
                "date": e.changed_on.isoformat(),
                "level": int(e.level),
                "meaning": e.level.family_meaning,
                "why": why(e),
                "way_back": "" if e.safety_concern_id in hidden_concerns else e.climb_back,
            }
            for e in plan.ladder
        ],
        "direction": [
            {"date": e.changed_on.isoformat(), "regie": e.regie.label, "why": why(e)}
            for e in plan.regie_history
        ],
        "scores": [
            {
                "goal": goal.text,
                "scores": [
                    {
                        "date": s.scored_on.isoformat(),
                        "family_score": s.family_score,
                        "professional_score": s.professional_score,
                        "one_step_higher": s.one_point_higher,
                    }
                    for s in goal.valid_scores
                ],
            }
            for goal in plan.goals
            if goal.valid_scores
        ],
        "successes": [{"date": s.noted_on.isoformat(), "text": s.text} for s in plan.successes],
    }


def _meetings(case: Case) -> list[dict[str, Any]]:
    meetings = db.scalars(
        select(NetworkMeeting)
        .where(NetworkMeeting.case_id == case.id)
        .options(
            selectinload(NetworkMeeting.network_members),
            selectinload(NetworkMeeting.family_members),
            joinedload(NetworkMeeting.interpreter_member),
            joinedload(NetworkMeeting.interpreter_network_member),
        )
        .order_by(NetworkMeeting.held_on, NetworkMeeting.id)
    )
    return [
        {
            "date": m.held_on.isoformat(),
            "kind": m.kind.label,
            "who": [f.first_name for f in m.family_members] + [n.name for n in m.network_members],
            "summary": m.summary,
            "agreed": m.agreed,
            "interpreter": m.interpreter_shown,
        }
        for m in meetings
    ]


def _referrals(case: Case) -> list[dict[str, Any]]:
    referrals = db.scalars(
        select(Referral)
        .where(Referral.case_id == case.id)
        .options(joinedload(Referral.resource))
        .order_by(Referral.id)
    )
    return [
        {
            "to": r.resource.name,
            "why": r.reason,
            "what_you_want": r.family_wants,
            "status": r.status.label,
            "look_again_on": _iso(r.follow_up_on),
        }
        for r in referrals
    ]


def _safety(concerns: list[SafetyConcern]) -> list[dict[str, Any]]:
    return [
        {
            "about": [c.first_name for c in concern.children],
            "opened_on": concern.opened_on.isoformat(),
            "status": concern.status.label,
            "closed_on": _iso(concern.closed_on),
            "decisions": [
                {
                    "date": s.done_on.isoformat(),
                    "organise_help": bool(s.organise_help),
                    "report_to_veilig_thuis": bool(s.report_to_veilig_thuis),
                }
                for s in concern.steps
                if s.step == 5 and s.family_told
            ],
            "agreements": [
                {"text": c.text, "from": c.starts_on.isoformat(), "review_on": _iso(c.review_on)}
                for c in concern.conditions
                if c.shared_with_family
            ],
        }
        for concern in concerns
    ]


def family_file(
    case: Case, options: dict[str, Any] | None = None, *, full_access_log: bool = True
) -> dict[str, Any]:
    """The family's file as this reader may see it, JSON-ready. With `full_access_log=False`
    (the PDF) the access log is summarised per person per day (`access_summary`) instead of
    listed one by one (`access_log`)."""
    reader = PaperReader.of(case, options or {})
    family = case.family
    concerns = family_file_concerns(case)
    notes, hidden = _notes(case, reader, concerns.hidden)
    return {
        "made_for": reader.name,
        "reader": reader.option,
        "family": {
            "name": family.name,
            "address": family.address,
            "postcode": family.postcode,
            "city": family.city,
            "phone": family.phone,
            "in_your_own_words": family.context,
            "members": [
                {
                    "first_name": m.first_name,
                    "last_name": m.last_name,
                    "date_of_birth": _iso(m.date_of_birth),
                    "role": m.role.label,
                    "languages": m.languages,
                    "interpreter": m.interpreter_language if m.interpreter_needed else "",
                    "left_household_on": _iso(m.left_household_on),
                }
                for m in family.members
            ],
        },
        "case": {
            "opened_on": case.opened_on.isoformat(),
            "question_for_help": case.question_for_help,
            "case_lead": case.lead.display_name,
            "duo": case.duo.display_name if case.duo else None,
            "status": case.status.label,
            "closed_on": _iso(case.closed_on),
            "close_reason": case.close_reason.label if case.close_reason else None,
            "came_in": case.way_in.label if case.way_in else None,
            "came_in_through": case.way_in_network_member.name
            if case.way_in_network_member
            else None,
            "after_closing": _after_closing(case),
        },
        "satisfaction": _satisfaction(case, reader),
        "plan": _plan(load_plan(case), concerns.hidden),
        "notes": notes,
        "network": [
            {
                "name": m.name,
                "kind": m.kind.label,
                "relation": m.relation,
                "support": [k.label for k in m.support_kinds],
                "asked": {
                    "status": m.asked_status.label,
                    "on": _iso(m.asked_on),
                    "for": m.asked_for,
                }
                if m.asked_status
                else None,
                "may_contact": m.may_contact,
                "may_be_told": m.may_be_told,
                # This family's own relation with them; never anything of another family
                # they help, nor how many (issue 18).
                "roles": [r.label for r in m.roles],
                "agreed_they_do": m.role_does,
                "agreed_they_do_not": m.role_does_not,
                "agreed_on": _iso(m.role_agreed_on),
                "keeps_it_confidential": m.confidentiality_agreed,
            }
            for m in network_members(case)
        ],
        "network_meetings": _meetings(case),
        "referrals": _referrals(case),
        "safety": _safety(concerns.shown),
        **(
            {"access_log": access_log(case, hidden)}
            if full_access_log
            else {"access_summary": access_summary(case, hidden)}
        ),
        "produced_at": clock.local(datetime.now(UTC)).isoformat(timespec="seconds"),
    }


def _after_closing(case: Case) -> dict[str, Any] | None:
    """What was recorded when the case closed (issue 18): where the family stood, who stays
    involved, the aftercare agreement and how to come back. None for an open case, and for a
    case closed before that was asked."""
    closing = closing_of(case) if case.is_closed else None
    if closing is None:
        return None
    staying = staying_involved(case)
    return {
        "ladder_level": closing.ladder_level.label if closing.ladder_level else None,
        "regie": closing.regie.label if closing.regie else None,
        "people_staying": [m.name for m in staying.people],
        "services_staying": [r.name for r in staying.services],
        "aftercare_agreement": closing.aftercare_agreement,
        "how_to_come_back": closing.come_back,
        # Issue 20: who ended the work and each goal's result (None and [] for closings
        # recorded before they were asked).
        "how_it_ended": closing.ended_by.label if closing.ended_by else None,
        "goal_results": [
            {
                "goal": o.goal.text,
                "result": o.result.label,
                "in_words": wording.goal_result_words(o.result.value),
                "last_score": o.last_score,
                "what_you_said": o.family_words,
            }
            for o in goal_outcomes(case)
        ],
    }


def _satisfaction(case: Case, reader: PaperReader) -> list[dict[str, Any]]:
    """What the family answered about the help (issue 20), as far as it is this reader's: their
    own answers, and for the parents the parents' and those recorded under a name. A young
    person's answers are theirs alone, as their own note parts are."""
    return [
        {
            "date": a.answered_on.isoformat(),
            "who": a.who,
            "how": a.how.label,
            "answers": [
                {
                    "question": str(question),
                    "answer": getattr(a, key),
                    "in_words": SatisfactionScale(getattr(a, key)).label
                    if getattr(a, key) is not None
                    else None,
                }
                for key, question in SATISFACTION_QUESTIONS.items()
            ],
            "mark_question": str(RATING_QUESTION),
            "mark": a.rating,
            "what_you_said": a.comment,
        }
        for a in satisfaction_answers(case)
        if reader.sees_answer_of(a.member_id)
    ]
