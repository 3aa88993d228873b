"""Finding the rows: everything that hangs off some root rows, and when it last changed."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKeyConstraint, Table, select
from sqlalchemy.orm import Session

from wijkteam.audit.history import Revision
from wijkteam.ops.retention.schema import (
    all_tables,
    children_of,
    chunks,
    needed_columns,
    timestamp_columns,
)

PK = tuple[Any, ...]


@dataclass
class Found:
    """Rows reached from some root rows: per table, primary key -> (roots, column values)."""

    rows: dict[str, dict[PK, tuple[frozenset[int], dict[str, Any]]]] = field(default_factory=dict)

    def add(self, table: str, pk: PK, roots: frozenset[int], data: dict[str, Any]) -> bool:
        """Record a row; True when it is new or reached from new roots."""
        by_pk = self.rows.setdefault(table, {})
        existing = by_pk.get(pk)
        if existing is None:
            by_pk[pk] = (roots, data)
            return True
        if roots <= existing[0]:
            return False
        by_pk[pk] = (existing[0] | roots, existing[1])
        return True

    def of_roots(self, roots: set[int]) -> dict[str, set[PK]]:
        return {
            table: pks
            for table, by_pk in self.rows.items()
            if (pks := {pk for pk, (r, _d) in by_pk.items() if r & roots})
        }


def walk(session: Session, root_table: str, ids: Iterable[int], stop: Iterable[str] = ()) -> Found:
    """Every row that hangs off the rows `ids` of `root_table` through foreign keys (any depth),
    each with the root ids it hangs off; `stop` tables are not entered. Also the revisions
    (history.py) of every row found."""
    tables = all_tables()
    stop = set(stop)
    found = Found()
    new = _add_roots(session, found, root_table, tables[root_table], ids)
    queue: deque[tuple[str, set[PK]]] = deque([(root_table, new)] if new else [])
    while queue:
        parent_name, parent_pks = queue.popleft()
        for child, fk in children_of(parent_name):
            if child.name in stop:
                continue
            grown = _add_children(session, found, parent_name, parent_pks, child, fk)
            if grown:
                queue.append((child.name, grown))
    _add_revisions(session, found)
    return found


def _add_roots(
    session: Session, found: Found, root_table: str, root: Table, ids: Iterable[int]
) -> set[PK]:
    """The root rows, each its own root; returns their keys."""
    (root_pk,) = root.primary_key.columns
    new: set[PK] = set()
    for chunk in chunks(sorted(set(ids))):
        for row in session.execute(
            select(*needed_columns(root)).where(root_pk.in_(chunk))
        ).mappings():
            pk = (row[root_pk.name],)
            if found.add(root_table, pk, frozenset(pk), dict(row)):
                new.add(pk)
    return new


def _add_children(
    session: Session,
    found: Found,
    parent_name: str,
    parent_pks: set[PK],
    child: Table,
    fk: ForeignKeyConstraint,
) -> set[PK]:
    """The rows of `child` that point (through `fk`) at the given parent rows, with the roots
    of their parents; returns the keys of rows that are new or reached from new roots."""
    parent_rows = found.rows[parent_name]
    (column,) = fk.columns
    referred = fk.elements[0].column.name
    by_value: dict[Any, set[int]] = {}
    for pk in parent_pks:
        roots, data = parent_rows[pk]
        if data[referred] is not None:
            by_value.setdefault(data[referred], set()).update(roots)
    pk_columns = list(child.primary_key.columns)
    grown: set[PK] = set()
    for chunk in chunks(list(by_value)):
        query = select(*needed_columns(child)).where(column.in_(chunk))
        for row in session.execute(query).mappings():
            pk = tuple(row[c.name] for c in pk_columns)
            if found.add(child.name, pk, frozenset(by_value[row[column.name]]), dict(row)):
                grown.add(pk)
    return grown


def _add_revisions(session: Session, found: Found) -> None:
    """Revisions name their row by table and id (no foreign key): find them that way too."""
    revisions: Table = Revision.__table__  # type: ignore[assignment]
    for table_name, by_pk in list(found.rows.items()):
        if table_name == revisions.name:
            continue
        pk_columns = list(all_tables()[table_name].primary_key.columns)
        if len(pk_columns) != 1:
            continue
        roots_of = {pk[0]: roots for pk, (roots, _data) in by_pk.items()}
        for chunk in chunks(list(roots_of)):
            columns = {c.name: c for c in needed_columns(revisions)}
            columns["row_id"] = revisions.c.row_id
            query = select(*columns.values()).where(
                revisions.c.table_name == table_name, revisions.c.row_id.in_(chunk)
            )
            for row in session.execute(query).mappings():
                found.add(revisions.name, (row["id"],), roots_of[row["row_id"]], dict(row))


def latest_change(found: Found, tables: set[str] | None = None) -> dict[int, datetime]:
    """Per root: the latest timestamp among the rows found (optionally only in `tables`)."""
    latest: dict[int, datetime] = {}
    every_table = all_tables()
    for table_name, by_pk in found.rows.items():
        if tables is not None and table_name not in tables:
            continue
        columns = [c.name for c in timestamp_columns(every_table[table_name])]
        for roots, data in by_pk.values():
            moments = [data[c] for c in columns if data[c] is not None]
            if not moments:
                continue
            moment = max(moments)
            for root in roots:
                if root not in latest or latest[root] < moment:
                    latest[root] = moment
    return latest
