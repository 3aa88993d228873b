"""Where the family stands: the participation ladder, regie, small successes and an adult's
social participation ladder."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from wijkteam.cases.queries import get_member_or_404
from wijkteam.core import clock
from wijkteam.core.permissions import can_edit_case
from wijkteam.plans import services
from wijkteam.plans.forms import LadderForm, RegieForm, SocialLadderForm, SuccessForm
from wijkteam.plans.models import LadderLevel, Regie, SocialLadderLevel
from wijkteam.plans.queries import get_plan_or_404, social_ladder
from wijkteam.plans.views import _plan_url, _today_if_get, bp
from wijkteam.web.helpers import Page, actor, form_page
from wijkteam.web.loaders import get_case_or_404


@bp.route("/plan/ladder", methods=["GET", "POST"])
def ladder(case_id: int) -> Page:
    """Record a change on the participation ladder (who decides)."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    plan = get_plan_or_404(case)
    form = LadderForm()
    _today_if_get(form.changed_on)
    if request.method == "GET" and plan.ladder_level:
        form.level.data = int(plan.ladder_level)
    return form_page(
        form,
        template="plans/ladder_form.html",
        context={"case": case, "plan": plan},
        save=lambda: services.change_ladder(
            user,
            case,
            plan,
            level=LadderLevel(form.level.data),
            changed_on=form.changed_on.data or clock.today(),
            reason=form.reason.data or "",
            climb_back=form.climb_back.data or "",
        ),
        message=_("The participation ladder is updated."),
        done=lambda _e: _plan_url(case),
    )


@bp.route("/plan/regie", methods=["GET", "POST"])
def regie(case_id: int) -> Page:
    """Record who holds regie from now on."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    plan = get_plan_or_404(case)
    form = RegieForm()
    _today_if_get(form.changed_on)
    return form_page(
        form,
        template="plans/regie_form.html",
        context={"case": case, "plan": plan},
        save=lambda: services.change_regie(
            user,
            case,
            plan,
            regie=Regie(form.regie.data),
            changed_on=form.changed_on.data or clock.today(),
            reason=form.reason.data or "",
        ),
        message=_("Regie is updated."),
        done=lambda _e: _plan_url(case),
    )


@bp.route("/plan/successes/new", methods=["GET", "POST"])
def new_success(case_id: int) -> Page:
    """Write down a small success."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    plan = get_plan_or_404(case)
    form = SuccessForm()
    form.goal_id.choices = [
        SelectChoice("", "—"),
        *(SelectChoice(g.id, g.text[:80]) for g in plan.goals),
    ]
    _today_if_get(form.noted_on)
    return form_page(
        form,
        template="plans/form.html",
        context={"case": case, "title": _("A small success")},
        save=lambda: services.add_success(
            user,
            case,
            plan,
            noted_on=form.noted_on.data or clock.today(),
            text=form.text.data or "",
            goal_id=form.goal_id.data,
        ),
        message=_("The success is noted."),
        done=lambda _s: _plan_url(case),
    )


@bp.route("/members/<int:member_id>/social-ladder", methods=["GET", "POST"])
def social(case_id: int, member_id: int) -> Page:
    """The social participation ladder (VNG) of an adult family member, with history."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit" if request.method == "POST" else "view")
    member = get_member_or_404(case, member_id)
    form = SocialLadderForm()
    _today_if_get(form.recorded_on)
    return form_page(
        form,
        template="plans/social_ladder.html",
        context={
            "case": case,
            "member": member,
            "history": social_ladder(member),
            "can_edit": can_edit_case(user, case),
        },
        save=lambda: services.record_social_ladder(
            user,
            case,
            member,
            level=SocialLadderLevel(form.level.data),
            recorded_on=form.recorded_on.data or clock.today(),
            note=form.note.data or "",
        ),
        message=_("The social participation ladder is updated."),
        done=lambda _e: url_for("plans.social", case_id=case.id, member_id=member.id),
    )
