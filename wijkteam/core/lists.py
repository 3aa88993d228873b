"""Several lists of the same kind of row in one query (issue 21: a page's lists of sign-off
requests or of cases brought in were a query each, and each query costs the ORM more than the
database)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, func, literal_column, select, union_all


def lists_in_one(
    entity: Any,
    lists: Sequence[tuple[Any, Sequence[Any], Any]],
    *,
    columns: Sequence[Any] | None = None,
) -> Any:
    """A statement for several lists of `entity`: each given as (its WHERE clause, its ORDER
    BY, at most how many rows or None), taken as they are from the list's own statement. It
    gives (row, the list's number) by list and by place in it; a row in two lists comes twice.
    Add the loader options the lists share. The place is numbered by the list's own order, so
    add a unique column to the order where it could tie. With `columns`, each row is those
    columns and then the list's number (plain rows: join what they name from other tables)."""
    key = entity.id
    parts = []
    for number, (where, order, most) in enumerate(lists):
        placed = (
            select(
                key.label("id"),
                literal_column(str(number), Integer).label("list"),
                func.row_number().over(order_by=list(order)).label("place"),
            )
            .where(where)
            .subquery()
        )
        part = select(placed.c.id, placed.c.list, placed.c.place)
        parts.append(part if most is None else part.where(placed.c.place <= most))
    ids = union_all(*parts).subquery()
    shown = (entity,) if columns is None else tuple(columns)
    return (
        select(*shown, ids.c.list)
        .select_from(entity)
        .join(ids, ids.c.id == key)
        .order_by(ids.c.list, ids.c.place)
    )
