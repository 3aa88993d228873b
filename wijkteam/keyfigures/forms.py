"""The key figure form (shape only; rules are in services)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from wijkteam.cases.forms import optional_int, parse_languages
from wijkteam.keyfigures.models import KeyFigureKind
from wijkteam.network.forms import email_field, languages_field
from wijkteam.plans.forms import text_area
from wijkteam.web.forms import AppForm, VersionField, strip


class KeyFigureForm(AppForm):
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Fill in a name (a first name is enough).")), Length(max=200)],
    )
    kind = RadioField(
        _l("Who is this?"), choices=KeyFigureKind.choices(), default=KeyFigureKind.KEY_FIGURE.value
    )
    resource_id = SelectField(
        _l("Their organisation in the resource catalogue"),
        coerce=optional_int,
        validators=[Optional()],
    )
    organisation = StringField(
        _l("Or the name of their organisation or community"),
        filters=[strip],
        validators=[Length(max=200)],
    )
    phone = StringField(_l("Phone"), filters=[strip], validators=[Length(max=40)])
    email = email_field()
    languages = languages_field()
    notes = text_area(
        _l("Notes for the team"),
        description=_l("About the person, never about a family: families are kept apart."),
    )
    version = VersionField()

    def key_figure_data(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "kind": KeyFigureKind(self.kind.data),
            "resource_id": self.resource_id.data,
            "organisation": self.organisation.data or "",
            "phone": self.phone.data or "",
            "email": self.email.data or "",
            "languages": parse_languages(self.languages.data),
            "notes": self.notes.data or "",
        }
