"""Who a printout is made for. Every family paper (plan, closing letter, file) is made for one
reader and holds only what that reader may see (wijkteam/notes/readers.py has the rules: the
Dutch law's ages 12 and 16). Without a choice it is made for the parents with parental
authority."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from wijkteam.cases.models import Case, Family, FamilyMember
from wijkteam.core import clock
from wijkteam.notes.models import NoteAddendum, NotePart
from wijkteam.notes.readers import (
    Reader,
    addendum_visible_to,
    parent_ids,
    parents_with_authority,
    part_visible_to,
    readers_for,
    readers_of,
)

PARENTS = "parents"


class UnknownReader(ValueError):
    """The chosen reader is not (any more) a reader of this family."""


def reader_choices(family: Family, day: date | None = None) -> list[tuple[str, str]]:
    """(option value, label) for the print forms: the parents first, then each member who
    may read for themselves."""
    return [
        (option_value(reader), label) for reader, label in readers_for(family, day or clock.today())
    ]


def option_value(reader: Reader) -> str:
    return PARENTS if reader.member_id is None else str(reader.member_id)


def parse_reader(value: object, family: Family, day: date | None = None) -> Reader:
    """The reader an option names; UnknownReader for anything else (another family's member,
    a child under 12, a made-up value)."""
    allowed = {option_value(r): r for r in readers_of(family, day or clock.today())}
    key = PARENTS if value in (None, "") else str(value)
    if key not in allowed:
        raise UnknownReader(key[:40])
    return allowed[key]


@dataclass
class PaperReader:
    reader: Reader
    family: Family
    day: date

    def __post_init__(self) -> None:
        self._parents = parent_ids(self.family)

    @classmethod
    def of(cls, case: Case, options: dict[str, Any]) -> PaperReader:
        day = clock.today()
        return cls(parse_reader(options.get("reader"), case.family, day), case.family, day)

    @property
    def option(self) -> str:
        return option_value(self.reader)

    @property
    def member(self) -> FamilyMember | None:
        if self.reader.member_id is None:
            return None
        return next((m for m in self.family.members if m.id == self.reader.member_id), None)

    @property
    def signers(self) -> list[str]:
        """Who signs this paper for the family: the reader, or each parent with authority."""
        member = self.member
        if member is not None:
            return [member.full_name]
        return [m.full_name for m in parents_with_authority(self.family)]

    @property
    def name(self) -> str:
        member = self.member
        if member is not None:
            return member.first_name
        return _("the parents with parental authority")

    def sees_part(self, part: NotePart) -> bool:
        return part_visible_to(part, self.reader, self._parents)

    def sees_addendum(self, addendum: NoteAddendum, sees_note: bool) -> bool:
        return addendum_visible_to(addendum, sees_note)

    def sees_answer_of(self, member_id: int | None) -> bool:
        """Whether this reader sees what someone answered about the help (issue 20): a member's
        answers are their own, and a parent's are also the parents'; answers recorded under a
        name (someone who is not a member) are the parents'."""
        is_parent = self.reader.is_parents or self.reader.member_id in self._parents
        if member_id is None or member_id in self._parents:
            return is_parent
        return self.reader.member_id == member_id
