"""Asking for and giving sign-off. Requests are made by the plan and safety services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import db, utc_now
from wijkteam.core.editing import create, save_changes
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import can_decide_review
from wijkteam.reviews.models import Review, ReviewKind, ReviewStatus


def request_review(actor: User, case: Case, kind: ReviewKind, ref_id: int, title: str) -> Review:
    """Put an agreed plan version or a safety decision on the team lead's list. The title is
    plain data (family name, concern title); pages add the translated kind."""
    review = Review(
        case_id=case.id,
        kind=kind,
        ref_id=ref_id,
        title=title[:200],
        status=ReviewStatus.WAITING,
        requested_by_id=actor.id,
    )
    return create(actor, review, action="review.request", case_id=case.id)


def waiting_review(case: Case, kind: ReviewKind, ref_id: int) -> Review | None:
    """The request for sign-off of this plan version or safety decision that still waits."""
    return db.scalar(
        select(Review).where(
            Review.case_id == case.id,
            Review.kind == kind,
            Review.ref_id == ref_id,
            Review.status == ReviewStatus.WAITING,
        )
    )


def decide(
    actor: User, review: Review, *, expected_version: int | None, approve: bool, comment: str
) -> None:
    """The team lead (or a second reviewer) approves, or sends back with a comment. Four eyes:
    whoever asked for the sign-off never gives it."""
    if actor.id == review.requested_by_id:
        raise NotAllowed(
            _l(
                "You asked for this sign-off, so someone else gives it: the team lead or a "
                "second reviewer."
            )
        )
    if not can_decide_review(actor, review.case.team_id, review.requested_by_id):
        raise NotAllowed(_l("Only the team lead or a second reviewer signs off."))
    if review.status != ReviewStatus.WAITING:
        raise NotAllowed(_l("This has been decided already."))
    if not approve and not comment.strip():
        raise FieldError("comment", _l("Write what needs another look."))
    save_changes(
        actor,
        review,
        expected_version=expected_version,
        data={
            "status": ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED,
            "comment": comment,
            "decided_by_id": actor.id,
            "decided_at": utc_now(),
        },
        action="review.decide",
        case_id=review.case_id,
    )
