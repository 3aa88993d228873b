"""The form of a goal's texts in the family's language (issue 19): one row per text offered (the
goal, its actions, "one point higher"), and once how the texts were written. Shape only: which
texts belong to the goal, and conflicts, are checked by plans/services/second_texts.py.

A row carries what it renders (object type and id), the version of its second text when the
form was opened (empty: none yet) and the Dutch it showed, so that a save over someone else's
change is a conflict; and, for a second text whose Dutch changed since, whether it is still
right for the new Dutch."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, FormField, HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from wijkteam.plans.enums import WrittenHow
from wijkteam.plans.services import MAX_ACTIONS_PER_PLAN, MAX_TEXT
from wijkteam.plans.services.second_texts import Key, Seen
from wijkteam.web.forms import AppForm, IdField, RowForm, VersionField, strip

# The goal, every action a goal can have, and one score.
MAX_ROWS = MAX_ACTIONS_PER_PLAN + 2


class SecondTextRow(RowForm):
    object_type = HiddenField()
    object_id = IdField()
    version = VersionField()
    dutch = HiddenField()
    text = TextAreaField(
        filters=[strip],
        validators=[Length(max=MAX_TEXT, message=_l("Write at most %(max)d characters."))],
    )
    still_right = BooleanField(_l("Still right for the new Dutch text"))

    @property
    def key(self) -> Key:
        return (self.object_type.data or "", self.object_id.data or 0)

    def point_at(self, key: Key, version: int | None, dutch: str) -> None:
        """Make the row's hidden fields name this text again (the typed text stays)."""
        self.object_type.data, self.object_id.data = key
        self.object_id.raw_data = [str(key[1])]
        self.version.data, self.dutch.data = version, dutch


class SecondTextsForm(AppForm):
    written_how = RadioField(
        _l("How were the texts written?"),
        choices=WrittenHow.choices(),
        validators=[InputRequired(_l("How were the texts written? Choose one."))],
    )
    rows = FieldList(FormField(SecondTextRow), min_entries=0, max_entries=MAX_ROWS)

    def add_row(self, key: Key, version: int | None, dutch: str, text: str) -> SecondTextRow:
        """A row for a text offered (as the page opens, or one added since the form was)."""
        entry = self.rows.append_entry(
            {
                "object_type": key[0],
                "object_id": key[1],
                "version": version,
                "dutch": dutch,
                "text": text,
            }
        )
        row: SecondTextRow = entry.form
        return row

    def by_key(self) -> dict[Key, SecondTextRow]:
        """The rows as posted, by what they render (a key posted twice: the last row)."""
        return {entry.form.key: entry.form for entry in self.rows}

    def texts(self) -> dict[Key, str]:
        return {key: row.text.data or "" for key, row in self.by_key().items()}

    def seen(self) -> dict[Key, Seen]:
        return {
            key: Seen(row.version.data, row.dutch.data or "") for key, row in self.by_key().items()
        }

    def confirmed(self) -> set[Key]:
        return {key for key, row in self.by_key().items() if row.still_right.data}

    def hidden_errors(self) -> list[Any]:
        """Messages of the rows' hidden fields (only a changed page has any): for the summary."""
        found: list[Any] = []
        for entry in self.rows:
            row = entry.form
            for field in (row.object_type, row.object_id, row.version, row.dutch):
                found += field.errors
        return list(dict.fromkeys(str(e) for e in found))
