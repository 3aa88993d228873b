"""The conversation note form: guides along a solution-focused conversation, forces nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from wijkteam.cases.interpreter_form import InterpreterFields
from wijkteam.core.errors import FieldError
from wijkteam.network.forms import AgreementRow
from wijkteam.notes.models import Audience, ContactKind, PartKind
from wijkteam.notes.readers import DECIDES_ALONE, age_on, is_own_reader
from wijkteam.plans.forms import MultiCheckboxField, date_field, member_choices, score_field
from wijkteam.plans.owners import owner_choices
from wijkteam.web.forms import (
    CHANGED_OUTSIDE,
    CHOOSE_AN_OPTION,
    AppForm,
    IdField,
    RowForm,
    VersionField,
    strip,
    whole_number,
)

PART_PROMPTS = {
    PartKind.QUESTION: _l("The family's question or wish, in their own words"),
    PartKind.STRENGTHS: _l("Strengths and what goes well"),
    PartKind.EXCEPTIONS: _l("Exceptions: when is the problem absent, or less?"),
    PartKind.FUTURE: _l("Future wishes: what would be different if the problem were solved?"),
    PartKind.COMPLIMENTS: _l("Compliments given"),
    PartKind.AGREEMENTS: _l("Agreements"),
    PartKind.FREE_TEXT: _l("Other notes"),
}
MAX_PART = 20_000
# The parts a home visit usually needs: open on the form. The others are one click away.
USUAL_PARTS = (PartKind.QUESTION, PartKind.STRENGTHS, PartKind.AGREEMENTS)

# The audience select of each part: "" leaves it to the rule (readers.default_audience), then
# the audiences for everyone, then one per family member ("member:<id>").
BY_THE_RULE = ""
AUDIENCE_HELP = _l(
    "Standard: if a parent took part (or you ticked nobody), the whole family may read it. "
    "A conversation alone with a young person of 16 or older is theirs alone. From 12 to 16, "
    "the young person and the parents with parental authority may read it. For a child under "
    "12, the parents read."
)


def audience_value(audience: Audience, member_id: int | None = None) -> str:
    """The select's value for an audience ("family", "member:12")."""
    return f"{audience.value}:{member_id}" if audience.names_member else audience.value


def parse_audience(value: str) -> tuple[Audience | None, int | None]:
    """The audience and member of a select's value (None for "by the rule"). Anything that is
    no such value is a ValueError."""
    if value == BY_THE_RULE:
        return None, None
    name, _sep, member = value.partition(":")
    audience = Audience(name)
    if audience.names_member != bool(member):
        raise ValueError(value)
    return audience, whole_number(member) if member else None


def audience_choices(
    members: Iterable[Any], day: date, keep: Iterable[str] = ()
) -> list[SelectChoice]:
    """The audiences a part can get: by the rule, the family, the parents, the team, and per
    member of 12 or older on `day` "only them" (and for one of 12 to 15 "them and the
    parents"). `keep`: values stored in the note, offered even when the ages moved on."""
    choices = [
        SelectChoice(BY_THE_RULE, _l("Standard (by the rule)")),
        *Audience.choices(Audience.FAMILY, Audience.PARENTS, Audience.TEAM),
    ]
    names = {}
    for m in members:
        names[m.id] = m.first_name
        if not is_own_reader(m, day):
            continue
        choices.append(SelectChoice(audience_value(Audience.MEMBER, m.id), _only(m.first_name)))
        age = age_on(m, day)
        if age is not None and age < DECIDES_ALONE:
            value = audience_value(Audience.MEMBER_AND_PARENTS, m.id)
            choices.append(SelectChoice(value, _with_parents(m.first_name)))
    offered = {c.value for c in choices}
    for value in keep:
        if value in offered:
            continue
        try:
            audience, member_id = parse_audience(value)
        except ValueError:
            continue
        if audience is not None and member_id in names:
            choices.append(SelectChoice(value, audience.describe(names[member_id])))
            offered.add(value)
    return choices


def _only(name: str) -> Any:
    return _l("Only %(name)s", name=name)


def _with_parents(name: str) -> Any:
    return _l("%(name)s and the parents with parental authority", name=name)


class ScoreRow(RowForm):
    """A scaling question on one goal of the plan."""

    goal_id = IdField()
    family_score = score_field(_l("Family (0-10)"))
    professional_score = score_field(_l("You (0-10)"))
    one_point_higher = StringField(
        _l("What would make it one point higher?"), filters=[strip], validators=[Length(max=1000)]
    )

    def is_blank(self) -> bool:
        return self.family_score.data is None and self.professional_score.data is None


class NoteForm(InterpreterFields, AppForm):
    contact_on = date_field(_l("Date of the contact"))
    kind = SelectField(_l("Kind of contact"), choices=ContactKind.choices())
    location = StringField(_l("Where"), filters=[strip], validators=[Length(max=200)])
    family_member_ids = MultiCheckboxField(_l("Who of the family took part?"), coerce=int)
    network_member_ids = MultiCheckboxField(_l("Who of the network took part?"), coerce=int)
    colleague_ids = MultiCheckboxField(_l("Colleagues who took part"), coerce=int)
    all_internal = BooleanField(
        _l("The whole note is internal to the team"),
        description=_l("Then nobody of the family reads any part, whatever you choose below."),
    )
    scores = FieldList(FormField(ScoreRow), min_entries=0, max_entries=50)
    steps = FieldList(FormField(AgreementRow), min_entries=1, max_entries=30)
    add_step = SubmitField(_l("Add a row for another next step"))
    save_draft = SubmitField(_l("Save as draft"))
    finalise = SubmitField(_l("Finish the note"))
    version = VersionField()

    def part_fields(self) -> list[tuple[Any, Any, bool]]:
        """Each part's text area, its audience select, and whether it shows open (a usual
        part, or one with text, a chosen audience or a message)."""
        rows = []
        for kind in PartKind:
            text, audience = self[kind.value], self[f"{kind.value}_audience"]
            used = bool(text.data or audience.data or text.errors or audience.errors)
            rows.append((text, audience, kind in USUAL_PARTS or used))
        return rows

    def set_choices(
        self,
        family: list[Any],
        network: list[Any],
        colleagues: list[Any],
        goals: list[Any],
        *,
        day: date,
        keep: Iterable[str] = (),
    ) -> None:
        """The options of the selects. The family members' ages count on `day` (the draft's
        contact date, or today); `keep` are audience values the draft has stored."""
        self.family_member_ids.choices = member_choices(family)
        audiences = audience_choices(family, day, keep)
        for kind in PartKind:
            self[f"{kind.value}_audience"].choices = audiences
        self.network_member_ids.choices = [SelectChoice(m.id, m.name) for m in network]
        self.colleague_ids.choices = [SelectChoice(u.id, u.display_name) for u in colleagues]
        self.set_interpreters(family, network, day)
        owners = owner_choices(family, network)
        goal_choices = [SelectChoice("", "—"), *(SelectChoice(g.id, g.text[:70]) for g in goals)]
        for entry in self.steps.entries:
            entry.form.owner.choices = owners
            entry.form.goal_id.choices = goal_choices

    def validate(self, extra_validators: Any = None) -> bool:
        """Blank score and step rows are left out; filled step rows need a goal and an owner."""
        ok = True
        for name, field in self._fields.items():
            if name not in ("scores", "steps"):
                ok = field.validate(self, (extra_validators or {}).get(name, ())) and ok
        for entry in self.scores.entries:
            ok = entry.form.validate() and ok
        if any(entry.form.goal_id.errors for entry in self.scores.entries):
            # A score row's goal is a hidden field: its message goes above the scores.
            self.scores.errors = [str(CHANGED_OUTSIDE)]
        for row in self.filled_steps():
            ok = row.validate() and ok
            if row.goal_id.data is None:
                row.goal_id.errors = [*row.goal_id.errors, str(_l("Choose a goal."))]
                ok = False
            if not row.owner.data:
                row.owner.errors = [*row.owner.errors, str(_l("Choose who does it."))]
                ok = False
        return ok

    def filled_steps(self) -> list[AgreementRow]:
        return [e.form for e in self.steps.entries if not e.form.is_blank()]

    def note_data(self) -> dict[str, Any]:
        everything_internal = bool(self.all_internal.data)
        parts = {}
        for kind in PartKind:
            name = f"{kind.value}_audience"
            try:
                audience, member_id = parse_audience(self[name].data or BY_THE_RULE)
            except ValueError:
                raise FieldError(name, CHOOSE_AN_OPTION) from None
            if everything_internal:
                audience, member_id = Audience.TEAM, None
            parts[kind] = (self[kind.value].data or "", audience, member_id)
        scores = [
            {
                "goal_id": e.form.goal_id.data,
                "family_score": e.form.family_score.data,
                "professional_score": e.form.professional_score.data,
                "one_point_higher": e.form.one_point_higher.data or "",
            }
            for e in self.scores.entries
            if not e.form.is_blank()
        ]
        steps = []
        for row in self.filled_steps():
            data = row.action_data()
            data["owner_kind"] = data["owner_kind"].value
            data["due_on"] = data["due_on"].isoformat() if data["due_on"] else None
            steps.append(data)
        return {
            "contact_on": self.contact_on.data,
            "kind": ContactKind(self.kind.data),
            "location": self.location.data or "",
            **self.interpreter_data(),
            "family_member_ids": list(self.family_member_ids.data or []),
            "network_member_ids": list(self.network_member_ids.data or []),
            "colleague_ids": list(self.colleague_ids.data or []),
            "parts": parts,
            "pending": {"scores": scores, "steps": steps},
        }


# One text area and one "who may read this?" select per part of the conversation (the options
# are the family's: NoteForm.set_choices; these are what every family has).
for _kind in PartKind:
    setattr(
        NoteForm,
        _kind.value,
        TextAreaField(
            PART_PROMPTS[_kind], filters=[strip], validators=[Optional(), Length(max=MAX_PART)]
        ),
    )
    setattr(
        NoteForm,
        f"{_kind.value}_audience",
        SelectField(
            _l("Who may read this?"),
            choices=audience_choices([], date.min),
            default=BY_THE_RULE,
        ),
    )


class AddendumForm(AppForm):
    text = TextAreaField(
        _l("Addendum"),
        filters=[strip],
        validators=[Length(max=MAX_PART)],
        description=_l("The note stays as it was; this is added with today's date and your name."),
    )
    internal = BooleanField(_l("Internal to the team"))


def score_rows_for(form: NoteForm, goals: list[Any]) -> None:
    """One scaling row per current goal (on a new form)."""
    while form.scores.entries:
        form.scores.pop_entry()
    for goal in goals:
        form.scores.append_entry({"goal_id": goal.id})
