"""The team lead's sign-off of an agreed plan version or a safety decision."""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from wijkteam.audit.services import record
from wijkteam.core.db import db
from wijkteam.core.permissions import can_decide_review
from wijkteam.plans.forms import text_area
from wijkteam.reviews import services
from wijkteam.reviews.models import ReviewKind, ReviewStatus
from wijkteam.reviews.queries import get_review_or_404
from wijkteam.web.forms import AppForm, VersionField
from wijkteam.web.helpers import Page, actor, form_page

bp = Blueprint("reviews", __name__)


class DecisionForm(AppForm):
    decision = RadioField(
        _l("Your decision"),
        choices=[
            SelectChoice("approve", _l("Approve")),
            SelectChoice("return", _l("Send back with a comment")),
        ],
        validators=[InputRequired(_l("Approve, or send back with a comment."))],
    )
    comment = text_area(_l("Comment"))
    version = VersionField()


def _target(review: object) -> str:
    if review.kind == ReviewKind.PLAN_VERSION:  # type: ignore[attr-defined]
        return url_for("plans.version", case_id=review.case_id, number=review.ref_id)  # type: ignore[attr-defined]
    return url_for("safety.concern", case_id=review.case_id, concern_id=review.ref_id)  # type: ignore[attr-defined]


@bp.route("/reviews/<int:review_id>", methods=["GET", "POST"])
@login_required
def review(review_id: int) -> Page:
    """Look at what is asked to be signed off and decide."""
    user = actor()
    the_review = get_review_or_404(user, review_id)
    may_decide = can_decide_review(user, the_review.case.team_id, the_review.requested_by_id)
    if not may_decide and the_review.requested_by_id != user.id:
        abort(403)
    if request.method == "POST" and not may_decide:
        abort(403)  # who asked may look, never decide
    form = DecisionForm()
    if request.method == "GET":
        form.version.data = the_review.version
        # The page shows the family name, the concern's title and the comment: a view of the
        # case file like any other.
        record(user, "review.view", case_id=the_review.case_id, obj=the_review)
        db.commit()
    return form_page(
        form,
        template="reviews/review.html",
        context={
            "review": the_review,
            "target": _target(the_review),
            "can_decide": may_decide and the_review.status == ReviewStatus.WAITING,
        },
        save=lambda: services.decide(
            user,
            the_review,
            expected_version=form.version.data,
            approve=form.decision.data == "approve",
            comment=form.comment.data or "",
        ),
        message=_("Your decision is saved."),
        done=lambda _r: url_for("dashboard.index"),
        obj=the_review,
        typed=lambda: {"comment": form.comment.data},
    )
