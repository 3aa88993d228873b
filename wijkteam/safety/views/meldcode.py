"""The Meldcode steps of a concern."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from wijkteam.audit.history import revisions_of
from wijkteam.core import clock
from wijkteam.network.queries import network_members
from wijkteam.safety import services
from wijkteam.safety.forms import StepForm
from wijkteam.safety.models import MELDCODE_STEPS, MeldcodeStep, MeldcodeStepNumber
from wijkteam.safety.queries import get_concern_or_404
from wijkteam.safety.views import _case, _concern_url, bp
from wijkteam.web.helpers import Page, actor, form_page
from wijkteam.web.history import shown_history


@bp.route("/cases/<int:case_id>/safety/<int:concern_id>/steps/<int:step>", methods=["GET", "POST"])
def step(case_id: int, concern_id: int, step: int) -> Page:
    """Record or correct one step of the Meldcode."""
    if step not in MELDCODE_STEPS:
        abort(404)
    user = actor()
    case = _case(case_id, "edit")
    the_concern = get_concern_or_404(case, concern_id)
    existing = next((s for s in the_concern.steps if s.step == step), None)
    # A step whose earlier steps are missing is not offered as a form: the page says which
    # step comes first. Posted anyway (an old tab), the form comes back with the message (422).
    missing = services.step_missing_before(the_concern, step)
    form = StepForm()
    if request.method == "GET":
        if existing is not None:
            form.load(existing)
        else:
            form.done_on.data = clock.today()
    if step == 3:
        form.set_interpreters(
            case.family.members, network_members(case), form.done_on.data or clock.today()
        )
    context = {
        "case": case,
        "concern": the_concern,
        "step": MeldcodeStepNumber(step),
        "existing": existing,
        "missing": MeldcodeStepNumber(missing) if missing is not None else None,
        "history": shown_history(revisions_of(existing), MeldcodeStep, form) if existing else [],
    }
    if missing is not None and request.method == "POST":
        form.validate()  # the typed fields' own problems are shown too
        form.form_errors.append(str(services.step_missing_message(missing)))
        return render_template("safety/step.html", form=form, **context), 422
    return form_page(
        form,
        template="safety/step.html",
        context=context,
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
