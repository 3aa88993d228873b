"""Who interpreted: one rule for every form that records an interpreter (conversation notes,
network meetings, the family's agreement of the plan, the Meldcode conversation), and who read
the plan aloud to the family at its agreement (`check_reader`).

- A child is never the interpreter: a family member younger than 18 on the day, or with the
  role child, is refused, whether chosen from the list or named in the name field.
- Someone from the family's network (a key figure, a volunteer) or an adult of the family may
  interpret, but that gives them a lot of responsibility and power in the process: the form
  says so, and asks whether a professional interpreter was offered (a required yes or no).

`InterpreterColumns` is what each of those records stores; `check_interpreter` is the rule.
Pure: no database session, only the objects given."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from wijkteam.cases.models import FamilyMember, MemberRole
from wijkteam.core.errors import FieldError

ADULT = 18
NEVER_A_CHILD = _l("Never ask a child to interpret. Book a professional interpreter.")
NEVER_A_CHILD_READS = _l(
    "Never ask a child to read the plan aloud to the family. Choose an adult, or book a "
    "professional interpreter."
)
POWER_WARNING = _l(
    "Interpreting gives someone from the family or its network a lot of responsibility and "
    "power in the process. Offer a professional interpreter first."
)
# Words that name a child without a name ("haar zoontje", "the kids"), Dutch and English.
CHILD_WORDS = frozenset(
    {"kind", "kinderen", "kindje", "zoontje", "dochtertje", "child", "children", "kid", "kids"}
)
# The keys of an interpreter in a service's data (and the columns of InterpreterColumns).
INTERPRETER_KEYS = (
    "interpreter_name",
    "interpreter_language",
    "interpreter_member_id",
    "interpreter_network_member_id",
    "professional_interpreter_offered",
)


class InterpreterColumns:
    """Who interpreted: a name (a professional interpreter, or anyone not in the lists), the
    language, or an adult of the family or someone of its network; and, when one of those
    interpreted, whether a professional interpreter was offered (None: nobody of them did)."""

    interpreter_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    interpreter_language: Mapped[str] = mapped_column(String(80), default="", server_default="")
    interpreter_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id"))
    interpreter_network_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("network_members.id")
    )
    professional_interpreter_offered: Mapped[bool | None]

    @declared_attr
    def interpreter_member(cls) -> Mapped[FamilyMember | None]:
        return relationship(foreign_keys=[cls.interpreter_member_id])  # type: ignore[list-item]

    @declared_attr
    def interpreter_network_member(cls) -> Mapped[Any]:
        return relationship(
            "NetworkMember",
            foreign_keys=[cls.interpreter_network_member_id],  # type: ignore[list-item]
        )

    @property
    def interpreter_shown(self) -> str:
        """Who interpreted, as a page shows it: the person chosen, else the name typed."""
        if self.interpreter_member is not None:
            return self.interpreter_member.full_name
        if self.interpreter_network_member is not None:
            return str(self.interpreter_network_member.name)
        return self.interpreter_name

    @property
    def informal_interpreter(self) -> bool:
        return (
            self.interpreter_member_id is not None or self.interpreter_network_member_id is not None
        )


def is_child(member: FamilyMember, on: date) -> bool:
    """A child on `on`: the role child, or younger than 18 on that day."""
    if member.role == MemberRole.CHILD:
        return True
    born = member.date_of_birth
    if born is None:
        return False
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return age < ADULT


def _words(text: str) -> list[str]:
    """The words of a name, lower case and without accents ("Zoë" and "zoe" are the same)."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.findall(r"\w+", plain)


def named_child(name: str, members: Iterable[FamilyMember], on: date) -> bool:
    """Whether a typed name names a child of the family: a child's first name as a word of it
    ("Kofi", "Kofi Mensah", "zoon Kofi"), or a word for a child ("de kinderen")."""
    words = set(_words(name))
    if words & CHILD_WORDS:
        return True
    for member in members:
        if not is_child(member, on):
            continue
        first = _words(member.first_name)
        if first and set(first) <= words:
            return True
    return False


def _chosen_person(
    field: str,
    members: Iterable[FamilyMember],
    network_ids: Collection[int],
    data: dict[str, Any],
    *,
    on: date,
    refusal: Any,
) -> tuple[str, int | None, int | None]:
    """Someone chosen for a task (`field`: interpreter, reader) from the family's adults or its
    network, or named: `<field>_name`, `<field>_member_id`, `<field>_network_member_id` and
    perhaps `<field>_invalid` (a value the picker does not know). Never a child, chosen or
    named (`refusal` says so); a FieldError on the field at fault."""
    family = {m.id: m for m in members}
    name = str(data.get(f"{field}_name") or "").strip()
    member_id = data.get(f"{field}_member_id")
    network_id = data.get(f"{field}_network_member_id")
    if data.get(f"{field}_invalid") or (member_id is not None and network_id is not None):
        raise FieldError(field, _l("Choose from the people offered."))
    if member_id is not None:
        member = family.get(member_id)
        if member is None:
            raise FieldError(field, _l("Choose from the people offered."))
        if is_child(member, on):
            raise FieldError(field, refusal)
    if network_id is not None and network_id not in network_ids:
        raise FieldError(field, _l("Choose from the people offered."))
    if name and named_child(name, family.values(), on):
        raise FieldError(f"{field}_name", refusal)
    return name, member_id, network_id


def check_interpreter(
    members: Iterable[FamilyMember],
    network_ids: Collection[int],
    data: dict[str, Any],
    *,
    on: date,
) -> dict[str, Any]:
    """The interpreter fields of `data`, checked (a FieldError on the field at fault) and
    cleaned: the answer on the professional interpreter only where someone of the family or
    the network interpreted. `data` may hold `interpreter_invalid` (a value the picker does
    not know: a form posted by hand)."""
    name, member_id, network_id = _chosen_person(
        "interpreter", members, network_ids, data, on=on, refusal=NEVER_A_CHILD
    )
    language = str(data.get("interpreter_language") or "").strip()
    informal = member_id is not None or network_id is not None
    if (name or informal) and not language:
        raise FieldError("interpreter_language", _l("Which language did the interpreter speak?"))
    offered = data.get("professional_interpreter_offered")
    if informal and offered is None:
        raise FieldError(
            "professional_interpreter_offered",
            _l("Was a professional interpreter offered? Answer yes or no."),
        )
    return {
        "interpreter_name": name,
        "interpreter_language": language,
        "interpreter_member_id": member_id,
        "interpreter_network_member_id": network_id,
        "professional_interpreter_offered": offered if informal else None,
    }


def check_reader(
    members: Iterable[FamilyMember],
    network_ids: Collection[int],
    data: dict[str, Any],
    *,
    on: date,
) -> dict[str, Any]:
    """Who read the plan aloud for the family (someone the family chose): the same rule as an
    interpreter, never a child. `data` holds `reader_name`, `reader_member_id`,
    `reader_network_member_id` and perhaps `reader_invalid` (a value the picker does not know).
    Returns them checked and cleaned; a FieldError on the field at fault."""
    name, member_id, network_id = _chosen_person(
        "reader", members, network_ids, data, on=on, refusal=NEVER_A_CHILD_READS
    )
    if not name and member_id is None and network_id is None:
        raise FieldError(
            "reader", _l("Who read the plan aloud? Choose the person or write their name.")
        )
    return {
        "reader_name": name,
        "reader_member_id": member_id,
        "reader_network_member_id": network_id,
    }
