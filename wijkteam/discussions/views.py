"""Case discussions (casusoverleg): bringing a case in, meetings and agenda, outcomes, tasks."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkteam.audit.services import record
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.errors import EditConflict, FieldError
from wijkteam.core.permissions import can_change_item, is_team_lead_of
from wijkteam.discussions import queries, services
from wijkteam.discussions.forms import (
    AgendaForm,
    DiscussionForm,
    ItemForm,
    MoveForm,
    OutcomeForm,
    PostponeForm,
    VersionOnlyForm,
)
from wijkteam.discussions.models import CaseDiscussion, ItemStatus, Need
from wijkteam.network.queries import network_members
from wijkteam.plans.queries import load_plan
from wijkteam.rescue import rescuable, rescued_form
from wijkteam.web.helpers import Page, actor, form_page, require_login, safe_next
from wijkteam.web.loaders import get_case_or_404

bp = Blueprint("discussions", __name__)
# Long texts: a POST that arrives after the session ended is kept and given back after login.
rescuable(bp, "discussions.new_item", "discussions.edit_item", "discussions.outcome")


require_login(bp)


@bp.route("/discussions")
def index() -> Page:
    """Meetings to come, cases waiting for a meeting, and earlier meetings."""
    user = actor()
    if user.team_id is None:
        abort(404)
    return render_template(
        "discussions/index.html",
        upcoming=queries.upcoming(user),
        waiting=queries.waiting_items(user),
        past=queries.past(user, request.args.get("page", 1, type=int) or 1),
        is_team_lead=is_team_lead_of(user, user.team_id),
    )


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


def _small_change(form, run, *, done: str, conflict: str) -> None:
    """A button that changes a record (no typed text to keep): run the service, commit, and
    say what happened: done, someone else changed it first, or what was wrong."""
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return
    try:
        run(form)
        db.commit()
        flash(done, "success")
    except EditConflict:
        db.rollback()
        flash(conflict, "warning")
    except FieldError as error:
        db.rollback()
        flash(str(error.message), "error")


# --- meetings ---------------------------------------------------------------------------


def _discussion_form_page(form: DiscussionForm, discussion: CaseDiscussion | None) -> Page:
    user = actor()
    team = queries.team_members(user)
    waiting = queries.waiting_items(user) if discussion is None else []
    if form.add_guest.data and request.method == "POST":
        form.guests.append_entry()
    form.set_choices(team, waiting)
    context = {"discussion": discussion, "waiting": waiting}
    if form.add_guest.data and request.method == "POST":
        return render_template("discussions/form.html", form=form, **context)
    fields = {
        "held_on": lambda: form.held_on.data or clock.today(),
        "starts_at": lambda: form.starts_at.data,
        "location": lambda: form.location.data or "",
        "attendee_ids": lambda: list(form.attendee_ids.data or []),
        "guests": form.filled_guests,
    }
    if discussion is None:
        return form_page(
            form,
            template="discussions/form.html",
            context=context,
            save=lambda: services.plan_discussion(
                user,
                **{k: f() for k, f in fields.items()},
                item_ids=list(form.item_ids.data or []),
            ),
            message=_("The case discussion is planned."),
            done=lambda d: url_for("discussions.show", discussion_id=d.id),
        )
    return form_page(
        form,
        template="discussions/form.html",
        context=context,
        save=lambda: services.update_discussion(
            user,
            discussion,
            expected_version=form.version.data,
            **{k: f() for k, f in fields.items()},
        ),
        message=_("Your changes are saved."),
        done=lambda _r: url_for("discussions.show", discussion_id=discussion.id),
        obj=discussion,
        typed=lambda: {
            "held_on": form.held_on.data,
            "starts_at": form.starts_at.data,
            "location": form.location.data,
        },
    )


@bp.route("/discussions/new", methods=["GET", "POST"])
def new() -> Page:
    """The team lead plans a case discussion with its first agenda."""
    user = actor()
    if user.team_id is None or not is_team_lead_of(user, user.team_id):
        abort(403)
    form = DiscussionForm()
    if request.method == "GET":
        form.attendee_ids.data = [u.id for u in queries.team_members(user)]
    return _discussion_form_page(form, None)


@bp.route("/discussions/<int:discussion_id>/edit", methods=["GET", "POST"])
def edit(discussion_id: int) -> Page:
    user = actor()
    discussion = queries.get_discussion_or_404(user, discussion_id)
    if not is_team_lead_of(user, discussion.team_id):
        abort(403)
    form = DiscussionForm(obj=discussion if request.method == "GET" else None)
    if request.method == "GET":
        form.attendee_ids.data = [u.id for u in discussion.attendees]
        while len(form.guests.entries) < len(discussion.guests) + 1:
            form.guests.append_entry()
        for entry, guest in zip(form.guests.entries, discussion.guests, strict=False):
            entry.form.name.data = guest.name
            entry.form.role.data = guest.role
    return _discussion_form_page(form, discussion)


@bp.route("/discussions/<int:discussion_id>")
def show(discussion_id: int) -> Page:
    """The meeting: date, people, and the agenda with each case's question and outcome."""
    user = actor()
    discussion = queries.get_discussion_or_404(user, discussion_id)
    agenda = [i for i in discussion.items if i.status != ItemStatus.WITHDRAWN]
    for entry in agenda:
        record(user, "discussion.view", case_id=entry.case_id, obj=entry)
    db.commit()
    is_team_lead = is_team_lead_of(user, discussion.team_id)
    waiting = queries.waiting_items(user) if is_team_lead else []
    return render_template(
        "discussions/show.html",
        discussion=discussion,
        agenda=agenda,
        is_team_lead=is_team_lead,
        waiting=waiting,
        held=discussion.held_on <= clock.today(),
    )


def _agenda_action(discussion_id: int, make_form, run) -> Response:
    """Run a small agenda change (no typed text to keep): on a conflict, show the current
    agenda with a message."""
    user = actor()
    discussion = queries.get_discussion_or_404(user, discussion_id)
    if not is_team_lead_of(user, discussion.team_id):
        abort(403)
    _small_change(
        make_form(user),
        lambda form: run(user, discussion, form),
        done=_("The agenda is changed."),
        conflict=_("Someone else changed the agenda in the meantime. This is the agenda now."),
    )
    return redirect(url_for("discussions.show", discussion_id=discussion.id) + "#agenda")


@bp.route("/discussions/<int:discussion_id>/agenda", methods=["POST"])
def add_to_agenda(discussion_id: int) -> Response:
    def run(user, discussion, form):
        services.add_to_agenda(
            user,
            discussion,
            expected_version=form.version.data,
            item_ids=list(form.item_ids.data or []),
        )

    return _agenda_action(discussion_id, _agenda_form, run)


def _agenda_form(user) -> AgendaForm:
    form = AgendaForm()
    form.item_ids.choices = [(i.id, i.case.family.name) for i in queries.waiting_items(user)]
    return form


@bp.route("/discussions/<int:discussion_id>/items/<int:item_id>/move", methods=["POST"])
def move(discussion_id: int, item_id: int) -> Response:
    def run(user, discussion, form):
        services.move_item(
            user,
            discussion,
            _agenda_item(discussion, item_id),
            expected_version=form.version.data,
            direction=form.direction.data,
        )

    return _agenda_action(discussion_id, lambda _user: MoveForm(), run)


def _agenda_item(discussion: CaseDiscussion, item_id: int):
    for entry in discussion.items:
        if entry.id == item_id:
            return entry
    abort(404)


@bp.route("/discussions/<int:discussion_id>/items/<int:item_id>/postpone", methods=["GET", "POST"])
def postpone(discussion_id: int, item_id: int) -> Page:
    """Take a case off this agenda: back to the waiting list or onto a later meeting."""
    user = actor()
    discussion = queries.get_discussion_or_404(user, discussion_id)
    if not is_team_lead_of(user, discussion.team_id):
        abort(403)
    the_item = _agenda_item(discussion, item_id)
    later = queries.later_meetings(discussion)
    form = PostponeForm()
    form.to_discussion_id.choices = [
        ("", _("Back to the waiting list")),
        *((d.id, d.held_on.strftime("%d-%m-%Y")) for d in later),
    ]
    if request.method == "GET":
        form.version.data = discussion.version
    targets = {d.id: d for d in later}
    return form_page(
        form,
        template="discussions/postpone.html",
        context={"discussion": discussion, "item": the_item},
        save=lambda: services.postpone_item(
            user,
            discussion,
            the_item,
            expected_version=form.version.data,
            to_discussion=targets.get(form.to_discussion_id.data or 0),
        ),
        message=_("The case is postponed."),
        done=lambda _r: url_for("discussions.show", discussion_id=discussion.id),
        obj=discussion,
    )


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
