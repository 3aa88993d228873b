"""Choosing from a list of the team that can grow, in a form (issue 21): the resource
catalogue (wijkteam/resources/picker.py) and the team's key figures
(wijkteam/keyfigures/picker.py).

After a catalogue import a team can have 500-2,000 resources. A form that offered them all
read every one of them (an action form went from 19 to 97 ms with 2,000) and showed a choice
nobody can scroll through. Now a form offers:

- what is already chosen (what was posted, or what the record holds), always;
- then the first OFFERED of the list by name, or of those matching the words typed in the
  search field next to the choice (`<field name>_q`);

and says when more match. The search field shows only when the list holds more than that,
or a search was made. It works without a script: its button ("Search") posts the form back
with everything typed and shows it again, nothing saved (`web.helpers.refining`, seen by
`form_page`). With the script (static/picker.js) the choices follow the typing, read from
the catalogue's options endpoint (`options_answer`). One statement either way, whatever the
size of the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response, jsonify, request, url_for
from sqlalchemy import Boolean, ColumnElement, Row, Select, bindparam, case, or_, select
from wtforms import Field
from wtforms.fields.choices import SelectChoice

from wijkteam.core.db import db
from wijkteam.web.forms import search_words

OFFERED = 50  # entries offered besides the chosen ones
CHOSEN_MAX = 200  # chosen entries read with the offer (a closing form ticks a few)


@dataclass(frozen=True)
class Catalogue:
    """A team's list to choose from: the statement that reads it (`matching_statement`), its
    options endpoint, how an entry is named in a choice, and the words of its search field."""

    statement: Select[Any]
    endpoint: str
    labels: dict[str, Callable[[Any], str]]
    search_label: Any
    more_text: Any
    none_text: Any


@dataclass(frozen=True)
class Offer:
    """What a field offers besides the chosen ones: for which search, how many were found,
    and whether more match than are offered."""

    catalogue: Catalogue
    query: str
    found: int
    more: bool
    label: str = "name"

    @property
    def url(self) -> str:
        return url_for(self.catalogue.endpoint, label=self.label)


def matching_statement(
    id_column: Any,
    columns: Sequence[Any],
    *,
    search: Sequence[Any],
    where: Sequence[ColumnElement[bool]],
    order: Sequence[Any],
    join: tuple[Any, Any] | None = None,
) -> Select[Any]:
    """The statement of a catalogue, built once: its rows `where` (with the bound parameter
    `team_id`), the chosen ones (`chosen`) first and then those whose `search` columns contain
    the words (`pattern`, or all with `any`) in `order`, at most `limit`."""
    is_chosen = id_column.in_(bindparam("chosen", expanding=True))
    matches = or_(
        bindparam("any", type_=Boolean),
        *(column.ilike(bindparam("pattern"), escape="\\") for column in search),
    )
    stmt = select(
        id_column.label("id"), *columns, case((is_chosen, True), else_=False).label("is_chosen")
    )
    if join is not None:
        stmt = stmt.outerjoin(*join)
    return (
        stmt.where(*where, or_(is_chosen, matches))
        .order_by(case((is_chosen, 0), else_=1), *order)
        .limit(bindparam("limit"))
    )


def _pattern(query: str) -> str:
    """A LIKE pattern for words typed: % and _ are taken as they are."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching(
    catalogue: Catalogue,
    team_id: int,
    query: str,
    chosen: Iterable[Any] = (),
    limit: int | None = None,
) -> tuple[list[Row[Any]], list[Row[Any]], bool]:
    """(the chosen entries, the first `limit` others matching `query`, whether more match):
    the team's entries, in one statement."""
    limit = limit or OFFERED
    # a form's own ids (a POST can hold thousands: the ones after CHOSEN_MAX are not offered,
    # and the form refuses them as any choice it did not offer)
    wanted = sorted({i for i in chosen if isinstance(i, int) and 0 < i < 2**31})[:CHOSEN_MAX]
    rows = db.execute(
        catalogue.statement,
        {
            "team_id": team_id,
            "chosen": wanted,
            "any": not query,
            "pattern": _pattern(query),
            "limit": limit + 1 + len(wanted),
        },
    ).all()
    picked = [r for r in rows if r.is_chosen]
    others = [r for r in rows if not r.is_chosen]
    return picked, others[:limit], len(others) > limit


SEARCH = "_q"  # the search field beside a choice: <field name>_q
SHOWN = "_q_shown"  # beside it, hidden: the words its choices show (the macro choice_search)


def search_of(field: Field) -> str:
    """The words typed in the field's search box (a POST of the form; nothing on a GET)."""
    typed = request.form.get(field.name + SEARCH, "") if request.method == "POST" else ""
    return search_words(typed)


def unsearched_words() -> bool:
    """Whether a search field of the posted form holds words its choices do not show yet
    (typed without the script, or not yet searched)."""
    return any(
        search_words(request.form.get(name.removesuffix(SHOWN) + SEARCH, "")) != search_words(shown)
        for name, shown in request.form.items()
        if name.endswith(SHOWN)
    )


def offer(
    catalogue: Catalogue,
    field: Field,
    team_id: int,
    *,
    blank: Any = "—",
    label: str = "name",
    first: Iterable[int] = (),
) -> Offer:
    """Set the choices of a field (a select or a group of check boxes): a blank choice
    (unless `blank` is None), the chosen ones and those to offer `first` (the case's own),
    then the first OFFERED matching the search typed next to it. Kept on the field as
    `field.offer` for the form macros."""
    data = field.data
    chosen = [*(data if isinstance(data, list) else [data]), *first]
    query = search_of(field)
    picked, others, more = matching(catalogue, team_id, query, chosen)
    make = catalogue.labels[label]
    field.choices = [
        *([SelectChoice("", blank)] if blank is not None else []),
        *(SelectChoice(r.id, make(r)) for r in (*picked, *others)),
    ]
    shown = Offer(catalogue, query=query, found=len(others), more=more, label=label)
    field.offer = shown
    return shown


def options_answer(catalogue: Catalogue, team_id: int) -> Response:
    """The options endpoint's answer: the first OFFERED of the team's entries matching `q`
    (JSON: options with id and label, and whether more match)."""
    query = search_words(request.args.get("q", ""))
    labels = catalogue.labels
    make = labels.get(request.args.get("label", ""), next(iter(labels.values())))
    _chosen, found, more = matching(catalogue, team_id, query)
    return jsonify(options=[{"id": r.id, "label": make(r)} for r in found], more=more)
