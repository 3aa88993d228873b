"""What goes on the family's paper as "what you are good at": strengths and compliments the
professional chooses from the case's final conversation notes, or writes for the paper in the
family's words. A removed strength is marked removed (it stays on record)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, selectinload

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import db, utc_now
from wijkteam.core.errors import FieldError
from wijkteam.core.permissions import require_can_edit_case
from wijkteam.notes.models import Audience, Note, NotePart, NoteStatus, PartKind
from wijkteam.plans.models import Plan, PlanStrength
from wijkteam.plans.services.rules import MAX_STRENGTHS, MAX_TEXT

# The parts of a conversation note that can go on paper.
STRENGTH_KINDS = (PartKind.STRENGTHS, PartKind.COMPLIMENTS)
# Candidates shown on the page, newest first.
MAX_CANDIDATES = 50
DIRECTIONS = ("up", "down")


def _candidate_parts(case: Case) -> Select[NotePart]:
    """The note parts of this case that may go on the family's paper: strengths and
    compliments of final notes, not for the team only, newest first (a part for some family
    members only goes on the paper of a reader who may see it: wijkteam/printout). The one place of
    this rule: the page lists these, and a part is only added when it is one of them."""
    return (
        select(NotePart)
        .join(Note, Note.id == NotePart.note_id)
        .where(
            Note.case_id == case.id,
            Note.status == NoteStatus.FINAL,
            NotePart.kind.in_(STRENGTH_KINDS),
            NotePart.audience != Audience.TEAM,
            NotePart.text != "",
        )
        .options(contains_eager(NotePart.note), selectinload(NotePart.audience_member))
        .order_by(Note.contact_on.desc(), Note.id.desc(), NotePart.id)
    )


def candidate_parts(case: Case, limit: int = MAX_CANDIDATES) -> tuple[list[NotePart], bool]:
    """The newest `limit` candidates, and whether there are more."""
    parts = list(db.scalars(_candidate_parts(case).limit(limit + 1)))
    return parts[:limit], len(parts) > limit


def _current(plan: Plan) -> list[PlanStrength]:
    """The plan's strengths on paper now, in their order (read fresh, not from the plan's
    loaded collection)."""
    return list(
        db.scalars(
            select(PlanStrength)
            .where(PlanStrength.plan_id == plan.id, PlanStrength.removed_at.is_(None))
            .order_by(PlanStrength.position, PlanStrength.id)
        )
    )


def _check_room(plan: Plan, field: str) -> None:
    if len(_current(plan)) >= MAX_STRENGTHS:
        raise FieldError(
            field,
            _l(
                "There are already %(n)d strengths on paper, the most it holds. Remove one first.",
                n=MAX_STRENGTHS,
            ),
        )


def _add(actor: User, case: Case, plan: Plan, field: str, **what: Any) -> PlanStrength:
    last = db.scalar(select(func.max(PlanStrength.position)).where(PlanStrength.plan_id == plan.id))
    strength = PlanStrength(
        plan_id=plan.id, position=(last or 0) + 1, created_by_id=actor.id, **what
    )
    db.add(strength)
    db.flush()
    record(actor, "strength.add", case_id=case.id, obj=strength, fields=[field])
    return strength


def add_from_note_part(actor: User, case: Case, plan: Plan, part_id: int | None) -> PlanStrength:
    """Put a strengths or compliments part of one of this case's final notes on paper."""
    require_can_edit_case(actor, case)
    part = None
    if part_id is not None:
        part = db.scalar(_candidate_parts(case).where(NotePart.id == part_id))
    if part is None:
        raise FieldError(
            "note_part_id", _l("Choose a strength or compliment from this family's notes.")
        )
    if any(s.note_part_id == part.id for s in _current(plan)):
        raise FieldError("note_part_id", _l("This one is on paper already."))
    _check_room(plan, "note_part_id")
    return _add(actor, case, plan, "note_part_id", note_part_id=part.id)


def add_text(actor: User, case: Case, plan: Plan, text: str) -> PlanStrength:
    """Put a strength on paper written for it, in the family's words."""
    require_can_edit_case(actor, case)
    text = text.strip()
    if not text:
        raise FieldError("text", _l("Write what the family is good at."))
    if len(text) > MAX_TEXT:
        raise FieldError("text", _l("Write at most %(n)d characters.", n=MAX_TEXT))
    _check_room(plan, "text")
    return _add(actor, case, plan, "text", text=text)


def _strength_on_paper(plan: Plan, strength_id: int) -> PlanStrength:
    strength = db.get(PlanStrength, strength_id)
    if strength is None or strength.plan_id != plan.id or strength.removed_at is not None:
        raise FieldError("strength_id", _l("This strength is no longer on paper."))
    return strength


def remove(actor: User, case: Case, plan: Plan, strength_id: int) -> PlanStrength:
    """Take a strength off the paper (it stays on record, marked removed)."""
    require_can_edit_case(actor, case)
    strength = _strength_on_paper(plan, strength_id)
    strength.removed_at = utc_now()
    strength.removed_by_id = actor.id
    db.flush()
    record(actor, "strength.remove", case_id=case.id, obj=strength)
    return strength


def move(actor: User, case: Case, plan: Plan, strength_id: int, direction: str) -> PlanStrength:
    """Move a strength one place up or down on paper (at the top or bottom: nothing moves)."""
    require_can_edit_case(actor, case)
    if direction not in DIRECTIONS:
        raise FieldError("direction", _l("Choose up or down."))
    strength = _strength_on_paper(plan, strength_id)
    order = _current(plan)
    at = order.index(strength)
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(order):
        return strength
    order[at], order[to] = order[to], order[at]
    for position, each in enumerate(order, start=1):
        if each.position != position:
            each.position = position
    db.flush()
    record(actor, "strength.move", case_id=case.id, obj=strength, fields=["position"])
    return strength
