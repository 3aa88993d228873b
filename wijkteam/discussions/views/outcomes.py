"""The outcome of a case discussion, and the tasks that come out of it."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkteam.audit.services import record
from wijkteam.core.db import db
from wijkteam.discussions import queries, services
from wijkteam.discussions.forms import OutcomeForm, VersionOnlyForm
from wijkteam.discussions.views import _small_change, bp
from wijkteam.network.queries import network_members
from wijkteam.plans.queries import load_plan
from wijkteam.rescue import rescued_form
from wijkteam.web.helpers import Page, actor, form_page, safe_next

# --- the outcome ------------------------------------------------------------------------


@bp.route("/discussion-items/<int:item_id>/outcome", methods=["GET", "POST"])
def outcome(item_id: int) -> Page:
    """What the team discussed, advised and decided; follow-ups become actions or tasks."""
    user = actor()
    the_item = queries.get_item_or_404(user, item_id)
    case = the_item.case
    plan = load_plan(case)
    form = rescued_form(OutcomeForm) or OutcomeForm(
        obj=the_item if request.method == "GET" else None
    )
    if form.add_follow_up.data and request.method == "POST":
        form.follow_ups.append_entry()
    form.set_choices(
        queries.team_members(user),
        case.family.members,
        network_members(case),
        plan.goals if plan else [],
    )
    context = {"item": the_item, "case": case, "plan": plan}
    if form.add_follow_up.data and request.method == "POST":
        return render_template("discussions/outcome.html", form=form, **context)
    if request.method == "GET":
        record(user, "discussion.view", case_id=case.id, obj=the_item)
        db.commit()
    return form_page(
        form,
        template="discussions/outcome.html",
        context=context,
        save=lambda: services.record_outcome(
            user,
            the_item,
            expected_version=form.version.data,
            summary=form.summary.data or "",
            advice=form.advice.data or "",
            decisions=form.decisions.data or "",
            follow_ups=[row.action_data() for row in form.filled_follow_ups()],
        ),
        message=_("The outcome of the case discussion is saved."),
        done=lambda i: url_for("discussions.item", item_id=i.id),
        obj=the_item,
        typed=lambda: {
            "summary": form.summary.data,
            "advice": form.advice.data,
            "decisions": form.decisions.data,
        },
    )


@bp.route("/tasks/<int:task_id>/done", methods=["POST"])
def task_done(task_id: int) -> Response:
    user = actor()
    task = queries.get_task_or_404(user, task_id)
    _small_change(
        VersionOnlyForm(),
        lambda form: services.finish_task(user, task, expected_version=form.version.data),
        done=_("The task is done."),
        conflict=_("Someone else changed this in the meantime. Look again and retry."),
    )
    return redirect(safe_next(request.form.get("next"), url_for("dashboard.index")))
