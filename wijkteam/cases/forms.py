"""Forms for families, members and cases. They check the shape of input only."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from wijkteam.cases.models import CaseStatus, CloseReason, Custody, MemberRole, WayIn
from wijkteam.closing.forms import GoalResultRow
from wijkteam.closing.models import EndedBy, GoalResult
from wijkteam.closing.services import GoalResultInput
from wijkteam.plans.enums import GoalStatus, LadderLevel, Regie
from wijkteam.web.forms import (
    AppForm,
    NotBefore1900,
    NotInFuture,
    RowForm,
    VersionField,
    optional_whole_number,
    strip,
    tri_state,
    tri_state_choice,
    tri_state_options,
)

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
MAX_LANGUAGES = 10


def parse_languages(raw: str | None) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", raw or "") if part.strip()]


def optional_int(value: Any) -> int | None:
    """The coerce of selects whose options are ids: '' is nothing chosen; anything but a whole
    number of at most 18 digits is a ValueError (a message on the form, see
    wijkteam/web/forms.py)."""
    return optional_whole_number(value)


def optional_str(value: Any) -> str | None:
    return value or None


class FamilyFields:
    name = StringField(
        _l("Family name"),
        filters=[strip],
        validators=[
            DataRequired(_l("Fill in how the family is called, e.g. 'Bakker'.")),
            Length(max=120),
        ],
        description=_l("How the family wants to be called."),
    )
    address = StringField(_l("Address"), filters=[strip], validators=[Length(max=200)])
    postcode = StringField(
        _l("Postcode"),
        filters=[strip],
        validators=[
            Optional(),
            Regexp(r"^\d{4}\s?[A-Za-z]{2}$", message=_l("Use a Dutch postcode, like 1234 AB.")),
        ],
    )
    city = StringField(_l("City"), filters=[strip], validators=[Length(max=100)])
    phone = StringField(_l("Phone"), filters=[strip], validators=[Length(max=40)])
    context = TextAreaField(
        _l("Context in the family's own words"),
        filters=[strip],
        validators=[Length(max=5000)],
        description=_l(
            "Culture, faith, earlier experiences with services: as the family tells it."
        ),
    )

    def family_data(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "address": self.address.data or "",
            "postcode": (self.postcode.data or "").upper(),
            "city": self.city.data or "",
            "phone": self.phone.data or "",
            "context": self.context.data or "",
        }


class MemberFields:
    first_name = StringField(
        _l("First name"),
        filters=[strip],
        validators=[DataRequired(_l("Fill in a first name.")), Length(max=80)],
    )
    last_name = StringField(
        _l("Last name"),
        filters=[strip],
        validators=[DataRequired(_l("Fill in a last name.")), Length(max=120)],
    )
    date_of_birth = DateField(
        _l("Date of birth"),
        format=DATE_FORMATS,
        validators=[
            Optional(),
            NotInFuture(_l("A date of birth cannot be in the future.")),
            NotBefore1900(),
        ],
    )
    role = SelectField(
        _l("Role in the family"),
        choices=MemberRole.choices(),
        validators=[DataRequired(_l("Choose a role."))],
    )
    languages = StringField(
        _l("Languages spoken"),
        filters=[strip],
        validators=[Length(max=600)],
        description=_l("Separate with commas, easiest first, e.g. 'Twi, English (a little)'."),
    )
    interpreter_needed = BooleanField(_l("Needs an interpreter"))
    interpreter_language = StringField(
        _l("Interpreter for which language"), filters=[strip], validators=[Length(max=80)]
    )
    custody = SelectField(
        _l("Parental authority (children only)"),
        choices=[SelectChoice("", "—"), *Custody.choices()],
        coerce=optional_str,
        validators=[Optional()],
    )

    authority = SelectField(
        _l("Parental authority (adults)"),
        choices=tri_state_options(
            _l("By the role (parent: yes, other carer: no)"),
            _l("Has parental authority (also as guardian)"),
            _l("Has no parental authority"),
        ),
        coerce=tri_state_choice,
        validators=[Optional()],
        description=_l(
            "Who has it reads and signs the family's paper as a parent. A grandparent or "
            "step-parent only has it as a guardian (voogd)."
        ),
    )

    def validate_languages(self, field: Any) -> None:
        langs = parse_languages(field.data)
        if len(langs) > MAX_LANGUAGES:
            raise ValidationError(_l("List at most %(n)d languages.", n=MAX_LANGUAGES))
        if any(len(lang) > 60 for lang in langs):
            raise ValidationError(_l("One of the languages is too long; separate with commas."))

    def validate_interpreter_language(self, field: Any) -> None:
        if self.interpreter_needed.data and not field.data:
            raise ValidationError(_l("Which language should the interpreter speak?"))

    def validate_custody(self, field: Any) -> None:
        if field.data and self.role.data != MemberRole.CHILD.value:
            raise ValidationError(_l("Parental authority is only recorded for children."))

    def validate_authority(self, field: Any) -> None:
        if field.data == "yes" and self.role.data == MemberRole.CHILD.value:
            raise ValidationError(_l("A child does not hold parental authority."))

    def member_data(self) -> dict[str, Any]:
        return {
            "first_name": self.first_name.data,
            "last_name": self.last_name.data,
            "date_of_birth": self.date_of_birth.data,
            "role": MemberRole(self.role.data),
            "languages": parse_languages(self.languages.data),
            "interpreter_needed": bool(self.interpreter_needed.data),
            "interpreter_language": (
                self.interpreter_language.data or "" if self.interpreter_needed.data else ""
            ),
            "custody": Custody(self.custody.data) if self.custody.data else None,
            "authority": tri_state(self.authority.data),
        }


class MemberRowForm(MemberFields, RowForm):
    """One member row inside the registration form (no CSRF of its own)."""

    def is_blank(self) -> bool:
        typed_date = bool(self.date_of_birth.raw_data and self.date_of_birth.raw_data[0])
        return not (self.first_name.data or self.last_name.data or typed_date)


class MemberForm(MemberFields, AppForm):
    left_household_on = DateField(
        _l("Left the household on"),
        format=DATE_FORMATS,
        validators=[Optional(), NotInFuture()],
        description=_l("Only when this person no longer lives with the family."),
    )
    version = VersionField()

    def member_data(self) -> dict[str, Any]:
        return {**super().member_data(), "left_household_on": self.left_household_on.data}


class QuestionFields:
    question_for_help = TextAreaField(
        _l("Question for help, in the family's own words"),
        filters=[strip],
        validators=[
            DataRequired(_l("Write down what the family asks for, in their words.")),
            Length(max=5000),
        ],
    )


class PeopleFields:
    lead_id = SelectField(
        _l("Case lead"), coerce=optional_int, validators=[DataRequired(_l("Choose a case lead."))]
    )
    duo_id = SelectField(_l("Duo colleague"), coerce=optional_int, validators=[Optional()])

    def validate_duo_id(self, field: Any) -> None:
        if field.data is not None and field.data == self.lead_id.data:
            raise ValidationError(_l("The duo colleague must be someone other than the case lead."))

    def set_people(self, people: list[tuple[int, str]]) -> None:
        options = [SelectChoice(user_id, name) for user_id, name in people]
        self.lead_id.choices = [SelectChoice("", "—"), *options]
        self.duo_id.choices = [
            SelectChoice("", _l("No duo colleague")),
            *options,
        ]


class WayInFields:
    """How the family came to the team; on registering a family and on the case."""

    way_in = RadioField(
        _l("How did the family come to the team?"),
        choices=[SelectChoice("", _l("Not recorded yet")), *WayIn.choices()],
        default="",
        validators=[Optional()],
    )
    way_in_detail = StringField(
        _l("Which school, GP or organisation (or anything worth knowing)"),
        filters=[strip],
        validators=[Length(max=300)],
    )
    key_figure_id = SelectField(
        _l("Through which key figure?"), coerce=optional_int, validators=[Optional()]
    )
    new_key_figure = StringField(
        _l("Or someone new: their name"),
        filters=[strip],
        validators=[Length(max=200)],
        description=_l("They are added to the team's key figures and to the family's network."),
    )
    via_groundwork = BooleanField(_l("They did the groundwork with the family"))
    via_first_contact = BooleanField(_l("They were there at the first contact"))
    via_worded_question = BooleanField(_l("They helped put the question into words"))
    via_goes_along = BooleanField(_l("They go along to appointments"))

    def way_in_data(self) -> dict[str, Any]:
        return {
            "way_in": WayIn(self.way_in.data) if self.way_in.data else None,
            "way_in_detail": self.way_in_detail.data or "",
            "key_figure_id": self.key_figure_id.data,
            "new_key_figure": self.new_key_figure.data or "",
            "via_groundwork": bool(self.via_groundwork.data),
            "via_first_contact": bool(self.via_first_contact.data),
            "via_worded_question": bool(self.via_worded_question.data),
            "via_goes_along": bool(self.via_goes_along.data),
        }


class WayInForm(WayInFields, AppForm):
    version = VersionField()


class CaseFields(QuestionFields, PeopleFields):
    """A new case: the question and who leads it."""


class RegisterFamilyForm(FamilyFields, CaseFields, WayInFields, AppForm):
    members = FieldList(FormField(MemberRowForm), min_entries=2, max_entries=20)
    opened_on = DateField(
        _l("Case opened on"),
        format=DATE_FORMATS,
        validators=[InputRequired(_l("Fill in a date.")), NotInFuture()],
    )
    add_member = SubmitField(_l("Add a row for another family member"))
    submit = SubmitField(_l("Register family and open case"))

    def filled_members(self) -> list[MemberRowForm]:
        return [entry.form for entry in self.members.entries if not entry.form.is_blank()]

    def validate(self, extra_validators: Any = None) -> bool:
        """Like Form.validate, but empty member rows are ignored instead of failing."""
        ok = True
        for name, field in self._fields.items():
            if name == "members":
                for entry in field.entries:
                    if not entry.form.is_blank():
                        ok = entry.validate(self) and ok
                self.members.errors = [e.errors for e in field.entries if e.errors]
            else:
                ok = field.validate(self, (extra_validators or {}).get(name, ())) and ok
        if not self.filled_members():
            self.members.errors = [str(_l("Add at least one family member."))]
            ok = False
        return ok


class NewCaseForm(CaseFields, WayInFields, AppForm):
    """A new case for a family whose earlier case is closed."""

    opened_on = DateField(
        _l("Case opened on"),
        format=DATE_FORMATS,
        validators=[InputRequired(_l("Fill in a date.")), NotInFuture()],
    )


class FamilyForm(FamilyFields, AppForm):
    version = VersionField()


class CaseForm(QuestionFields, AppForm):
    status = SelectField(
        _l("Status"),
        choices=CaseStatus.choices(CaseStatus.INTAKE, CaseStatus.ACTIVE),
    )
    version = VersionField()

    def case_data(self) -> dict[str, Any]:
        return {
            "question_for_help": self.question_for_help.data,
            "status": CaseStatus(self.status.data),
        }


class LeadForm(PeopleFields, AppForm):
    """Hand the case over: a new case lead or duo colleague, and why."""

    reason = TextAreaField(
        _l("Why does the case change hands?"),
        filters=[strip],
        validators=[DataRequired(_l("Write why the case changes hands.")), Length(max=2000)],
        description=_l("The team lead and the colleagues concerned see this."),
    )
    version = VersionField()

    def lead_data(self) -> dict[str, Any]:
        return {
            "lead_id": self.lead_id.data,
            "duo_id": self.duo_id.data,
            "reason": self.reason.data or "",
        }


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (as plans.forms.MultiCheckboxField, which imports this
    module)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _level_label(level: LadderLevel) -> Any:
    return LazyString(lambda: f"{int(level)}. {level.label}")


class CloseCaseForm(AppForm):
    close_reason = SelectField(
        _l("Why does the case close?"),
        choices=[SelectChoice("", "—"), *CloseReason.choices()],
        validators=[DataRequired(_l("Choose a reason."))],
    )
    ended_by = RadioField(
        _l("How did it end?"),
        choices=EndedBy.choices(),
        validators=[InputRequired(_l("Choose how the work ended."))],
        description=_l(
            'Did the family stop on its own, before we were done together? Then choose "The '
            'family stopped on its own", whatever the reason.'
        ),
    )
    closed_on = DateField(
        _l("Closed on"),
        format=DATE_FORMATS,
        validators=[InputRequired(_l("Fill in a date.")), NotInFuture()],
    )
    close_note = TextAreaField(
        _l("A word on how it went"),
        filters=[strip],
        validators=[Length(max=5000)],
        description=_l("What was reached, and what the family takes with them."),
    )
    ladder_level = SelectField(
        _l("Participation ladder at the end"),
        choices=[
            SelectChoice("", "—"),
            *(SelectChoice(str(int(level)), _level_label(level)) for level in LadderLevel),
        ],
        coerce=optional_int,
        validators=[Optional()],
        description=_l("Filled in from the plan. Change it if the family stands elsewhere now."),
    )
    regie = SelectField(
        _l("Regie at the end"),
        choices=[SelectChoice("", "—"), *Regie.choices()],
        validators=[Optional()],
    )
    network_member_ids = MultiCheckboxField(_l("Who of the network stays involved?"), coerce=int)
    resource_ids = MultiCheckboxField(
        _l("Which services stay involved?"),
        coerce=int,
        description=_l("From the team's resource catalogue."),
    )
    aftercare_agreement = TextAreaField(
        _l("Aftercare agreement"),
        filters=[strip],
        validators=[Length(max=5000)],
        description=_l(
            "Who does what after closing, and when the family hears from us again (if you "
            "agreed that). The family reads this in the closing letter."
        ),
    )
    come_back = TextAreaField(
        _l("How the family can come back"),
        filters=[strip],
        validators=[Length(max=2000)],
        description=_l("In words for the family: the closing letter prints this."),
    )
    # One row per goal of the plan still worked on or achieved (the view makes them).
    goals = FieldList(FormField(GoalResultRow), min_entries=0, max_entries=100)
    version = VersionField()

    def set_choices(self, network: list[Any]) -> None:
        """The network members to choose from (the resources: `resources.picker`)."""
        self.network_member_ids.choices = [SelectChoice(m.id, m.name) for m in network]

    def close_data(self) -> dict[str, Any]:
        return {
            "close_reason": self.close_reason.data,
            "closed_on": self.closed_on.data,
            "close_note": self.close_note.data or "",
        }

    def match_goals(self, goals: Sequence[Any], *, fresh: bool) -> None:
        """One row per goal, in the plan's order: a posted row keeps what was typed, a goal
        without one gets an empty row (its result is then required), a row for anything else
        is dropped. On a fresh form an achieved goal is preselected as reached."""
        posted = {
            entry.form.goal_id.data: entry
            for entry in self.goals.entries
            if entry.form.goal_id.data is not None
        }
        rows = []
        for goal in goals:
            entry = posted.get(goal.id) or self.goals.append_entry({"goal_id": goal.id})
            if fresh and goal.status == GoalStatus.ACHIEVED:
                entry.form.result.data = GoalResult.REACHED.value
            rows.append(entry)
        self.goals.entries = rows

    def goal_results(self) -> list[GoalResultInput]:
        return [
            GoalResultInput(
                goal_id=entry.form.goal_id.data,
                result=GoalResult(entry.form.result.data),
                family_words=entry.form.family_words.data or "",
            )
            for entry in self.goals.entries
            if entry.form.goal_id.data is not None
        ]

    def closing_data(self) -> dict[str, Any]:
        """What the closing records besides the case's own fields (closing/services.py)."""
        level = self.ladder_level.data
        return {
            "ended_by": EndedBy(self.ended_by.data),
            "goal_results": self.goal_results(),
            "ladder_level": LadderLevel(level) if level else None,
            "regie": Regie(self.regie.data) if self.regie.data else None,
            "network_member_ids": list(self.network_member_ids.data or []),
            "resource_ids": list(self.resource_ids.data or []),
            "aftercare_agreement": self.aftercare_agreement.data or "",
            "come_back": self.come_back.data or "",
        }

    def validate_close_note(self, field: Any) -> None:
        if self.close_reason.data == CloseReason.OTHER.value and not field.data:
            raise ValidationError(_l("Please explain the reason."))
