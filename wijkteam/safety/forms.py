"""Forms for safety concerns (shape only; the Meldcode rules are in services)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from wijkteam.cases.forms import optional_int
from wijkteam.cases.interpreter_form import InterpreterFields
from wijkteam.plans.forms import (
    MultiCheckboxField,
    date_field,
    level_choices,
    member_choices,
    score_field,
    text_area,
)
from wijkteam.plans.models import LadderLevel, Regie
from wijkteam.safety.models import ConcernStatus, ConditionState
from wijkteam.web.forms import (
    YES_NO,
    AppForm,
    VersionField,
    strip,
    tri_state,
    tri_state_choice,
)


def _yes_no_field(label: Any) -> RadioField:
    return RadioField(label, choices=YES_NO, validators=[Optional()])


def _regie_field() -> SelectField:
    return SelectField(
        _l("Does regie change?"),
        choices=[SelectChoice("", _l("No change")), *Regie.choices()],
        validators=[Optional()],
    )


def _level_field() -> SelectField:
    return SelectField(
        _l("Does the participation ladder (who decides) change?"),
        choices=[
            SelectChoice("", _l("No change")),
            *level_choices(LadderLevel),
        ],
        validators=[Optional()],
    )


class SignalFields:
    observed_on = date_field(_l("When was it seen or heard?"))
    description = text_area(_l("What was seen or heard?"), _l("Write what was seen or heard."))
    source = StringField(
        _l("Source: who saw or heard it?"),
        filters=[strip],
        validators=[DataRequired(_l("Write who saw or heard it (the source).")), Length(max=300)],
    )
    source_confidential = BooleanField(
        _l("The source is confidential (only the case lead and the team lead see it)")
    )
    confided_by_id = SelectField(
        _l("Passed on in confidence by someone of the network?"),
        coerce=optional_int,
        choices=[SelectChoice("", "—")],
        validators=[Optional()],
        description=_l(
            "E.g. a key figure who heard it in confidence. The source is then confidential, "
            "and before deciding you record how you agreed with them to act."
        ),
    )

    def set_network(self, members: list[Any]) -> None:
        self.confided_by_id.choices = [
            SelectChoice("", "—"),
            *(SelectChoice(m.id, m.name) for m in members),
        ]

    def signal_data(self) -> dict[str, Any]:
        return {
            "observed_on": self.observed_on.data,
            "description": self.description.data or "",
            "source": self.source.data or "",
            "source_confidential": bool(self.source_confidential.data),
            "confided_by_id": self.confided_by_id.data,
        }


class OpenConcernForm(SignalFields, AppForm):
    title = StringField(
        _l("In a few words: what is the worry?"),
        filters=[strip],
        validators=[DataRequired(_l("Describe the worry in a few words.")), Length(max=200)],
    )
    opened_on = date_field(_l("Opened on"))
    child_ids = MultiCheckboxField(_l("Which child or children?"), coerce=int)
    regie = _regie_field()
    level = _level_field()
    change_reason = text_area(_l("Why do regie or the level change?"))
    climb_back = text_area(_l("If the family gets less say: what would it take to climb back?"))


class ConcernForm(AppForm):
    title = StringField(
        _l("In a few words: what is the worry?"),
        filters=[strip],
        validators=[DataRequired(_l("Describe the worry in a few words.")), Length(max=200)],
    )
    status = SelectField(
        _l("Status"),
        choices=ConcernStatus.choices(ConcernStatus.OPEN, ConcernStatus.BEING_HANDLED),
    )
    child_ids = MultiCheckboxField(_l("Which child or children?"), coerce=int)
    version = VersionField()


class SignalForm(SignalFields, AppForm):
    version = VersionField()


class ConfidenceForm(AppForm):
    """Before acting on a confidence passed on: the agreement with the person who passed it."""

    confidence_agreement = text_area(
        _l("How did you agree with them to act?"),
        _l("Write how you agreed with them to act."),
        description=_l(
            "In their community they can be seen as a traitor. Agree on what you do, what you "
            "say to the family, and what you leave out."
        ),
    )
    confidence_agreed_on = date_field(_l("Agreed on"))
    parents_told_duty = BooleanField(
        _l("The parents were told up front that we must act on worries about safety")
    )
    confider_may_be_named = BooleanField(
        _l("They agree to be named to the family as the one who passed it on")
    )
    version = VersionField()

    def confidence_data(self) -> dict[str, Any]:
        return {
            "confidence_agreement": self.confidence_agreement.data or "",
            "confidence_agreed_on": self.confidence_agreed_on.data,
            "parents_told_duty": bool(self.parents_told_duty.data),
            "confider_may_be_named": bool(self.confider_may_be_named.data),
        }


class StepForm(InterpreterFields, AppForm):
    done_on = date_field(_l("Date"))
    not_applicable = BooleanField(_l("This step does not apply (write why below)"))
    outcome = text_area(_l("What came out of it"))
    colleague = StringField(
        _l("Which colleague did you consult?"), filters=[strip], validators=[Length(max=200)]
    )
    veilig_thuis_consulted = _yes_no_field(_l("Was Veilig Thuis consulted?"))
    veilig_thuis_advice = text_area(_l("Advice of Veilig Thuis"))
    conversation_held = _yes_no_field(_l("Did the conversation with the parents / child happen?"))
    talked_with = StringField(
        _l("With whom did you talk?"), filters=[strip], validators=[Length(max=300)]
    )
    acute_unsafety = _yes_no_field(_l("Is there acute unsafety?"))
    structural_unsafety = _yes_no_field(_l("Is there structural unsafety?"))
    can_organise_help = _yes_no_field(_l("Can you (or your team) organise sufficient help?"))
    family_cooperates = _yes_no_field(_l("Do the family members cooperate with that help?"))
    safe_in_agreed_time = _yes_no_field(_l("Does the help lead to safety within the agreed time?"))
    organise_help = BooleanField(_l("Organise help"))
    report_to_veilig_thuis = BooleanField(_l("Report to Veilig Thuis"))
    family_told = _yes_no_field(_l("Was the family told about this decision?"))
    why_not_told = text_area(_l("Why was the family not told?"))
    version = VersionField()

    STEP_FIELDS = {
        1: ("outcome",),
        2: ("outcome", "colleague", "veilig_thuis_consulted", "veilig_thuis_advice"),
        3: ("outcome", "conversation_held", "talked_with"),  # and the interpreter fields
        4: (
            "outcome",
            "acute_unsafety",
            "structural_unsafety",
            "can_organise_help",
            "family_cooperates",
            "safe_in_agreed_time",
        ),
        5: ("outcome", "organise_help", "report_to_veilig_thuis", "family_told", "why_not_told"),
    }
    YES_NO_FIELDS = (
        "veilig_thuis_consulted",
        "conversation_held",
        "acute_unsafety",
        "structural_unsafety",
        "can_organise_help",
        "family_cooperates",
        "safe_in_agreed_time",
        "family_told",
    )
    BOOL_FIELDS = ("organise_help", "report_to_veilig_thuis")

    def fields_for(self, step: int) -> list[Any]:
        return [self[name] for name in self.STEP_FIELDS[step]]

    def step_data(self, step: int) -> dict[str, Any]:
        data: dict[str, Any] = {
            "done_on": self.done_on.data,
            "not_applicable": bool(self.not_applicable.data),
        }
        if step == 3:
            data |= self.interpreter_data()
        for name in self.STEP_FIELDS[step]:
            value = self[name].data
            if name in self.YES_NO_FIELDS:
                value = tri_state(value)
            elif name in self.BOOL_FIELDS:
                value = bool(value)
            else:
                value = value or ""
            data[name] = value
        return data

    def load(self, entry: Any) -> None:
        """Fill the form from a recorded step (for a correction)."""
        self.done_on.data = entry.done_on
        self.not_applicable.data = entry.not_applicable
        self.version.data = entry.version
        if entry.step == 3:
            self.load_interpreter(entry)
        for name in self.STEP_FIELDS[entry.step]:
            value = getattr(entry, name)
            if name in self.YES_NO_FIELDS:
                value = tri_state_choice(value)
            self[name].data = value


class MapForm(AppForm):
    harm = text_area(_l("Harm: what has happened that worries us?"))
    danger_statement = text_area(_l("Danger statement: what are we afraid will happen?"))
    complicating_factors = text_area(_l("Complicating factors"))
    strengths = text_area(_l("Strengths: what is going well?"))
    existing_safety = text_area(_l("Existing safety: when is the child safe now?"))
    safety_goals = text_area(_l("Safety goals: what must be true for the case to close?"))
    next_steps = text_area(_l("Next steps"))
    version = VersionField()

    FIELDS = (
        "harm",
        "danger_statement",
        "complicating_factors",
        "strengths",
        "existing_safety",
        "safety_goals",
        "next_steps",
    )

    def map_data(self) -> dict[str, str]:
        return {name: self[name].data or "" for name in self.FIELDS}


class SafetyScoreForm(AppForm):
    scored_on = date_field(_l("Date"))
    professional_score = score_field(_l("Your score (0-10)"))
    family_score = score_field(_l("The family's score (0-10), where possible"))
    note = text_area(_l("What makes it this number?"))

    def score_data(self) -> dict[str, Any]:
        return {
            "scored_on": self.scored_on.data,
            "professional_score": self.professional_score.data,
            "family_score": self.family_score.data,
            "note": self.note.data or "",
        }


class ConditionForm(AppForm):
    text = text_area(_l("The condition, as agreed with the parents"), _l("Write the condition."))
    starts_on = date_field(_l("From"))
    review_on = date_field(_l("Review on"), required=False, future=True)
    state = SelectField(_l("Is it kept?"), choices=ConditionState.choices())
    reviewed_on = date_field(_l("Last checked on"), required=False)
    note = text_area(_l("Note"))
    shared_with_family = BooleanField(_l("Agreed openly with the parents"), default=True)
    version = VersionField()

    def condition_data(self) -> dict[str, Any]:
        return {
            "text": self.text.data or "",
            "starts_on": self.starts_on.data,
            "review_on": self.review_on.data,
            "state": ConditionState(self.state.data),
            "reviewed_on": self.reviewed_on.data,
            "note": self.note.data or "",
            "shared_with_family": bool(self.shared_with_family.data),
        }


class CloseConcernForm(AppForm):
    closed_on = date_field(_l("Closed on"))
    close_reason = text_area(
        _l("Why can the concern be closed?"), _l("Write why the concern can be closed.")
    )
    regie_return = text_area(
        _l("What does it take to give regie back to the family?"),
        _l("Write what it takes to give regie back to the family."),
    )
    regie = _regie_field()
    level = _level_field()
    version = VersionField()


class FileAccessForm(AppForm):
    """Hold a concern back from the family's file (with the Jeugdwet's reason), or stop."""

    reason = text_area(
        _l("Why is this held back from the family's file?"),
        description=_l(
            "Only where the law allows it: for example when telling the family now would put "
            "a child in danger, or would harm the privacy of someone else."
        ),
    )
    withhold = SubmitField(_l("Hold back from the family's file"))
    release = SubmitField(_l("Show it in the family's file again"))
    version = VersionField()


def set_children(form: Any, members: list[Any]) -> None:
    form.child_ids.choices = member_choices([m for m in members if m.role.value == "child"])
