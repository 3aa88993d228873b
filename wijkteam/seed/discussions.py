"""Case discussions (casusoverleg): meetings with their agenda and, for past ones, the
outcome; then the cases still waiting. Dates count from the day the seed is loaded."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from sqlalchemy import select

from wijkteam.auth.models import Team, User
from wijkteam.cases.models import Case, CaseStatus, Family
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.discussions import services as discussions
from wijkteam.discussions.models import CaseDiscussion, DiscussionItem, Need
from wijkteam.plans.models import OwnerKind, Plan


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


def _record_outcome(
    lead: User, users: dict[str, User], item: DiscussionItem, outcome: dict[str, Any]
) -> None:
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


def _load_meeting(lead: User, team: Team, users: dict[str, User], meeting: dict[str, Any]) -> None:
    """A meeting: its agenda submitted, the meeting planned, then the outcomes it has."""
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
        if outcome is not None:
            _record_outcome(lead, users, item, outcome)


def load_discussions(lead: User, team: Team, users: dict[str, User], spec: dict[str, Any]) -> int:
    """Meetings with their agenda (and for past ones the outcome), then cases still waiting.
    Skipped when the team has case discussions already (loading twice changes nothing)."""
    if db.scalar(select(CaseDiscussion.id).where(CaseDiscussion.team_id == team.id).limit(1)):
        return 0
    for meeting in spec.get("meetings", []):
        _load_meeting(lead, team, users, meeting)
    for item_spec in spec.get("waiting", []):
        _submit(team, users, item_spec)
    return len(spec.get("meetings", []))
