"""Goals, their actions and their scaling scores."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _

from wijkteam.audit.history import revisions_of
from wijkteam.cases.services import team_people
from wijkteam.core import clock
from wijkteam.core.permissions import can_edit_case
from wijkteam.network.queries import network_members
from wijkteam.plans import services
from wijkteam.plans.chart import goal_chart
from wijkteam.plans.forms import (
    ActionForm,
    CheckedForm,
    GoalForm,
    GoalStatusForm,
    QuickScoreForm,
    ScoreForm,
    VoidScoreForm,
    member_choices,
)
from wijkteam.plans.models import Goal, GoalStatus
from wijkteam.plans.queries import (
    get_action_or_404,
    get_goal_or_404,
    get_plan_or_404,
    get_score_or_404,
    with_scores,
)
from wijkteam.plans.views import _today_if_get, bp
from wijkteam.plans.views.second_texts import goal_second_texts
from wijkteam.resources.picker import offer_resources
from wijkteam.web.helpers import Page, actor, form_page, safe_next
from wijkteam.web.history import shown_history
from wijkteam.web.loaders import get_case_or_404


@bp.route("/plan/goals/new", methods=["GET", "POST"])
def new_goal(case_id: int) -> Page:
    """Add a goal in the family's own words."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    plan = get_plan_or_404(case)
    form = GoalForm()
    form.member_ids.choices = member_choices(case.family.members)
    return form_page(
        form,
        template="plans/goal_form.html",
        context={"case": case, "goal": None},
        save=lambda: services.add_goal(user, case, plan, form.goal_data()),
        message=_("The goal is added."),
        done=lambda goal: url_for("plans.goal", case_id=case.id, goal_id=goal.id),
    )


@bp.route("/plan/goals/<int:goal_id>")
def goal(case_id: int, goal_id: int) -> Page:
    """A goal: the family's words, the chart of scores over time, actions and history."""
    user = actor()
    case = get_case_or_404(case_id, user)
    plan = get_plan_or_404(case)
    the_goal = with_scores(get_goal_or_404(plan, goal_id))
    return render_template(
        "plans/goal.html",
        case=case,
        plan=plan,
        goal=the_goal,
        chart=goal_chart(the_goal, _("Scores for this goal over time")),
        history=shown_history(revisions_of(the_goal), Goal, GoalForm, GoalStatusForm),
        can_edit=can_edit_case(user, case),
        today=clock.today(),
        seconds=goal_second_texts(the_goal),
    )


@bp.route("/plan/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def edit_goal(case_id: int, goal_id: int) -> Page:
    """Change a goal's words (its history keeps the earlier text)."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    the_goal = get_goal_or_404(get_plan_or_404(case), goal_id)
    form = GoalForm(obj=the_goal if request.method == "GET" else None)
    form.member_ids.choices = member_choices(case.family.members)
    if request.method == "GET":
        form.member_ids.data = [m.id for m in the_goal.members]
    return form_page(
        form,
        template="plans/goal_form.html",
        context={"case": case, "goal": the_goal},
        save=lambda: services.update_goal(
            user, case, the_goal, expected_version=form.version.data, data=form.goal_data()
        ),
        message=_("The goal is saved."),
        done=lambda _r: url_for("plans.goal", case_id=case.id, goal_id=the_goal.id),
        obj=the_goal,
        typed=lambda: {k: v for k, v in form.goal_data().items() if k != "member_ids"},
    )


@bp.route("/plan/goals/<int:goal_id>/status", methods=["GET", "POST"])
def goal_status(case_id: int, goal_id: int) -> Page:
    """Mark a goal achieved, changed or dropped, with a date and a word on why."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    the_goal = get_goal_or_404(get_plan_or_404(case), goal_id)
    form = GoalStatusForm()
    if request.method == "GET":
        form.version.data = the_goal.version
        form.status.data = (
            GoalStatus.ACHIEVED.value if the_goal.is_open else GoalStatus.ACTIVE.value
        )
    _today_if_get(form.status_on)
    return form_page(
        form,
        template="plans/form.html",
        context={"case": case, "title": _("Status of the goal")},
        save=lambda: services.set_goal_status(
            user,
            case,
            the_goal,
            expected_version=form.version.data,
            status=GoalStatus(form.status.data),
            on=form.status_on.data or clock.today(),
            reason=form.status_reason.data or "",
        ),
        message=_("The goal's status is saved."),
        done=lambda _r: url_for("plans.goal", case_id=case.id, goal_id=the_goal.id),
        obj=the_goal,
        typed=lambda: {"status": form.status.data, "status_reason": form.status_reason.data},
    )


@bp.route("/plan/goals/<int:goal_id>/actions/new", methods=["GET", "POST"])
def new_action(case_id: int, goal_id: int) -> Page:
    """Add an action to a goal, with who does it."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    the_goal = get_goal_or_404(get_plan_or_404(case), goal_id)
    form = ActionForm()
    form.set_members(case.family.members, network_members(case))
    offer_resources(form.resource_id, case.team_id, case_id=case.id)
    form.set_checkers(team_people(case.team_id))
    return form_page(
        form,
        template="plans/action_form.html",
        context={"case": case, "goal": the_goal, "action": None},
        save=lambda: services.add_action(user, case, the_goal, form.action_data()),
        message=_("The action is added."),
        done=lambda _a: url_for("plans.goal", case_id=case.id, goal_id=the_goal.id),
    )


@bp.route("/plan/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit_action(case_id: int, action_id: int) -> Page:
    """Change an action: what, who, when, how far."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    action = get_action_or_404(get_plan_or_404(case), action_id)
    form = ActionForm(obj=action if request.method == "GET" else None)
    form.set_members(case.family.members, network_members(case))
    offer_resources(form.resource_id, case.team_id, case_id=case.id)
    form.set_checkers(team_people(case.team_id))
    return form_page(
        form,
        template="plans/action_form.html",
        context={"case": case, "goal": action.goal, "action": action},
        save=lambda: services.update_action(
            user, case, action, expected_version=form.version.data, data=form.action_data()
        ),
        message=_("The action is saved."),
        done=lambda _r: url_for("plans.goal", case_id=case.id, goal_id=action.goal_id),
        obj=action,
        typed=form.action_data,
    )


@bp.route("/plan/actions/<int:action_id>/checked", methods=["GET", "POST"])
def action_checked(case_id: int, action_id: int) -> Page:
    """We stay responsible: the professional checked that a volunteer's action happens."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    action = get_action_or_404(get_plan_or_404(case), action_id)
    if action.check_by_id is None:
        abort(404)
    form = CheckedForm()
    if request.method == "GET":
        form.version.data = action.version
    return form_page(
        form,
        template="plans/checked.html",
        context={"case": case, "action": action},
        save=lambda: services.mark_checked(
            user, case, action, expected_version=form.version.data, next_on=form.next_on.data
        ),
        message=_("Checked. Thank you for keeping an eye on it."),
        done=lambda _r: safe_next(
            request.args.get("next"),
            url_for("plans.goal", case_id=case.id, goal_id=action.goal_id),
        ),
        obj=action,
        typed=lambda: {"next_on": form.next_on.data},
    )


@bp.route("/plan/goals/<int:goal_id>/scores/new", methods=["GET", "POST"])
def new_score(case_id: int, goal_id: int) -> Page:
    """Record a scaling score (0-10) for this goal."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    the_goal = get_goal_or_404(get_plan_or_404(case), goal_id)
    form = ScoreForm()
    _today_if_get(form.scored_on)
    return form_page(
        form,
        template="plans/score_form.html",
        context={"case": case, "goal": the_goal, "score": None},
        save=lambda: services.add_score(user, case, the_goal, form.score_data()),
        message=_("The score is saved."),
        done=lambda _s: url_for("plans.goal", case_id=case.id, goal_id=the_goal.id),
    )


@bp.route("/plan/goals/<int:goal_id>/scores/quick", methods=["POST"])
def quick_score(case_id: int, goal_id: int) -> Page:
    """The family's score from the plan page, for today: a number, then save. Anything wrong
    (no number, a goal no longer worked on, changed words) shows the full score form with the
    message and the chosen number, which saves from there."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    the_goal = get_goal_or_404(get_plan_or_404(case), goal_id)
    form = QuickScoreForm()
    full_form = url_for("plans.new_score", case_id=case.id, goal_id=the_goal.id)
    return form_page(
        form,
        template="plans/score_form.html",
        context={"case": case, "goal": the_goal, "score": None, "form_action": full_form},
        save=lambda: services.score_from_plan(
            user, case, the_goal, expected_version=form.version.data, data=form.score_data()
        ),
        message=_("The score is saved."),
        done=lambda _s: url_for("plans.show", case_id=case.id, _anchor=f"goal-{the_goal.id}"),
    )


@bp.route("/plan/scores/<int:score_id>/edit", methods=["GET", "POST"])
def edit_score(case_id: int, score_id: int) -> Page:
    """Correct a score (what it was stays in the history)."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    score = get_score_or_404(get_plan_or_404(case), score_id)
    form = ScoreForm(obj=score if request.method == "GET" else None)
    return form_page(
        form,
        template="plans/score_form.html",
        context={"case": case, "goal": score.goal, "score": score},
        save=lambda: services.correct_score(
            user, case, score, expected_version=form.version.data, data=form.score_data()
        ),
        message=_("The score is corrected."),
        done=lambda _r: url_for("plans.goal", case_id=case.id, goal_id=score.goal_id),
        obj=score,
        typed=form.score_data,
    )


@bp.route("/plan/scores/<int:score_id>/void", methods=["GET", "POST"])
def void_score(case_id: int, score_id: int) -> Page:
    """Strike out a wrong score with a reason."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    score = get_score_or_404(get_plan_or_404(case), score_id)
    form = VoidScoreForm()
    if request.method == "GET":
        form.version.data = score.version
    return form_page(
        form,
        template="plans/form.html",
        context={"case": case, "title": _("Strike out a score")},
        save=lambda: services.void_score(
            user,
            case,
            score,
            expected_version=form.version.data,
            reason=form.void_reason.data or "",
        ),
        message=_("The score is struck out."),
        done=lambda _r: url_for("plans.goal", case_id=case.id, goal_id=score.goal_id),
        obj=score,
        typed=lambda: {"void_reason": form.void_reason.data},
    )
