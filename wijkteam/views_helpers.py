"""Helpers for thin views: the acting user, and saving with conflict and error handling."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from flask import render_template
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError

from wijkteam.auth.models import User
from wijkteam.db import db
from wijkteam.errors import EditConflict, FieldError
from wijkteam.forms import show_field_error


def actor() -> User:
    """The logged-in user, as the acting user for services."""
    return cast(User, current_user._get_current_object())  # type: ignore[attr-defined]


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def conflict_rows(form: FlaskForm, obj: Any, data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, value saved by the other person, value this user typed) for each difference."""
    rows = []
    for name, mine in data.items():
        theirs = getattr(obj, name, None)
        if theirs != mine:
            label = form[name].label.text if name in form else name
            rows.append((label, _display(theirs), _display(mine)))
    return rows


def save_or_render(
    save: Callable[[], Any],
    *,
    form: FlaskForm,
    template: str,
    obj: Any,
    data: dict[str, Any],
    context: dict[str, Any],
    conflict_fields: Iterable[str] | None = None,
) -> tuple[str, int] | None:
    """Run a service and commit. On a conflict or a rule broken, roll back and show the form
    again with what the user typed; return None when saved."""
    try:
        save()
        db.commit()
        return None
    except (EditConflict, StaleDataError):
        db.rollback()
        db.refresh(obj)  # the values the other person saved
        form.version.data = obj.version  # type: ignore[attr-defined]
        shown = {k: v for k, v in data.items() if conflict_fields is None or k in conflict_fields}
        rows = conflict_rows(form, obj, shown)
        return render_template(template, form=form, conflict=rows, **context), 409
    except FieldError as error:
        db.rollback()
        show_field_error(form, error)
        return render_template(template, form=form, **context), 422
