"""A page's lists in one query (issue 21: the dashboard's lists of sign-off requests, cases
brought in, tasks, checks, hand-overs and more were a query each, and each query costs
SQLAlchemy, psycopg and the ORM more than the database)."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from sqlalchemy import Integer, cast, func, literal_column, null, select, union_all
from sqlalchemy.types import NullType

from wijkteam.core.db import db


@dataclass(frozen=True, eq=False)
class Part:
    """One list of a page, for `unlike_lists_in_one`: its statement (the columns it shows, its
    joins and conditions, with no order or limit), its order (add a unique column where it
    could tie) and at most how many rows (a bound parameter, a number, or None for all).
    Built once (a constant, or cached): `unlike_lists_in_one` knows a part by its identity."""

    statement: Any  # a Select of any columns
    order: Sequence[Any]
    most: Any = None

    @cached_property
    def alone(self) -> Any:
        """The list as a statement of its own, in its order and with its limit (built once)."""
        stmt = self.statement.order_by(*self.order)
        return stmt if self.most is None else stmt.limit(self.most)


@dataclass(frozen=True)
class Lists:
    """Lists of unlike rows read by one statement (`unlike_lists_in_one`): the lists, the
    statement, for each list the columns of the statement's rows that hold its own, and its
    kind of row."""

    parts: tuple[Part, ...]
    statement: Any
    columns: tuple[tuple[int, ...], ...]
    rows: tuple[type[tuple[Any, ...]], ...]

    def read(self, params: dict[str, Any]) -> list[list[Any]]:
        """Each list's rows, as `split` gives them, through the session's connection (the
        session flushed first, as `plain_rows`). On PostgreSQL by the one statement: a
        statement costs SQLAlchemy, psycopg and the round trip more than the database takes
        for a list (the plan page's six lists: 1.29 ms alone, 0.63 ms in one). On SQLite by
        each list's own statement, one after the other: in process there is no round trip to
        save, and SQLite reads lists alone faster than under one another (the plan page's:
        0.26 against 0.32 ms; the dashboard's nine: 0.6 against 1.4 ms)."""
        db.flush()
        connection = db.connection()
        if connection.dialect.name == "sqlite":
            return [
                [make(row) for row in connection.execute(part.alone, params)]
                for part, make in zip(self.parts, self._makers, strict=True)
            ]
        return self.split(connection.execute(self.statement, params))

    @cached_property
    def _makers(self) -> tuple[Any, ...]:
        return tuple(row._make for row in self.rows)  # type: ignore[attr-defined]

    def split(self, rows: Iterable[Any]) -> list[list[Any]]:
        """The statement's rows as one list per list, in the lists' own order: each row a
        named tuple of the list's own columns, named as its statement names them (`row.id`),
        in its statement's order."""
        lists: list[list[Any]] = [[] for _ in self.columns]
        for row in rows:
            number = row[0]
            lists[number].append(self._makers[number](row[i] for i in self.columns[number]))
        return lists


def _slot_kind(type_: Any) -> tuple[Any, ...]:
    """Which columns may share a column of the union: of one type, and (for enumerations)
    of one enumeration, so that every value comes back as its own type makes it."""
    if isinstance(type_, NullType):
        raise TypeError("a list's column needs a type (type_coerce or a typed column)")
    return (
        type(type_),
        getattr(type_, "enum_class", None),
        getattr(type_, "enum_cls", None),
        getattr(type_, "timezone", None),
    )


@cache
def unlike_lists_in_one(parts: tuple[Part, ...]) -> Lists:
    """One statement for several lists of unlike rows (issue 21: the dashboard read eight
    lists in eight statements, and each statement costs SQLAlchemy and psycopg more than the
    database). Each list keeps its own statement's columns, conditions, order and limit: it
    is read as that statement, limited and numbered in its order, and the lists are put under
    one another (UNION ALL). A list's columns go into columns of the union that hold one
    type (others fill them with a typed NULL), so the rows come back as they would alone.

    The lists share the bound parameters they name alike (the user's team and id, say); give
    each list's limit a name of its own. Built once for each tuple of parts (issue 21: building
    a statement costs as much as running it)."""
    kinds: list[tuple[Any, ...]] = []
    types: list[Any] = []
    taken: list[tuple[int, ...]] = []
    for part in parts:
        mine: list[int] = []
        for column in part.statement.selected_columns:
            kind = _slot_kind(column.type)
            free = [i for i, k in enumerate(kinds) if k == kind and i not in mine]
            if not free:
                kinds.append(kind)
                types.append(column.type)
                free = [len(kinds) - 1]
            mine.append(free[0])
        taken.append(tuple(mine))
    selects = []
    for number, (part, slots) in enumerate(zip(parts, taken, strict=True)):
        placed = part.alone.add_columns(
            func.row_number().over(order_by=list(part.order)).label("place")
        )
        inner = placed.subquery()
        own = list(inner.c)
        by_slot = dict(zip(slots, own[:-1], strict=True))
        selects.append(
            select(
                literal_column(str(number), Integer).label("list"),
                own[-1].label("place"),
                *(
                    (by_slot[i] if i in by_slot else cast(null(), types[i])).label(f"c{i}")
                    for i in range(len(kinds))
                ),
            )
        )
    union = union_all(*selects)
    statement = union.order_by(union.selected_columns.list, union.selected_columns.place)
    # A list's columns in a row: after the list's number and place.
    return Lists(
        parts,
        statement,
        tuple(tuple(2 + i for i in mine) for mine in taken),
        tuple(
            namedtuple("Row", part.statement.selected_columns.keys(), rename=True) for part in parts
        ),
    )
