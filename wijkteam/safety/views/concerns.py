"""Safety concerns of the team and of a case: open, read, change, signals, the family's file,
close."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from wijkteam.audit.services import record
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.errors import NotAllowed
from wijkteam.core.permissions import (
    can_edit_case,
    can_see_confidential_source,
    can_see_team_safety,
    can_view_family_file,
)
from wijkteam.network.queries import network_members
from wijkteam.plans.chart import Point, scale_chart
from wijkteam.plans.models import LadderEntry, LadderLevel, Regie, RegieEntry
from wijkteam.plans.queries import load_plan, plan_summary
from wijkteam.reviews.models import ReviewKind
from wijkteam.reviews.queries import latest_status
from wijkteam.safety import services
from wijkteam.safety.forms import (
    CloseConcernForm,
    ConcernForm,
    ConfidenceForm,
    FileAccessForm,
    OpenConcernForm,
    SignalForm,
    set_children,
)
from wijkteam.safety.models import MELDCODE_STEPS, Signal
from wijkteam.safety.queries import (
    concerns_of_case,
    get_concern_or_404,
    signal_history,
    team_open_concerns,
)
from wijkteam.safety.views import _case, _concern_url, bp
from wijkteam.web.helpers import Page, actor, form_page
from wijkteam.web.history import shown_history


def _optional_regie(value: str | None) -> Regie | None:
    return Regie(value) if value else None


def _optional_level(value: str | None) -> LadderLevel | None:
    return LadderLevel(int(value)) if value else None


@bp.route("/safety")
def team() -> str:
    """Team leads: all open safety concerns of the team with their current step."""
    user = actor()
    if not can_see_team_safety(user):
        abort(403)
    page = request.args.get("page", 1, type=int) or 1
    result = team_open_concerns(user, page, current_app.config["PAGE_SIZE"])
    for concern in result.items:
        record(user, "safety.view", case_id=concern.case_id, obj=concern)
    db.commit()
    return render_template("safety/team.html", result=result, today=clock.today())


@bp.route("/cases/<int:case_id>/safety")
def index(case_id: int) -> str:
    """The safety concerns of a case."""
    case = _case(case_id)
    return render_template(
        "safety/index.html",
        case=case,
        concerns=concerns_of_case(case),
        can_edit=can_edit_case(actor(), case),
        today=clock.today(),
    )


@bp.route("/cases/<int:case_id>/safety/new", methods=["GET", "POST"])
def new(case_id: int) -> Page:
    """Open a safety concern with its first signal; say whether regie and the ladder change."""
    user = actor()
    case = _case(case_id, "edit")
    plan = load_plan(case)
    form = OpenConcernForm()
    set_children(form, case.family.members)
    form.set_network(network_members(case))
    if request.method == "GET":
        form.opened_on.data = clock.today()
        form.observed_on.data = clock.today()
    return form_page(
        form,
        template="safety/new.html",
        context={"case": case, "plan": plan},
        save=lambda: services.open_concern(
            user,
            case,
            plan,
            title=form.title.data or "",
            opened_on=form.opened_on.data or clock.today(),
            child_ids=list(form.child_ids.data or []),
            signal=form.signal_data(),
            regie=_optional_regie(form.regie.data),
            level=_optional_level(form.level.data),
            change_reason=form.change_reason.data or "",
            climb_back=form.climb_back.data or "",
        ),
        message=_("The safety concern is opened."),
        done=lambda concern: _concern_url(case, concern),
        obj=case,  # a case closed at the same moment: a conflict page, nothing saved
    )


@bp.route("/cases/<int:case_id>/safety/<int:concern_id>")
def concern(case_id: int, concern_id: int) -> str:
    """A safety concern: signals, the Meldcode steps, the map, the scale and conditions."""
    user = actor()
    case = _case(case_id)
    the_concern = get_concern_or_404(case, concern_id)
    scores = the_concern.valid_scores
    chart = scale_chart(
        [Point(s.scored_on, s.family_score) for s in scores if s.family_score is not None],
        [
            Point(s.scored_on, s.professional_score)
            for s in scores
            if s.professional_score is not None
        ],
        title=_("Safety scale over time"),
        chart_id=f"safety-{the_concern.id}",
    )
    plan = plan_summary(case)
    linked_ladder: list[LadderEntry] = []
    linked_regie: list[RegieEntry] = []
    if plan is not None:
        linked_ladder = [e for e in plan.ladder if e.safety_concern_id == the_concern.id]
        linked_regie = [e for e in plan.regie_history if e.safety_concern_id == the_concern.id]
    return render_template(
        "safety/concern.html",
        case=case,
        concern=the_concern,
        steps={s.step: s for s in the_concern.steps},
        step_numbers=MELDCODE_STEPS,
        chart=chart,
        linked_ladder=linked_ladder,
        linked_regie=linked_regie,
        can_edit=can_edit_case(user, case) and not the_concern.is_closed,
        see_source=can_see_confidential_source(user, case),
        can_decide_file=can_view_family_file(user, case),
        today=clock.today(),
    )


@bp.route("/cases/<int:case_id>/safety/<int:concern_id>/family-file", methods=["GET", "POST"])
def family_file(case_id: int, concern_id: int) -> Page:
    """Is this concern in the family's file? Hold it back with a reason, or show it again."""
    user = actor()
    case = _case(case_id)
    if not can_view_family_file(user, case):
        raise NotAllowed(_l("Only the case lead or the team lead decides what the file holds."))
    the_concern = get_concern_or_404(case, concern_id)
    form = FileAccessForm()
    if request.method == "GET":
        form.version.data = the_concern.version
        form.reason.data = the_concern.file_withheld_reason

    def save() -> list[str]:
        if form.release.data:
            return services.show_in_file(
                user, case, the_concern, expected_version=form.version.data
            )
        return services.hold_back_from_file(
            user,
            case,
            the_concern,
            expected_version=form.version.data,
            reason=form.reason.data or "",
        )

    return form_page(
        form,
        template="safety/family_file.html",
        context={"case": case, "concern": the_concern},
        save=save,
        message=_("Saved: what the family's file holds about this concern."),
        done=lambda _r: _concern_url(case, the_concern),
        obj=the_concern,
        typed=lambda: {"file_withheld_reason": form.reason.data or ""},
    )


@bp.route("/cases/<int:case_id>/safety/<int:concern_id>/edit", methods=["GET", "POST"])
def edit(case_id: int, concern_id: int) -> Page:
    """Change the concern's title, children or status."""
    user = actor()
    case = _case(case_id, "edit")
    the_concern = get_concern_or_404(case, concern_id)
    form = ConcernForm(obj=the_concern if request.method == "GET" else None)
    set_children(form, case.family.members)
    if request.method == "GET":
        form.child_ids.data = [c.id for c in the_concern.children]
    return form_page(
        form,
        template="safety/form.html",
        context={"case": case, "concern": the_concern, "title": _("Change the concern")},
        save=lambda: services.update_concern(
            user,
            case,
            the_concern,
            expected_version=form.version.data,
            title=form.title.data or "",
            status=form.status.data,
            child_ids=list(form.child_ids.data or []),
        ),
        message=_("The concern is saved."),
        done=lambda _r: _concern_url(case, the_concern),
        obj=the_concern,
        typed=lambda: {"title": form.title.data, "status": form.status.data},
    )


@bp.route("/cases/<int:case_id>/safety/<int:concern_id>/signals/new", methods=["GET", "POST"])
def new_signal(case_id: int, concern_id: int) -> Page:
    """Record another signal."""
    user = actor()
    case = _case(case_id, "edit")
    the_concern = get_concern_or_404(case, concern_id)
    form = SignalForm()
    form.set_network(network_members(case))
    if request.method == "GET":
        form.observed_on.data = clock.today()
    return form_page(
        form,
        template="safety/form.html",
        context={"case": case, "concern": the_concern, "title": _("A signal")},
        save=lambda: services.add_signal(user, case, the_concern, form.signal_data()),
        message=_("The signal is recorded."),
        done=lambda _s: _concern_url(case, the_concern),
    )


@bp.route(
    "/cases/<int:case_id>/safety/<int:concern_id>/signals/<int:signal_id>/edit",
    methods=["GET", "POST"],
)
def edit_signal(case_id: int, concern_id: int, signal_id: int) -> Page:
    """Correct a signal (the earlier wording stays in the history)."""
    user = actor()
    case = _case(case_id, "edit")
    the_concern = get_concern_or_404(case, concern_id)
    signal = next((s for s in the_concern.signals if s.id == signal_id), None) or abort(404)
    if signal.source_confidential and not can_see_confidential_source(user, case):
        abort(403)  # correcting would show the confidential source
    form = SignalForm(obj=signal if request.method == "GET" else None)
    form.set_network(network_members(case, include_archived=True))
    return form_page(
        form,
        template="safety/form.html",
        context={
            "case": case,
            "concern": the_concern,
            "title": _("Correct a signal"),
            "history": shown_history(
                signal_history(
                    signal, may_see_confidential=can_see_confidential_source(user, case)
                ),
                Signal,
                form,
                ConfidenceForm,
            ),
        },
        save=lambda: services.update_signal(
            user, case, signal, expected_version=form.version.data, data=form.signal_data()
        ),
        message=_("The signal is corrected."),
        done=lambda _r: _concern_url(case, the_concern),
        obj=signal,
        typed=form.signal_data,
    )


@bp.route(
    "/cases/<int:case_id>/safety/<int:concern_id>/signals/<int:signal_id>/confidence",
    methods=["GET", "POST"],
)
def confidence(case_id: int, concern_id: int, signal_id: int) -> Page:
    """Before acting on a confidence passed on: the agreement with the person who passed it
    on. Only who may see the confidential source (the case lead, the team lead)."""
    user = actor()
    case = _case(case_id, "edit")
    the_concern = get_concern_or_404(case, concern_id)
    signal = next((s for s in the_concern.signals if s.id == signal_id), None) or abort(404)
    if signal.confided_by_id is None:
        abort(404)
    if not can_see_confidential_source(user, case):
        abort(403)  # the form names who passed it on
    form = ConfidenceForm(obj=signal if request.method == "GET" else None)
    if request.method == "GET" and signal.confidence_agreed_on is None:
        form.confidence_agreed_on.data = clock.today()
    name = signal.confided_by.name if signal.confided_by else ""
    return form_page(
        form,
        template="safety/form.html",
        context={
            "case": case,
            "concern": the_concern,
            "title": _("The agreement with %(name)s about what they passed on", name=name),
            "intro": _(
                "Before you act on it: agree with them how you act, and tell the parents up "
                "front that you must act on worries about safety. They are never named to the "
                "family as the source unless they agree."
            ),
        },
        save=lambda: services.record_confidence(
            user, case, signal, expected_version=form.version.data, data=form.confidence_data()
        ),
        message=_("The agreement is saved."),
        done=lambda _r: _concern_url(case, the_concern),
        obj=signal,
        typed=form.confidence_data,
    )


@bp.route("/cases/<int:case_id>/safety/<int:concern_id>/close", methods=["GET", "POST"])
def close(case_id: int, concern_id: int) -> Page:
    """Close the concern: why, and what it takes to give regie back."""
    user = actor()
    case = _case(case_id, "edit")
    the_concern = get_concern_or_404(case, concern_id)
    plan = load_plan(case)
    form = CloseConcernForm()
    if request.method == "GET":
        form.version.data = the_concern.version
        form.closed_on.data = clock.today()
    return form_page(
        form,
        template="safety/close.html",
        context={
            "case": case,
            "concern": the_concern,
            "plan": plan,
            "sign_off": latest_status(case.id, ReviewKind.SAFETY_DECISION, the_concern.id),
        },
        save=lambda: services.close_concern(
            user,
            case,
            plan,
            the_concern,
            expected_version=form.version.data,
            closed_on=form.closed_on.data or clock.today(),
            reason=form.close_reason.data or "",
            regie_return=form.regie_return.data or "",
            regie=_optional_regie(form.regie.data),
            level=_optional_level(form.level.data),
        ),
        message=_("The safety concern is closed."),
        done=lambda _r: _concern_url(case, the_concern),
        obj=the_concern,
        typed=lambda: {
            "close_reason": form.close_reason.data,
            "regie_return": form.regie_return.data,
        },
    )
