"""Load the fictional demo data in seed/ through the same services the UI uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from wijkteam.auth.models import Role, Team, User
from wijkteam.auth.services import create_team, create_user
from wijkteam.cases import services as cases
from wijkteam.cases.models import Case, CaseStatus, CloseReason, Custody, MemberRole
from wijkteam.db import db
from wijkteam.plans import services as plans
from wijkteam.plans.models import (
    ActionStatus,
    AgreedHow,
    GoalStatus,
    LadderLevel,
    OwnerKind,
    Regie,
)


@dataclass
class SeedSummary:
    created: dict[str, int] = field(default_factory=lambda: {"teams": 0, "users": 0, "families": 0})
    skipped: dict[str, int] = field(default_factory=lambda: {"teams": 0, "users": 0, "families": 0})
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


def load_seed(path: Path) -> SeedSummary:
    """Create what is missing; what exists (same team name, e-mail, family member) is kept."""
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
            )
            summary.created["users"] += 1
        else:
            summary.skipped["users"] += 1
        users[u["email"]] = user
        summary.logins.append((u["email"], u["role"], team_name or "-"))

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
        if f.get("plan"):  # before a closing: a closed case cannot change
            _load_plan(lead, case, f["plan"])
            db.refresh(case)
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
    db.commit()
    return summary


def _load_plan(lead: User, case: Case, spec: dict[str, Any]) -> None:
    """A plan with its history, replayed in date order through the plan services, so that
    each agreed version holds the plan as it was on the day the family agreed."""
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
    goals: dict[int, Any] = {}

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
            kind = OwnerKind(a["owner_kind"])
            owner_member = members.get(a.get("owner", "")) if kind == OwnerKind.FAMILY else None
            plans.add_action(
                lead,
                case,
                goal,
                {
                    "text": a["text"],
                    "owner_kind": kind,
                    "owner_member_id": owner_member.id if owner_member else None,
                    "owner_name": "" if kind == OwnerKind.FAMILY else a["owner"],
                    "due_on": a.get("due_on"),
                    "status": ActionStatus(a.get("status", "planned")),
                },
            )
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
