"""The meetings: the overview, planning a meeting, and its agenda."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkteam.audit.services import record
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.permissions import is_team_lead_of
from wijkteam.discussions import queries, services
from wijkteam.discussions.forms import AgendaForm, DiscussionForm, MoveForm, PostponeForm
from wijkteam.discussions.models import CaseDiscussion, ItemStatus
from wijkteam.discussions.views import _small_change, bp
from wijkteam.web.helpers import Page, actor, form_page


@bp.route("/discussions")
def index() -> Page:
    """Meetings to come, cases waiting for a meeting, and earlier meetings."""
    user = actor()
    if user.team_id is None:
        abort(404)
    return render_template(
        "discussions/index.html",
        upcoming=queries.upcoming(user, page=request.args.get("coming", 1, type=int) or 1),
        waiting=queries.waiting_items(
            user,
            page=request.args.get("waiting", 1, type=int) or 1,
            per_page=queries.WAITING_PER_PAGE,
        ),
        past=queries.past(user, request.args.get("page", 1, type=int) or 1),
        is_team_lead=is_team_lead_of(user, user.team_id),
    )


# --- meetings ---------------------------------------------------------------------------


def _discussion_form_page(form: DiscussionForm, discussion: CaseDiscussion | None) -> Page:
    user = actor()
    team = queries.team_members(user)
    waiting = queries.waiting_items(user) if discussion is None else None
    if form.add_guest.data and request.method == "POST":
        form.guests.append_entry()
    form.set_choices(team, waiting.items if waiting else [])
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
    waiting = queries.waiting_items(user) if is_team_lead else None
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
    form.item_ids.choices = [(i.id, i.case.family.name) for i in queries.waiting_items(user).items]
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
