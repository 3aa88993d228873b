"""Case discussions (casusoverleg): bringing a case in, meetings and agenda, outcomes, tasks."""

from __future__ import annotations

from flask import Blueprint, flash

from wijkteam.core.db import db
from wijkteam.core.errors import EditConflict, FieldError
from wijkteam.rescue import rescuable
from wijkteam.web.helpers import require_login

bp = Blueprint("discussions", __name__)
# Long texts: a POST that arrives after the session ended is kept and given back after login.
rescuable(bp, "discussions.new_item", "discussions.edit_item", "discussions.outcome")


require_login(bp)


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


# The routes live in these modules and register on bp when they are imported.
from wijkteam.discussions.views import items, meetings, outcomes  # noqa: E402, F401
