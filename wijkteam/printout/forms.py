"""What a user chooses when asking for a printout (shape of input only).

Each choice becomes part of the print job's options (wijkteam/jobs/models.py): the language of
the paper (independent of the screen's), who it is for (the reader), and for the plan the
version (agreed or proposal) and who else gets it. The reader's and version's choices depend on
the case: the view fills them (`for_case`)."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from wijkteam.cases.models import Case, Family
from wijkteam.printout import languages
from wijkteam.printout.languages import PrintLanguage, from_spoken
from wijkteam.printout.reader import PARENTS, parents_with_authority, reader_choices
from wijkteam.web.forms import AppForm

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
        choices=[],
        default="nl",
        validators=[InputRequired(_l("Choose a language."))],
        description=_l(
            "The languages the family speaks come first. The printout's language does not "
            "change the language of your screen."
        ),
    )


def _bilingual_field() -> BooleanField:
    return BooleanField(
        _l("Two languages: the Dutch under each text"),
        description=_l(
            "So that you and the family read the same paper and can talk about the same line. "
            "Not for a printout in Dutch."
        ),
    )


def speakers(family: Family) -> dict[str, list[str]]:
    """Per print language, the first names of the family members (still at home) who speak
    it, in the order of the members; each member's languages as they were written."""
    found: dict[str, list[str]] = {}
    for member in family.members:
        if member.left_household_on is not None:
            continue
        for spoken in member.languages or []:
            lang = from_spoken(spoken)
            if lang is not None and member.first_name not in found.setdefault(lang.code, []):
                found[lang.code].append(member.first_name)
    return found


def suggested_language(family: Family, codes: list[str]) -> str:
    """The language to suggest: the one most parents with authority name first among the
    offered ones (ties: the registry's order); Dutch when none of theirs is offered."""
    firsts: list[str] = []
    for parent in parents_with_authority(family) or family.members:
        langs = [from_spoken(spoken) for spoken in parent.languages or []]
        first = next((lang.code for lang in langs if lang and lang.code in codes), None)
        if first is not None:
            firsts.append(first)
    if not firsts:
        return "nl"
    return max(codes, key=lambda code: (firsts.count(code), -codes.index(code)))


def language_choices(case: Case) -> tuple[list[SelectChoice], str]:
    """The team's print languages for the select, those of the family first with who speaks
    them ("العربية · Arabisch (Aisha, Omar)"), and the one to suggest."""
    offered = languages.offered(case.team)
    spoken = speakers(case.family)
    dutch_screen = str(get_locale()) == "nl"

    def label(lang: PrintLanguage) -> str:
        own = lang.dutch if dutch_screen else lang.english
        text = own if own == lang.name else f"{lang.name} · {own}"
        names = spoken.get(lang.code)
        return f"{text} ({', '.join(names)})" if names else text

    ordered = [lang for lang in offered if lang.code in spoken] + [
        lang for lang in offered if lang.code not in spoken
    ]
    choices = [SelectChoice(lang.code, label(lang)) for lang in ordered]
    return choices, suggested_language(case.family, [lang.code for lang in offered])


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
    bilingual = _bilingual_field()
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
        _languages_for(self, case)

    def options(self) -> dict[str, Any]:
        return {
            **_language_options(self),
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
    bilingual = _bilingual_field()

    def for_case(self, case: Case) -> None:
        self.reader.choices = [SelectChoice(v, label) for v, label in reader_choices(case.family)]
        _default_when_missing(self.reader, PARENTS)
        _languages_for(self, case)

    def options(self) -> dict[str, Any]:
        return {**_language_options(self), "reader": self.reader.data}


def _languages_for(form: PlanPrintForm | FilePrintForm, case: Case) -> None:
    """The team's languages; on the first showing of the form the suggested one is chosen. A
    request that does not send a language at all gets Dutch (as before there was a choice)."""
    form.lang.choices, suggested = language_choices(case)
    if form.is_submitted():
        _default_when_missing(form.lang, "nl")
    else:
        form.lang.data = suggested


def _language_options(form: PlanPrintForm | FilePrintForm) -> dict[str, Any]:
    """The language, and two-language only where it means something (not for Dutch)."""
    options: dict[str, Any] = {"lang": form.lang.data}
    if form.bilingual.data and form.lang.data != "nl":
        options["bilingual"] = True
    return options
