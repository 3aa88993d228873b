"""Agreed versions: agree the plan with the family, and read an agreed version."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _

from wijkteam.cases.services import status_after_agreement
from wijkteam.core import clock
from wijkteam.network.queries import network_members
from wijkteam.plans import services
from wijkteam.plans.compare import report
from wijkteam.plans.forms import FinaliseForm, member_choices
from wijkteam.plans.models import AgreedHow, ExplainedHow
from wijkteam.plans.queries import get_plan_or_404, get_version_or_404
from wijkteam.plans.views import _today_if_get, bp
from wijkteam.reviews.queries import version_sign_offs
from wijkteam.web.helpers import Page, actor, form_page
from wijkteam.web.loaders import get_case_or_404


@bp.route("/plan/finalise", methods=["GET", "POST"])
def finalise(case_id: int) -> Page:
    """Record that the family agreed to the plan: this version becomes read-only."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    plan = get_plan_or_404(case)
    form = FinaliseForm()
    form.member_ids.choices = member_choices(case.family.members)
    on, network = form.agreed_on.data or clock.today(), network_members(case)
    form.set_interpreters(case.family.members, network, on)
    form.set_readers(case.family.members, network, on)
    if request.method == "GET":
        form.version.data = plan.version
        form.agreed_how.data = AgreedHow.IN_PERSON.value
    _today_if_get(form.agreed_on)
    moves_to = status_after_agreement(case)
    message = _("The agreed version is saved. You can keep working on the next draft.")
    if moves_to is not None:
        message = _(
            "The agreed version is saved. The case is now '%(status)s'. You can keep working "
            "on the next draft.",
            status=moves_to.label,
        )
    return form_page(
        form,
        template="plans/finalise.html",
        context={"case": case, "plan": plan},
        save=lambda: services.finalise_version(
            user,
            case,
            plan,
            expected_version=form.version.data,
            agreed_on=form.agreed_on.data or clock.today(),
            agreed_how=AgreedHow(form.agreed_how.data),
            member_ids=list(form.member_ids.data or []),
            note=form.note.data or "",
            explained_how=ExplainedHow(form.explained_how.data)
            if form.explained_how.data
            else None,
            interpreter=form.interpreter_data(),
            reader=form.reader_data(),
        ),
        message=message,
        done=lambda v: url_for("plans.version", case_id=case.id, number=v.number),
        obj=plan,
    )


@bp.route("/plan/versions/<int:number>")
def version(case_id: int, number: int) -> Page:
    """An agreed version of the plan, read-only, as the family agreed to it."""
    user = actor()
    case = get_case_or_404(case_id, user)
    plan = get_plan_or_404(case)
    return render_template(
        "plans/version.html",
        case=case,
        plan=plan,
        version=get_version_or_404(plan, number),
        sign_off=version_sign_offs(case).get(number),
    )


@bp.route("/plan/changes")
def changes(case_id: int) -> Page:
    """What was added, changed and ended in the draft since the family last agreed."""
    user = actor()
    case = get_case_or_404(case_id, user)
    plan = get_plan_or_404(case)
    agreed = plan.versions[-1] if plan.versions else None
    return render_template(
        "plans/changes.html",
        case=case,
        plan=plan,
        agreed=agreed,
        report=report(agreed.snapshot, services.snapshot(plan)) if agreed else None,
    )
