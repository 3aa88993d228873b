"""The plan's overview: start the plan, change its dates."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from wijkteam.core import clock
from wijkteam.core.permissions import can_edit_case
from wijkteam.plans import services
from wijkteam.plans.forms import PlanForm, StartPlanForm
from wijkteam.plans.models import LadderLevel, Regie
from wijkteam.plans.page import read_plan_page
from wijkteam.plans.queries import get_plan_or_404, latest_social_levels
from wijkteam.plans.views import _plan_url, _today_if_get, bp
from wijkteam.plans.views.second_texts import shown_second_texts
from wijkteam.web.helpers import Page, actor, form_page
from wijkteam.web.loaders import get_case_or_404


@bp.route("/plan")
def show(case_id: int) -> Page:
    """The family's plan: goals, actions, latest scores, ladder, regie and versions."""
    user = actor()
    case = get_case_or_404(case_id, user, with_members=True)
    page = read_plan_page(case)
    can_edit = can_edit_case(user, case)
    if page is None:
        form = StartPlanForm()
        _today_if_get(form.started_on)
        return render_template("plans/start.html", case=case, form=form, can_edit=can_edit)
    plan = page.plan
    # The plan as plain rows (page.py); the family's social ladder and the second texts are
    # read only when the plan's statement found any.
    return render_template(
        "plans/show.html",
        case=case,
        plan=plan,
        strengths=page.strengths,
        can_edit=can_edit,
        draft_changed=services.draft_changed(plan),
        # Each open goal's version when the page was opened, for its quick-score form (written
        # out by the template like the other button forms: a form object per goal cost a
        # twentieth of the page; the POST is read by QuickScoreForm).
        quick_scores={g.id: g.version for g in plan.goals if g.is_open} if can_edit else {},
        social_levels=latest_social_levels(case) if page.social_levels else {},
        sign_offs=page.sign_offs,
        latest_scores=page.latest_scores,
        seconds=shown_second_texts(
            services.second_texts.for_case(case.id),
            {
                key: text
                for goal in plan.goals
                for key, text in services.second_texts.goal_and_action_texts(goal).items()
            },
        )
        if page.second_texts
        else {},
    )


@bp.route("/plan/start", methods=["POST"])
def start(case_id: int) -> Page:
    """Start the plan, with where the family stands on the ladder and who holds regie."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    form = StartPlanForm()
    return form_page(
        form,
        template="plans/start.html",
        context={"case": case, "can_edit": True},
        save=lambda: services.start_plan(
            user,
            case,
            started_on=form.started_on.data or clock.today(),
            evaluation_on=form.evaluation_on.data,
            level=LadderLevel(form.level.data),
            level_reason=form.level_reason.data or "",
            regie=Regie(form.regie.data),
            regie_reason=form.regie_reason.data or "",
        ),
        message=_("The plan is started."),
        done=lambda _plan: _plan_url(case),
    )


@bp.route("/plan/edit", methods=["GET", "POST"])
def edit(case_id: int) -> Page:
    """Change the plan's start and evaluation date."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    plan = get_plan_or_404(case)
    form = PlanForm(obj=plan if request.method == "GET" else None)
    return form_page(
        form,
        template="plans/form.html",
        context={"case": case, "title": _("Plan dates")},
        save=lambda: services.update_plan(
            user, case, plan, expected_version=form.version.data, data=form.plan_data()
        ),
        message=_("The plan is saved."),
        done=lambda _r: _plan_url(case),
        obj=plan,
        typed=form.plan_data,
    )
