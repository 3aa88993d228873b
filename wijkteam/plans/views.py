"""The family plan pages: overview, goals with their chart, actions, scores, ladders,
regie, small successes and agreed versions."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from wijkteam.audit.history import revisions_of
from wijkteam.cases.models import Case
from wijkteam.cases.queries import get_member_or_404
from wijkteam.core import clock
from wijkteam.core.permissions import can_edit_case
from wijkteam.network.queries import network_members
from wijkteam.plans import services
from wijkteam.plans.chart import goal_chart
from wijkteam.plans.forms import (
    ActionForm,
    FinaliseForm,
    GoalForm,
    GoalStatusForm,
    LadderForm,
    PlanForm,
    RegieForm,
    ScoreForm,
    SocialLadderForm,
    StartPlanForm,
    SuccessForm,
    VoidScoreForm,
    member_choices,
)
from wijkteam.plans.models import AgreedHow, GoalStatus, LadderLevel, Plan, Regie, SocialLadderLevel
from wijkteam.plans.queries import (
    get_action_or_404,
    get_goal_or_404,
    get_plan_or_404,
    get_score_or_404,
    get_version_or_404,
    latest_social_levels,
    load_plan,
    social_ladder,
)
from wijkteam.resources.queries import team_resources
from wijkteam.web.helpers import Page, actor, form_page, require_login
from wijkteam.web.loaders import get_case_or_404

bp = Blueprint("plans", __name__, url_prefix="/cases/<int:case_id>")


require_login(bp)


@bp.context_processor
def _ladder_levels() -> dict[str, list[LadderLevel]]:
    """The ladder's levels, for its explanation (plans/_ladder_explained.html)."""
    return {"ladder_levels": list(LadderLevel)}


def _plan_url(case: Case) -> str:
    return url_for("plans.show", case_id=case.id)


def _today_if_get(*fields: object) -> None:
    if request.method == "GET":
        for field in fields:
            field.data = clock.today()  # type: ignore[attr-defined]


def _draft_changed(plan: Plan) -> bool:
    """Whether the plan changed since the last agreed version."""
    if not plan.versions:
        return True
    return plan.versions[-1].snapshot != services.snapshot(plan)


@bp.route("/plan")
def show(case_id: int) -> Page:
    """The family's plan: goals, actions, latest scores, ladder, regie and versions."""
    user = actor()
    case = get_case_or_404(case_id, user)
    plan = load_plan(case)
    can_edit = can_edit_case(user, case)
    if plan is None:
        form = StartPlanForm()
        _today_if_get(form.started_on)
        return render_template("plans/start.html", case=case, form=form, can_edit=can_edit)
    return render_template(
        "plans/show.html",
        case=case,
        plan=plan,
        can_edit=can_edit,
        draft_changed=_draft_changed(plan),
        social_levels=latest_social_levels(case),
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
    the_goal = get_goal_or_404(plan, goal_id)
    return render_template(
        "plans/goal.html",
        case=case,
        plan=plan,
        goal=the_goal,
        chart=goal_chart(the_goal, _("Scores for this goal over time")),
        history=revisions_of(the_goal),
        can_edit=can_edit_case(user, case),
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
    form.set_resources(team_resources(case.team_id))
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
    form.set_resources(team_resources(case.team_id))
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


@bp.route("/plan/finalise", methods=["GET", "POST"])
def finalise(case_id: int) -> Page:
    """Record that the family agreed to the plan: this version becomes read-only."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    plan = get_plan_or_404(case)
    form = FinaliseForm()
    form.member_ids.choices = member_choices(case.family.members)
    if request.method == "GET":
        form.version.data = plan.version
        form.agreed_how.data = AgreedHow.IN_PERSON.value
    _today_if_get(form.agreed_on)
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
        ),
        message=_("The agreed version is saved. You can keep working on the next draft."),
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
        "plans/version.html", case=case, plan=plan, version=get_version_or_404(plan, number)
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
