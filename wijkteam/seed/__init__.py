"""Load the fictional demo data in seed/ through the same services the UI uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import yaml
from flask import current_app
from sqlalchemy import select

from wijkteam.auth.models import Role, Team, User
from wijkteam.auth.services import create_team, create_user
from wijkteam.cases import services as cases
from wijkteam.cases.models import (
    Case,
    CaseStatus,
    CloseReason,
    Custody,
    Family,
    FamilyMember,
    MemberRole,
)
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.discussions import services as discussions
from wijkteam.discussions.models import CaseDiscussion, DiscussionItem, Need
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
from wijkteam.notes import services as notes
from wijkteam.notes.models import ContactKind, Note, PartKind
from wijkteam.plans import services as plans
from wijkteam.plans.models import (
    ActionStatus,
    AgreedHow,
    Goal,
    GoalStatus,
    LadderLevel,
    OwnerKind,
    Plan,
    Regie,
)
from wijkteam.resources import services as resource_services
from wijkteam.resources.models import (
    Audience,
    Direction,
    Referral,
    ReferralStatus,
    Resource,
    ResourceKind,
)
from wijkteam.safety import services as safety
from wijkteam.safety.models import Condition, ConditionState, SafetyConcern

T = TypeVar("T")

SUPPORT_KINDS = ("emotional", "practical", "information")

# What each Meldcode step records besides its date (as in the step form); yes/no questions
# left out of the YAML stay unanswered, the two decisions of step 5 default to "no".
STEP_FIELDS: dict[int, tuple[str, ...]] = {
    1: ("outcome",),
    2: ("outcome", "colleague", "veilig_thuis_consulted", "veilig_thuis_advice"),
    3: ("outcome", "conversation_held", "talked_with"),
    4: ("outcome", *safety.AFWEGINGSKADER),
    5: ("outcome", "organise_help", "report_to_veilig_thuis", "family_told", "why_not_told"),
}
STEP_YES_NO = (
    "veilig_thuis_consulted",
    "conversation_held",
    *safety.AFWEGINGSKADER,
    "family_told",
)
STEP_DECISIONS = ("organise_help", "report_to_veilig_thuis")
MAP_FIELDS = (
    "harm",
    "danger_statement",
    "complicating_factors",
    "strengths",
    "existing_safety",
    "safety_goals",
    "next_steps",
)


SEED_KINDS = ("teams", "users", "resources", "families", "case discussions")


@dataclass
class SeedSummary:
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEED_KINDS, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEED_KINDS, 0))
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    password: str = ""

    def report(self) -> str:
        lines = [
            "Demo data: "
            + ", ".join(f"{n} {k} created" for k, n in self.created.items())
            + " ("
            + ", ".join(f"{n} {k} already there" for k, n in self.skipped.items())
            + ")",
            "",
            f"Demo accounts (password for all: {self.password}):",
        ]
        lines += [f"  {email:<34} {role:<13} {team}" for email, role, team in self.logins]
        return "\n".join(lines)


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


def _team_lead(team: Team, users: dict[str, User]) -> User:
    """The team lead keeps the team's catalogue in the demo."""
    return next(u for u in users.values() if u.team_id == team.id and u.role == Role.TEAMLEAD)


def _resource(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "kind": ResourceKind(data["kind"]),
        "offers": data.get("offers", "").strip(),
        "audience": Audience(data.get("audience", "everyone")),
        "age_from": data.get("age_from"),
        "age_to": data.get("age_to"),
        "languages": list(data.get("languages", [])),
        "area": data.get("area", ""),
        "contact_name": data["contact_name"],
        "contact_phone": data.get("contact_phone", ""),
        "contact_email": data.get("contact_email", ""),
        "when": data.get("when", ""),
        "free": bool(data.get("free", True)),
    }


def _load_catalogue(
    lead: User, entries: list[dict[str, Any]], summary: SeedSummary
) -> dict[str, Resource]:
    """The team's resource catalogue, by name; an entry whose name the team has already is
    kept as it is."""
    existing = {
        r.name: r for r in db.scalars(select(Resource).where(Resource.team_id == lead.team_id))
    }
    for entry in entries:
        if entry["name"] in existing:
            summary.skipped["resources"] += 1
            continue
        existing[entry["name"]] = resource_services.add_resource(lead, _resource(entry))
        summary.created["resources"] += 1
    return existing


class SeedRefused(RuntimeError):
    """Demo data (with its published password) never goes into a production database."""


def load_seed(path: Path) -> SeedSummary:
    """Create what is missing; what exists (same team name, e-mail, family member) is kept.
    Refused in production: the demo accounts' password is in the README."""
    if current_app.config["ENV_NAME"] == "production":
        raise SeedRefused(
            "Demo data is for development only: flask seed is refused with "
            "WIJKTEAM_ENV=production (the demo accounts' password is public)."
        )
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    summary = SeedSummary(password=spec["password"])
    teams: dict[str, Team] = {}
    for t in spec["teams"]:
        team = db.scalar(select(Team).where(Team.name == t["name"]))
        if team is None:
            team = create_team(None, name=t["name"], area=t.get("area", ""))
            summary.created["teams"] += 1
        else:
            summary.skipped["teams"] += 1
        teams[t["name"]] = team

    users: dict[str, User] = {}
    for u in spec["users"]:
        user = db.scalar(select(User).where(User.email == u["email"]))
        team_name = u.get("team")
        if user is None:
            user = create_user(
                None,
                email=u["email"],
                display_name=u["name"],
                password=spec["password"],
                role=Role(u["role"]),
                team_id=teams[team_name].id if team_name else None,
                second_reviewer=bool(u.get("second_reviewer", False)),
            )
            summary.created["users"] += 1
        else:
            summary.skipped["users"] += 1
        users[u["email"]] = user
        summary.logins.append((u["email"], u["role"], team_name or "-"))

    catalogues = {
        name: _load_catalogue(_team_lead(teams[name], users), entries, summary)
        for name, entries in spec.get("resources", {}).items()
    }

    for f in spec["families"]:
        team = teams[f["team"]]
        lead = users[f["lead"]]
        members = [_member(m) for m in f["members"]]
        if any(cases.find_duplicate_member(team.id, m) for m in members):
            summary.skipped["families"] += 1
            continue
        case = cases.register_family(
            lead,
            family={
                "name": f["name"],
                "address": f.get("address", ""),
                "postcode": f.get("postcode", ""),
                "city": f.get("city", ""),
                "phone": f.get("phone", ""),
                "context": f.get("context", ""),
            },
            members=members,
            question_for_help=f["question_for_help"],
            lead_id=lead.id,
            duo_id=users[f["duo"]].id if f.get("duo") else None,
            opened_on=f["opened_on"],
        )
        # before a closing: a closed case cannot change
        _load_family_work(lead, case, f, users, catalogues.get(f["team"], {}))
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
            )
        summary.created["families"] += 1
    for spec_team in spec.get("case_discussions", []):
        team = teams[spec_team["team"]]
        made = _load_discussions(_team_lead(team, users), team, users, spec_team)
        summary.created["case discussions"] += made
        summary.skipped["case discussions"] += len(spec_team.get("meetings", [])) - made
    db.commit()
    return summary


def _open_case(team: Team, family_name: str) -> Case:
    case = db.scalar(
        select(Case)
        .join(Case.family)
        .where(
            Case.team_id == team.id,
            Family.name == family_name,
            Case.status != CaseStatus.CLOSED,
        )
    )
    if case is None:
        raise ValueError(f"seed: no open case of family {family_name} in {team.name}")
    return case


def _submit(team: Team, users: dict[str, User], spec: dict[str, Any]) -> DiscussionItem:
    return discussions.submit_item(
        users[spec["by"]],
        _open_case(team, spec["family"]),
        question=spec["question"].strip(),
        tried=spec.get("tried", "").strip(),
        need=Need(spec["need"]),
    )


def _follow_up(case: Case, users: dict[str, User], spec: dict[str, Any]) -> dict[str, Any]:
    """A follow-up row: with a goal (its number in the plan) a plan action, else a task."""
    due_on = clock.today() + timedelta(days=spec["days"])
    goal_id = None
    if spec.get("goal"):
        plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
        if plan is None:
            raise ValueError("seed: a follow-up with a goal needs a plan")
        goal_id = plan.goals[spec["goal"] - 1].id
    owner = spec["owner"]
    row: dict[str, Any] = {"text": spec["text"], "goal_id": goal_id, "due_on": due_on}
    if owner in users:
        return {**row, "owner_kind": OwnerKind.PROFESSIONAL, "owner_user_id": users[owner].id}
    return {**row, "owner_kind": OwnerKind.FAMILY, "owner_member_id": None}


def _load_discussions(lead: User, team: Team, users: dict[str, User], spec: dict[str, Any]) -> int:
    """Meetings with their agenda (and for past ones the outcome), then cases still waiting.
    Skipped when the team has case discussions already (loading twice changes nothing)."""
    if db.scalar(select(CaseDiscussion.id).where(CaseDiscussion.team_id == team.id).limit(1)):
        return 0
    for meeting in spec.get("meetings", []):
        items = [_submit(team, users, i) for i in meeting.get("items", [])]
        starts_at = meeting.get("starts_at")
        discussions.plan_discussion(
            lead,
            held_on=clock.today() + timedelta(days=meeting["days"]),
            starts_at=time.fromisoformat(starts_at) if starts_at else None,
            location=meeting.get("location", ""),
            attendee_ids=[lead.id, *(users[e].id for e in meeting.get("attendees", []))],
            guests=[(g["name"], g.get("role", "")) for g in meeting.get("guests", [])],
            item_ids=[i.id for i in items],
        )
        for item, item_spec in zip(items, meeting.get("items", []), strict=True):
            outcome = item_spec.get("outcome")
            if outcome is None:
                continue
            db.refresh(item)
            discussions.record_outcome(
                lead,
                item,
                expected_version=item.version,
                summary=outcome.get("summary", "").strip(),
                advice=outcome.get("advice", "").strip(),
                decisions=outcome.get("decisions", "").strip(),
                follow_ups=[_follow_up(item.case, users, f) for f in outcome.get("follow_ups", [])],
            )
    for item_spec in spec.get("waiting", []):
        _submit(team, users, item_spec)
    return len(spec.get("meetings", []))


def _load_family_work(
    lead: User,
    case: Case,
    f: dict[str, Any],
    users: dict[str, User],
    resources: dict[str, Resource],
) -> None:
    """Network first (plan actions can name its members), then the plan, then the meetings
    (their agreements become plan actions); people leave the network after that, so that
    what they did earlier stays theirs. Safety concerns follow: a concern that changes
    regie or the ladder adds to the plan's history, so its dates must follow the plan's own
    changes (and those of the concerns before it). Conversation notes follow: their
    scores and next steps go into the plan as it is by then. Referrals come last."""
    network = _load_network(lead, case, f.get("network", []))
    plan: Plan | None = None
    goals: list[Goal] = []
    if f.get("plan"):
        plan, goals = _load_plan(lead, case, f["plan"], network, resources)
        db.refresh(case)
    for meeting in f.get("meetings", []):
        _load_meeting(lead, case, plan, goals, network, meeting)
    _archive_network(lead, case, f.get("network", []), network)
    for concern in f.get("safety", []):
        _load_concern(lead, case, plan, concern)
    people = NotePeople(users=users, lead=lead, network=network, goals=goals)
    for spec in sorted(f.get("notes", []), key=lambda n: n["contact_on"]):
        _load_note(case, plan, people, spec)
    for spec in f.get("referrals", []):
        _load_referral(lead, case, users, resources, spec)


def _network_member(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    members = {m.first_name: m for m in case.family.members}
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


def _load_network(lead: User, case: Case, specs: list[dict[str, Any]]) -> dict[str, NetworkMember]:
    """The family's network, by name (plan actions and meetings refer to these names)."""
    return {
        m["name"]: network_services.add_member(lead, case, _network_member(case, m)) for m in specs
    }


def _archive_network(
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


def _agreement(
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
        members = {m.first_name: m for m in case.family.members}
        return row | {
            "owner_kind": OwnerKind.FAMILY,
            "owner_member_id": members[name].id if name else None,
        }
    if kind == "network":
        return row | _network_owner(network, name)
    if kind == "other":
        return row | {"owner_kind": OwnerKind.PROFESSIONAL, "owner_name": name}
    raise ValueError(f"unknown agreement owner {data['owner']!r}")


def _network_owner(network: dict[str, NetworkMember], name: str) -> dict[str, Any]:
    """A network member when the name is one, else just the name as written."""
    member = network.get(name)
    return {
        "owner_kind": OwnerKind.NETWORK,
        "network_member_id": member.id if member else None,
        "owner_name": "" if member else name,
    }


def _load_meeting(
    lead: User,
    case: Case,
    plan: Plan | None,
    goals: list[Goal],
    network: dict[str, NetworkMember],
    spec: dict[str, Any],
) -> None:
    members = {m.first_name: m for m in case.family.members}
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
        agreements=[_agreement(case, goals, network, a) for a in spec.get("agreements", [])],
    )


def _action_owner(
    members: dict[str, FamilyMember], network: dict[str, NetworkMember], a: dict[str, Any]
) -> dict[str, Any]:
    kind = OwnerKind(a["owner_kind"])
    if kind == OwnerKind.FAMILY:
        owner = members.get(a.get("owner", ""))
        return {"owner_kind": kind, "owner_member_id": owner.id if owner else None}
    if kind == OwnerKind.NETWORK:
        return _network_owner(network, a["owner"])
    return {"owner_kind": kind, "owner_name": a["owner"]}


def _action(
    members: dict[str, FamilyMember],
    network: dict[str, NetworkMember],
    resources: dict[str, Resource],
    a: dict[str, Any],
) -> dict[str, Any]:
    """A plan action; `resource` names an entry of the team's catalogue."""
    return {
        "text": a["text"],
        **_action_owner(members, network, a),
        "due_on": a.get("due_on"),
        "status": ActionStatus(a.get("status", "planned")),
        "resource_id": resources[a["resource"]].id if a.get("resource") else None,
    }


def _load_plan(
    lead: User,
    case: Case,
    spec: dict[str, Any],
    network: dict[str, NetworkMember],
    resources: dict[str, Resource],
) -> tuple[Plan, list[Goal]]:
    """A plan with its history, replayed in date order through the plan services, so that
    each agreed version holds the plan as it was on the day the family agreed. Returns the
    plan and its goals in the order of the YAML (meetings name a goal by that index)."""
    members = {m.first_name: m for m in case.family.members}
    ladder, regie = spec["ladder"], spec["regie"]
    plan = plans.start_plan(
        lead,
        case,
        started_on=spec["started_on"],
        evaluation_on=spec.get("evaluation_on"),
        level=LadderLevel(ladder[0]["level"]),
        level_reason=ladder[0]["reason"],
        regie=Regie(regie[0]["regie"]),
        regie_reason=regie[0]["reason"],
    )
    goals: dict[int, Goal] = {}

    def add_goal(g: dict[str, Any]) -> None:
        goal = plans.add_goal(
            lead,
            case,
            plan,
            {
                "text": g["text"],
                "why_it_matters": g.get("why", ""),
                "first_step": g.get("first_step", ""),
                "reservations": g.get("reservations", ""),
                "member_ids": [members[name].id for name in g.get("about", [])],
            },
        )
        goals[id(g)] = goal
        for a in g.get("actions", []):
            plans.add_action(lead, case, goal, _action(members, network, resources, a))
        for sc in g.get("scores", []):
            plans.add_score(
                lead,
                case,
                goal,
                {
                    "scored_on": sc["on"],
                    "family_score": sc.get("family"),
                    "professional_score": sc.get("professional"),
                    "one_point_higher": sc.get("higher", ""),
                },
            )

    def set_status(g: dict[str, Any]) -> None:
        goal = goals[id(g)]
        plans.set_goal_status(
            lead,
            case,
            goal,
            expected_version=goal.version,
            status=GoalStatus(g["status"]),
            on=g["status_on"],
            reason=g["status_reason"],
        )

    def agree(a: dict[str, Any]) -> None:
        plans.finalise_version(
            lead,
            case,
            plan,
            expected_version=plan.version,
            agreed_on=a["on"],
            agreed_how=AgreedHow(a["how"]),
            member_ids=[members[name].id for name in a["by"]],
            note=a.get("note", ""),
        )

    # (date, order within a day, step): an agreement comes last on its day.
    steps: list[tuple[date, int, Callable[[], object]]] = []
    for step in ladder[1:]:
        steps.append(
            (
                step["on"],
                0,
                partial(
                    plans.change_ladder,
                    lead,
                    case,
                    plan,
                    level=LadderLevel(step["level"]),
                    changed_on=step["on"],
                    reason=step["reason"],
                    climb_back=step.get("climb_back", ""),
                ),
            )
        )
    for step in regie[1:]:
        steps.append(
            (
                step["on"],
                0,
                partial(
                    plans.change_regie,
                    lead,
                    case,
                    plan,
                    regie=Regie(step["regie"]),
                    changed_on=step["on"],
                    reason=step["reason"],
                ),
            )
        )
    for g in spec.get("goals", []):
        steps.append((g.get("added_on", spec["started_on"]), 0, partial(add_goal, g)))
        if g.get("status", "active") != "active":
            steps.append((g["status_on"], 1, partial(set_status, g)))
    for s in spec.get("successes", []):
        steps.append(
            (
                s["on"],
                1,
                partial(
                    plans.add_success,
                    lead,
                    case,
                    plan,
                    noted_on=s["on"],
                    text=s["text"],
                    goal_id=None,
                ),
            )
        )
    for a in spec.get("agreed", []):
        steps.append((a["on"], 2, partial(agree, a)))
    for _day, _order, run in sorted(steps, key=lambda step: (step[0], step[1])):
        db.refresh(plan)  # the plan's collections as they are now
        run()
    return plan, [goals[id(g)] for g in spec.get("goals", [])]


def _regie(value: str | None) -> Regie | None:
    return Regie(value) if value else None


def _level(value: int | None) -> LadderLevel | None:
    return LadderLevel(value) if value else None


def _fresh(obj: T) -> T:
    """Flush what is pending, then reload the object's collections (services add children
    by id, so the loaded collections do not see them)."""
    db.flush()
    db.refresh(obj)
    return obj


def _signal(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "observed_on": data["observed_on"],
        "description": data["description"],
        "source": data["source"],
        "source_confidential": bool(data.get("confidential", False)),
    }


def _step(data: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "done_on": data["done_on"],
        "not_applicable": bool(data.get("not_applicable", False)),
    }
    for name in STEP_FIELDS[data["step"]]:
        if name in STEP_YES_NO:
            row[name] = data.get(name)
        elif name in STEP_DECISIONS:
            row[name] = bool(data.get(name, False))
        else:
            row[name] = data.get(name, "")
    return row


def _condition(data: dict[str, Any]) -> dict[str, Any]:
    """A condition as first agreed: not reviewed yet (a review is recorded afterwards)."""
    reviewed = ConditionState(data.get("state", "not_reviewed")) != ConditionState.NOT_REVIEWED
    return {
        "text": data["text"],
        "starts_on": data["starts_on"],
        "review_on": data.get("review_on"),
        "state": ConditionState.NOT_REVIEWED,
        "reviewed_on": None,
        "note": "" if reviewed else data.get("note", ""),
        "shared_with_family": bool(data.get("shared_with_family", True)),
    }


def _load_condition(
    lead: User, case: Case, concern: SafetyConcern, data: dict[str, Any]
) -> Condition:
    """Add the condition, then record its review (if any), so the history shows both."""
    row = _condition(data)
    condition = safety.add_condition(lead, case, concern, row)
    state = ConditionState(data.get("state", "not_reviewed"))
    if state != ConditionState.NOT_REVIEWED:
        safety.update_condition(
            lead,
            case,
            condition,
            expected_version=condition.version,
            data=row
            | {"state": state, "reviewed_on": data["reviewed_on"], "note": data.get("note", "")},
        )
    return condition


def _open_concern(lead: User, case: Case, plan: Plan | None, spec: dict[str, Any]) -> SafetyConcern:
    members = {m.first_name: m for m in case.family.members}
    if plan is not None:
        _fresh(plan)  # its ladder and regie as they are now
    return safety.open_concern(
        lead,
        case,
        plan,
        title=spec["title"],
        opened_on=spec["opened_on"],
        child_ids=[members[name].id for name in spec["children"]],
        signal=_signal(spec["signal"]),
        regie=_regie(spec.get("regie")),
        level=_level(spec.get("level")),
        change_reason=spec.get("change_reason", ""),
        climb_back=spec.get("climb_back", ""),
    )


def _close_concern(
    lead: User, case: Case, plan: Plan | None, concern: SafetyConcern, spec: dict[str, Any]
) -> None:
    if plan is not None:
        _fresh(plan)
    _fresh(concern)
    safety.close_concern(
        lead,
        case,
        plan,
        concern,
        expected_version=concern.version,
        closed_on=spec["on"],  # quote "on" in YAML, or it reads as True
        reason=spec["reason"],
        regie_return=spec["regie_return"],
        regie=_regie(spec.get("regie")),
        level=_level(spec.get("level")),
    )


def _load_concern(lead: User, case: Case, plan: Plan | None, spec: dict[str, Any]) -> None:
    """A safety concern through the safety services: its signals, the Meldcode steps in
    order, the Signs of Safety map, the safety scale, the conditions and, last, the closing."""
    concern = _open_concern(lead, case, plan, spec)
    for signal in spec.get("signals", []):
        safety.add_signal(lead, case, concern, _signal(signal))
    for step in sorted(spec.get("steps", []), key=lambda s: s["step"]):
        safety.record_step(
            lead, case, _fresh(concern), step["step"], expected_version=None, data=_step(step)
        )
    if spec.get("map"):
        data = {name: spec["map"].get(name, "") for name in MAP_FIELDS}
        safety.save_map(lead, case, _fresh(concern), expected_version=None, data=data)
    for score in spec.get("scores", []):
        safety.add_score(
            lead,
            case,
            concern,
            {
                "scored_on": score["on"],  # quote "on" in YAML, or it reads as True
                "professional_score": score.get("professional"),
                "family_score": score.get("family"),
                "note": score.get("note", ""),
            },
        )
    for condition in spec.get("conditions", []):
        _load_condition(lead, case, concern, condition)
    if spec.get("closed"):
        _close_concern(lead, case, plan, concern, spec["closed"])


# --- conversation notes -------------------------------------------------------------


@dataclass
class NotePeople:
    """What a family's notes refer to by name: team members by e-mail (the author defaults to
    the case lead), network members by name, and plan goals by their index in the YAML."""

    users: dict[str, User]
    lead: User
    network: dict[str, NetworkMember]
    goals: list[Goal]


def _note_part(value: str | dict[str, Any], everything_internal: bool) -> tuple[str, bool]:
    """A part is a text, or {text, internal}; in a note marked internal, every part is."""
    if isinstance(value, dict):
        return value["text"].strip(), everything_internal or bool(value.get("internal", False))
    return value.strip(), everything_internal


def _note_parts(spec: dict[str, Any]) -> dict[PartKind, tuple[str, bool]]:
    everything_internal = bool(spec.get("internal", False))
    return {
        PartKind(name): _note_part(value, everything_internal)
        for name, value in spec.get("parts", {}).items()
    }


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
    row = _agreement(case, people.goals, people.network, spec)
    return row | {
        "owner_kind": OwnerKind(row["owner_kind"]).value,
        "owner_name": row.get("owner_name", ""),
        "due_on": row["due_on"].isoformat() if row.get("due_on") else None,
    }


def _note_data(case: Case, people: NotePeople, spec: dict[str, Any]) -> dict[str, Any]:
    """The data of the note form (see NoteForm.note_data), from a note in the YAML."""
    members = {m.first_name: m for m in case.family.members}
    return {
        "contact_on": spec["contact_on"],
        "kind": ContactKind(spec["kind"]),
        "location": spec.get("location", ""),
        "interpreter_name": spec.get("interpreter_name", ""),
        "interpreter_language": spec.get("interpreter_language", ""),
        "family_member_ids": [members[name].id for name in spec.get("family", [])],
        "network_member_ids": [people.network[name].id for name in spec.get("network", [])],
        "colleague_ids": [people.users[email].id for email in spec.get("colleagues", [])],
        "parts": _note_parts(spec),
        "pending": {
            "scores": _note_scores(people.goals, spec.get("scores", [])),
            "steps": [_note_step(case, people, s) for s in spec.get("steps", [])],
        },
    }


def _load_note(case: Case, plan: Plan | None, people: NotePeople, spec: dict[str, Any]) -> Note:
    """A conversation note through the note services: saved and finalised (its scores and next
    steps go into the plan) unless it stays a draft; then its addenda, if any."""
    author = people.users[spec["author"]] if spec.get("author") else people.lead
    if plan is not None:
        _fresh(plan)  # its goals as they are now
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


# --- referrals ------------------------------------------------------------------------


def _referral(
    lead: User, users: dict[str, User], resources: dict[str, Resource], spec: dict[str, Any]
) -> dict[str, Any]:
    """A referral as first recorded; the owner defaults to the case lead."""
    owner = users[spec["owner"]] if spec.get("owner") else lead
    return {
        "resource_id": resources[spec["resource"]].id,
        "direction": Direction(spec["direction"]),
        "reason": spec["reason"].strip(),
        "family_wants": spec.get("family_wants", "").strip(),
        "family_agreed": spec.get("family_agreed"),
        "own_strength": spec.get("own_strength", "").strip(),
        "owner_id": owner.id,
        "follow_up_on": spec.get("follow_up_on"),
        "status": ReferralStatus(spec.get("status", "proposed")),
    }


def _load_referral(
    lead: User,
    case: Case,
    users: dict[str, User],
    resources: dict[str, Resource],
    spec: dict[str, Any],
) -> Referral:
    """A referral through the referral services, then its later steps in order. A step
    without a date is recorded today, like the first status (the services date that today)."""
    referral = resource_services.add_referral(lead, case, _referral(lead, users, resources, spec))
    for step in spec.get("steps", []):
        resource_services.change_status(
            lead,
            case,
            referral,
            expected_version=referral.version,
            status=ReferralStatus(step["status"]),
            changed_on=step.get("on", clock.today()),  # quote "on" in YAML, or it reads as True
            note=step.get("note", "").strip(),
        )
    return referral
