"""The content of the family's plan on paper ('Ons plan'), or the closing letter of a closed
case, made for one reader.

What the paper says must be true:
- it prints either the agreed version (frozen, with who agreed, when and how) or the draft as a
  *proposal* ("not agreed yet") that marks what is new or changed since the agreement;
- follow-ups from a case discussion are the team's proposal until the family agrees to them;
- the strengths are the ones the professional chose, and only those the reader may see;
- safety agreements go on a separate sheet, with 112 and Veilig Thuis.

Everything is built from what the family may see: no reservations, no internal note parts, no
signal sources, no Meldcode weighing, no contact details of network members."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from wijkteam.cases.models import Case
from wijkteam.closing.models import (
    RATING_QUESTION,
    SATISFACTION_QUESTIONS,
    SatisfactionScale,
)
from wijkteam.closing.queries import closing_of, goal_outcomes, staying_involved
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.network.models import Quality
from wijkteam.network.queries import network_members
from wijkteam.plans.compare import NEW, Changes, action_key, compare
from wijkteam.plans.models import (
    ActionStatus,
    GoalStatus,
    LadderEntry,
    LadderLevel,
    OwnerKind,
    Plan,
    PlanVersion,
    SecondText,
)
from wijkteam.plans.queries import load_plan
from wijkteam.plans.services import draft_changed, second_texts, snapshot
from wijkteam.printout import wording
from wijkteam.printout.contact_sheet import contact_sheet
from wijkteam.printout.languages import PrintLanguage, language
from wijkteam.printout.reader import PaperReader
from wijkteam.resources.models import OPEN_REFERRAL, Referral
from wijkteam.safety.models import ConditionState
from wijkteam.safety.queries import FamilyFileConcerns, family_file_concerns

CLOSE_WORDS = {
    "goals_reached": _l("You reached what you wanted to reach."),
    "family_ended": _l("You chose to stop. That is your right."),
    "referred": _l("You now get help from another organisation."),
    "moved": _l("You moved to another place."),
    "no_contact": _l("We did not have contact any more."),
}
AGREED = "agreed"
OPEN = (ActionStatus.PLANNED.value, ActionStatus.DOING.value)
_OWNER_ORDER = {OwnerKind.FAMILY.value: 0, OwnerKind.NETWORK.value: 1, "professional": 2}


@dataclass
class Seconds:
    """The second texts of a case in the paper's language (issue 19): what a goal, an action or
    "one step higher" says in that language, shown only while it renders the Dutch printed
    (the agreed version's text, or the draft's). None on a Dutch paper."""

    lang: PrintLanguage
    found: dict[tuple[str, int], SecondText]

    @classmethod
    def of_case(cls, case_id: int, code: str | None) -> Seconds:
        lang = language(code)
        found = second_texts.for_print(case_id, lang.code) if lang.code != "nl" else {}
        return cls(lang, found)

    def of(self, kind: str, object_id: int | None, dutch: str | None) -> dict[str, str] | None:
        second = self.found.get((kind, object_id)) if object_id is not None else None
        if second is None or not second_texts.is_current(second, dutch or ""):
            return None
        return {"text": second.text, "lang": self.lang.code, "dir": self.lang.direction}


def _ruler(goal_id: int, plan: Plan, seconds: Seconds) -> dict[str, Any] | None:
    """Where the family started on the 0-10 scale, where they are now, and what one step
    higher would be, in their words (the latest answer)."""
    goal = next((g for g in plan.goals if g.id == goal_id), None)
    if goal is None:
        return None
    scores = [s for s in goal.valid_scores if s.family_score is not None]
    if not scores:
        return None
    higher = next((s for s in reversed(scores) if s.one_point_higher), None)
    words = higher.one_point_higher if higher is not None else ""
    return {
        "start": scores[0].family_score,
        "start_on": scores[0].scored_on,
        "now": scores[-1].family_score,
        "now_on": scores[-1].scored_on,
        "one_step_higher": words,
        "second": seconds.of("score", higher.id, words) if higher is not None else None,
    }


def _ladder_entry(
    plan: Plan, version: PlanVersion | None, hidden: frozenset[int]
) -> dict[str, Any]:
    """The level's reason and the way back, as written for the family (the ladder form says
    so); left out when the change came from a safety concern not in the family's file."""
    entries: list[LadderEntry] = [
        e for e in plan.ladder if version is None or e.changed_on <= version.agreed_on
    ]
    if not entries:
        return {"reason": "", "climb_back": ""}
    entry = entries[-1]
    if entry.safety_concern_id is not None and entry.safety_concern_id in hidden:
        return {"reason": "", "climb_back": ""}
    return {"reason": entry.reason, "climb_back": entry.climb_back}


def _goals(
    content: dict[str, Any], plan: Plan, changes: Changes | None, today: Any, seconds: Seconds
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(goals being worked on, goals reached, team proposals), numbered as on paper."""
    active, reached, team = [], [], []
    number = 0
    for goal in content.get("goals", []):
        status = goal.get("status")
        goal = {**goal, "second": seconds.of("goal", goal.get("id"), goal.get("text"))}
        if status == GoalStatus.ACHIEVED.value:
            reached.append(goal)
            continue
        if status != GoalStatus.ACTIVE.value:
            continue
        number += 1
        open_actions, done = [], []
        for action in goal.get("actions", []):
            key = action_key(goal["id"], action)
            item = {
                **action,
                "second": seconds.of("action", action.get("id"), action.get("text")),
                "goal_number": number,
                "mark": changes.actions.get(key) if changes else None,
                "when": wording.when_due(
                    action.get("due_on"), action.get("repeats"), action["status"], today
                ),
            }
            if action["status"] == ActionStatus.DONE.value:
                done.append(item)
            elif action["status"] in OPEN:
                # A follow-up from a case discussion that the family has not agreed to yet
                # is the team's proposal, not a task of the family.
                if (
                    action.get("from_team")
                    and changes is not None
                    and (not plan.versions or item["mark"] == NEW)
                ):
                    team.append(item)
                else:
                    open_actions.append(item)
        active.append(
            {
                **goal,
                "number": number,
                "mark": changes.goals.get(goal["id"]) if changes else None,
                "open_actions": open_actions,
                "done_actions": done,
                "ruler": _ruler(goal["id"], plan, seconds),
            }
        )
    return active, reached, team


def _helpers(goals: list[dict[str, Any]]) -> list[tuple[tuple[str, str], list[dict[str, Any]]]]:
    """Open actions grouped by who does them: the family first, then its own circle, then
    professionals. An action without a named person is the whole family's."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for goal in goals:
        for action in goal["open_actions"]:
            who = action.get("owner") or _("the whole family")
            grouped[(action["owner_kind"], who)].append(action)
    return sorted(grouped.items(), key=lambda item: (_OWNER_ORDER[item[0][0]], item[0][1]))


def _strengths(plan: Plan, reader: PaperReader) -> list[str]:
    """The strengths the professional chose for the paper, those this reader may see."""
    return [
        strength.words
        for strength in plan.strengths
        if strength.words and (strength.note_part is None or reader.sees_part(strength.note_part))
    ]


def _agreements(concerns: FamilyFileConcerns) -> list[str]:
    """The safety agreements made with the family, of open concerns in their file only."""
    return [
        c.text
        for concern in concerns.shown
        if not concern.is_closed
        for c in concern.conditions
        if c.shared_with_family and c.state != ConditionState.ENDED
    ]


def _person(m: Any) -> dict[str, Any]:
    return {"name": m.name, "relation": m.relation, "support": [k.label for k in m.support_kinds]}


def _service(r: Any) -> dict[str, Any]:
    return {"name": r.name, "when": r.when, "phone": r.contact_phone}


def _staying(case: Case) -> dict[str, list[dict[str, Any]]]:
    """Who stays involved after closing: the people and services chosen when the case closed
    (closing/services.py). For a case closed before that was asked: the people around the
    family who help (not those marked unsafe), and the services the family still goes to."""
    chosen = staying_involved(case)
    if chosen:
        return {
            "people": [_person(m) for m in chosen.people],
            "services": [_service(r) for r in chosen.services],
        }
    people = [
        _person(m)
        for m in network_members(case)
        if m.quality != Quality.UNSAFE and (m.support_kinds or m.informal_roles)
    ]
    places = db.scalars(
        select(Referral)
        .where(Referral.case_id == case.id, Referral.status.in_(OPEN_REFERRAL))
        .options(joinedload(Referral.resource))
        .order_by(Referral.id)
    )
    return {"people": people, "services": [_service(r.resource) for r in places]}


def _goal_results(case: Case, plan: Plan, seconds: Seconds) -> list[dict[str, Any]]:
    """Each goal's result as recorded at closing (issue 20), in the plan's order, with where
    the family started and ended on the 0-10 scale and their own words about it. Empty for a
    case closed before results were asked: the letter then lists the goals as before."""
    return [
        {
            "text": outcome.goal.text,
            "second": seconds.of("goal", outcome.goal_id, outcome.goal.text),
            "result": outcome.result.value,
            "result_words": wording.goal_result_words(outcome.result.value),
            "family_words": outcome.family_words,
            "ruler": _ruler(outcome.goal_id, plan, seconds),
        }
        for outcome in goal_outcomes(case)
    ]


def questionnaire() -> dict[str, Any]:
    """The paper form at the end of the closing letter: the satisfaction questions with the
    answers to tick (1 to 5, in words) and the mark from 1 to 10."""
    return {
        "questions": list(SATISFACTION_QUESTIONS.values()),
        "scale": [level.label for level in SatisfactionScale],
        "rating_question": RATING_QUESTION,
        "marks": list(range(1, 11)),
    }


def plan_paper(case: Case, options: dict[str, Any]) -> dict[str, Any] | None:
    """The content of 'Ons plan' (or the closing letter) for the reader and version in
    `options`; None when there is no plan with goals yet."""
    plan = load_plan(case)
    if plan is None or not plan.goals:
        return None
    reader = PaperReader.of(case, options)
    today = clock.today()
    agreed = plan.versions[-1] if plan.versions else None
    current = snapshot(plan)
    changes = compare(agreed.snapshot, current) if agreed else None
    marks: Changes | None = None
    if agreed is not None and (options.get("version") == AGREED or not draft_changed(plan)):
        # The agreed version, as it was frozen (also when nothing changed since).
        content, version, is_proposal = agreed.snapshot, agreed, False
    else:
        content, version, is_proposal = current, None, True
        marks = changes if changes is not None else Changes()
    seconds = Seconds.of_case(case.id, options.get("lang"))
    active, reached, team = _goals(content, plan, marks, today, seconds)
    concerns = family_file_concerns(case)
    level = content.get("ladder_level")
    return {
        "case": case,
        "plan": plan,
        "closed": case.is_closed,
        "reader": reader,
        "first_names": [m.first_name for m in case.family.members if m.left_household_on is None],
        "is_proposal": is_proposal,
        "version": version,
        "agreed": agreed,
        "changes": changes if is_proposal and agreed is not None else None,
        "active_goals": active,
        "achieved_goals": reached,
        "team_proposals": team,
        "helpers": _helpers(active),
        "successes": [s for s in plan.successes if s.text][:10],
        "strengths": _strengths(plan, reader),
        "conditions": _agreements(concerns),
        "ladder_level": LadderLevel(level) if level else None,
        "ladder": _ladder_entry(plan, version, concerns.hidden),
        "regie": wording.regie_words(content.get("regie")),
        "evaluation_on": content.get("evaluation_on"),
        "evaluation_past": bool(content.get("evaluation_on"))
        and content["evaluation_on"] < today.isoformat(),
        "staying": _staying(case) if case.is_closed else None,
        "closing": closing_of(case) if case.is_closed else None,
        "goal_results": _goal_results(case, plan, seconds) if case.is_closed else [],
        "questionnaire": questionnaire() if case.is_closed else None,
        "close_words": CLOSE_WORDS.get(case.close_reason.value, "")
        if case.is_closed and case.close_reason
        else "",
        "contact": contact_sheet(case),
        "copies_to": str(options.get("copies_to") or "").strip(),
        "printed_at": datetime.now(UTC),
    }
