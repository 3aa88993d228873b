from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from wijkteam.cases.forms import parse_languages
from wijkteam.web.forms import AppForm, IdField, RowForm, VersionField, strip


class LoginForm(AppForm):
    email = StringField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Fill in your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Fill in your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


NEW_PASSWORD_HELP = _l(
    "At least 12 characters. Common passwords and passwords from known data breaches are "
    "refused. A few unrelated words together are easy to remember and hard to guess."
)


def _same_as(other: str) -> EqualTo:
    return EqualTo(other, message=_l("The two passwords are not the same."))


class SetPasswordForm(AppForm):
    """Choosing a password through an invitation or reset link."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a password.")), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
        description=NEW_PASSWORD_HELP,
    )
    password_again = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Type the password a second time.")), _same_as("password")],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(AppForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Fill in your current password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a password.")), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
        description=NEW_PASSWORD_HELP,
    )
    new_password_again = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Type the password a second time.")),
            _same_as("new_password"),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ProfileForm(AppForm):
    """One's own matching profile: nothing here decides what one may see or do."""

    languages = StringField(
        _l("Languages you speak"),
        filters=[strip],
        validators=[Length(max=600)],
        description=_l("Separate with commas, e.g. 'Twi, Engels, Nederlands'."),
    )
    background = TextAreaField(
        _l("Background knowledge"),
        filters=[strip],
        validators=[Length(max=1000)],
        description=_l(
            "E.g. a community, culture or faith you know well. Only if you want to share it."
        ),
    )
    expertise = TextAreaField(
        _l("Expertise"),
        filters=[strip],
        validators=[Length(max=1000)],
        description=_l("E.g. debts, parenting of teenagers, mild intellectual disability."),
    )
    version = VersionField()

    def profile_data(self) -> dict[str, Any]:
        return {
            "languages": parse_languages(self.languages.data),
            "background": self.background.data or "",
            "expertise": self.expertise.data or "",
        }


class PercentRow(RowForm):
    user_id = IdField()
    work_percent = IntegerField(
        _l("Part of a full-time job, in percent"),
        validators=[
            Optional(),
            NumberRange(1, 100, message=_l("Fill in a number from %(min)d to %(max)d.")),
        ],
    )


class TeamSettingsForm(AppForm):
    caseload_norm = IntegerField(
        _l("Caseload norm: families per full-time professional"),
        validators=[
            Optional(),
            NumberRange(1, 100, message=_l("Fill in a number from %(min)d to %(max)d.")),
        ],
        description=_l(
            "Open cases as case lead. Leave empty for no norm. A professional who works part "
            "of a full-time job counts for that part of the norm."
        ),
    )
    members = FieldList(FormField(PercentRow), min_entries=0, max_entries=200)
    version = VersionField()

    def prepare(self, team: Any, members: list[Any], fill: bool) -> dict[int, str]:
        """Fill the form from the team (`fill`: a GET); the members' names by id."""
        if fill:
            self.caseload_norm.data = team.caseload_norm
            self.version.data = team.version
            for member in members:
                self.members.append_entry(
                    {"user_id": member.id, "work_percent": member.work_percent}
                )
        return {m.id: m.display_name for m in members}

    def percents(self) -> dict[int, int]:
        return {
            e.form.user_id.data: e.form.work_percent.data
            for e in self.members.entries
            if e.form.user_id.data is not None and e.form.work_percent.data is not None
        }
