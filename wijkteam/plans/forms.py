"""Forms of the family plan (shape of input only; rules are in services)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from wijkteam.cases.forms import DATE_FORMATS, optional_int
from wijkteam.cases.interpreter_form import InterpreterFields, parse_interpreter, person_choices
from wijkteam.core import clock
from wijkteam.plans.models import (
    ActionStatus,
    AgreedHow,
    ExplainedHow,
    GoalStatus,
    LadderLevel,
    OwnerKind,
    Regie,
    Repeats,
    SocialLadderLevel,
)
from wijkteam.plans.services import MAX_TEXT
from wijkteam.web.forms import AppForm, Between, IdField, NotInFuture, VersionField, strip


def date_field(label: Any, required: bool = True, future: bool = False, **kw: Any) -> DateField:
    validators: list[Any] = [InputRequired(_l("Fill in a date."))] if required else [Optional()]
    if not future:
        validators.append(NotInFuture())
    return DateField(label, format=DATE_FORMATS, validators=validators, **kw)


def text_area(
    label: Any, required_message: Any = None, max_length: int = 5000, **kw: Any
) -> TextAreaField:
    validators: list[Any] = [DataRequired(required_message)] if required_message else []
    validators.append(Length(max=max_length, message=_l("Write at most %(max)d characters.")))
    return TextAreaField(label, filters=[strip], validators=validators, **kw)


# Texts the family reads on paper ('Ons plan'): see the limits in plans/services/rules.py.
PRINTED = MAX_TEXT


def level_choices(levels: type[LadderLevel | SocialLadderLevel]) -> list[SelectChoice]:
    """'1. Geen participatie', ... in the page's language: the forms are built at import, so the
    text is made when the option is shown (an f-string here made it once, in English)."""
    return [SelectChoice(str(int(level)), _numbered(level)) for level in levels]


def _numbered(level: LadderLevel | SocialLadderLevel) -> LazyString:
    return LazyString(lambda: f"{int(level)}. {level.label}")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def member_choices(members: list[Any]) -> list[SelectChoice]:
    return [SelectChoice(m.id, m.full_name) for m in members]


class StartPlanForm(AppForm):
    started_on = date_field(_l("The plan starts on"))
    evaluation_on = date_field(_l("Evaluate on"), required=False, future=True)
    level = SelectField(
        _l("Participation ladder (who decides): where does the family stand?"),
        choices=level_choices(LadderLevel),
        coerce=int,
    )
    level_reason = text_area(_l("Why this level?"), _l("Write why this level fits now."))
    regie = SelectField(_l("Regie"), choices=Regie.choices())
    regie_reason = text_area(_l("Why this regie?"), _l("Write why regie is like this."))


class PlanForm(AppForm):
    started_on = date_field(_l("The plan starts on"))
    evaluation_on = date_field(_l("Evaluate on"), required=False, future=True)
    version = VersionField()

    def plan_data(self) -> dict[str, Any]:
        return {"started_on": self.started_on.data, "evaluation_on": self.evaluation_on.data}


class GoalForm(AppForm):
    text = text_area(
        _l("What does the family want to reach? In their own words"),
        _l("Write the goal as the family says it."),
        max_length=PRINTED,
        description=_l(
            "At most %(n)d characters, like every text the family reads on paper.", n=PRINTED
        ),
    )
    member_ids = MultiCheckboxField(_l("Who in the family is it about?"), coerce=int)
    why_it_matters = text_area(_l("Why does it matter to them?"), max_length=PRINTED)
    first_step = text_area(_l("The first small step"), max_length=PRINTED)
    reservations = text_area(
        _l("Your own reservations (internal, never shown to the family)"),
        description=_l(
            "E.g. 'Said the pros and cons neutrally; the family chose this.' "
            "Keep this apart from the family's words."
        ),
    )
    version = VersionField()

    def goal_data(self) -> dict[str, Any]:
        return {
            "text": self.text.data,
            "why_it_matters": self.why_it_matters.data or "",
            "first_step": self.first_step.data or "",
            "reservations": self.reservations.data or "",
            "member_ids": list(self.member_ids.data or []),
        }


class GoalStatusForm(AppForm):
    status = SelectField(_l("The goal is"), choices=GoalStatus.choices())
    status_on = date_field(_l("Since"))
    status_reason = text_area(_l("A word on why"), _l("Write a word on why."))
    version = VersionField()


class ActionForm(AppForm):
    text = text_area(
        _l("What will be done?"),
        _l("Write what will be done."),
        max_length=PRINTED,
        description=_l("At most %(n)d characters.", n=PRINTED),
    )
    owner_kind = RadioField(
        _l("Who does it?"),
        choices=OwnerKind.choices(),
        default=OwnerKind.FAMILY.value,
        validators=[InputRequired(_l("Choose who does it."))],
    )
    owner_member_id = SelectField(
        _l("Which family member (optional)"), coerce=optional_int, validators=[Optional()]
    )
    network_member_id = SelectField(
        _l("Who from the family's network"), coerce=optional_int, validators=[Optional()]
    )
    owner_name = StringField(
        _l("Or a name (someone not on the network map, or the professional or service)"),
        filters=[strip],
        validators=[Length(max=200)],
        description=_l("First ask: who of your own people could help?"),
    )
    due_on = date_field(_l("Done by"), required=False, future=True)
    repeats = SelectField(
        _l("How often?"),
        choices=Repeats.choices(),
        default=Repeats.ONCE.value,
        description=_l("E.g. every week: 'picks up Noah on Wednesdays'."),
    )
    status = SelectField(_l("Status"), choices=ActionStatus.choices())
    resource_id = SelectField(
        _l("Linked to a resource from the catalogue (optional)"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l("E.g. 'goes to the fathers' group on Tuesdays'."),
    )
    check_by_id = SelectField(
        _l("We stay responsible: who of the team checks that it happens?"),
        coerce=optional_int,
        choices=[SelectChoice("", "—")],
        validators=[Optional()],
        description=_l(
            "For an action of a volunteer or informal worker. Empty: the case lead, on the "
            "due date or in two weeks."
        ),
    )
    check_on = date_field(_l("Check by"), required=False, future=True)
    version = VersionField()

    def set_checkers(self, people: list[Any]) -> None:
        self.check_by_id.choices = [
            SelectChoice("", "—"),
            *(SelectChoice(p.id, p.display_name) for p in people),
        ]

    def set_members(self, members: list[Any], network: list[Any]) -> None:
        self.owner_member_id.choices = [
            SelectChoice("", _l("The family together")),
            *member_choices(members),
        ]
        self.network_member_id.choices = [
            SelectChoice("", "—"),
            *(SelectChoice(m.id, m.name) for m in network),
        ]

    def action_data(self) -> dict[str, Any]:
        return {
            "text": self.text.data,
            "owner_kind": OwnerKind(self.owner_kind.data),
            "owner_member_id": self.owner_member_id.data,
            "network_member_id": self.network_member_id.data,
            "owner_name": self.owner_name.data or "",
            "due_on": self.due_on.data,
            "repeats": Repeats(self.repeats.data),
            "status": ActionStatus(self.status.data),
            "resource_id": self.resource_id.data,
            "check_by_id": self.check_by_id.data,
            "check_on": self.check_on.data,
        }


class CheckedForm(AppForm):
    """The professional checked that a volunteer's action happens."""

    next_on = date_field(_l("Check again on"), required=False, future=True)
    version = VersionField()


def score_field(label: Any) -> IntegerField:
    return IntegerField(
        label,
        validators=[Optional(), Between(0, 10, _l("A score is a number from 0 to 10."))],
        render_kw={"min": 0, "max": 10, "inputmode": "numeric"},
    )


class ScoreForm(AppForm):
    scored_on = date_field(_l("Date of the contact"))
    family_score = score_field(_l("The family's score (0-10)"))
    professional_score = score_field(_l("Your score (0-10)"))
    one_point_higher = text_area(_l("What would make it one point higher?"))
    version = VersionField()

    def score_data(self) -> dict[str, Any]:
        return {
            "scored_on": self.scored_on.data,
            "family_score": self.family_score.data,
            "professional_score": self.professional_score.data,
            "one_point_higher": self.one_point_higher.data or "",
        }


class QuickScoreForm(ScoreForm):
    """The family's score from the plan page in two clicks: one of 0-10 (radio buttons), for
    today. The rest of a score stays on the full score form, which shows this form again when
    something is wrong (the fields in its order: a subclass's own fields come last). `version`
    is the goal's version when the plan page was opened (its words may have changed since);
    the plan page writes the hidden fields itself, one form per goal (templates/plans/show.html).
    The service asks for a number."""

    scored_on = DateField(
        _l("Date of the contact"),
        format=DATE_FORMATS,
        default=clock.today,
        validators=[Optional(), NotInFuture()],
    )
    family_score = score_field(_l("The family's score (0-10)"))
    professional_score = score_field(_l("Your score (0-10)"))
    one_point_higher = text_area(_l("What would make it one point higher?"))


class VoidScoreForm(AppForm):
    void_reason = text_area(_l("Why is this score struck out?"), _l("Write why."))
    version = VersionField()


class LadderForm(AppForm):
    # The reason and what it takes to climb back are printed on the family's paper.
    level = SelectField(_l("New level"), choices=level_choices(LadderLevel), coerce=int)
    changed_on = date_field(_l("Since"))
    reason = text_area(
        _l("Why does the level change?"),
        _l("Write why the level changes."),
        description=_l(
            "This goes on the family's paper: write it so they can read it, in plain words."
        ),
    )
    climb_back = text_area(
        _l("If the level goes down: what would it take to climb back?"),
        description=_l(
            "Needed when the family gets less say. This goes on the family's paper: write it "
            "so they can read it, in plain words."
        ),
    )


class RegieForm(AppForm):
    regie = SelectField(_l("Regie from now on"), choices=Regie.choices())
    changed_on = date_field(_l("Since"))
    reason = text_area(_l("Why?"), _l("Write why regie changes."))


class SocialLadderForm(AppForm):
    level = SelectField(
        _l("Step on the social participation ladder (VNG)"),
        choices=level_choices(SocialLadderLevel),
        coerce=int,
    )
    recorded_on = date_field(_l("Date"))
    note = text_area(_l("Note"))


class SuccessForm(AppForm):
    noted_on = date_field(_l("Date"))
    goal_id = SelectField(_l("Goal (optional)"), coerce=optional_int, validators=[Optional()])
    text = text_area(_l("What went well?"), _l("Write what went well."))


class FinaliseForm(InterpreterFields, AppForm):
    agreed_on = date_field(_l("Agreed on"))
    agreed_how = RadioField(
        _l("How did the family agree?"),
        choices=AgreedHow.choices(),
        validators=[InputRequired(_l("Choose how the family agreed."))],
    )
    member_ids = MultiCheckboxField(_l("Who in the family agreed?"), coerce=int)
    explained_how = RadioField(
        _l("How was the plan explained?"),
        choices=ExplainedHow.choices(),
        validators=[InputRequired(_l("How was the plan explained to the family? Choose one."))],
    )
    # Who read the plan aloud (ExplainedHow.READER): the picker's values as the interpreter's.
    reader = SelectField(
        _l("Who read the plan aloud?"),
        validators=[Optional()],
        validate_choice=False,  # the service names what is wrong with a value (a child, ...)
        default="",
    )
    reader_name = StringField(
        _l("Name of the person who read it aloud"),
        filters=[strip],
        validators=[Length(max=200, message=_l("Write at most %(max)d characters."))],
        description=_l("Someone the family chose who is not in the list above. Never a child."),
    )
    note = text_area(_l("Note (e.g. what the family wanted changed)"))
    version = VersionField()

    def set_readers(self, members: Iterable[Any], network: Iterable[Any], on: date) -> None:
        """The adults of the family (never a child) and the people of its network."""
        self.reader.choices = person_choices(
            _l("Someone else (write the name below)"), members, network, on
        )

    def reader_data(self) -> dict[str, Any]:
        picked = parse_interpreter(self.reader.data or "")
        return {
            "reader_name": self.reader_name.data or "",
            "reader_member_id": picked.get("interpreter_member_id"),
            "reader_network_member_id": picked.get("interpreter_network_member_id"),
            "reader_invalid": bool(picked.get("interpreter_invalid")),
        }


class StrengthTextForm(AppForm):
    """A strength written for the family's paper."""

    text = text_area(
        _l("Write a strength in the family's words"),
        _l("Write what the family is good at."),
        max_length=PRINTED,
        description=_l(
            "E.g. 'We always eat together on Sunday.' At most %(n)d characters.", n=PRINTED
        ),
    )


class ChooseStrengthForm(AppForm):
    """A strength or compliment from a note, put on paper with one button."""

    note_part_id = IdField(validators=[InputRequired(_l("Choose a strength."))])


class RemoveStrengthForm(AppForm):
    """The button that takes a strength off the paper: only its CSRF token."""


class MoveStrengthForm(AppForm):
    direction = SelectField(
        choices=[SelectChoice("up", _l("Up")), SelectChoice("down", _l("Down"))]
    )
