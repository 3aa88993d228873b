"""Conversation notes, the case timeline, and search."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from wijkteam.audit.services import record
from wijkteam.cases.models import Case
from wijkteam.cases.services import team_people
from wijkteam.core import clock
from wijkteam.core.db import db, utc_now
from wijkteam.core.errors import EditConflict, FieldError
from wijkteam.core.permissions import can_edit_case
from wijkteam.network.queries import network_members
from wijkteam.notes import services
from wijkteam.notes.forms import (
    AUDIENCE_HELP,
    AddendumForm,
    NoteForm,
    audience_value,
    score_rows_for,
)
from wijkteam.notes.models import Audience, Note
from wijkteam.notes.queries import (
    SEARCH_COUNT_CAP,
    TIMELINE_KINDS,
    LastNote,
    draft_of_form,
    get_note_or_404,
    last_note_by,
    notes_of_case,
    search,
    timeline,
)
from wijkteam.notes.wording import labelling_words
from wijkteam.plans.models import GoalStatus
from wijkteam.plans.owners import owner_value
from wijkteam.plans.queries import plan_with_actions, plan_with_goals
from wijkteam.rescue import rescuable, rescued_form
from wijkteam.submissions import saved_target, valid_form_id
from wijkteam.web.forms import search_words
from wijkteam.web.helpers import Page, actor, form_page, require_login
from wijkteam.web.loaders import get_case_or_404

# A JSON answer to a page's script, with its status.
Answer = Response | tuple[Response, int]

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


@dataclass(frozen=True)
class _People:
    """Who can take part in a conversation: the family's whole network (`everyone`, archived
    members too, as saving checks against) and the team's active people. Read once per
    request: the form offers them and `services.save_note` checks against the same lists."""

    everyone: list[Any]
    team: list[Any]

    @property
    def network(self) -> list[Any]:
        """The network members the form offers: those not archived."""
        return [m for m in self.everyone if m.archived_on is None]

    @property
    def for_saving(self) -> tuple[list[Any], list[Any]]:
        return self.everyone, self.team


def _people(case: Case) -> _People:
    return _People(network_members(case, include_archived=True), team_people(case.team_id))


def _prepare(
    form: NoteForm,
    case: Case,
    plan: Any,
    note: Note | None,
    people: _People | None = None,
) -> None:
    """The options of the form's selects. Called last: loading a draft may have added step
    rows that need them too. Ages count on the draft's contact date (the day its audiences
    were checked against), else today. `people`: _people(case), if already read."""
    people = people or _people(case)
    form.set_choices(
        case.family.members,
        people.network,
        people.team,
        plan.goals if plan else [],
        day=note.contact_on if note is not None else clock.today(),
        keep=[audience_value(p.audience, p.audience_member_id) for p in note.parts]
        if note is not None
        else (),
    )


def _suggest_people(form: NoteForm, case: Case, user: Any, people: _People) -> LastNote | None:
    """A new note suggests who took part, the kind and the place of the user's last note in
    this case (only people still in the family, network and team). Returns that note."""
    last = last_note_by(user, case)
    if last is None:
        return None
    took_part = last.people
    family = [m.id for m in case.family.members]
    form.family_member_ids.data = [i for i in family if i in took_part["family"]]
    form.network_member_ids.data = [m.id for m in people.network if m.id in took_part["network"]]
    form.colleague_ids.data = [u.id for u in people.team if u.id in took_part["colleagues"]]
    form.kind.data = last.kind.value
    form.location.data = last.location
    return last


def _note_form_page(case_id: int, note_id: int | None) -> Page:
    user = actor()
    case = get_case_or_404(case_id, user, "edit", with_members=True)
    note = get_note_or_404(case, note_id, user) if note_id is not None else None
    # Showing the form and saving a draft need the plan's goals only; finishing the note
    # their actions too (its next steps count against the plan's open actions).
    finishing = request.method == "POST" and "finalise" in request.form
    plan = plan_with_actions(case) if finishing else plan_with_goals(case)
    goals = [g for g in plan.goals if g.status == GoalStatus.ACTIVE] if plan else []
    people = _people(case)
    suggested = None
    form = rescued_form(NoteForm)
    if form is None:
        form = NoteForm(obj=note if request.method == "GET" else None)
        if request.method == "GET":
            if note is None:
                form.contact_on.data = clock.today()
                score_rows_for(form, goals)
                suggested = _suggest_people(form, case, user, people)
            else:
                _load(form, note, goals)
    if note is None and request.method == "POST":
        # The draft this form instance started by autosave, before the page knew its address.
        note = draft_of_form(user, case, valid_form_id(form.form_id.data))
    if note is not None and not note.is_draft:
        flash(_("A finished note is not changed; add an addendum instead."), "info")
        abort(403)
    if request.method == "POST" and form.add_step.data:
        form.steps.append_entry()
    _prepare(form, case, plan, note, people)
    context = {
        "case": case,
        "note": note,
        "goal_texts": {g.id: g.text for g in goals},
        "suggested": suggested,
        "audience_help": AUDIENCE_HELP,
        "autosave_url": url_for("notes.autosave", case_id=case.id, note_id=note.id)
        if note is not None
        else url_for("notes.autosave_new", case_id=case.id),
    }
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
                form_id=valid_form_id(form.form_id.data),
                people=people.for_saving,
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
    form.load_interpreter(note)
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


@bp.route("/cases/<int:case_id>/notes/autosave", methods=["POST"])
def autosave_new(case_id: int) -> Answer:
    """Save a new note's draft while it is typed (the page's script; answers JSON)."""
    return _autosave(case_id, None)


@bp.route("/cases/<int:case_id>/notes/<int:note_id>/autosave", methods=["POST"])
def autosave(case_id: int, note_id: int) -> Answer:
    """Save a draft while it is typed (the page's script; answers JSON)."""
    return _autosave(case_id, note_id)


def _autosave(case_id: int, note_id: int | None) -> Answer:
    """Save the draft as typed so far, as "Save as draft" would, but answer in JSON for the
    page's script: the time it was saved and the draft's new version (or why not, and whether
    to stop trying). Never over a newer save (the version check: another tab, another device),
    never for a form saved by hand already, audited once per login (services.save_note)."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit", with_members=True)
    form_id = valid_form_id(request.form.get("autosave_of"))
    if form_id is not None and saved_target(user.id, form_id) is not None:
        return _said(409, _("This form was saved already."), stop=True)
    note = (
        get_note_or_404(case, note_id, user)
        if note_id is not None
        else draft_of_form(user, case, form_id)
    )
    if note is not None and not note.is_draft:
        return _said(409, _("This note is finished; it is not changed any more."), stop=True)
    plan = plan_with_goals(case)  # a draft: its scores and steps wait for the note's end
    form = NoteForm()
    people = _people(case)
    _prepare(form, case, plan, note, people)
    if not form.validate():
        return _said(422, _first_error(form))
    data = form.note_data()
    if note is None and not _has_content(data):
        return jsonify(message="")  # nothing typed yet: no empty draft
    try:
        saved = services.save_note(
            user,
            case,
            plan,
            note,
            expected_version=form.version.data if note is not None else None,
            data=data,
            finalise=False,
            form_id=form_id,
            audited_from=g.get("logged_in_at"),
            people=people.for_saving,
        )
        db.commit()
    except (EditConflict, StaleDataError):
        db.rollback()
        return _said(
            409,
            _(
                "Not saved automatically: this draft was saved elsewhere (another tab or "
                "device) in the meantime. Your text is still here: click 'Save as draft' to "
                "compare."
            ),
            stop=True,
        )
    except IntegrityError:  # the same new form, saved a moment ago by another request
        db.rollback()
        return _said(409, _("Saving at the same moment elsewhere; trying again."))
    except FieldError as error:
        db.rollback()
        return _said(422, str(error.message))
    return jsonify(
        message=_("Saved at %(time)s", time=clock.local(utc_now()).strftime("%H:%M")),
        version=saved.version,
        edit_url=url_for("notes.edit", case_id=case.id, note_id=saved.id),
        autosave_url=url_for("notes.autosave", case_id=case.id, note_id=saved.id),
    )


def _said(status: int, message: str, *, stop: bool = False) -> Answer:
    return jsonify(message=message, stop=stop), status


def _first_error(form: NoteForm) -> str:
    """The first message of an invalid form, with its field's label, for the status line (a
    row's message too: NoteForm.validate puts those on the row's own fields)."""
    for field in form:
        first = next(_messages(field), None)
        if first is not None:
            label = first[0] or field.label.text
            return _(
                "Not saved automatically yet: %(field)s: %(error)s", field=label, error=first[1]
            )
    return _("Not saved automatically yet.")


def _messages(field: Any) -> Iterator[tuple[str, str]]:
    """(label, message) for each error of a field, and of each field in its rows."""
    entries = getattr(field, "entries", None)
    if entries is not None:  # a FieldList of rows
        for entry in entries:
            for sub in getattr(entry, "form", [entry]):
                yield from _messages(sub)
    for error in field.errors if isinstance(field.errors, list) else []:
        if error and not isinstance(error, dict | list):  # a row's own list is walked above
            yield field.label.text, str(error)


def _has_content(data: dict[str, Any]) -> bool:
    pending = data["pending"]
    return any(text for text, *_rest in data["parts"].values()) or bool(
        pending["scores"] or pending["steps"]
    )


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
    q = search_words(request.args.get("q", ""), 200)
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
