"""Forms for the network and network meetings (shape only; rules are in services)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from wijkteam.cases.forms import optional_int, parse_languages
from wijkteam.cases.interpreter_form import InterpreterFields
from wijkteam.network.models import (
    AskedStatus,
    Closeness,
    InformalRole,
    MeetingKind,
    NetworkKind,
    OrganisedBy,
    Quality,
)
from wijkteam.plans.forms import MultiCheckboxField, date_field, member_choices, text_area
from wijkteam.plans.owners import owner_choices, parse_owner
from wijkteam.web.forms import (
    AppForm,
    RowForm,
    VersionField,
    strip,
    tri_state,
    tri_state_options,
)

LEANED_ON = (NetworkKind.VOLUNTEER.value, NetworkKind.INFORMAL_WORKER.value)


def email_field() -> Any:
    """A person's e-mail address, optional (a network member, a key figure)."""
    return EmailField(
        _l("E-mail address"),
        filters=[strip],
        validators=[
            Optional(),
            Email(_l("This is not a valid e-mail address."), check_deliverability=False),
            Length(max=254),
        ],
    )


def languages_field() -> Any:
    """The languages a person speaks, comma-separated (parse_languages reads them)."""
    return StringField(
        _l("Languages"),
        filters=[strip],
        validators=[Length(max=600)],
        description=_l("Separate with commas."),
    )


class NetworkMemberForm(AppForm):
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Fill in a name (a first name is enough).")), Length(max=200)],
    )
    kind = SelectField(_l("Who is this?"), choices=NetworkKind.choices())
    related_member_id = SelectField(
        _l("Mostly related to"), coerce=optional_int, validators=[Optional()]
    )
    relation = StringField(
        _l("Relation, in the family's words"),
        filters=[strip],
        validators=[Length(max=200)],
        description=_l("E.g. 'aunt of Akosua', 'neighbour downstairs', 'teacher of Noah'."),
    )
    supports_emotional = BooleanField(_l("Emotional support (listening, comfort)"))
    supports_practical = BooleanField(
        _l("Practical support (babysitting, bringing children to school, keeping an eye out)")
    )
    supports_information = BooleanField(_l("Information and advice"))
    supports_social_control = BooleanField(
        _l("Keeping an eye out (een oogje in het zeil houden)"),
        description=_l("Informal social control: noticing when things go less well."),
    )
    supports_intergenerational = BooleanField(
        _l("Contact between generations"),
        description=_l("E.g. an older neighbour who reads with the children."),
    )
    supports_role_model = BooleanField(
        _l("Role model"), description=_l("Someone the family or a child looks up to.")
    )
    asked_status = SelectField(
        _l("Was this person asked to help?"),
        choices=[SelectChoice("", _l("Not recorded")), *AskedStatus.choices()],
        validators=[Optional()],
        description=_l("Also record who said no: then you can see who was asked."),
    )
    asked_on = date_field(_l("Asked on"), required=False)
    asked_for = StringField(
        _l("Asked for what?"),
        filters=[strip],
        validators=[Length(max=500)],
        description=_l("E.g. 'bringing Noah to school on Mondays'."),
    )
    closeness = RadioField(
        _l("How close?"),
        choices=Closeness.choices(),
        default=Closeness.MIDDLE.value,
        validators=[InputRequired(_l("Choose how close."))],
    )
    quality = RadioField(
        _l("How is the contact?"),
        choices=Quality.choices(),
        default=Quality.SUPPORTIVE.value,
        validators=[InputRequired(_l("Choose how the contact is."))],
    )
    gives_back = text_area(
        _l("What does the family give back?"),
        description=_l("Families also give: cooking, translating, a helping hand."),
    )
    phone = StringField(_l("Phone"), filters=[strip], validators=[Length(max=40)])
    email = email_field()
    languages = languages_field()
    informal_roles = MultiCheckboxField(
        _l("Roles with this family (volunteers and informal workers; more than one may apply)"),
        choices=InformalRole.choices(),
    )
    key_figure_id = SelectField(
        _l("The same person as the team's key figure"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l(
            "Link them when they help other families of the team too: their load is then "
            "counted across families. Other families never see this family."
        ),
    )
    role_does = text_area(_l("Role agreement: what they do"))
    role_does_not = text_area(_l("Role agreement: what they do not do"))
    role_agreed_on = date_field(_l("Agreed on"), required=False)
    confidentiality_agreed = RadioField(
        _l("Did they agree to keep what they hear confidential?"),
        choices=tri_state_options(_l("Not discussed yet"), _l("Yes"), _l("No")),
        default="",
        validators=[Optional()],
        description=_l(
            "A volunteer is not bound by professional confidentiality unless they agree to it."
        ),
    )
    confidentiality_on = date_field(_l("Agreed on"), required=False)
    organisation = StringField(
        _l("Self-organisation or group"), filters=[strip], validators=[Length(max=200)]
    )
    may_contact = RadioField(
        _l("May the team contact this person?"),
        choices=tri_state_options(_l("Not asked yet"), _l("Yes, the family agrees"), _l("No")),
        default="",
        validators=[Optional()],
    )
    may_be_told = text_area(
        _l("What may this person be told?"),
        description=_l("The family decides who may know what."),
    )
    consent_on = date_field(_l("The family said this on"), required=False)
    notes = text_area(_l("Notes"))
    version = VersionField()

    def validate_informal_roles(self, field: Any) -> None:
        if field.data and self.kind.data not in LEANED_ON:
            raise ValidationError(
                _l("Roles are only recorded for volunteers and informal workers.")
            )

    def validate_key_figure_id(self, field: Any) -> None:
        if field.data is not None and self.kind.data not in LEANED_ON:
            raise ValidationError(
                _l("Only a volunteer or informal worker is linked to a key figure.")
            )

    def set_members(self, members: list[Any]) -> None:
        """The family members to relate to (the team's key figures: `keyfigures.picker`)."""
        self.related_member_id.choices = [SelectChoice("", "—"), *member_choices(members)]

    def member_data(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "kind": NetworkKind(self.kind.data),
            "related_member_id": self.related_member_id.data,
            "relation": self.relation.data or "",
            "supports_emotional": bool(self.supports_emotional.data),
            "supports_practical": bool(self.supports_practical.data),
            "supports_information": bool(self.supports_information.data),
            "supports_social_control": bool(self.supports_social_control.data),
            "supports_intergenerational": bool(self.supports_intergenerational.data),
            "supports_role_model": bool(self.supports_role_model.data),
            "asked_status": AskedStatus(self.asked_status.data) if self.asked_status.data else None,
            "asked_on": self.asked_on.data,
            "asked_for": self.asked_for.data or "",
            "closeness": Closeness(self.closeness.data),
            "quality": Quality(self.quality.data),
            "gives_back": self.gives_back.data or "",
            "phone": self.phone.data or "",
            "email": self.email.data or "",
            "languages": parse_languages(self.languages.data),
            "informal_roles": [InformalRole(r) for r in self.informal_roles.data or []],
            "key_figure_id": self.key_figure_id.data,
            "role_does": self.role_does.data or "",
            "role_does_not": self.role_does_not.data or "",
            "role_agreed_on": self.role_agreed_on.data,
            "confidentiality_agreed": tri_state(self.confidentiality_agreed.data),
            "confidentiality_on": self.confidentiality_on.data,
            "organisation": self.organisation.data or "",
            "may_contact": tri_state(self.may_contact.data),
            "may_be_told": self.may_be_told.data or "",
            "consent_on": self.consent_on.data,
            "notes": self.notes.data or "",
        }


class ArchiveForm(AppForm):
    archived_on = date_field(_l("No longer in the network since"))
    archive_reason = text_area(_l("Why?"), _l("Write why this person is no longer in the network."))
    version = VersionField()


class RestoreForm(AppForm):
    version = VersionField()


class AgreementRow(RowForm):
    """One agreement at a meeting, which becomes a plan action."""

    text = StringField(_l("Agreement"), filters=[strip], validators=[Length(max=1000)])
    goal_id = SelectField(_l("For goal"), coerce=optional_int, validators=[Optional()])
    owner = SelectField(_l("Who does it?"), validators=[Optional()])
    owner_name = StringField(
        _l("Name (if someone else)"), filters=[strip], validators=[Length(max=200)]
    )
    due_on = date_field(_l("Done by"), required=False, future=True)

    def is_blank(self) -> bool:
        return not self.text.data

    def action_data(self) -> dict[str, Any]:
        """The row as an action, with the owner picked (see wijkteam/plans/owners.py)."""
        return {
            "text": self.text.data,
            "goal_id": self.goal_id.data,
            "due_on": self.due_on.data,
            "owner_name": self.owner_name.data,
            **parse_owner(self.owner.data or ""),
        }


class MeetingForm(InterpreterFields, AppForm):
    held_on = date_field(_l("Date of the meeting"))
    kind = RadioField(
        _l("What kind of meeting?"),
        choices=MeetingKind.choices(),
        default=MeetingKind.INFORMAL.value,
        validators=[InputRequired(_l("Choose the kind of meeting."))],
    )
    organised_by = RadioField(
        _l("Who organised it?"),
        choices=OrganisedBy.choices(),
        default=OrganisedBy.FAMILY.value,
        validators=[InputRequired(_l("Choose who organised it."))],
    )
    family_member_ids = MultiCheckboxField(_l("Who of the family came?"), coerce=int)
    network_member_ids = MultiCheckboxField(_l("Who of the network came?"), coerce=int)
    other_attendees = StringField(
        _l("Others who came"),
        filters=[strip],
        validators=[Length(max=500)],
        description=_l("E.g. a teacher. An interpreter: below."),
    )
    summary = text_area(_l("What was talked about"))
    agreed = text_area(_l("What was agreed, in the family's words"))
    follow_up_on = date_field(
        _l("When do we check whether the contacts held?"),
        required=False,
        future=True,
        description=_l(
            "Optional. One meeting is often not enough: fragile contacts fall away. After this "
            "date the case shows a signal until the check is recorded or a next meeting is held."
        ),
    )
    agreements = FieldList(FormField(AgreementRow), min_entries=3, max_entries=30)
    add_agreement = SubmitField(_l("Add a row for another agreement"))
    submit = SubmitField(_l("Save the meeting"))

    def set_choices(
        self, family: list[Any], network: list[Any], goals: list[Any], on: date
    ) -> None:
        self.family_member_ids.choices = member_choices(family)
        self.set_interpreters(family, network, on)
        self.network_member_ids.choices = [SelectChoice(m.id, m.name) for m in network]
        owners = owner_choices(family, network)
        goal_choices = [SelectChoice("", "—"), *(SelectChoice(g.id, g.text[:70]) for g in goals)]
        for entry in self.agreements.entries:
            entry.form.owner.choices = owners
            entry.form.goal_id.choices = goal_choices

    def filled_agreements(self) -> list[AgreementRow]:
        return [e.form for e in self.agreements.entries if not e.form.is_blank()]

    def validate(self, extra_validators: Any = None) -> bool:
        """Empty agreement rows are left out; a filled row needs a goal and an owner."""
        ok = True
        for name, field in self._fields.items():
            if name != "agreements":
                ok = field.validate(self, (extra_validators or {}).get(name, ())) and ok
        for row in self.filled_agreements():
            ok = row.validate() and ok
            if row.goal_id.data is None:
                row.goal_id.errors = [*row.goal_id.errors, str(_l("Choose a goal."))]
                ok = False
            if not row.owner.data:
                row.owner.errors = [*row.owner.errors, str(_l("Choose who does it."))]
                ok = False
            elif row.owner.data == "other" and not row.owner_name.data:
                row.owner_name.errors = [*row.owner_name.errors, str(_l("Write a name."))]
                ok = False
        self.agreements.errors = [e.form.errors for e in self.agreements.entries if e.form.errors]
        return ok


class FollowUpForm(AppForm):
    """The check after a network meeting: when it is planned, and what was found."""

    follow_up_on = date_field(
        _l("When do we check whether the contacts held?"), required=False, future=True
    )
    followed_up_on = date_field(_l("Checked on"), required=False)
    follow_up_note = text_area(
        _l("What did you find: did the contacts hold?"),
        max_length=2000,
        description=_l("Who still helps, who fell away, what the family wants now."),
    )
    version = VersionField()

    def follow_up_data(self) -> dict[str, Any]:
        return {
            "follow_up_on": self.follow_up_on.data,
            "followed_up_on": self.followed_up_on.data,
            "follow_up_note": self.follow_up_note.data or "",
        }
