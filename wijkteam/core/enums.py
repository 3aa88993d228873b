"""Closed lists used by the models, stored as strings with a CHECK constraint."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Enum
from wtforms.fields.choices import SelectChoice


def str_enum(enum_cls: type[enum.StrEnum], name: str) -> Enum:
    """A portable (non-native) enum column type that stores the member values."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


def choices(enum_cls: Any, labels: dict[Any, Any]) -> list[SelectChoice]:
    """WTForms choices for an enum, in declaration order, with translated labels."""
    return [SelectChoice(m.value, labels[m]) for m in enum_cls]
