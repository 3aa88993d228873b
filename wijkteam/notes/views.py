"""Conversation notes, the case timeline, and search."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _

from wijkteam.audit.services import record
from wijkteam.cases.models import Case
from wijkteam.cases.services import team_people
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.permissions import can_edit_case
from wijkteam.network.queries import network_members
from wijkteam.notes import services
from wijkteam.notes.forms import AddendumForm, NoteForm, audience_value, score_rows_for
from wijkteam.notes.models import Audience, Note
from wijkteam.notes.queries import (
    SEARCH_COUNT_CAP,
    TIMELINE_KINDS,
    get_note_or_404,
    notes_of_case,
    search,
    timeline,
)
from wijkteam.notes.wording import labelling_words
from wijkteam.plans.models import GoalStatus
from wijkteam.plans.owners import owner_value
from wijkteam.plans.queries import load_plan
from wijkteam.rescue import rescuable, rescued_form
from wijkteam.web.forms import clean_text
from wijkteam.web.helpers import Page, actor, form_page, require_login
from wijkteam.web.loaders import get_case_or_404

bp = Blueprint("notes", __name__)
rescuable(bp, "notes.new", "notes.edit")


require_login(bp)


def _note_url(case: Case, note: Note) -> str:
    return url_for("notes.show", case_id=case.id, note_id=note.id)


@bp.route("/cases/<int:case_id>/notes")
def index(case_id: int) -> str:
    """The conversation notes of a case, newest first (drafts only for their author)."""
    user = actor()
    case = get_case_or_404(case_id, user)
    page = request.args.get("page", 1, type=int) or 1
    result = notes_of_case(case, user, page, current_app.config["PAGE_SIZE"])
    return render_template(
        "notes/index.html", case=case, result=result, can_edit=can_edit_case(user, case)
    )


def _note_form_page(case_id: int, note_id: int | None) -> Page:
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    note = get_note_or_404(case, note_id, user) if note_id is not None else None
    if note is not None and not note.is_draft:
        flash(_("A finished note is not changed; add an addendum instead."), "info")
        abort(403)
    plan = load_plan(case)
    goals = [g for g in plan.goals if g.status == GoalStatus.ACTIVE] if plan else []
    form = rescued_form(NoteForm)
    if form is None:
        form = NoteForm(obj=note if request.method == "GET" else None)
        if request.method == "GET":
            if note is None:
                form.contact_on.data = clock.today()
                score_rows_for(form, goals)
            else:
                _load(form, note, goals)
    if request.method == "POST" and form.add_step.data:
        form.steps.append_entry()
    # Choices last: loading a draft may have added step rows that need them too. Ages count on
    # the draft's contact date (the day its audiences were checked against), else today.
    form.set_choices(
        case.family.members,
        network_members(case),
        team_people(case.team_id),
        plan.goals if plan else [],
        day=note.contact_on if note is not None else clock.today(),
        keep=[audience_value(p.audience, p.audience_member_id) for p in note.parts]
        if note is not None
        else (),
    )
    context = {"case": case, "note": note, "goal_texts": {g.id: g.text for g in goals}}
    if request.method == "POST" and form.add_step.data:
        return render_template("notes/form.html", form=form, **context)
    return form_page(
        form,
        template="notes/form.html",
        context=context,
        save=lambda: _nudge(
            services.save_note(
                user,
                case,
                plan,
                note,
                expected_version=form.version.data,
                data=form.note_data(),
                finalise=bool(form.finalise.data),
            )
        ),
        message=_("The note is finished.") if form.finalise.data else _("The draft is saved."),
        done=lambda saved: _note_url(case, saved),
        obj=note,
        typed=lambda: {},
    )


def _nudge(note: Note) -> Note:
    """Point out labelling words in the parts the family may read (a tip, never a block)."""
    words = labelling_words(p.text for p in note.parts if p.audience != Audience.TEAM)
    if words:
        flash(
            _(
                "Tip: the family may read this note. Words like '%(words)s' judge rather than "
                "describe; could you write what you saw or heard instead?",
                words="', '".join(words),
            ),
            "info",
        )
    return note


def _load(form: NoteForm, note: Note, goals: list) -> None:
    """Fill the form from a draft, including its pending scores and next steps."""
    form.family_member_ids.data = [m.id for m in note.family_members]
    form.network_member_ids.data = [m.id for m in note.network_members]
    form.colleague_ids.data = [u.id for u in note.colleagues]
    for part in note.parts:
        form[part.kind.value].data = part.text
        form[f"{part.kind.value}_audience"].data = audience_value(
            part.audience, part.audience_member_id
        )
    score_rows_for(form, goals)
    pending = {row["goal_id"]: row for row in note.pending.get("scores", [])}
    for entry in form.scores.entries:
        row = pending.get(entry.form.goal_id.data)
        if row:
            entry.form.family_score.data = row.get("family_score")
            entry.form.professional_score.data = row.get("professional_score")
            entry.form.one_point_higher.data = row.get("one_point_higher", "")
    steps = note.pending.get("steps", [])
    while len(form.steps.entries) < len(steps) + 1:
        form.steps.append_entry()
    for entry, step in zip(form.steps.entries, steps, strict=False):
        entry.form.text.data = step["text"]
        entry.form.goal_id.data = step.get("goal_id")
        entry.form.owner.data = owner_value(step)
        entry.form.owner_name.data = step.get("owner_name", "")
        entry.form.due_on.data = date.fromisoformat(step["due_on"]) if step.get("due_on") else None


@bp.route("/cases/<int:case_id>/notes/new", methods=["GET", "POST"])
def new(case_id: int) -> Page:
    """Write a conversation note (saved as a draft until finished)."""
    return _note_form_page(case_id, None)


@bp.route("/cases/<int:case_id>/notes/<int:note_id>/edit", methods=["GET", "POST"])
def edit(case_id: int, note_id: int) -> Page:
    """Continue a draft note."""
    return _note_form_page(case_id, note_id)


@bp.route("/cases/<int:case_id>/notes/<int:note_id>", methods=["GET", "POST"])
def show(case_id: int, note_id: int) -> Page:
    """A conversation note with its addenda; the form adds an addendum."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit" if request.method == "POST" else "view")
    note = get_note_or_404(case, note_id, user)
    form = AddendumForm()
    return form_page(
        form,
        template="notes/show.html",
        context={"case": case, "note": note, "can_edit": can_edit_case(user, case)},
        save=lambda: services.add_addendum(
            user, case, note, text=form.text.data or "", internal=bool(form.internal.data)
        ),
        message=_("The addendum is added."),
        done=lambda _a: _note_url(case, note),
    )


@bp.route("/cases/<int:case_id>/timeline")
def case_timeline(case_id: int) -> str:
    """Everything that happened in the case in date order, filterable by kind."""
    user = actor()
    case = get_case_or_404(case_id, user)
    kind = request.args.get("kind", "")
    kind = kind if kind in TIMELINE_KINDS else ""
    page = request.args.get("page", 1, type=int) or 1
    result = timeline(case, user, kind or None, page, current_app.config["PAGE_SIZE"])
    return render_template(
        "notes/timeline.html", case=case, result=result, kind=kind, kinds=TIMELINE_KINDS
    )


@bp.route("/search")
def find() -> str:
    """Search notes and goals in the cases you may see. Every search is audited."""
    user = actor()
    q = clean_text(request.args.get("q", "")).strip()[:200]
    page = request.args.get("page", 1, type=int) or 1
    result = None
    if len(q) >= 2:
        result = search(user, q, page, current_app.config["PAGE_SIZE"])
        record(user, "search", detail=q)
        # Each case whose text this page shows gets a row of its own, so its trail shows that
        # it was seen in a search, with the words and which notes and goals appeared.
        shown: dict[int, list[str]] = {}
        for hit in result.items:
            shown.setdefault(hit.case_id, []).append(f"{hit.kind}:{hit.ref_id}")
        for case_id, objects in shown.items():
            record(user, "search.view", case_id=case_id, fields=objects, detail=q)
        db.commit()  # all rows in one INSERT, however many cases the page shows
    return render_template("notes/search.html", q=q, result=result, cap=SEARCH_COUNT_CAP)
