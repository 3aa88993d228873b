from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from wijkteam.web.forms import AppForm


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
