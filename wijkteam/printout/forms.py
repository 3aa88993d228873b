"""What a user chooses when asking for a printout (shape of input only).

Each choice becomes part of the print job's options (wijkteam/jobs/models.py): the language of
the paper (independent of the screen's), who it is for (the reader), and for the plan the
version (agreed or proposal) and who else gets it. The reader's and version's choices depend on
the case: the view fills them (`for_case`)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from wijkteam.cases.models import Case
from wijkteam.printout.reader import PARENTS, reader_choices
from wijkteam.web.forms import AppForm

PRINT_LANGUAGES = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]
COPIES_MAX = 200


def _reader_field() -> SelectField:
    return SelectField(
        _l("Who is it for?"),
        choices=[],
        default=PARENTS,
        validators=[InputRequired(_l("Choose who it is for."))],
        description=_l(
            "The printout holds only what this person may read. A young person of 16 or older "
            "decides alone about what they told us; from 12 to 16 the young person and the "
            "parents with parental authority both may read it."
        ),
    )


def _lang_field() -> SelectField:
    return SelectField(
        _l("Language of the printout"),
        choices=PRINT_LANGUAGES,
        default="nl",
        validators=[InputRequired(_l("Choose a language."))],
    )


def _default_when_missing(field: Any, value: str) -> None:
    """A choice that was not sent at all takes its default (a printout without a chosen reader
    is for the parents); a value that was sent is validated as it is."""
    if not field.raw_data:
        field.data = value
        field.raw_data = [value]


class PlanPrintForm(AppForm):
    reader = _reader_field()
    which_plan = RadioField(
        _l("Which plan?"),
        choices=[],
        validators=[InputRequired(_l("Choose the agreed plan or the proposal."))],
    )
    lang = _lang_field()
    copies_to = StringField(
        _l("Who else gets this plan? (optional)"),
        validators=[Length(max=COPIES_MAX)],
        description=_l(
            "For example: the school, the GP. Only with the family's consent. The plan says "
            "who gets it."
        ),
    )

    def for_case(self, case: Case, *, agreed: tuple[int, str] | None, differs: bool) -> None:
        """The readers of this family, and the versions there are to print: the proposal
        (the draft) when it differs from the agreed version or nothing is agreed yet, and the
        agreed version when there is one."""
        self.reader.choices = [SelectChoice(v, label) for v, label in reader_choices(case.family)]
        choices = []
        if differs:
            choices.append(
                SelectChoice(
                    "proposal",
                    str(
                        _l("The proposal: the plan as it is now, not agreed yet")
                        if agreed is None
                        else _l("The proposal: the plan as it is now, with what is new or changed")
                    ),
                )
            )
        if agreed is not None:
            number, on = agreed
            choices.append(
                SelectChoice(
                    "agreed",
                    str(_l("The agreed plan: version %(n)d of %(date)s", n=number, date=on)),
                )
            )
        self.which_plan.choices = choices
        _default_when_missing(self.which_plan, choices[0].value)
        _default_when_missing(self.reader, PARENTS)
        _default_when_missing(self.lang, "nl")

    def options(self) -> dict[str, Any]:
        return {
            "lang": self.lang.data,
            "reader": self.reader.data,
            "version": self.which_plan.data,
            "copies_to": (self.copies_to.data or "").strip(),
        }


class FilePrintForm(AppForm):
    reader = _reader_field()
    format = RadioField(
        _l("Format"),
        choices=[SelectChoice("pdf", "PDF"), SelectChoice("json", "JSON")],
        default="pdf",
        validators=[InputRequired(_l("Choose PDF or JSON."))],
    )
    lang = _lang_field()

    def for_case(self, case: Case) -> None:
        self.reader.choices = [SelectChoice(v, label) for v, label in reader_choices(case.family)]
        _default_when_missing(self.reader, PARENTS)
        _default_when_missing(self.lang, "nl")

    def options(self) -> dict[str, Any]:
        return {"lang": self.lang.data, "reader": self.reader.data}
