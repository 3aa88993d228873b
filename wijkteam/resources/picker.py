"""Choosing a resource from the team's catalogue in a form (issue 21: a list that can grow).

After a catalogue import a team can have 500-2,000 resources. A form that offered them all
read every one of them (an action form went from 19 to 97 ms with 2,000) and showed a choice
nobody can scroll through. Now a form offers:

- the resources already chosen (what was posted, or what the record holds), always;
- then the first OFFERED of the catalogue by name, or of those matching the words typed in
  the search field next to the choice (`<field name>_q`);

and says when more match. The search works without a script: its button ("Search") posts
the form back with everything typed and shows it again, nothing saved (`form_page` sees
`refining`). With the script (static/picker.js) the choices follow the typing, read from
`/resources/options`. One statement either way, whatever the size of the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import Boolean, Row, bindparam, case, or_, select
from wtforms import Field
from wtforms.fields.choices import SelectChoice

from wijkteam.core.db import db
from wijkteam.resources.models import Resource
from wijkteam.web.forms import clean_text

OFFERED = 50  # resources offered besides the chosen ones
QUERY_MAX = 100  # characters of a search that are used


@dataclass(frozen=True)
class Offer:
    """What a resource field offers besides the chosen ones: for which search, and whether
    more resources match than are offered."""

    query: str
    found: int  # offered besides the chosen ones
    more: bool
    url_kind: str = "name"


def name_label(row: Any) -> str:
    return str(row.name)


def name_and_contact_label(row: Any) -> str:
    return f"{row.name} ({row.contact_name})"


LABELS: dict[str, Callable[[Any], str]] = {
    "name": name_label,
    "contact": name_and_contact_label,
}


def search_of(field: Field) -> str:
    """The words typed in the field's search box (a POST of the form; nothing on a GET)."""
    typed = request.form.get(field.name + "_q", "") if request.method == "POST" else ""
    return clean_text(typed).strip()[:QUERY_MAX]


def matching(
    team_id: int, query: str, chosen: Iterable[Any] = (), limit: int | None = None
) -> tuple[list[Row[Any]], list[Row[Any]], bool]:
    """(the chosen resources, the first `limit` others matching `query` by name, whether more
    match): the team's resources that are not archived, in one statement."""
    limit = limit or OFFERED
    wanted = sorted({i for i in chosen if isinstance(i, int) and 0 < i < 2**31})
    rows = db.execute(
        _MATCHING,
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


_IS_CHOSEN = Resource.id.in_(bindparam("chosen", expanding=True))
_MATCHES = or_(
    bindparam("any", type_=Boolean),
    Resource.name.ilike(bindparam("pattern"), escape="\\"),
    Resource.contact_name.ilike(bindparam("pattern"), escape="\\"),
)
# Built once (issue 21). The chosen ones first, then the matching ones by name.
_MATCHING = (
    select(
        Resource.id,
        Resource.name,
        Resource.contact_name,
        case((_IS_CHOSEN, True), else_=False).label("is_chosen"),
    )
    .where(
        Resource.team_id == bindparam("team_id"),
        Resource.archived_on.is_(None),
        or_(_IS_CHOSEN, _MATCHES),
    )
    .order_by(case((_IS_CHOSEN, 0), else_=1), Resource.name, Resource.id)
    .limit(bindparam("limit"))
)


def _pattern(query: str) -> str:
    """A LIKE pattern for words typed: % and _ are taken as they are."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def offer_resources(
    field: Field,
    team_id: int,
    *,
    blank: str | None = "—",
    label: str = "name",
) -> Offer:
    """Set the choices of a resource field (a select or a group of check boxes): a blank
    choice (unless `blank` is None), the chosen ones, then the first OFFERED matching the
    search typed next to it. Kept on the field as `field.offer` for the form macros."""
    data = field.data
    chosen = data if isinstance(data, list) else [data]
    query = search_of(field)
    picked, others, more = matching(team_id, query, chosen)
    make = LABELS[label]
    field.choices = [
        *([SelectChoice("", blank)] if blank is not None else []),
        *(SelectChoice(r.id, make(r)) for r in (*picked, *others)),
    ]
    offer = Offer(query=query, found=len(others), more=more, url_kind=label)
    field.offer = offer
    return offer
