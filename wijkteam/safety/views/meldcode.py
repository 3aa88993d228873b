"""The Meldcode steps of a concern."""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _

from wijkteam.audit.history import revisions_of
from wijkteam.core import clock
from wijkteam.safety import services
from wijkteam.safety.forms import StepForm
from wijkteam.safety.models import MELDCODE_STEPS, MeldcodeStepNumber
from wijkteam.safety.queries import get_concern_or_404
from wijkteam.safety.views import _case, _concern_url, bp
from wijkteam.web.helpers import Page, actor, form_page


@bp.route("/cases/<int:case_id>/safety/<int:concern_id>/steps/<int:step>", methods=["GET", "POST"])
def step(case_id: int, concern_id: int, step: int) -> Page:
    """Record or correct one step of the Meldcode."""
    if step not in MELDCODE_STEPS:
        abort(404)
    user = actor()
    case = _case(case_id, "edit")
    the_concern = get_concern_or_404(case, concern_id)
    existing = next((s for s in the_concern.steps if s.step == step), None)
    form = StepForm()
    if request.method == "GET":
        if existing is not None:
            form.load(existing)
        else:
            form.done_on.data = clock.today()
    return form_page(
        form,
        template="safety/step.html",
        context={
            "case": case,
            "concern": the_concern,
            "step": MeldcodeStepNumber(step),
            "existing": existing,
            "history": revisions_of(existing) if existing else [],
        },
        save=lambda: services.record_step(
            user,
            case,
            the_concern,
            step,
            expected_version=form.version.data,
            data=form.step_data(step),
        ),
        message=_("Step %(n)d is recorded.", n=step),
        done=lambda _s: _concern_url(case, the_concern),
        obj=existing,
        typed=lambda: form.step_data(step),
    )
