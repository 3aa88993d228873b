"""Forms for the resource catalogue and referrals."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from wijkteam.cases.forms import optional_int, parse_languages
from wijkteam.plans.forms import date_field, text_area
from wijkteam.resources.models import Audience, Direction, ReferralStatus, ResourceKind
from wijkteam.web.forms import AppForm, Between, VersionField, strip, tri_state


def _age(label: Any) -> IntegerField:
    return IntegerField(
        label, validators=[Optional(), Between(0, 120, _l("An age from 0 to 120."))]
    )


class ResourceForm(AppForm):
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Fill in the name.")), Length(max=200)],
    )
    kind = SelectField(_l("Kind"), choices=ResourceKind.choices())
    offers = text_area(_l("What it offers"))
    audience = SelectField(_l("For whom"), choices=Audience.choices())
    age_from = _age(_l("Age from"))
    age_to = _age(_l("Age to"))
    languages = StringField(
        _l("Languages spoken"),
        filters=[strip],
        validators=[Length(max=600)],
        description=_l("Separate with commas."),
    )
    area = StringField(_l("Area"), filters=[strip], validators=[Length(max=200)])
    contact_name = StringField(
        _l("Contact person"),
        filters=[strip],
        validators=[
            DataRequired(_l("Name a contact person: who do families ask for?")),
            Length(max=200),
        ],
    )
    contact_phone = StringField(_l("Phone"), filters=[strip], validators=[Length(max=40)])
    contact_email = StringField(_l("E-mail address"), filters=[strip], validators=[Length(max=254)])
    when = StringField(
        _l("Opening times or meeting days"), filters=[strip], validators=[Length(max=300)]
    )
    free = BooleanField(_l("Free of charge"), default=True)
    version = VersionField()

    def resource_data(self) -> dict[str, Any]:
        return {
            "name": self.name.data or "",
            "kind": ResourceKind(self.kind.data),
            "offers": self.offers.data or "",
            "audience": Audience(self.audience.data),
            "age_from": self.age_from.data,
            "age_to": self.age_to.data,
            "languages": parse_languages(self.languages.data),
            "area": self.area.data or "",
            "contact_name": self.contact_name.data or "",
            "contact_phone": self.contact_phone.data or "",
            "contact_email": self.contact_email.data or "",
            "when": self.when.data or "",
            "free": bool(self.free.data),
        }


class ArchiveResourceForm(AppForm):
    archive_reason = text_area(_l("Why is this entry archived?"))
    version = VersionField()


class ImportForm(AppForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])


class ReferralForm(AppForm):
    direction = RadioField(
        _l("Direction"),
        choices=Direction.choices(),
        default=Direction.OUTGOING.value,
    )
    resource_id = SelectField(
        _l("Resource"), coerce=optional_int, validators=[DataRequired(_l("Choose a resource."))]
    )
    reason = text_area(_l("Why"), _l("Write why."))
    family_wants = text_area(_l("What the family wants from it, in their words"))
    family_agreed = RadioField(
        _l("Did the family agree?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("Not (yet)"))],
        validators=[Optional()],
    )
    own_strength = text_area(
        _l("What can the family and its network do themselves?"),
        description=_l("Asked before every referral to specialist care."),
    )
    owner_id = SelectField(
        _l("Owner in the team"),
        coerce=optional_int,
        validators=[DataRequired(_l("Choose who follows this up."))],
    )
    follow_up_on = date_field(_l("Follow up on"), required=False, future=True)
    status = SelectField(_l("Status"), choices=ReferralStatus.choices())
    version = VersionField()

    def referral_data(self, with_status: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "reason": self.reason.data or "",
            "family_wants": self.family_wants.data or "",
            "family_agreed": tri_state(self.family_agreed.data),
            "own_strength": self.own_strength.data or "",
            "owner_id": self.owner_id.data,
            "follow_up_on": self.follow_up_on.data,
        }
        if with_status:
            data.update(
                direction=Direction(self.direction.data),
                resource_id=self.resource_id.data,
                status=ReferralStatus(self.status.data),
            )
        return data


class StatusForm(AppForm):
    status = SelectField(_l("New status"), choices=ReferralStatus.choices())
    changed_on = date_field(_l("Since"))
    note = text_area(_l("Note"))
    version = VersionField()
