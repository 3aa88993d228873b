"""A record's earlier values (wijkteam.audit.history) as people read them.

The history keeps each field under its attribute name with a JSON value ("state":
"not_reviewed", "reviewed_on": "2026-03-01" or null). A page shows them with the label of the
form that edits the field and the value as the form offers it: the label of a choice or of a
closed list, a date in the page's language, yes or no, a dash for nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Boolean, Date, DateTime, Enum, inspect
from wtforms import Form
from wtforms.fields.core import UnboundField

from wijkteam.auth.models import User
from wijkteam.core.db import IntEnumType
from wijkteam.web.templating import date_text, datetime_text


@dataclass(frozen=True)
class ShownChange:
    """One change: when, by whom, and each field's earlier value as (label, text)."""

    changed_at: datetime
    changed_by: User | None
    fields: list[tuple[str, str]]


# Stored ids that a form offers in one picker, with the picker's value for them
# (cases/interpreter_form.parse_interpreter).
_PICKED = {
    "interpreter_member_id": ("interpreter", "member-{}"),
    "interpreter_network_member_id": ("interpreter", "network-{}"),
}


def _form_field(forms: Sequence[Any], name: str) -> Any:
    """The field `name` of the first form (class or instance) that has one."""
    name = _PICKED.get(name, (name, ""))[0]
    for form in forms:
        if isinstance(form, Form):
            if name in form:
                return form[name]
        else:
            field = getattr(form, name, None)
            if isinstance(field, UnboundField):
                return field
    return None


def _label(field: Any, name: str) -> str:
    if isinstance(field, UnboundField):
        label = field.kwargs.get("label", field.args[0] if field.args else None)
        if label is not None:
            return str(label)
    elif field is not None:
        return str(field.label.text)
    return name.removesuffix("_id").replace("_", " ").capitalize()


def _choices(field: Any) -> dict[str, str]:
    if isinstance(field, UnboundField):
        choices = field.kwargs.get("choices")
    else:  # a bound field (its choices may be set per request), or None
        choices = getattr(field, "choices", None)
    if not choices or callable(choices):
        return {}
    if isinstance(choices, dict):  # grouped, the older way: {group: [(value, label), ...]}
        choices = [pair for group in choices.values() for pair in group]
    offered = {}
    for choice in choices:  # a SelectChoice, or a (value, label) pair
        value, label = (
            (choice.value, choice.label) if hasattr(choice, "label") else tuple(choice)[:2]
        )
        offered[str(value)] = str(label)
    return offered


def _text(value: Any, column_type: Any, field: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    choices = _choices(field)
    if str(value) in choices:
        return choices[str(value)]
    if isinstance(column_type, Boolean) or isinstance(value, bool):
        return _("yes") if value else _("no")
    enum_class = getattr(column_type, "enum_class", None) or getattr(column_type, "enum_cls", None)
    if isinstance(column_type, Enum | IntEnumType) and enum_class is not None:
        try:
            member: enum.Enum = enum_class(value)
        except ValueError:
            return str(value)
        return str(getattr(member, "label", member.value))
    if isinstance(column_type, DateTime) and isinstance(value, str):
        return datetime_text(datetime.fromisoformat(value))
    if isinstance(column_type, Date) and isinstance(value, str):
        return date_text(date.fromisoformat(value))
    if isinstance(value, list):
        return ", ".join(str(each) for each in value)
    return str(value)


def shown_history(revisions: Iterable[Any], model: type, *forms: Any) -> list[ShownChange]:
    """The revisions (anything with changed_at, changed_by and old) of a record of `model`,
    their fields named and written as the `forms` (classes or instances, the first that has
    the field) name and offer them."""
    columns: Any = inspect(model).columns
    shown = []
    for revision in revisions:
        fields = []
        for name, value in revision.old.items():
            field = _form_field(forms, name)
            column_type = columns[name].type if name in columns else None
            if name in _PICKED and value is not None:
                value = _PICKED[name][1].format(value)
            fields.append((_label(field, name), _text(value, column_type, field)))
        shown.append(ShownChange(revision.changed_at, revision.changed_by, fields))
    return shown
