"""The team's key figures as a list to choose from in a form (`web.picker`): the way in of a
case (who brought the family), and a network member who is one of the team's key figures.
Found by their name or their organisation's (the catalogue entry's or the one typed); the
organisation is read with them (the forms read it per key figure before: a query each)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func
from wtforms import Field

from wijkteam.keyfigures.models import KeyFigure
from wijkteam.resources.models import Resource
from wijkteam.web import picker
from wijkteam.web.picker import Catalogue, Offer

# A key figure's organisation: the catalogue entry's name, or else the one typed.
_ORGANISATION = func.coalesce(Resource.name, KeyFigure.organisation).label("organisation")


def name_and_organisation(row: Any) -> str:
    return f"{row.name} ({row.organisation})" if row.organisation else str(row.name)


KEY_FIGURES = Catalogue(
    statement=picker.matching_statement(
        KeyFigure.id,
        [KeyFigure.name, _ORGANISATION],
        search=[KeyFigure.name, KeyFigure.organisation, Resource.name],
        where=[KeyFigure.team_id == bindparam("team_id")],
        order=[KeyFigure.name, KeyFigure.id],
        join=(Resource, KeyFigure.resource_id == Resource.id),
    ),
    endpoint="keyfigures.options",
    labels={"name": name_and_organisation},
    search_label=_l("Search the team's key figures"),
    more_text=_l("More key figures match than are shown. Type more of the name."),
    none_text=_l("No key figure matches these words."),
)


def offer_key_figures(field: Field, team_id: int | None, *, blank: Any = "—") -> Offer:
    """The field's choices: the chosen key figure, then the first of the team's (or of those
    matching the search typed next to it)."""
    return picker.offer(KEY_FIGURES, field, team_id or 0, blank=blank)
