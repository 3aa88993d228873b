from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from wijkteam.auth.models import TEAM_CONTACT_FIELDS, Role
from wijkteam.cases.forms import optional_int
from wijkteam.plans.forms import MultiCheckboxField
from wijkteam.printout.languages import LANGUAGES, PrintLanguage, review
from wijkteam.web.forms import AppForm, PhoneNumber, VersionField, strip

# The longest of the team's texts on the family's paper: a few lines each.
MAX_PAPER_TEXT = 1000
NOT_AN_EMAIL = _l("This is not a valid e-mail address.")


def print_language_label(lang: PrintLanguage) -> str:
    """ "العربية (Arabisch)", with "not reviewed yet" when no native speaker read it."""
    label = f"{lang.name} ({lang.dutch if str(get_locale()) == 'nl' else lang.english})"
    if not review(lang.code).reviewed:
        label += " · " + str(_l("not reviewed yet"))
    return label


class TeamForm(AppForm):
    name = StringField(
        _l("Team name"),
        filters=[strip],
        validators=[DataRequired(_l("Fill in a team name.")), Length(max=120)],
    )
    area = StringField(_l("Area"), filters=[strip], validators=[Length(max=200)])
    active = BooleanField(_l("Active"), default=True)
    # Contact details and rights on the family's paper (wijkteam/printout/contact_sheet.py).
    # The view adds each default to the help text of the fields that have one.
    phone = StringField(
        _l("Team phone number"),
        filters=[strip],
        validators=[Length(max=40), PhoneNumber()],
        description=_l(
            "On the family's plan on paper, under who to call: for when their own "
            "professional cannot be reached."
        ),
    )
    email = EmailField(
        _l("Team e-mail address"),
        filters=[strip],
        validators=[Optional(), Length(max=254), Email(NOT_AN_EMAIL, check_deliverability=False)],
        description=_l("On the family's plan on paper, next to the team's phone number."),
    )
    reachable = StringField(
        _l("When the team can be reached"),
        filters=[strip],
        validators=[Length(max=200)],
        description=_l(
            "For example: maandag tot en met vrijdag, 9.00 tot 17.00 uur. On the family's plan "
            "on paper, next to the team's phone number."
        ),
    )
    complaints = TextAreaField(
        _l("How to make a complaint"),
        filters=[strip],
        validators=[Length(max=MAX_PAPER_TEXT)],
        description=_l(
            "The complaints officer or committee and how to reach them: phone, e-mail, address "
            "or web page. On the family's plan on paper, under what to do if they do not agree."
        ),
    )
    client_support = TextAreaField(
        _l("Independent client support"),
        filters=[strip],
        validators=[Length(max=MAX_PAPER_TEXT)],
        description=_l(
            "The free, independent client support (onafhankelijke cliëntondersteuning) here: "
            "its name and how to reach it. On the family's plan on paper, under what to do if "
            "they do not agree."
        ),
    )
    youth_rights = TextAreaField(
        _l("Rights of young people in youth care"),
        filters=[strip],
        validators=[Length(max=MAX_PAPER_TEXT)],
        description=_l(
            "Where young people and parents get advice about their rights in youth care. On "
            "the family's plan on paper, under what to do if they do not agree."
        ),
    )
    veilig_thuis = StringField(
        _l("Veilig Thuis"),
        filters=[strip],
        validators=[Length(max=200)],
        description=_l(
            "Only on a plan with safety agreements, next to the emergency number 112. Fill "
            "this in only for a regional number instead of the national one."
        ),
    )
    print_languages = MultiCheckboxField(
        _l("Print languages"),
        choices=[],
        description=_l(
            "The languages the family's plan, closing letter and file can be printed in, "
            "besides Dutch (always). A language marked 'not reviewed yet' was translated by us "
            "and not yet read by a native speaker."
        ),
    )
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.print_languages.choices = [
            (lang.code, print_language_label(lang)) for lang in LANGUAGES if lang.code != "nl"
        ]
        if not self.is_submitted() and self.print_languages.data is None:
            self.print_languages.data = [code for code, _label in self.print_languages.choices]

    def team_data(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "area": self.area.data or "",
            "active": bool(self.active.data),
            "print_languages": self.chosen_print_languages(),
            **self.contact_data(),
        }

    def chosen_print_languages(self) -> list[str] | None:
        """The ticked languages in the registry's order (Dutch is not a choice: always); None
        when all are ticked: every print language, also one added later."""
        ticked = set(self.print_languages.data or [])
        chosen = [lang.code for lang in LANGUAGES if lang.code in ticked]
        return None if len(chosen) == len(LANGUAGES) - 1 else chosen

    def contact_data(self) -> dict[str, str]:
        """The contact details and rights texts, "" for what is left empty."""
        return {name: self[name].data or "" for name in TEAM_CONTACT_FIELDS}


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
            Email(NOT_AN_EMAIL, check_deliverability=False),
            Length(max=254),
        ],
    )
    phone = StringField(
        _l("Work phone number"),
        filters=[strip],
        validators=[Length(max=40), PhoneNumber()],
        description=_l(
            "On the plan on paper of the families this person is case lead or duo colleague "
            "for, under who to call."
        ),
    )
    reachable = StringField(
        _l("Working days and hours"),
        filters=[strip],
        validators=[Length(max=200)],
        description=_l(
            "For example: ma, di en do. On the families' plan on paper, next to the phone number."
        ),
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
        data = {
            "display_name": self.display_name.data,
            "email": self.email.data,
            "phone": self.phone.data or "",
            "reachable": self.reachable.data or "",
        }
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
