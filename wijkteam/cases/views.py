"""Case pages: the list, registering a family, the case page, and editing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms.fields.core import Label

from wijkteam.auth.models import User
from wijkteam.cases import services
from wijkteam.cases.forms import (
    CaseForm,
    CloseCaseForm,
    FamilyForm,
    LeadForm,
    MemberForm,
    NewCaseForm,
    RegisterFamilyForm,
    WayInFields,
    WayInForm,
)
from wijkteam.cases.models import Case, CloseReason, Family
from wijkteam.cases.navigation import case_nav
from wijkteam.cases.page import read_case_page
from wijkteam.cases.queries import (
    case_list,
    get_member_or_404,
)
from wijkteam.closing import queries as closing
from wijkteam.core import clock
from wijkteam.core.errors import NotAllowed
from wijkteam.core.permissions import (
    can_change_lead,
    can_close_case,
    can_edit_case,
    can_record_satisfaction,
    can_register_family,
    can_view_audit,
    can_view_family_file,
    is_team_lead_of,
)
from wijkteam.dashboard.queries import caseload
from wijkteam.discussions.queries import case_items
from wijkteam.keyfigures import services as keyfigure_services
from wijkteam.keyfigures.picker import offer_key_figures
from wijkteam.network.models import Quality
from wijkteam.network.queries import network_members
from wijkteam.plans.enums import GoalStatus
from wijkteam.plans.queries import plan_summary
from wijkteam.resources.picker import offer_resources
from wijkteam.web.forms import search_words
from wijkteam.web.helpers import Page, actor, form_page, require_login
from wijkteam.web.loaders import get_case_or_404

bp = Blueprint("cases", __name__)
# Every page of a case shows the case's own navigation (templates/cases/_case_nav.html).
bp.add_app_template_global(case_nav)


require_login(bp)


@bp.route("/")
def home() -> Response:
    return redirect(url_for("cases.index"))


def _case_url(case: Case) -> str:
    return url_for("cases.show", case_id=case.id)


def _people(team_id: int, user: User | None = None) -> list[tuple[int, str]]:
    """The colleagues who can lead a case; for a team lead with the languages each shared."""
    people = services.team_people(team_id)
    if user is None or not is_team_lead_of(user, team_id):
        return [(u.id, u.display_name) for u in people]
    return [
        (u.id, f"{u.display_name} ({', '.join(u.languages)})" if u.languages else u.display_name)
        for u in people
    ]


def _matching(user: User, team_id: int, family: Family | None) -> dict[str, Any]:
    """What a team lead sees when choosing a case lead or duo: each colleague's profile and
    caseload against the norm, and the family's languages (templates/cases/_matching.html)."""
    if not is_team_lead_of(user, team_id):
        return {"matching": None, "family_languages": [], "family_languages_lower": set()}
    languages = list(
        dict.fromkeys(lang for m in (family.members if family else []) for lang in m.languages)
    )
    return {
        "matching": caseload(user),
        "family_languages": languages,
        "family_languages_lower": {lang.lower() for lang in languages},
    }


@bp.route("/cases")
def index() -> str:
    """The cases of the user's team: by default their own open cases (all for a team lead)."""
    user = actor()
    default_scope = "team" if user.is_teamlead else "mine"
    scope = request.args.get("scope", default_scope)
    scope = scope if scope in ("mine", "team") else default_scope
    status = request.args.get("status", "open")
    status = status if status in ("open", "closed", "all") else "open"
    q = search_words(request.args.get("q", ""))
    page = request.args.get("page", 1, type=int) or 1
    result = case_list(
        user,
        scope=scope,
        status=status,
        q=q,
        page=page,
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "cases/index.html",
        result=result,
        scope=scope,
        status=status,
        q=q,
        can_register=can_register_family(user),
        has_team=user.team_id is not None,
    )


@bp.route("/cases/new", methods=["GET", "POST"])
def new() -> Page:
    """Register a new family with its members and open a case for it."""
    user = actor()
    if not can_register_family(user) or user.team_id is None:
        abort(403)
    form = RegisterFamilyForm()
    form.set_people(_people(user.team_id, user))
    offer_key_figures(form.key_figure_id, user.team_id)
    if request.method == "GET":
        form.lead_id.data = user.id
        form.opened_on.data = clock.today()
    if form.add_member.data and request.method == "POST":
        # Add a row without validating, keeping everything typed so far.
        form.members.append_entry()
        return render_template("cases/new.html", form=form, **_matching(user, user.team_id, None))
    return form_page(
        form,
        template="cases/new.html",
        context=_matching(user, user.team_id, None),
        save=lambda: _with_way_in(
            user,
            form,
            services.register_family(
                user,
                family=form.family_data(),
                members=[m.member_data() for m in form.filled_members()],
                question_for_help=form.question_for_help.data or "",
                lead_id=form.lead_id.data,
                duo_id=form.duo_id.data,
                opened_on=form.opened_on.data or clock.today(),
            ),
        ),
        message=_("The family is registered and the case is open."),
        done=_case_url,
    )


def _with_way_in(user: User, form: WayInFields, case: Case) -> Case:
    """The way in of a case just opened, in the same transaction."""
    keyfigure_services.set_way_in(user, case, form.way_in_data(), new_case=True)
    return case


@bp.route("/cases/<int:case_id>/way-in", methods=["GET", "POST"])
def way_in(case_id: int) -> Page:
    """How the family came to the team: the route, and through an intermediary, who and what
    they did."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    form = WayInForm()
    if request.method == "GET":
        form.version.data = case.version
        form.way_in.data = case.way_in.value if case.way_in else ""
        form.way_in_detail.data = case.way_in_detail
        member = case.way_in_network_member
        form.key_figure_id.data = member.key_figure_id if member else None
        for name in keyfigure_services.VIA_FIELDS:
            getattr(form, name).data = getattr(case, name)
    offer_key_figures(form.key_figure_id, user.team_id)  # after the chosen one is known
    return form_page(
        form,
        template="cases/way_in.html",
        context={"case": case},
        save=lambda: keyfigure_services.set_way_in(
            user, case, form.way_in_data(), expected_version=form.version.data
        ),
        message=_("How the family came in is saved."),
        done=lambda _result: _case_url(case),
        obj=case,
        typed=form.way_in_data,
    )


@bp.route("/cases/<int:case_id>")
def show(case_id: int) -> str:
    """The case page: the family, its members and the case summary."""
    user = actor()
    case = get_case_or_404(case_id, user, with_members=True)
    page = read_case_page(case)
    other_cases = page.other_cases
    return render_template(
        "cases/show.html",
        case=case,
        plan=page.plan,
        family=case.family,
        other_cases=other_cases,
        discussion_items=case_items(case),
        can_open_new_case=(
            case.is_closed
            and can_register_family(user)
            and not any(not other.is_closed for other in other_cases)
        ),
        can_edit=can_edit_case(user, case),
        can_change_lead=can_change_lead(user, case),
        can_close=can_close_case(user, case),
        can_view_audit=can_view_audit(user, case),
        can_view_family_file=can_view_family_file(user, case),
        closing=closing.closing_of(case) if case.is_closed else None,
        staying=closing.staying_involved(case) if case.is_closed else None,
        outcomes=closing.goal_outcomes(case) if case.is_closed else [],
        satisfaction=closing.satisfaction_answers(case) if case.is_closed else [],
        can_record_satisfaction=can_record_satisfaction(user, case),
    )


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
def edit(case_id: int) -> Page:
    """Change the question for help or the status."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    form = CaseForm(obj=case if request.method == "GET" else None)
    return form_page(
        form,
        template="cases/edit.html",
        context={"case": case, "can_change_lead": can_change_lead(user, case)},
        save=lambda: services.update_case(
            user, case, expected_version=form.version.data, data=form.case_data()
        ),
        message=_("The case is saved."),
        done=lambda _result: _case_url(case),
        obj=case,
        typed=form.case_data,
    )


@bp.route("/cases/<int:case_id>/lead", methods=["GET", "POST"])
def change_lead(case_id: int) -> Page:
    """Hand the case over to another case lead or duo colleague (team lead or case lead)."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    if not can_change_lead(user, case):
        raise NotAllowed(_l("Only the team lead or the case lead can change who leads this case."))
    form = LeadForm(obj=case if request.method == "GET" else None)
    form.set_people(_people(case.team_id, user))
    if request.method == "GET":
        form.reason.data = ""
    return form_page(
        form,
        template="cases/lead.html",
        context={
            "case": case,
            "is_teamlead": user.is_teamlead,
            **_matching(user, case.team_id, case.family),
        },
        save=lambda: services.change_lead(
            user, case, expected_version=form.version.data, **form.lead_data()
        ),
        message=_("The case has a new case lead or duo colleague. The people concerned see it."),
        done=lambda _result: _case_url(case),
        obj=case,
        typed=lambda: {k: v for k, v in form.lead_data().items() if k != "reason"},
    )


@bp.route("/cases/<int:case_id>/family/edit", methods=["GET", "POST"])
def edit_family(case_id: int) -> Page:
    """Change the family's details."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    form = FamilyForm(obj=case.family if request.method == "GET" else None)
    return form_page(
        form,
        template="cases/family_form.html",
        context={"case": case},
        save=lambda: services.update_family(
            user, case, expected_version=form.version.data, data=form.family_data()
        ),
        message=_("The family details are saved."),
        done=lambda _result: _case_url(case),
        obj=case.family,
        typed=form.family_data,
    )


@bp.route("/cases/<int:case_id>/members/new", methods=["GET", "POST"])
def new_member(case_id: int) -> Page:
    """Add a person to the family."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    form = MemberForm()
    return form_page(
        form,
        template="cases/member_form.html",
        context={"case": case, "member": None},
        save=lambda: services.add_member(user, case, form.member_data()),
        message=_("The family member is added."),
        done=lambda _result: _case_url(case),
    )


@bp.route("/cases/<int:case_id>/members/<int:member_id>/edit", methods=["GET", "POST"])
def edit_member(case_id: int, member_id: int) -> Page:
    """Change a family member's details."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    member = get_member_or_404(case, member_id)
    form = MemberForm(obj=member if request.method == "GET" else None)
    if request.method == "GET":
        form.languages.data = ", ".join(member.languages)
        form.custody.data = member.custody.value if member.custody else ""
    return form_page(
        form,
        template="cases/member_form.html",
        context={"case": case, "member": member},
        save=lambda: services.update_member(
            user, case, member, expected_version=form.version.data, data=form.member_data()
        ),
        message=_("The family member is saved."),
        done=lambda _result: _case_url(case),
        obj=member,
        typed=form.member_data,
    )


@bp.route("/cases/<int:case_id>/close", methods=["GET", "POST"])
def close(case_id: int) -> Page:
    """Close the case: a reason, where the family stands at the end, who stays involved, the
    aftercare agreement and how the family can come back. Not while a safety concern is open:
    the page names each one (and the service refuses a POST that skips the page)."""
    user = actor()
    case = get_case_or_404(case_id, user, "close")
    form = CloseCaseForm()
    form.set_choices([m for m in network_members(case) if m.quality != Quality.UNSAFE])
    offer_resources(form.resource_ids, case.team_id, blank=None, case_id=case.id)
    goals = closing.closing_goals(case)
    form.match_goals(goals, fresh=request.method == "GET")
    _name_goal_rows(form, goals)
    if request.method == "GET":
        form.version.data = case.version
        form.closed_on.data = clock.today()
        plan = plan_summary(case)
        if plan is not None and plan.ladder:
            form.ladder_level.data = int(plan.ladder[-1].level)
        if plan is not None and plan.regie_history:
            form.regie.data = plan.regie_history[-1].regie.value
        form.come_back.data = _(
            "You can always come back to us. Call or e-mail the neighbourhood team: you do "
            "not have to start all over again, we still know your story."
        )
    return form_page(
        form,
        template="cases/close.html",
        context={"case": case, "open_concerns": closing.open_concerns(case.id)},
        save=lambda: services.close_case(
            user,
            case,
            expected_version=form.version.data,
            reason=CloseReason(form.close_reason.data),
            closed_on=form.closed_on.data or clock.today(),
            note=form.close_note.data or "",
            **form.closing_data(),
        ),
        message=_("The case is closed."),
        done=lambda _result: _case_url(case),
        obj=case,
        typed=form.close_data,
    )


def _name_goal_rows(form: CloseCaseForm, goals: list[Any]) -> None:
    """Each goal's row asks about that goal: its text is the question (the legend of its
    choices) and the family's last score is said under it."""
    by_id = {goal.id: goal for goal in goals}
    for number, entry in enumerate(form.goals.entries, start=1):
        goal = by_id[entry.form.goal_id.data]
        result = entry.form.result
        result.label = Label(result.id, _("Goal %(n)d: %(text)s", n=number, text=goal.text))
        words = entry.form.family_words
        words.label = Label(
            words.id, _("What the family says about goal %(n)d now (optional)", n=number)
        )
        score = closing.last_family_score(goal)
        result.description = (
            _("The family's last score: %(score)d of 10.", score=score)
            if score is not None
            else _("The family gave no score for this goal.")
        )
        if goal.status == GoalStatus.ACHIEVED:
            result.description += " " + _("The plan says this goal was achieved.")


@bp.route("/cases/<int:case_id>/new-case", methods=["GET", "POST"])
def new_case(case_id: int) -> Page:
    """Open a new case for this family after its earlier case was closed."""
    user = actor()
    previous = get_case_or_404(case_id, user)
    form = NewCaseForm()
    form.set_people(_people(previous.team_id, user))
    offer_key_figures(form.key_figure_id, user.team_id)
    if request.method == "GET":
        form.lead_id.data = user.id
        form.opened_on.data = clock.today()
    return form_page(
        form,
        template="cases/new_case.html",
        context={"case": previous, **_matching(user, previous.team_id, previous.family)},
        save=lambda: _with_way_in(
            user,
            form,
            services.open_new_case(
                user,
                previous,
                question_for_help=form.question_for_help.data or "",
                lead_id=form.lead_id.data,
                duo_id=form.duo_id.data,
                opened_on=form.opened_on.data or clock.today(),
            ),
        ),
        message=_("A new case is open for this family."),
        done=_case_url,
    )
