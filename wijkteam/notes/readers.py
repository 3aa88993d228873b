"""Who of the family may read which part of a conversation note.

Dutch law on youth care information, as defaults (docs/access.md, "Note parts and their
readers"): below 12 the parents with parental authority decide; from 12 to 16 the young person
and the parents together; from 16 the young person decides alone about their own information.
A printout or file is made *for a reader*: the parents with parental authority (the default),
or one family member of 12 or older. Each note part has an audience (`Audience`); this module
says which readers that audience lets in.

Pure functions: no request, no database session (only the objects given).
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from wijkteam.cases.models import Family, FamilyMember, MemberRole
from wijkteam.notes.models import Audience, NoteAddendum, NotePart

# The ages of the law: from OWN_SAY a young person has a say (and is a reader of their own);
# from DECIDES_ALONE they decide alone about their own information.
OWN_SAY = 12
DECIDES_ALONE = 16
ADULT = 18

PARENT_ROLES = frozenset({MemberRole.PARENT, MemberRole.OTHER_CARER})


def age_on(member: FamilyMember, day: date) -> int | None:
    """The member's age in whole years on `day` (a birthday counts from the day itself); None
    without a date of birth."""
    born = member.date_of_birth
    if born is None:
        return None
    had_birthday = (day.month, day.day) >= (born.month, born.day)
    return day.year - born.year - (0 if had_birthday else 1)


def parents_with_authority(family: Family) -> list[FamilyMember]:
    """The members with parental authority (gezag or guardianship), as the team recorded it
    for each adult (`FamilyMember.holds_authority`: by default a parent does, another carer
    such as a grandparent does not)."""
    return [m for m in family.members if m.holds_authority]


def parent_ids(family: Family) -> frozenset[int]:
    """The ids of the parents with parental authority (for `part_visible_to`)."""
    return frozenset(m.id for m in parents_with_authority(family))


def is_own_reader(member: FamilyMember, day: date) -> bool:
    """Whether the member reads for themself: 12 or older, or without a date of birth and not a
    child (an adult whose birth date is not recorded). Parents read for a younger child."""
    age = age_on(member, day)
    if age is None:
        return member.role != MemberRole.CHILD
    return age >= OWN_SAY


@dataclass(frozen=True)
class Reader:
    """Who a printout or file is for: a family member (`member_id`), or, with None, the parents
    with parental authority (the default reader)."""

    member_id: int | None = None

    @classmethod
    def parents(cls) -> Reader:
        return cls(None)

    @property
    def is_parents(self) -> bool:
        return self.member_id is None


def _and_list(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])


def reader_label(member: FamilyMember, day: date) -> str:
    """The member as a reader: the first name, with the age for someone under 18."""
    age = age_on(member, day)
    if age is not None and age < ADULT:
        return _("%(name)s (%(age)d years)", name=member.first_name, age=age)
    return member.first_name


def readers_of(family: Family, day: date) -> list[Reader]:
    """Who a printout of this family can be made for: the parents with parental authority,
    then every member who reads for themself (`is_own_reader`). Without labels: checking a
    reader asks for no words (the paper's catalogue test records every word it asks for)."""
    return [Reader.parents()] + [Reader(m.id) for m in family.members if is_own_reader(m, day)]


def readers_for(family: Family, day: date) -> list[tuple[Reader, str]]:
    """Who a printout of this family can be made for, with a label: the parents with parental
    authority first, then every member who reads for themself (`is_own_reader`)."""
    names = [m.first_name for m in parents_with_authority(family)]
    if names:
        parents = _("The parents with parental authority (%(names)s)", names=_and_list(names))
    else:
        parents = _("The parents with parental authority")
    members: dict[int | None, FamilyMember] = {m.id: m for m in family.members}
    return [
        (reader, parents if reader.is_parents else reader_label(members[reader.member_id], day))
        for reader in readers_of(family, day)
    ]


def part_visible_to(part: NotePart, reader: Reader, parents: Set[int] = frozenset()) -> bool:
    """Whether `reader` may see `part`. `parents` are the ids of the parents with parental
    authority (`parent_ids(family)`, computed once for many parts); only a member reader needs
    them (left out, a parent reading as a member sees less, never more).

    TEAM: nobody of the family. FAMILY: every reader. PARENTS: the parents, and a parent
    reading as a member. MEMBER(m): only m. MEMBER_AND_PARENTS(m): m, the parents, and a parent
    reading as a member."""
    audience = part.audience
    if audience == Audience.FAMILY:
        return True
    if audience == Audience.TEAM:
        return False
    is_parent = reader.is_parents or reader.member_id in parents
    if audience == Audience.PARENTS:
        return is_parent
    is_member = reader.member_id is not None and reader.member_id == part.audience_member_id
    if audience == Audience.MEMBER:
        return is_member
    if audience == Audience.MEMBER_AND_PARENTS:
        return is_member or is_parent
    return False  # an audience this function does not know shows nothing


def addendum_visible_to(addendum: NoteAddendum, parts_visible: bool) -> bool:
    """Whether a reader may see an addendum: never an internal one, and otherwise only when
    they may see at least one part of its note (`parts_visible`), so that an addendum never
    reveals a note the reader cannot see."""
    return parts_visible and not addendum.internal


def default_audience(
    present: Iterable[FamilyMember], family: Family, day: date
) -> tuple[Audience, int | None]:
    """The audience of a part whose author left it to the rule, from the family members who
    took part in the conversation (`present`; others than this family's are left out):

    - nobody of the family ticked, or a parent or other carer among them: the whole family;
    - exactly one family member, not a parent, aged 16 or older (an adult too): only them
      (MEMBER), their conversation is theirs;
    - exactly one, aged 12 to 15: them and the parents with parental authority
      (MEMBER_AND_PARENTS);
    - exactly one under 12, or without a date of birth: the whole family (parents read for a
      child; an unknown age is no ground to keep it from them);
    - several family members without a parent (siblings together): the whole family, since no
      audience names several members. The author chooses another audience when the
      conversation calls for it.
    """
    ours = {m.id for m in family.members}
    members = [m for m in present if m.id in ours]
    if len(members) != 1 or members[0].role in PARENT_ROLES:
        return Audience.FAMILY, None
    member = members[0]
    age = age_on(member, day)
    if age is None or age < OWN_SAY:
        return Audience.FAMILY, None
    if age >= DECIDES_ALONE:
        return Audience.MEMBER, member.id
    return Audience.MEMBER_AND_PARENTS, member.id
