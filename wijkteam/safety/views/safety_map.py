"""The Signs of Safety map, the safety scale and the conditions of a concern."""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _

from wijkteam.audit.history import revisions_of
from wijkteam.core import clock
from wijkteam.plans.forms import VoidScoreForm
from wijkteam.safety import services
from wijkteam.safety.forms import ConditionForm, MapForm, SafetyScoreForm
from wijkteam.safety.models import Condition
from wijkteam.safety.queries import get_concern_or_404
from wijkteam.safety.views import _case, _concern_url, bp
from wijkteam.web.helpers import Page, actor, form_page
from wijkteam.web.history import shown_history


@bp.route("/cases/<int:case_id>/safety/<int:concern_id>/map", methods=["GET", "POST"])
def safety_map(case_id: int, concern_id: int) -> Page:
    """Write the Signs of Safety map."""
    user = actor()
    case = _case(case_id, "edit")
    the_concern = get_concern_or_404(case, concern_id)
    current = the_concern.safety_map
    form = MapForm(obj=current if request.method == "GET" else None)
    return form_page(
        form,
        template="safety/map_form.html",
        context={"case": case, "concern": the_concern},
        save=lambda: services.save_map(
            user, case, the_concern, expected_version=form.version.data, data=form.map_data()
        ),
        message=_("The Signs of Safety map is saved."),
        done=lambda _m: _concern_url(case, the_concern),
        obj=current,
        typed=form.map_data,
    )


@bp.route("/cases/<int:case_id>/safety/<int:concern_id>/scores/new", methods=["GET", "POST"])
def new_score(case_id: int, concern_id: int) -> Page:
    """Score the safety scale."""
    user = actor()
    case = _case(case_id, "edit")
    the_concern = get_concern_or_404(case, concern_id)
    form = SafetyScoreForm()
    if request.method == "GET":
        form.scored_on.data = clock.today()
    return form_page(
        form,
        template="safety/form.html",
        context={
            "case": case,
            "concern": the_concern,
            "title": _("Safety scale"),
            "intro": _(
                "On a scale of 0 to 10, where 10 means the children are safe "
                "enough to close the case and 0 means things are so bad that the "
                "children cannot stay: where are we now?"
            ),
        },
        save=lambda: services.add_score(user, case, the_concern, form.score_data()),
        message=_("The safety score is saved."),
        done=lambda _s: _concern_url(case, the_concern),
    )


@bp.route(
    "/cases/<int:case_id>/safety/<int:concern_id>/scores/<int:score_id>/void",
    methods=["GET", "POST"],
)
def void_score(case_id: int, concern_id: int, score_id: int) -> Page:
    """Strike out a wrong safety score."""
    user = actor()
    case = _case(case_id, "edit")
    the_concern = get_concern_or_404(case, concern_id)
    score = next((s for s in the_concern.scores if s.id == score_id), None) or abort(404)
    form = VoidScoreForm()
    if request.method == "GET":
        form.version.data = score.version
    return form_page(
        form,
        template="safety/form.html",
        context={"case": case, "concern": the_concern, "title": _("Strike out a score")},
        save=lambda: services.void_score(
            user,
            case,
            score,
            expected_version=form.version.data,
            reason=form.void_reason.data or "",
        ),
        message=_("The score is struck out."),
        done=lambda _r: _concern_url(case, the_concern),
        obj=score,
        typed=lambda: {"void_reason": form.void_reason.data},
    )


@bp.route("/cases/<int:case_id>/safety/<int:concern_id>/conditions/new", methods=["GET", "POST"])
def new_condition(case_id: int, concern_id: int) -> Page:
    """Set a condition for the parents for the children's safety."""
    user = actor()
    case = _case(case_id, "edit")
    the_concern = get_concern_or_404(case, concern_id)
    form = ConditionForm()
    if request.method == "GET":
        form.starts_on.data = clock.today()
    return form_page(
        form,
        template="safety/form.html",
        context={"case": case, "concern": the_concern, "title": _("A condition")},
        save=lambda: services.add_condition(user, case, the_concern, form.condition_data()),
        message=_("The condition is saved."),
        done=lambda _c: _concern_url(case, the_concern),
    )


@bp.route(
    "/cases/<int:case_id>/safety/<int:concern_id>/conditions/<int:condition_id>/edit",
    methods=["GET", "POST"],
)
def edit_condition(case_id: int, concern_id: int, condition_id: int) -> Page:
    """Record whether a condition is kept, or change it."""
    user = actor()
    case = _case(case_id, "edit")
    the_concern = get_concern_or_404(case, concern_id)
    condition = next((c for c in the_concern.conditions if c.id == condition_id), None) or abort(
        404
    )
    form = ConditionForm(obj=condition if request.method == "GET" else None)
    return form_page(
        form,
        template="safety/form.html",
        context={
            "case": case,
            "concern": the_concern,
            "title": _("A condition"),
            "history": shown_history(revisions_of(condition), Condition, form),
        },
        save=lambda: services.update_condition(
            user,
            case,
            condition,
            expected_version=form.version.data,
            data=form.condition_data(),
        ),
        message=_("The condition is saved."),
        done=lambda _r: _concern_url(case, the_concern),
        obj=condition,
        typed=form.condition_data,
    )
