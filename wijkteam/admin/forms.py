from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from wijkteam.auth.models import Role
from wijkteam.cases.forms import optional_int
from wijkteam.web.forms import AppForm, VersionField, strip


class TeamForm(AppForm):
    name = StringField(
        _l("Team name"),
        filters=[strip],
        validators=[DataRequired(_l("Fill in a team name.")), Length(max=120)],
    )
    area = StringField(_l("Area"), filters=[strip], validators=[Length(max=200)])
    active = BooleanField(_l("Active"), default=True)
    version = VersionField()

    def team_data(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "area": self.area.data or "",
            "active": bool(self.active.data),
        }


class UserForm(AppForm):
    display_name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Fill in a name.")), Length(max=120)],
    )
    email = EmailField(
        _l("E-mail address"),
        filters=[strip],
        validators=[
            DataRequired(_l("Fill in an e-mail address.")),
            Email(_l("This is not a valid e-mail address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    role = SelectField(_l("Role"), choices=Role.choices())
    team_id = SelectField(_l("Team"), coerce=optional_int, validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
    second_reviewer = BooleanField(
        _l("Second reviewer"),
        description=_l(
            "A deputy team lead or behavioural scientist: signs off plans and safety decisions "
            "that someone else asked for, also when the team lead asked."
        ),
    )
    version = VersionField()

    def user_data(self) -> dict[str, Any]:
        """What the form sends. On an admin's own account the fields that decide access are
        not in the form (see drop_access_fields), so they are not sent."""
        data = {"display_name": self.display_name.data, "email": self.email.data}
        if "role" in self:
            data |= {
                "role": Role(self.role.data),
                "team_id": self.team_id.data,
                "active": bool(self.active.data),
                "second_reviewer": bool(self.second_reviewer.data),
            }
        return data

    def drop_access_fields(self) -> None:
        """An admin's own account: role, team, active and second reviewer are for another
        admin to change (services.update_user refuses them too)."""
        for name in ("role", "team_id", "active", "second_reviewer"):
            delattr(self, name)


class ConfirmForm(AppForm):
    """A button that changes something (a reset link, an unlock): only its CSRF token."""
