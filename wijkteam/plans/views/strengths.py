"""What goes on the family's paper as "what you are good at": the strengths chosen, the
candidates from the conversation notes, and a strength written in the family's words."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.core.errors import FieldError
from wijkteam.core.permissions import can_edit_case
from wijkteam.plans import services
from wijkteam.plans.forms import (
    ChooseStrengthForm,
    MoveStrengthForm,
    RemoveStrengthForm,
    StrengthTextForm,
)
from wijkteam.plans.models import Plan
from wijkteam.plans.queries import get_plan_or_404, get_strength_or_404
from wijkteam.plans.views import bp
from wijkteam.web.helpers import Page, actor, claim_posted, form_page
from wijkteam.web.loaders import get_case_or_404

strengths_service = services.strengths


def _strengths_url(case: Case) -> str:
    return url_for("plans.strengths", case_id=case.id)


def _context(case: Case, plan: Plan, can_edit: bool) -> dict[str, object]:
    candidates, more = strengths_service.candidate_parts(case)
    return {
        "case": case,
        "plan": plan,
        "can_edit": can_edit,
        "candidates": candidates,
        "more_candidates": more,
        "max_candidates": strengths_service.MAX_CANDIDATES,
        "chosen_part_ids": {s.note_part_id for s in plan.strengths if s.note_part_id},
        "full": len(plan.strengths) >= services.MAX_STRENGTHS,
        "max_strengths": services.MAX_STRENGTHS,
    }


@bp.route("/plan/strengths", methods=["GET", "POST"])
def strengths(case_id: int) -> Page:
    """The strengths on paper and the ones to choose from; a POST writes one for the paper."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit" if request.method == "POST" else "view")
    plan = get_plan_or_404(case)
    form = StrengthTextForm()
    return form_page(
        form,
        template="plans/strengths.html",
        context=_context(case, plan, can_edit_case(user, case)),
        save=lambda: strengths_service.add_text(user, case, plan, form.text.data or ""),
        message=_("The strength goes on paper."),
        done=lambda _s: _strengths_url(case),
    )


def _button(case: Case, plan: Plan, form: FlaskForm, run: Callable[[], object], done: str) -> Page:
    """A button on the strengths page (no typed text to keep): run the service, commit once and
    go back to the page; a refusal shows the page again with the reason (422). A second POST of
    the same button's form (a double click) changes nothing more."""
    try:
        if not form.validate_on_submit():
            messages = [str(e) for errors in form.errors.values() for e in errors]
            raise FieldError("", " ".join(messages))
        submission = claim_posted(form)
        if isinstance(submission, Response):
            return submission
        run()
        if submission is not None:
            submission.target = _strengths_url(case)
        db.commit()
    except FieldError as error:
        db.rollback()
        context = _context(case, plan, True)
        return render_template(
            "plans/strengths.html",
            form=StrengthTextForm(formdata=None),
            refused=str(error.message),
            **context,
        ), 422
    flash(done, "success")
    return redirect(_strengths_url(case))


@bp.route("/plan/strengths/add", methods=["POST"])
def add_strength(case_id: int) -> Page:
    """Put a strengths or compliments part of a note on paper."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    plan = get_plan_or_404(case)
    form = ChooseStrengthForm()
    return _button(
        case,
        plan,
        form,
        lambda: strengths_service.add_from_note_part(user, case, plan, form.note_part_id.data),
        _("The strength goes on paper."),
    )


@bp.route("/plan/strengths/<int:strength_id>/remove", methods=["POST"])
def remove_strength(case_id: int, strength_id: int) -> Page:
    """Take a strength off the paper."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    plan = get_plan_or_404(case)
    strength = get_strength_or_404(plan, strength_id)
    return _button(
        case,
        plan,
        RemoveStrengthForm(),
        lambda: strengths_service.remove(user, case, plan, strength.id),
        _("The strength is taken off the paper."),
    )


@bp.route("/plan/strengths/<int:strength_id>/move", methods=["POST"])
def move_strength(case_id: int, strength_id: int) -> Page:
    """Move a strength one place up or down on paper."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    plan = get_plan_or_404(case)
    strength = get_strength_or_404(plan, strength_id)
    form = MoveStrengthForm()
    return _button(
        case,
        plan,
        form,
        lambda: strengths_service.move(user, case, plan, strength.id, form.direction.data),
        _("The order on paper is changed."),
    )
