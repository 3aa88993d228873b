"""Who looked at or changed the family's file: the access log as the reader of the file may see
it. No row, date or count may point at something that reader may not see:

- rows about a note the reader cannot see (a draft, a note only for the team or for another
  family member) are left out, and so are searches that showed such a note;
- rows about an internal addendum are left out;
- a signal's rows are never listed (a signal can come from someone who does not want the family
  to know they called), nor is holding back part of the file;
- while any safety concern is not in the family's file (not told yet, or held back), every row
  about safety is left out (a date or a count would hint at it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select

from wijkteam.audit.actions import action_label
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.printout import wording
from wijkteam.reviews.models import Review, ReviewKind

# What kind of access an audit action is, for the summary in the family's file.
ACCESS_KINDS = ("viewed", "changed", "printed", "refused")
# Safety rows that are never in the family's file.
# A confidence passed on (safety.confidence) would point at someone who told in confidence.
NEVER_LISTED = ("safety.signal", "safety.confidence", "safety.withhold", "safety.release")


def access_kind(action: str) -> str:
    if action.endswith(".view") or action == "search":
        return "viewed"
    if action.startswith(("print.", "export.")):
        return "printed"
    if action.endswith((".denied", ".refused")):
        return "refused"
    return "changed"


@dataclass(frozen=True)
class Hidden:
    """What the reader of this file may not see, by id."""

    notes: frozenset[int]
    addenda: frozenset[int]
    concerns: frozenset[int]  # safety concerns not in the family's file


def access_rows(case: Case, hidden: Hidden) -> list[tuple[datetime, str, str]]:
    """(when, who, action) of every audit row of the case the reader may see, oldest first:
    plain columns, no objects, because a busy file has thousands."""
    stmt = (
        select(
            AuditEvent.at,
            User.display_name,
            AuditEvent.action,
            AuditEvent.fields,
        )
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.case_id == case.id)
        .where(~or_(*(AuditEvent.action.startswith(a) for a in NEVER_LISTED)))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    if hidden.notes:
        stmt = stmt.where(
            ~and_(AuditEvent.object_type == "Note", AuditEvent.object_id.in_(hidden.notes))
        )
    if hidden.addenda:
        stmt = stmt.where(
            ~and_(
                AuditEvent.object_type == "NoteAddendum", AuditEvent.object_id.in_(hidden.addenda)
            )
        )
    if hidden.concerns:
        safety_reviews = select(Review.id).where(
            Review.case_id == case.id, Review.kind == ReviewKind.SAFETY_DECISION
        )
        stmt = stmt.where(
            ~AuditEvent.action.startswith("safety."),
            ~AuditEvent.detail.contains("/safety"),
            ~and_(AuditEvent.object_type == "Review", AuditEvent.object_id.in_(safety_reviews)),
        )
    hidden_refs = {f"note:{n}" for n in hidden.notes}
    rows = []
    for at, name, action, fields in db.execute(stmt):
        # A search that showed a hidden note would date it.
        if action == "search.view" and hidden_refs.intersection(fields or ()):
            continue
        rows.append((at, name or "", action))
    return rows


def access_log(case: Case, hidden: Hidden) -> list[dict[str, Any]]:
    """Every access, one by one, in the team's local time (the JSON export)."""
    return [
        {
            "at": clock.local(at).isoformat(timespec="seconds"),
            "who": who,
            "what": action_label(action),
            "kind": access_kind(action),
        }
        for at, who, action in access_rows(case, hidden)
    ]


def access_summary(case: Case, hidden: Hidden, shown_changes: int = 5) -> list[dict[str, Any]]:
    """The access log per person per day (in Dutch time): how often they looked, changed,
    printed or were refused, and what they changed. Bounded by people x days, not by clicks."""
    days: dict[tuple[date, str], dict[str, Any]] = {}
    for at, who, action in access_rows(case, hidden):
        day = clock.local(at).date()
        row = days.setdefault(
            (day, who),
            {"date": day, "who": who, "counts": dict.fromkeys(ACCESS_KINDS, 0), "changes": {}},
        )
        kind = access_kind(action)
        row["counts"][kind] += 1
        if kind == "changed":
            what = wording.area_words(wording.area(action))
            row["changes"][what] = row["changes"].get(what, 0) + 1
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
