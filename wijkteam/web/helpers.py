"""Helpers for thin views: the acting user, the login wall of a blueprint, safe redirects, and
the life of a form page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from wijkteam.auth.models import Role, User
from wijkteam.core.db import db
from wijkteam.core.errors import EditConflict, FieldError
from wijkteam.submissions import already_saved, claim, saved_target, valid_form_id
from wijkteam.submissions.models import FormSubmission
from wijkteam.web.forms import show_field_error
from wijkteam.web.picker import unsearched_words

T = TypeVar("T")
# What a view returns: a rendered page (with its status) or a redirect. One page of a long list
# is something else: web.pagination.Pagination.
Page = str | Response | tuple[str, int]


def actor() -> User:
    """The logged-in user, as the acting user for services."""
    return cast(User, current_user._get_current_object())


def home_url(user: User) -> str:
    """Where a user starts: the outcomes for an analyst (who sees nothing else), the case list
    for everyone else."""
    return url_for("outcomes.overview") if user.role == Role.ANALYST else url_for("cases.index")


def require_login(bp: Blueprint) -> None:
    """Every page of this blueprint needs a logged-in user (else the login page, or the
    typed-text rescue for a long form sent after the session ended)."""

    @bp.before_request
    @login_required
    def _require_login() -> None:
        pass


def safe_next(target: str | None, fallback: str) -> str:
    """Only follow redirects within this site (no open redirect)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target:  # browsers read a backslash after "/" as a second slash
        return fallback
    if any(ord(c) < 32 or ord(c) == 127 for c in target):  # a newline cannot go in a header
        return fallback
    return target


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


class Conflict(list[tuple[str, str, str]]):
    """What the conflict box shows: the rows of (field, saved by the other person, your text),
    and, when the conflict was on another record the change also writes, what that record is
    (`on`: "the safety concern", ...)."""

    on: str | None = None


# What a form's change also writes, by model, in the words the conflict box uses (a decision
# and its concern or sign-off request, a new concern and its case: core.editing.touch).
_OTHER_RECORDS = {
    "Case": _l("the case"),
    "SafetyConcern": _l("the safety concern"),
    "Review": _l("the sign-off request"),
}


def _other_record(error: Exception, obj: Any) -> str | None:
    stale = getattr(error, "obj", None)
    if stale is None or stale is obj:
        return None
    name = _OTHER_RECORDS.get(type(stale).__name__)
    return str(name) if name is not None else None


def conflict_rows(form: FlaskForm, obj: Any, data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, value saved by the other person, value this user typed) for each difference."""
    rows = []
    for name, mine in data.items():
        theirs = getattr(obj, name, None)
        if theirs != mine:
            label = form[name].label.text if name in form else name
            rows.append((label, _display(theirs), _display(mine)))
    return rows


REFINE = "refine"  # a search button within a form (web.picker): its value names the field
ENTER = "enter"  # the hidden first button of a form with a search (the macro enter_saves)


def refining() -> bool:
    """A POST that searches within a form (the search next to a choice from the team's
    catalogue or key figures, web.picker): the form is shown again with what was typed and
    what was found, and nothing is saved. The CSRF token was checked as for any POST.

    Its search button posts REFINE. Enter in a field posts the form's hidden first button
    (ENTER, the macro enter_saves): that saves, as in any form, unless a search field holds
    words its choices do not show yet (typed without the script, or not yet searched): then
    it searches, so that nothing is saved with a choice the user has not seen."""
    if request.method != "POST":
        return False
    if request.form.get(REFINE):
        return True
    return bool(request.form.get(ENTER)) and unsearched_words()


def form_page(
    form: FlaskForm,
    *,
    template: str,
    context: dict[str, Any],
    save: Callable[[], T],
    message: str,
    done: Callable[[T], str],
    obj: Any = None,
    typed: Callable[[], dict[str, Any]] | None = None,
) -> Page:
    """Show the form; on a valid POST run the service, commit once and redirect to `done`.

    A broken rule (FieldError) or an edit conflict rolls back and shows the form again with
    everything the user typed: 422 with the message on its field, or 409 with the values the
    other person saved (`obj`, compared with `typed()`) and the form moved to their version.

    A POST of the search button next to a choice (`web.picker`) shows the form again with
    everything typed and the choices found, and saves nothing.

    A form instance is saved once: the first POST claims its form id in the same transaction;
    a POST whose id was saved before never gets here (wijkteam/submissions), and one that
    checked while the first was still saving loses the claim and goes to the first's result.
    """
    if refining():  # the search next to a resource choice: the form again, nothing saved
        return render_template(template, form=form, **context), 200
    if form.validate_on_submit():
        try:
            submission = claim_posted(form)
            if isinstance(submission, Response):
                return submission
            result = save()
            where = done(result)
            if submission is not None:
                submission.target = where
            db.commit()
        except (EditConflict, StaleDataError) as error:
            db.rollback()
            rows = Conflict()
            if obj is not None:
                posted = form.version.data
                db.refresh(obj)  # the values the other person saved
                if obj.version != posted:
                    rows.extend(conflict_rows(form, obj, typed() if typed else {}))
                form.version.data = obj.version
            # Without `obj` (a new record), or with `obj` as the user saw it, the conflict was
            # on a record the change also writes (a concern closed, or its decision's sign-off
            # given, at the same moment): the page names that record, without a table of what
            # "the other person saved" here, and the text stays.
            if not rows:
                rows.on = _other_record(error, obj)
            return render_template(template, form=form, conflict=rows, **context), 409
        except FieldError as error:
            db.rollback()
            show_field_error(form, error)
            return render_template(template, form=form, **context), 422
        flash(message, "success")
        return redirect(where)
    status = 422 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


def claim_posted(form: FlaskForm) -> FormSubmission | Response | None:
    """Claim this POST's form instance in the caller's transaction (a form is saved once).

    Returns the claim (set its `target` to where the result is shown, then commit), None for a
    POST without one of our form ids, or the answer to send instead when the same form was
    saved by a POST a moment before (a double click: it lost the race on the claim)."""
    form_id = _posted_form_id(form)
    if form_id is None:
        return None
    try:
        return claim(actor().id, form_id)
    except IntegrityError:
        db.rollback()
        return already_saved(saved_target(actor().id, form_id) or request.path)


def _posted_form_id(form: FlaskForm) -> str | None:
    """The one-time id a logged-in user's POST carries, if it carries one of ours."""
    if request.method != "POST" or not current_user.is_authenticated:
        return None
    field = getattr(form, "form_id", None)
    if field is None or not field.raw_data:
        return None
    return valid_form_id(field.raw_data[0])
