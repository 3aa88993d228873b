"""The schema, as a graph of foreign keys: which tables hang off which, and which columns the
purge reads."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKeyConstraint, Table
from sqlalchemy.types import TypeDecorator

from wijkteam.core.db import Base

# Tables whose rows stay when a case is purged (they must not have a foreign key to it).
KEPT_TABLES = frozenset({"audit_events"})
CHUNK = 500


def all_tables() -> dict[str, Table]:
    import wijkteam.models  # noqa: F401 - every model in Base.metadata

    return dict(Base.metadata.tables)


def children_of(table_name: str) -> list[tuple[Table, ForeignKeyConstraint]]:
    """The tables (and the foreign keys) whose rows point at rows of `table_name`."""
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name in KEPT_TABLES:
            continue
        for fk in table.foreign_key_constraints:
            if fk.referred_table.name == table_name:
                if len(fk.columns) != 1:
                    raise NotImplementedError(
                        f"{table.name}: composite foreign keys are not handled by the purge"
                    )
                found.append((table, fk))
    return found


def reachable_tables(start: str, stop: Iterable[str] = ()) -> set[str]:
    """Tables whose rows can hang off rows of `start` (including `start`), not passing `stop`."""
    all_tables()
    stop = set(stop)
    seen = {start}
    queue = deque([start])
    while queue:
        name = queue.popleft()
        for child, _fk in children_of(name):
            if child.name not in seen and child.name not in stop:
                seen.add(child.name)
                queue.append(child.name)
    return seen


def family_owned_tables() -> set[str]:
    """Tables that belong to a family rather than to one of its cases (family, members, ...)."""
    return reachable_tables("families", stop={"cases"}) - reachable_tables("cases")


def timestamp_columns(table: Table) -> list[Column[Any]]:
    """Columns holding a moment something was written (not dates like a due date)."""
    found = []
    for column in table.columns:
        type_ = column.type
        if isinstance(type_, TypeDecorator):
            type_ = type_.impl_instance
        if isinstance(type_, DateTime):
            found.append(column)
    return found


def needed_columns(table: Table) -> list[Column[Any]]:
    """What the walk reads of a row: its key, the columns of foreign keys from and to it, and
    its timestamps."""
    names: dict[str, Column[Any]] = {c.name: c for c in table.primary_key.columns}
    for fk in table.foreign_key_constraints:
        for column in fk.columns:
            names[column.name] = column
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_key_constraints:
            if fk.referred_table is table:
                for element in fk.elements:
                    names[element.column.name] = element.column
    for column in timestamp_columns(table):
        names[column.name] = column
    return list(names.values())


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]
