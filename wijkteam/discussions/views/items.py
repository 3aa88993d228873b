"""Bringing a case in: a professional puts the case on the list for the case discussion."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkteam.audit.services import record
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.permissions import can_change_item
from wijkteam.discussions import queries, services
from wijkteam.discussions.forms import ItemForm, VersionOnlyForm
from wijkteam.discussions.models import ItemStatus, Need
from wijkteam.discussions.views import _small_change, bp
from wijkteam.rescue import rescued_form
from wijkteam.web.helpers import Page, actor, form_page
from wijkteam.web.loaders import get_case_or_404

# --- bringing a case in -----------------------------------------------------------------


@bp.route("/cases/<int:case_id>/discussion-items/new", methods=["GET", "POST"])
def new_item(case_id: int) -> Page:
    """A professional brings the case to the case discussion."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    form = rescued_form(ItemForm) or ItemForm()
    return form_page(
        form,
        template="discussions/item_form.html",
        context={"case": case, "item": None},
        save=lambda: services.submit_item(
            user,
            case,
            question=form.question.data or "",
            tried=form.tried.data or "",
            need=Need(form.need.data),
        ),
        message=_("The case is on the list for the case discussion."),
        done=lambda item: url_for("discussions.item", item_id=item.id),
    )


@bp.route("/discussion-items/<int:item_id>")
def item(item_id: int) -> Page:
    """One case brought in: the question, what was tried, and the team's outcome."""
    user = actor()
    the_item = queries.get_item_or_404(user, item_id)
    record(user, "discussion.view", case_id=the_item.case_id, obj=the_item)
    db.commit()
    actions, tasks = queries.follow_ups(the_item)
    return render_template(
        "discussions/item.html",
        item=the_item,
        case=the_item.case,
        actions=actions,
        tasks=tasks,
        can_change=can_change_item(user, the_item),
        can_record=the_item.discussion is not None
        and the_item.status in (ItemStatus.ON_AGENDA, ItemStatus.DISCUSSED)
        and the_item.discussion.held_on <= clock.today(),
        today=clock.today(),
    )


@bp.route("/discussion-items/<int:item_id>/edit", methods=["GET", "POST"])
def edit_item(item_id: int) -> Page:
    user = actor()
    the_item = queries.get_item_or_404(user, item_id)
    if not can_change_item(user, the_item):
        abort(403)
    form = rescued_form(ItemForm) or ItemForm(obj=the_item if request.method == "GET" else None)
    return form_page(
        form,
        template="discussions/item_form.html",
        context={"case": the_item.case, "item": the_item},
        save=lambda: services.update_item(
            user,
            the_item,
            expected_version=form.version.data,
            data={
                "question": form.question.data or "",
                "tried": form.tried.data or "",
                "need": Need(form.need.data),
            },
        ),
        message=_("Your changes are saved."),
        done=lambda _r: url_for("discussions.item", item_id=the_item.id),
        obj=the_item,
        typed=lambda: {
            "question": form.question.data,
            "tried": form.tried.data,
            "need": form.need.data,
        },
    )


@bp.route("/discussion-items/<int:item_id>/withdraw", methods=["POST"])
def withdraw_item(item_id: int) -> Response:
    user = actor()
    the_item = queries.get_item_or_404(user, item_id)
    _small_change(
        VersionOnlyForm(),
        lambda form: services.withdraw_item(user, the_item, expected_version=form.version.data),
        done=_("The case is taken off the list for the case discussion."),
        conflict=_("Someone else changed this in the meantime. Look again and retry."),
    )
    return redirect(url_for("discussions.item", item_id=the_item.id))
