"""Asking for and giving sign-off. Requests are made by the plan and safety services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from wijkteam.auth.models import Role, User
from wijkteam.cases.models import Case
from wijkteam.db import utc_now
from wijkteam.editing import create, save_changes
from wijkteam.errors import FieldError, NotAllowed
from wijkteam.permissions import in_team
from wijkteam.signoff.models import Review, ReviewKind, ReviewStatus


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


def decide(
    actor: User, review: Review, *, expected_version: int | None, approve: bool, comment: str
) -> None:
    """The team lead approves, or sends back with a comment."""
    if actor.role != Role.TEAMLEAD or not in_team(actor, review.case.team_id):
        raise NotAllowed(_l("Only the team lead signs off."))
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
