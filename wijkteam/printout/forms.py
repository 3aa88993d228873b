"""What a user chooses when asking for a printout (shape of input only).

Each choice becomes part of the print job's options (wijkteam/jobs/models.py): the language
now; the reader and the agreed version are meant to be added here the same way."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from wijkteam.web.forms import AppForm

PRINT_LANGUAGES = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]


class PlanPrintForm(AppForm):
    lang = SelectField(
        _l("Language of the printout"),
        choices=PRINT_LANGUAGES,
        default="nl",
        validators=[InputRequired(_l("Choose a language."))],
    )

    def options(self) -> dict[str, Any]:
        return {"lang": self.lang.data}


class FilePrintForm(AppForm):
    format = RadioField(
        _l("Format"),
        choices=[SelectChoice("pdf", "PDF"), SelectChoice("json", "JSON")],
        validators=[InputRequired(_l("Choose PDF or JSON."))],
    )
