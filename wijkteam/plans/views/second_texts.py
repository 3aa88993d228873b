"""A goal's texts in the family's language (issue 19): choose the language (the family's own
first), then one form with the goal, its actions and "one point higher", each in Dutch next to
its second text; and what the goal and plan pages show of them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.core.errors import EditConflict, FieldError
from wijkteam.plans.enums import SecondTextOf
from wijkteam.plans.models import Goal, SecondText
from wijkteam.plans.queries import get_goal_or_404, get_plan_or_404, with_scores
from wijkteam.plans.second_text_forms import SecondTextRow, SecondTextsForm
from wijkteam.plans.services import second_texts
from wijkteam.plans.services.second_texts import Key
from wijkteam.plans.views import bp
from wijkteam.printout import languages
from wijkteam.printout.languages import PrintLanguage
from wijkteam.web.helpers import Page, actor, claim_posted
from wijkteam.web.loaders import get_case_or_404

TEMPLATE = "plans/second_language.html"


def language_name(language: PrintLanguage) -> str:
    """The language's name as the screen's reader reads it: "Arabisch" on a Dutch page."""
    return language.dutch if str(get_locale()) == "nl" else language.english


def language_label(language: PrintLanguage) -> str:
    """An option of the language choice: its own name, then as the reader knows it."""
    known = language_name(language)
    return language.name if known == language.name else f"{language.name} ({known})"


@dataclass(frozen=True)
class Shown:
    """A second text as the goal and plan pages show it, under its Dutch text."""

    second: SecondText
    language: PrintLanguage
    current: bool

    @property
    def name(self) -> str:
        return language_name(self.language)


def shown_second_texts(
    by_key: Mapping[Key, Iterable[SecondText]], dutch_texts: Mapping[Key, str]
) -> dict[Key, list[Shown]]:
    """The second texts of these Dutch texts (`second_texts.dutch_texts` of a goal, or what
    the plan page shows), each with its language and whether it still renders its Dutch text
    (for the pages: `seconds.get(("goal", goal.id), [])`)."""
    shown: dict[Key, list[Shown]] = {}
    for key, dutch in dutch_texts.items():
        for second in by_key.get(key, ()):
            language = languages.BY_CODE.get(second.lang)
            if language is not None:
                current = second_texts.is_current(second, dutch)
                shown.setdefault(key, []).append(Shown(second, language, current))
    return shown


def goal_second_texts(goal: Goal) -> dict[Key, list[Shown]]:
    """The goal page's second texts (one query)."""
    by_key: dict[Key, list[SecondText]] = {}
    for in_language in second_texts.for_goal(goal).values():
        for key, second in in_language.items():
            by_key.setdefault(key, []).append(second)
    return shown_second_texts(by_key, second_texts.dutch_texts(goal))


def suggested_languages(case: Case, written: Iterable[str]) -> list[PrintLanguage]:
    """The print languages the family speaks (FamilyMember.languages, in the order of the
    members), then those this goal already has texts in; never Dutch."""
    found: list[PrintLanguage] = []
    spoken = (languages.from_spoken(name) for m in case.family.members for name in m.languages)
    written_in = (languages.BY_CODE.get(code) for code in written)
    for language in (*spoken, *written_in):
        if language is not None and language.code != "nl" and language not in found:
            found.append(language)
    return found


@dataclass
class Entry:
    """One text offered on the form: what it renders, its Dutch, its second text (if any) and
    the form's row for it."""

    key: Key
    obj: Any  # the goal, the action or the score
    dutch: str
    second: SecondText | None
    row: SecondTextRow

    @property
    def kind(self) -> SecondTextOf:
        return SecondTextOf(self.key[0])

    @property
    def changed_since(self) -> bool:
        """A second text written for an earlier Dutch text."""
        return self.second is not None and not second_texts.is_current(self.second, self.dutch)


def _objects(goal: Goal) -> dict[Key, Any]:
    found: dict[Key, Any] = {(SecondTextOf.GOAL.value, goal.id): goal}
    found.update({(SecondTextOf.ACTION.value, a.id): a for a in goal.actions})
    found.update({(SecondTextOf.SCORE.value, s.id): s for s in goal.scores})
    return found


def _entries(goal: Goal, form: SecondTextsForm, current: Mapping[Key, SecondText]) -> list[Entry]:
    """The texts the page offers, each with its row: the posted one (so what was typed stays),
    or a new row with the saved second text (as the page opens, or for a text added since).
    A posted row whose hidden fields were changed outside the app (its text is none of these)
    keeps its typed text in the place it was typed, pointed at that place's text again."""
    dutch = second_texts.dutch_texts(goal)
    objects = _objects(goal)
    offered = second_texts.offered(goal)
    rows = [entry.form for entry in form.rows]
    matched = {key: next((r for r in rows if r.key == key), None) for key in offered}
    spare = [r for r in rows if r.key not in matched and r.text.data]
    entries = []
    for key in offered:
        second = current.get(key)
        version, text = (second.version, second.text) if second else (None, "")
        row = matched[key]
        if row is None and spare:
            row = spare.pop(0)
            row.point_at(key, version, dutch[key])
        if row is None:
            row = form.add_row(key, version, dutch[key], text)
        entries.append(Entry(key, objects[key], dutch[key], second, row))
    return entries


def _show_error(form: SecondTextsForm, entries: list[Entry], error: FieldError) -> None:
    """A refusal of the service on its field: the language choice, how the texts were written,
    the row of the text it is about, else the form as a whole."""
    message = str(error.message)
    rows = {second_texts.field_of(e.key): e.row for e in entries}
    if error.field == "written_how":
        form.written_how.errors = [*form.written_how.errors, message]
    elif error.field in rows:
        rows[error.field].text.errors = [*rows[error.field].text.errors, message]
    else:
        form.form_errors.append(message)


def _conflict(
    goal: Goal,
    form: SecondTextsForm,
    entries: list[Entry],
    current: Mapping[Key, SecondText],
    lang: str,
) -> list[tuple[str, str, str]]:
    """After a save over someone else's change: per text changed since the form was opened,
    what is saved now and what this user typed. The rows move to what is saved now, so that
    saving again is a deliberate choice."""
    dutch = second_texts.dutch_texts(goal)
    seen, posted = form.seen(), form.by_key()
    offered = {e.key for e in entries}
    found = []
    for key in second_texts.conflicts(goal, lang, seen, current):
        row, second, now = posted[key], current.get(key), dutch.get(key, "")
        label = SecondTextOf(key[0]).label
        if key in offered and now:
            label = f"{label}: {now[:60]}"
        if second_texts.normal(now) != second_texts.normal(seen[key].dutch):
            theirs = _("The Dutch text is now: %(text)s", text=now)
        else:
            theirs = second.text if second else _("(removed)")
        found.append((label, theirs, row.text.data or ""))
        row.version.data = second.version if second else None
        row.dutch.data = now
    return found


def _page(
    case: Case,
    goal: Goal,
    suggested: list[PrintLanguage],
    chosen: str | None,
    *,
    language: PrintLanguage | None = None,
    form: SecondTextsForm | None = None,
    entries: list[Entry] | None = None,
    lang_error: str | None = None,
    conflict: list[tuple[str, str, str]] | None = None,
) -> str:
    others = [lang for lang in languages.LANGUAGES if lang.code != "nl" and lang not in suggested]
    return render_template(
        TEMPLATE,
        case=case,
        goal=goal,
        suggested=suggested,
        others=others,
        chosen=chosen,
        language=language,
        language_label=language_label,
        language_name=language_name(language) if language else "",
        form=form,
        entries=entries or [],
        lang_error=lang_error,
        conflict=conflict,
    )


@bp.route("/plan/goals/<int:goal_id>/second-language", methods=["GET", "POST"])
def second_language(case_id: int, goal_id: int) -> Page:
    """The goal, its actions and "one point higher" in the family's language (?lang=ar; without
    it, the first language the family speaks). Saved once; a text changed meanwhile by someone
    else (or its Dutch) shows the conflict; a refusal shows the form again with the text kept."""
    user = actor()
    case = get_case_or_404(case_id, user, "edit")
    goal = with_scores(get_goal_or_404(get_plan_or_404(case), goal_id))
    written = second_texts.for_goal(goal)
    suggested = suggested_languages(case, written)
    asked = request.args.get("lang")
    chosen = asked if asked is not None else (suggested[0].code if suggested else None)
    posted = request.method == "POST"
    if chosen is None:
        message = _("Choose the language of the family first.") if posted else None
        return _page(case, goal, suggested, None, lang_error=message), 422 if posted else 200
    try:
        language = second_texts.language_of(chosen)
    except FieldError as error:
        return _page(case, goal, suggested, chosen, lang_error=str(error.message)), 422
    form = SecondTextsForm()
    if not form.validate_on_submit():
        form.form_errors.extend(form.hidden_errors())
        entries = _entries(goal, form, written.get(language.code, {}))
        html = _page(case, goal, suggested, chosen, language=language, form=form, entries=entries)
        return html, 422 if posted else 200
    done = url_for("plans.goal", case_id=case.id, goal_id=goal.id)
    try:
        submission = claim_posted(form)
        if isinstance(submission, Response):
            return submission
        changed = second_texts.save_second_texts(
            user,
            case,
            goal,
            language.code,
            form.written_how.data or "",
            form.texts(),
            seen=form.seen(),
            confirmed=form.confirmed(),
        )
        if submission is not None:
            submission.target = done
        db.commit()
    except (EditConflict, StaleDataError):
        db.rollback()
        current = second_texts.for_goal(goal).get(language.code, {})
        entries = _entries(goal, form, current)
        conflict = _conflict(goal, form, entries, current, language.code)
        html = _page(
            case,
            goal,
            suggested,
            chosen,
            language=language,
            form=form,
            entries=entries,
            conflict=conflict,
        )
        return html, 409
    except FieldError as error:
        db.rollback()
        entries = _entries(goal, form, second_texts.for_goal(goal).get(language.code, {}))
        _show_error(form, entries, error)
        html = _page(case, goal, suggested, chosen, language=language, form=form, entries=entries)
        return html, 422
    name = language_name(language)
    if changed:
        flash(_("The texts in %(language)s are saved.", language=name), "success")
    else:
        flash(_("Nothing changed in the texts in %(language)s.", language=name), "info")
    return redirect(done)
