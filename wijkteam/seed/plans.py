"""A family plan with its history, replayed in date order through the plan services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from wijkteam.auth.models import User
from wijkteam.cases.models import Case, FamilyMember
from wijkteam.core.db import db
from wijkteam.network.models import NetworkMember
from wijkteam.notes.models import Note, PartKind
from wijkteam.plans import services as plans
from wijkteam.plans.models import (
    ActionStatus,
    AgreedHow,
    ExplainedHow,
    Goal,
    GoalStatus,
    LadderLevel,
    OwnerKind,
    Plan,
    Regie,
    Repeats,
    SecondTextOf,
    WrittenHow,
)
from wijkteam.resources.models import Resource
from wijkteam.seed.common import fresh, members_by_name
from wijkteam.seed.network import network_owner

# A step of the plan's history: (date, order within a day, what to do). Within a day, changes
# of the ladder and regie and new goals come first, then goal outcomes and successes, and an
# agreement on the plan comes last.
Step = tuple[date, int, Callable[[], object]]
FIRST, THEN, LAST = 0, 1, 2


def _action_owner(
    members: dict[str, FamilyMember], network: dict[str, NetworkMember], a: dict[str, Any]
) -> dict[str, Any]:
    kind = OwnerKind(a["owner_kind"])
    if kind == OwnerKind.FAMILY:
        owner = members.get(a.get("owner", ""))
        return {"owner_kind": kind, "owner_member_id": owner.id if owner else None}
    if kind == OwnerKind.NETWORK:
        return network_owner(network, a["owner"])
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
        "repeats": Repeats(a.get("repeats", "once")),
        "status": ActionStatus(a.get("status", "planned")),
        "resource_id": resources[a["resource"]].id if a.get("resource") else None,
    }


def _score(sc: dict[str, Any]) -> dict[str, Any]:
    """A goal's scaling score."""
    return {
        "scored_on": sc["on"],
        "family_score": sc.get("family"),
        "professional_score": sc.get("professional"),
        "one_point_higher": sc.get("higher", ""),
    }


@dataclass
class _Replay:
    """One plan and what its history refers to; each method is one kind of step."""

    lead: User
    case: Case
    plan: Plan
    members: dict[str, FamilyMember]
    network: dict[str, NetworkMember]
    resources: dict[str, Resource]
    # The goals added so far, by the id() of their entry in the YAML.
    goals: dict[int, Goal] = field(default_factory=dict)

    def change_ladder(self, step: dict[str, Any]) -> None:
        plans.change_ladder(
            self.lead,
            self.case,
            self.plan,
            level=LadderLevel(step["level"]),
            changed_on=step["on"],
            reason=step["reason"],
            climb_back=step.get("climb_back", ""),
        )

    def change_regie(self, step: dict[str, Any]) -> None:
        plans.change_regie(
            self.lead,
            self.case,
            self.plan,
            regie=Regie(step["regie"]),
            changed_on=step["on"],
            reason=step["reason"],
        )

    def add_goal(self, g: dict[str, Any]) -> None:
        """The goal, then its actions and scores."""
        goal = plans.add_goal(
            self.lead,
            self.case,
            self.plan,
            {
                "text": g["text"],
                "why_it_matters": g.get("why", ""),
                "first_step": g.get("first_step", ""),
                "reservations": g.get("reservations", ""),
                "member_ids": [self.members[name].id for name in g.get("about", [])],
            },
        )
        self.goals[id(g)] = goal
        actions = [
            plans.add_action(
                self.lead, self.case, goal, _action(self.members, self.network, self.resources, a)
            )
            for a in g.get("actions", [])
        ]
        for sc in g.get("scores", []):
            plans.add_score(self.lead, self.case, goal, _score(sc))
        if g.get("second_texts"):
            db.refresh(goal)  # its actions as they are now
        for spec in g.get("second_texts", []):
            self.add_second_texts(goal, actions, spec)

    def add_second_texts(self, goal: Goal, actions: list[Any], spec: dict[str, Any]) -> None:
        """The goal and some of its actions in the family's language (issue 19): {lang, how,
        goal: text, actions: [{action: its number in the goal's list, text}]}."""
        texts = {(SecondTextOf.GOAL.value, goal.id): spec["goal"]} if spec.get("goal") else {}
        for a in spec.get("actions", []):
            texts[(SecondTextOf.ACTION.value, actions[a["action"] - 1].id)] = a["text"]
        plans.second_texts.save_second_texts(
            self.lead, self.case, goal, spec["lang"], WrittenHow(spec["how"]), texts
        )

    def set_goal_status(self, g: dict[str, Any]) -> None:
        goal = self.goals[id(g)]
        plans.set_goal_status(
            self.lead,
            self.case,
            goal,
            expected_version=goal.version,
            status=GoalStatus(g["status"]),
            on=g["status_on"],
            reason=g["status_reason"],
        )

    def add_success(self, s: dict[str, Any]) -> None:
        plans.add_success(
            self.lead,
            self.case,
            self.plan,
            noted_on=s["on"],
            text=s["text"],
            goal_id=None,
        )

    def agree(self, a: dict[str, Any]) -> None:
        plans.finalise_version(
            self.lead,
            self.case,
            self.plan,
            expected_version=self.plan.version,
            agreed_on=a["on"],
            agreed_how=AgreedHow(a["how"]),
            member_ids=[self.members[name].id for name in a["by"]],
            note=a.get("note", ""),
            explained_how=ExplainedHow(a["explained"]),
            interpreter={
                "interpreter_name": a.get("interpreter_name", ""),
                "interpreter_language": a.get("interpreter", ""),
            },
        )


def _start(lead: User, case: Case, spec: dict[str, Any]) -> Plan:
    """The plan on its first day: the first rung of the ladder and the first regie."""
    ladder, regie = spec["ladder"], spec["regie"]
    return plans.start_plan(
        lead,
        case,
        started_on=spec["started_on"],
        evaluation_on=spec.get("evaluation_on"),
        level=LadderLevel(ladder[0]["level"]),
        level_reason=ladder[0]["reason"],
        regie=Regie(regie[0]["regie"]),
        regie_reason=regie[0]["reason"],
    )


def _history(replay: _Replay, spec: dict[str, Any]) -> list[Step]:
    """Every step after the start, in the order of the YAML (the sort that follows is
    stable, so steps of the same day and order keep that order)."""
    steps: list[Step] = []
    for step in spec["ladder"][1:]:
        steps.append((step["on"], FIRST, partial(replay.change_ladder, step)))
    for step in spec["regie"][1:]:
        steps.append((step["on"], FIRST, partial(replay.change_regie, step)))
    for g in spec.get("goals", []):
        steps.append((g.get("added_on", spec["started_on"]), FIRST, partial(replay.add_goal, g)))
        if g.get("status", "active") != "active":
            steps.append((g["status_on"], THEN, partial(replay.set_goal_status, g)))
    for s in spec.get("successes", []):
        steps.append((s["on"], THEN, partial(replay.add_success, s)))
    for a in spec.get("agreed", []):
        steps.append((a["on"], LAST, partial(replay.agree, a)))
    return steps


def load_plan(
    lead: User,
    case: Case,
    spec: dict[str, Any],
    network: dict[str, NetworkMember],
    resources: dict[str, Resource],
) -> tuple[Plan, list[Goal]]:
    """A plan with its history, replayed in date order through the plan services, so that
    each agreed version holds the plan as it was on the day the family agreed. Returns the
    plan and its goals in the order of the YAML (meetings name a goal by that index)."""
    members = members_by_name(case)
    replay = _Replay(lead, case, _start(lead, case, spec), members, network, resources)
    for _day, _order, run in sorted(_history(replay, spec), key=lambda step: (step[0], step[1])):
        db.refresh(replay.plan)  # the plan's collections as they are now
        run()
    return replay.plan, [replay.goals[id(g)] for g in spec.get("goals", [])]


def _note_part_id(notes: list[Note], spec: dict[str, Any]) -> int:
    """The part of the finished note of that date that a strength names."""
    found = [n for n in notes if n.contact_on == spec["note"] and not n.is_draft]
    if len(found) != 1:
        raise ValueError(f"strengths: {len(found)} finished notes on {spec['note']}, need one")
    part = fresh(found[0]).part(PartKind(spec["part"]))
    if part is None:
        raise ValueError(f"strengths: the note of {spec['note']} has no {spec['part']} part")
    return part.id


def load_strengths(
    lead: User, case: Case, plan: Plan, notes: list[Note], specs: list[dict[str, Any]]
) -> None:
    """What goes on the family's paper as "what you are good at", in the order of the YAML: a
    part of a finished note ({note: date, part: strengths or compliments}) or a text written
    for the paper in the family's words ({text: ...}); after the notes, which it names."""
    for spec in specs:
        if "text" in spec:
            plans.strengths.add_text(lead, case, plan, spec["text"])
        else:
            plans.strengths.add_from_note_part(lead, case, plan, _note_part_id(notes, spec))
