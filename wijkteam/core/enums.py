"""Closed lists: enums whose members carry their own translated label.

A feature declares each member with its stored value and its label side by side:

    class Regie(LabelledStrEnum):
        OWN = "own", _l("Own regie (the family directs)")

`Regie.OWN.value` is "own" (what the database stores, through `str_enum`); `Regie.OWN.label` is
the label in the current language, that of the page or printout being made (so read it while
rendering, not at import). Templates write `{{ plan.regie.label }}`; forms take
`Regie.choices()`, whose labels stay lazy until a page shows them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Self, cast

from flask_babel.speaklater import LazyString
from sqlalchemy import Enum
from wtforms.fields.choices import SelectChoice


class _Labels:
    """What a labelled enum's members and class offer (the member's `_label` is set when the
    member is made, by the `__new__` of LabelledStrEnum or LabelledIntEnum)."""

    _label: LazyString

    @property
    def label(self) -> str:
        """The label in the current language."""
        return str(self._label)

    @classmethod
    def choices(cls, *members: Any) -> list[SelectChoice]:
        """WTForms choices: the given members, by default all of them in declaration order.
        The labels stay lazy, so a form made at import shows them in each page's language."""
        every = cast("Iterable[Any]", cls)  # an enum class: its members
        return [SelectChoice(m.value, m._label) for m in (members or every)]


class LabelledStrEnum(_Labels, enum.StrEnum):
    """A closed list stored as strings; members are declared as `NAME = "value", _l("Label")`."""

    if TYPE_CHECKING:
        # What type checkers see: `Regie("own")` looks a member up by its value.
        def __new__(cls, value: str, label: LazyString = ...) -> Self: ...

    else:

        def __new__(cls, value: str, label: LazyString) -> Self:
            member = str.__new__(cls, value)
            member._value_ = value
            member._label = label
            return member


class LabelledIntEnum(_Labels, enum.IntEnum):
    """A closed list stored as numbers (a level, a step); members are declared as
    `NAME = 1, _l("Label")`."""

    if TYPE_CHECKING:
        # What type checkers see: `LadderLevel(3)` looks a member up by its value.
        def __new__(cls, value: int, label: LazyString = ...) -> Self: ...

    else:

        def __new__(cls, value: int, label: LazyString) -> Self:
            member = int.__new__(cls, value)
            member._value_ = value
            member._label = label
            return member


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
