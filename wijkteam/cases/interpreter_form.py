"""The interpreter fields of a form (notes, network meetings, the plan's agreement, the Meldcode
conversation): who interpreted, in which language, and whether a professional interpreter was
offered. Shape only; the rule is wijkteam/cases/interpreting.py. The picker's values:

    ""            nobody of the family or its network (no interpreter, or a professional)
    "member-3"    an adult of the family
    "network-7"   someone of the family's network
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from wijkteam.cases.interpreting import POWER_WARNING, is_child
from wijkteam.web.forms import YES_NO, strip, tri_state, tri_state_choice

AT_MOST = _l("Write at most %(max)d characters.")


def parse_interpreter(value: str) -> dict[str, Any]:
    """The chosen person's ids for a picker value; `interpreter_invalid` for anything else."""
    for prefix, key in (
        ("member-", "interpreter_member_id"),
        ("network-", "interpreter_network_member_id"),
    ):
        if value.startswith(prefix):
            number = value[len(prefix) :]
            if number.isdigit() and len(number) <= 18:
                return {key: int(number)}
            return {"interpreter_invalid": True}
    return {} if value == "" else {"interpreter_invalid": True}


def interpreter_value(obj: Any) -> str:
    """The picker's value for a saved record (the reverse of `parse_interpreter`)."""
    if getattr(obj, "interpreter_member_id", None):
        return f"member-{obj.interpreter_member_id}"
    if getattr(obj, "interpreter_network_member_id", None):
        return f"network-{obj.interpreter_network_member_id}"
    return ""


def person_choices(
    none: Any, members: Iterable[Any], network: Iterable[Any], on: date
) -> list[SelectChoice]:
    """A picker of someone for a task (interpreting, reading aloud): `none` first, then the
    adults of the family who live there (never a child) and the people of its network; the
    values are read by parse_interpreter."""
    return [
        SelectChoice("", none),
        *(
            SelectChoice(f"member-{m.id}", _l("%(name)s (family)", name=m.full_name))
            for m in members
            if not is_child(m, on) and m.left_household_on is None
        ),
        *(SelectChoice(f"network-{m.id}", _l("%(name)s (network)", name=m.name)) for m in network),
    ]


class InterpreterFields:
    """Mix into an AppForm; call `set_interpreters` before validating."""

    interpreter = SelectField(
        _l("Did someone from the family or its network interpret?"),
        validators=[Optional()],
        validate_choice=False,  # the service names what is wrong with a value (a child, ...)
        default="",
    )
    interpreter_name = StringField(
        _l("Interpreter (name)"),
        filters=[strip],
        validators=[Length(max=200, message=AT_MOST)],
        description=_l("A professional interpreter, or someone who is not in the list above."),
    )
    interpreter_language = StringField(
        _l("Language of the interpreter"),
        filters=[strip],
        validators=[Length(max=80, message=AT_MOST)],
        description=_l("E.g. 'Twi'."),
    )
    professional_interpreter_offered = RadioField(
        _l("Was a professional interpreter offered?"),
        choices=YES_NO,
        validators=[Optional()],
        description=POWER_WARNING,
    )

    def set_interpreters(self, members: Iterable[Any], network: Iterable[Any], on: date) -> None:
        """The adults of the family (never a child) and the people of its network."""
        self.interpreter.choices = person_choices(
            _l("No (nobody, or a professional interpreter)"), members, network, on
        )

    def load_interpreter(self, obj: Any) -> None:
        """Fill the fields from a saved record."""
        self.interpreter.data = interpreter_value(obj)
        self.interpreter_name.data = obj.interpreter_name
        self.interpreter_language.data = obj.interpreter_language
        offered = obj.professional_interpreter_offered
        self.professional_interpreter_offered.data = tri_state_choice(offered)

    def interpreter_data(self) -> dict[str, Any]:
        return {
            "interpreter_name": self.interpreter_name.data or "",
            "interpreter_language": self.interpreter_language.data or "",
            "interpreter_member_id": None,
            "interpreter_network_member_id": None,
            **parse_interpreter(self.interpreter.data or ""),
            "professional_interpreter_offered": tri_state(
                self.professional_interpreter_offered.data
            ),
        }
