"""A family: registered with its case, then its work (network, plan, meetings, safety, notes,
referrals) in the order the dates need, and last the case's status."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from wijkteam.auth.models import Team, User
from wijkteam.cases import services as cases
from wijkteam.cases.models import Case, CaseStatus, CloseReason, Custody, MemberRole
from wijkteam.closing import services as closing
from wijkteam.closing.models import EndedBy, GoalResult, SatisfactionHow
from wijkteam.core.db import db
from wijkteam.core.errors import FieldError
from wijkteam.keyfigures.models import KeyFigure
from wijkteam.network.queries import network_members
from wijkteam.plans.enums import LadderLevel, Regie
from wijkteam.plans.models import Goal, Plan
from wijkteam.resources.models import Resource
from wijkteam.seed.common import fresh, members_by_name
from wijkteam.seed.network import archive_network, load_meeting, load_network, load_way_in
from wijkteam.seed.notes import NotePeople, load_note
from wijkteam.seed.plans import load_plan, load_strengths
from wijkteam.seed.resources import load_referral
from wijkteam.seed.safety import load_concern


def _member(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "date_of_birth": data.get("date_of_birth"),
        "role": MemberRole(data["role"]),
        "languages": list(data.get("languages", [])),
        "interpreter_needed": bool(data.get("interpreter_language")),
        "interpreter_language": data.get("interpreter_language", ""),
        "custody": Custody(data["custody"]) if data.get("custody") else None,
    }


def _family(f: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": f["name"],
        "address": f.get("address", ""),
        "postcode": f.get("postcode", ""),
        "city": f.get("city", ""),
        "phone": f.get("phone", ""),
        "context": f.get("context", ""),
    }


def load_family(
    team: Team,
    users: dict[str, User],
    resources: dict[str, Resource],
    f: dict[str, Any],
    key_figures: dict[str, KeyFigure] | None = None,
) -> Case | None:
    """The family with its case and work; None (nothing done) when one of its members is in
    the team already."""
    lead = users[f["lead"]]
    members = [_member(m) for m in f["members"]]
    if any(cases.find_duplicate_member(team.id, m) for m in members):
        return None
    case = cases.register_family(
        lead,
        family=_family(f),
        members=members,
        question_for_help=f["question_for_help"],
        lead_id=lead.id,
        duo_id=users[f["duo"]].id if f.get("duo") else None,
        opened_on=f["opened_on"],
    )
    # before a closing: a closed case cannot change
    _load_family_work(lead, case, f, users, resources, key_figures or {})
    if f.get("closing_refused"):
        _closing_refused(lead, case, f["closing_refused"])
    _set_status(lead, case, f, resources)
    return case


def _closing_refused(lead: User, case: Case, spec: dict[str, Any]) -> None:
    """The demo's case that cannot close: a safety concern is open. The closing is tried
    (and undone) so that the seed fails loudly if the story no longer holds."""
    try:
        with db.begin_nested():
            cases.close_case(
                lead,
                case,
                expected_version=case.version,
                reason=CloseReason(spec["reason"]),
                closed_on=spec["on"],  # quote "on" in YAML, or it reads as True
                note="",
            )
    except FieldError as refused:
        if refused.field == "concerns":
            return
        raise
    raise RuntimeError(f"seed: the closing of family {case.family.name} was not refused")


def _closing_data(
    case: Case, closing: dict[str, Any], resources: dict[str, Resource]
) -> dict[str, Any]:
    """What the YAML says about the way out: ladder and regie at the end, who stays involved
    (network members by name, services of the team's catalogue by name), aftercare and how to
    come back."""
    network = {m.name: m.id for m in network_members(case)}
    staying = closing.get("staying", {})
    return {
        "ladder_level": LadderLevel(closing["ladder"]) if closing.get("ladder") else None,
        "regie": Regie(closing["regie"]) if closing.get("regie") else None,
        "network_member_ids": [network[name] for name in staying.get("network", [])],
        "resource_ids": [resources[name].id for name in staying.get("resources", [])],
        "aftercare_agreement": closing.get("aftercare", ""),
        "come_back": closing.get("come_back", ""),
        **_outcomes(case, closing),
    }


def _outcomes(case: Case, closing_spec: dict[str, Any]) -> dict[str, Any]:
    """Who ended the work and each goal's result (issue 20), as the close page records them.
    `goals` names a goal by its number in the plan's list (1 is the first); every goal still
    worked on or achieved needs one. A closing without `ended_by` records neither, as the
    closings before issue 20."""
    if "ended_by" not in closing_spec:
        return {}
    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    # fresh: the replay adds goals by id, so a plan loaded before its last goal lacks it
    goals = sorted(fresh(plan).goals, key=lambda g: (g.position, g.id)) if plan else []
    return {
        "ended_by": EndedBy(closing_spec["ended_by"]),
        "goal_results": [
            closing.GoalResultInput(
                goal_id=goals[g["goal"] - 1].id,
                result=GoalResult(g["result"]),
                family_words=g.get("words", ""),
            )
            for g in closing_spec.get("goals", [])
        ],
    }


def _satisfaction(lead: User, case: Case, answers: list[dict[str, Any]]) -> None:
    """What the family answered about the help, after closing: a member by first name
    (`who`) or someone else by name (`name`)."""
    fresh(case.family)
    members = members_by_name(case)
    for a in answers:
        closing.record_satisfaction(
            lead,
            case,
            answered_on=a["on"],  # quote "on" in YAML, or it reads as True
            how=SatisfactionHow(a["how"]),
            member_id=members[a["who"]].id if a.get("who") else None,
            who_name=a.get("name", ""),
            heard=a.get("heard"),
            own_say=a.get("own_say"),
            better_now=a.get("better_now"),
            rating=a.get("rating"),
            comment=a.get("comment", ""),
        )


def _set_status(lead: User, case: Case, f: dict[str, Any], resources: dict[str, Resource]) -> None:
    """A registered case is in intake; the YAML can make it active or close it."""
    status = CaseStatus(f.get("status", "intake"))
    if status == CaseStatus.ACTIVE:
        cases.update_case(
            lead,
            case,
            expected_version=case.version,
            data={"status": CaseStatus.ACTIVE, "lead_id": case.lead_id, "duo_id": case.duo_id},
        )
    elif status == CaseStatus.CLOSED:
        closing = f["closed"]
        cases.close_case(
            lead,
            case,
            expected_version=case.version,
            reason=CloseReason(closing["reason"]),
            closed_on=closing["on"],  # quote "on" in YAML, or it reads as True
            note=closing.get("note", ""),
            **_closing_data(case, closing, resources),
        )
        _satisfaction(lead, case, closing.get("satisfaction", []))


def _load_family_work(
    lead: User,
    case: Case,
    f: dict[str, Any],
    users: dict[str, User],
    resources: dict[str, Resource],
    key_figures: dict[str, KeyFigure],
) -> None:
    """Network first (plan actions can name its members; the way in may name a key figure in
    it), then the plan, then the meetings (their agreements become plan actions); people
    leave the network after that, so that
    what they did earlier stays theirs. Safety concerns follow: a concern that changes
    regie or the ladder adds to the plan's history, so its dates must follow the plan's own
    changes (and those of the concerns before it). Conversation notes follow: their
    scores and next steps go into the plan as it is by then; then the strengths on the
    family's paper, some taken from those notes. Referrals come last."""
    network = load_network(lead, case, f.get("network", []), key_figures)
    load_way_in(lead, case, f.get("way_in"), key_figures)
    plan: Plan | None = None
    goals: list[Goal] = []
    if f.get("plan"):
        plan, goals = load_plan(lead, case, f["plan"], network, resources)
        db.refresh(case)
    for meeting in f.get("meetings", []):
        load_meeting(lead, case, plan, goals, network, meeting)
    archive_network(lead, case, f.get("network", []), network)
    for concern in f.get("safety", []):
        load_concern(lead, case, plan, concern, network)
    people = NotePeople(users=users, lead=lead, network=network, goals=goals)
    notes = [
        load_note(case, plan, people, spec)
        for spec in sorted(f.get("notes", []), key=lambda n: n["contact_on"])
    ]
    if plan is not None:
        load_strengths(lead, case, plan, notes, f["plan"].get("strengths", []))
    for spec in f.get("referrals", []):
        load_referral(lead, case, users, resources, spec)
