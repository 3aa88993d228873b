"""What goes on paper for the family, and what never does.

Everything here is built from what the family may see: no internal note parts or addenda, no
professional reservations, no signal sources, no Meldcode weighing, no contact details or notes
about network members, nothing from another family."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload, selectinload

from wijkteam.audit.actions import action_label
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.network.queries import network_members
from wijkteam.notes.models import Note, NoteStatus, PartKind
from wijkteam.notes.readers import Reader, part_visible_to
from wijkteam.plans.models import ActionStatus, GoalStatus, OwnerKind, Plan
from wijkteam.plans.queries import load_plan
from wijkteam.plans.services import snapshot
from wijkteam.reviews.models import Review, ReviewKind
from wijkteam.safety.models import ConcernStatus, ConditionState, SafetyConcern
from wijkteam.safety.queries import concerns_for_family_file, has_concern_outside_family_file

OPEN_ACTIONS = (ActionStatus.PLANNED, ActionStatus.DOING)


def _shareable_strengths(case: Case, limit: int = 3) -> list[str]:
    notes = db.scalars(
        select(Note)
        .where(Note.case_id == case.id, Note.status == NoteStatus.FINAL)
        .options(selectinload(Note.parts))
        .order_by(Note.contact_on.desc(), Note.id.desc())
        .limit(20)
    )
    strengths = []
    for note in notes:
        part = note.part(PartKind.STRENGTHS)
        if part is not None and part.text and part_visible_to(part, Reader.parents()):
            strengths.append(part.text)
        if len(strengths) == limit:
            break
    return strengths


def _shared_conditions(case: Case) -> list[str]:
    concerns = db.scalars(
        select(SafetyConcern)
        .where(SafetyConcern.case_id == case.id, SafetyConcern.status != ConcernStatus.CLOSED)
        .options(selectinload(SafetyConcern.conditions))
    )
    return [
        c.text
        for concern in concerns
        for c in concern.conditions
        if c.shared_with_family and c.state != ConditionState.ENDED
    ]


def plan_printout(case: Case) -> dict[str, Any] | None:
    """The content of 'Ons plan', or None when there is no plan with goals yet."""
    plan = load_plan(case)
    if plan is None or not plan.goals:
        return None
    helpers: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for goal in plan.goals:
        if goal.status != GoalStatus.ACTIVE:
            continue
        for action in goal.actions:
            if action.status in OPEN_ACTIONS:
                who = action.owner_display or _("the whole family")
                helpers[(action.owner_kind.value, who)].append(action)
    order = {OwnerKind.FAMILY.value: 0, OwnerKind.NETWORK.value: 1, "professional": 2}
    return {
        "case": case,
        "plan": plan,
        "first_names": [m.first_name for m in case.family.members if m.left_household_on is None],
        "active_goals": [g for g in plan.goals if g.status == GoalStatus.ACTIVE],
        "achieved_goals": [g for g in plan.goals if g.status == GoalStatus.ACHIEVED],
        "strengths": _shareable_strengths(case),
        "helpers": sorted(helpers.items(), key=lambda item: (order[item[0][0]], item[0][1])),
        "agreed": plan.versions[-1] if plan.versions else None,
        "conditions": _shared_conditions(case),
        "ladder_level": plan.ladder_level,
        "lead": case.lead,
        "printed_at": datetime.now(UTC),
    }


# What kind of access an audit action is, for the summary in the family's file.
ACCESS_KINDS = ("viewed", "changed", "printed", "refused")


def access_kind(action: str) -> str:
    if action.endswith(".view") or action == "search":
        return "viewed"
    if action.startswith(("print.", "export.")):
        return "printed"
    if action.endswith((".denied", ".refused")):
        return "refused"
    return "changed"


def _access_rows(case: Case) -> list[tuple[datetime, str, str]]:
    """(when, who, action) of every audit row of the case, oldest first: plain columns, no
    objects, because a busy file has thousands.

    While a safety concern of the case is not in the family's file (not told yet, or held
    back), every access to the safety pages is left out too: 'opened a safety concern' on a
    date, or a count of safety views, would hint at what is held back."""
    stmt = (
        select(AuditEvent.at, User.display_name, AuditEvent.action)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.case_id == case.id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    if has_concern_outside_family_file(case):
        safety_reviews = select(Review.id).where(
            Review.case_id == case.id, Review.kind == ReviewKind.SAFETY_DECISION
        )
        stmt = stmt.where(
            ~AuditEvent.action.startswith("safety."),
            ~AuditEvent.detail.contains("/safety"),
            ~and_(AuditEvent.object_type == "Review", AuditEvent.object_id.in_(safety_reviews)),
        )
    return [(at, name or "", action) for at, name, action in db.execute(stmt)]


def _access_log(case: Case) -> list[dict[str, Any]]:
    """Every access, one by one (the JSON export keeps the full list)."""
    return [
        {
            "at": at.isoformat(),
            "who": who,
            "what": action_label(action),
            "kind": access_kind(action),
        }
        for at, who, action in _access_rows(case)
    ]


def _access_summary(case: Case, zone: ZoneInfo, shown_changes: int = 5) -> list[dict[str, Any]]:
    """The access log per person per day (in Dutch time): how often they viewed, changed,
    printed or were refused, and what they changed. Bounded by people x days, not by clicks."""
    days: dict[tuple[date, str], dict[str, Any]] = {}
    for at, who, action in _access_rows(case):
        day = at.astimezone(zone).date()
        row = days.setdefault(
            (day, who),
            {"date": day, "who": who, "counts": dict.fromkeys(ACCESS_KINDS, 0), "changes": {}},
        )
        kind = access_kind(action)
        row["counts"][kind] += 1
        if kind == "changed":
            label = action_label(action)
            row["changes"][label] = row["changes"].get(label, 0) + 1
    summary = []
    for row in days.values():
        changes = list(row["changes"])
        summary.append(
            {
                "date": row["date"],
                "who": row["who"],
                "counts": row["counts"],
                "total": sum(row["counts"].values()),
                "changes": changes[:shown_changes],
                "more_changes": max(0, len(changes) - shown_changes),
            }
        )
    return summary


def family_file(case: Case, *, full_access_log: bool = True) -> dict[str, Any]:
    """The family's file as the family may see it (inzage), JSON-ready. With
    `full_access_log=False` (the PDF) the access log is summarised per person per day
    (`access_summary`) instead of listed click by click (`access_log`)."""
    plan: Plan | None = load_plan(case)
    notes = db.scalars(
        select(Note)
        .where(Note.case_id == case.id, Note.status == NoteStatus.FINAL)
        .options(selectinload(Note.parts), selectinload(Note.addenda), joinedload(Note.author))
        .order_by(Note.contact_on, Note.id)
    )
    # Only what the family has been told about, and not held back with a reason.
    concerns = concerns_for_family_file(case)
    return {
        "family": {
            "name": case.family.name,
            "members": [
                {
                    "first_name": m.first_name,
                    "last_name": m.last_name,
                    "date_of_birth": m.date_of_birth.isoformat() if m.date_of_birth else None,
                    "role": m.role.label,
                    "languages": m.languages,
                }
                for m in case.family.members
            ],
        },
        "case": {
            "opened_on": case.opened_on.isoformat(),
            "question_for_help": case.question_for_help,
            "case_lead": case.lead.display_name,
            "status": case.status.label,
            "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        },
        "plan": None
        if plan is None
        else {
            "current": snapshot(plan),
            "agreed_versions": [
                {
                    "number": v.number,
                    "agreed_on": v.agreed_on.isoformat(),
                    "agreed_by": v.agreed_by,
                    "content": v.snapshot,
                }
                for v in plan.versions
            ],
        },
        "notes": [
            {
                "date": note.contact_on.isoformat(),
                "kind": note.kind.label,
                "written_by": note.author.display_name,
                "parts": [
                    {"part": p.kind.label, "text": p.text}
                    for p in note.ordered_parts
                    if part_visible_to(p, Reader.parents())
                ],
                "addenda": [
                    {"date": a.created_at.isoformat(), "text": a.text}
                    for a in note.addenda
                    if not a.internal
                ],
            }
            for note in notes
        ],
        "network": [
            {
                "name": m.name,
                "kind": m.kind.label,
                "relation": m.relation,
                "support": [k.label for k in m.support_kinds],
                "may_contact": m.may_contact,
                "may_be_told": m.may_be_told,
            }
            for m in network_members(case)
        ],
        "safety": [
            {
                "about": [c.first_name for c in concern.children],
                "opened_on": concern.opened_on.isoformat(),
                "status": concern.status.label,
                "closed_on": concern.closed_on.isoformat() if concern.closed_on else None,
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
                    {
                        "text": c.text,
                        "from": c.starts_on.isoformat(),
                        "review_on": c.review_on.isoformat() if c.review_on else None,
                    }
                    for c in concern.conditions
                    if c.shared_with_family
                ],
            }
            for concern in concerns
        ],
        **(
            {"access_log": _access_log(case)}
            if full_access_log
            else {"access_summary": _access_summary(case, clock.local_zone())}
        ),
        "produced_at": datetime.now(UTC).isoformat(),
    }
