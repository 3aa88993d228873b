"""Forms of the case discussion (shape of input only; rules are in services)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.datetime import TimeField
from wtforms.validators import InputRequired, Length, Optional

from wijkteam.cases.forms import optional_int
from wijkteam.discussions.models import Need
from wijkteam.network.forms import AgreementRow
from wijkteam.plans.forms import MultiCheckboxField, date_field, text_area
from wijkteam.plans.owners import owner_choices
from wijkteam.web.forms import AppForm, RowForm, VersionField, strip


class ItemForm(AppForm):
    """Bringing a case to the case discussion."""

    question = text_area(
        _l("Your question for the team"),
        _l("Write the question you want the team's help with."),
        description=_l("E.g. 'How can we involve the father again?'"),
    )
    tried = text_area(
        _l("What have you tried so far?"),
        description=_l("What worked a little, what did not, and what the family itself tried."),
    )
    need = RadioField(
        _l("What do you need from the team?"),
        choices=Need.choices(),
        validators=[InputRequired(_l("Choose what you need from the team."))],
    )
    version = VersionField()
    submit = SubmitField(_l("Bring it to the case discussion"))


class GuestRow(RowForm):
    """Someone from outside the team: only a name and a role."""

    name = StringField(_l("Name"), filters=[strip], validators=[Length(max=200)])
    role = StringField(
        _l("Role"),
        filters=[strip],
        validators=[Length(max=200)],
        description=_l("E.g. informal carer, school social worker, psychiatrist."),
    )

    def is_blank(self) -> bool:
        return not self.name.data and not self.role.data


class DiscussionForm(AppForm):
    """Planning (or changing) a case discussion meeting."""

    held_on = date_field(_l("Date"), future=True)
    starts_at = TimeField(_l("Start time"), validators=[Optional()])
    location = StringField(
        _l("Where"), filters=[strip], validators=[Length(max=200)], description=_l("Room or link")
    )
    attendee_ids = MultiCheckboxField(_l("Who of the team takes part?"), coerce=int)
    guests = FieldList(FormField(GuestRow), min_entries=2, max_entries=20)
    add_guest = SubmitField(_l("Add a row for another guest"))
    item_ids = MultiCheckboxField(_l("Put on the agenda"), coerce=int)
    version = VersionField()
    submit = SubmitField(_l("Save the meeting"))

    def set_choices(self, team: list[Any], waiting: list[Any]) -> None:
        self.attendee_ids.choices = [SelectChoice(u.id, u.display_name) for u in team]
        self.item_ids.choices = [
            SelectChoice(i.id, f"{i.case.family.name}: {i.question[:80]}") for i in waiting
        ]

    def filled_guests(self) -> list[tuple[str, str]]:
        return [
            (e.form.name.data or "", e.form.role.data or "")
            for e in self.guests.entries
            if not e.form.is_blank()
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for entry in self.guests.entries:
            row = entry.form
            if row.role.data and not row.name.data:
                row.name.errors = [*row.name.errors, str(_l("Write the guest's name."))]
                ok = False
        return ok


class AgendaForm(AppForm):
    """Add waiting items to a meeting's agenda."""

    item_ids = MultiCheckboxField(_l("Add to the agenda"), coerce=int)
    version = VersionField()


class MoveForm(AppForm):
    direction = StringField(validators=[InputRequired()])
    version = VersionField()


class PostponeForm(AppForm):
    to_discussion_id = SelectField(
        _l("Move to"), coerce=optional_int, validators=[Optional()], choices=[]
    )
    version = VersionField()
    submit = SubmitField(_l("Postpone"))


class FollowUpRow(AgreementRow):
    """A follow-up of the discussion: with a goal it becomes a plan action, without a goal a
    task for a team member."""

    due_on = date_field(_l("Done by"), required=False, future=True)


class OutcomeForm(AppForm):
    summary = text_area(_l("What was discussed"))
    advice = text_area(_l("Advice of the team"))
    decisions = text_area(_l("Decisions"))
    follow_ups = FieldList(FormField(FollowUpRow), min_entries=3, max_entries=30)
    add_follow_up = SubmitField(_l("Add a row for another follow-up"))
    version = VersionField()
    submit = SubmitField(_l("Save"))

    def set_choices(
        self, team: list[Any], family: list[Any], network: list[Any], goals: list[Any]
    ) -> None:
        owners = owner_choices(family, network, team)
        goal_choices = [
            SelectChoice("", _l("No goal: a task for the team member")),
            *(SelectChoice(g.id, g.text[:70]) for g in goals),
        ]
        for entry in self.follow_ups.entries:
            entry.form.owner.choices = owners
            entry.form.goal_id.choices = goal_choices

    def filled_follow_ups(self) -> list[FollowUpRow]:
        return [e.form for e in self.follow_ups.entries if not e.form.is_blank()]

    def validate(self, extra_validators: Any = None) -> bool:
        """Empty rows are left out. A follow-up needs an owner; without a goal it is a task, so
        the owner is a team member and it needs a date."""
        ok = True
        for name, field in self._fields.items():
            if name != "follow_ups":
                ok = field.validate(self, (extra_validators or {}).get(name, ())) and ok
        if not (self.summary.data or self.advice.data or self.decisions.data):
            self.summary.errors = [
                *self.summary.errors,
                str(_l("Write what was discussed, the advice or the decisions.")),
            ]
            ok = False
        for row in self.filled_follow_ups():
            ok = row.validate() and ok
            owner = row.owner.data or ""
            if not owner:
                row.owner.errors = [*row.owner.errors, str(_l("Choose who does it."))]
                ok = False
            elif owner == "other" and not row.owner_name.data:
                row.owner_name.errors = [*row.owner_name.errors, str(_l("Write a name."))]
                ok = False
            if row.goal_id.data is None and owner and not owner.startswith("user-"):
                row.goal_id.errors = [
                    *row.goal_id.errors,
                    str(_l("Choose a goal: this becomes an action in the family's plan.")),
                ]
                ok = False
            if row.goal_id.data is None and row.due_on.data is None and not row.due_on.errors:
                row.due_on.errors = [*row.due_on.errors, str(_l("A task needs a date."))]
                ok = False
        self.follow_ups.errors = [e.form.errors for e in self.follow_ups.entries if e.form.errors]
        return ok


class VersionOnlyForm(AppForm):
    """A button that changes one record (finish a task, withdraw a case): only its version."""

    version = VersionField()
