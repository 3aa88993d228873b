"""Helpers for the backup and retention tests: table snapshots, moving time, a generic case file.

These read the schema from Base.metadata on their own (not through wijkteam.ops), so a table
another engineer adds is covered here without anyone touching this file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from flask import Flask
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    Time,
    select,
    text,
    update,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

import wijkteam.models  # noqa: F401 - every model in Base.metadata
from wijkteam.cases.models import CaseStatus
from wijkteam.core.db import Base, get_engine

KEPT = {"audit_events"}


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in Base.metadata (and the Alembic revision), ordered by key."""
    with app.app_context(), get_engine().connect() as conn:
        rows = {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }
        rows["alembic_version"] = [
            tuple(r) for r in conn.execute(text("SELECT version_num FROM alembic_version"))
        ]
    return rows


def _base_type(column: Any) -> Any:
    type_ = column.type
    return type_.impl_instance if isinstance(type_, TypeDecorator) else type_


def timestamp_columns(table: Table) -> list[Any]:
    return [c for c in table.columns if isinstance(_base_type(c), DateTime)]


def age(app: Flask, moment: datetime, since: datetime) -> None:
    """Move every timestamp written at or after `since` back to `moment` (the audit log, which
    PostgreSQL will not let anyone change, excepted)."""
    with app.app_context(), get_engine().begin() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in KEPT:
                continue
            for column in timestamp_columns(table):
                # Keep other columns' onupdate (updated_at) from firing.
                keep = {
                    c.name: table.c[c.name]
                    for c in table.columns
                    if c.onupdate is not None and c is not column
                }
                conn.execute(
                    update(table).where(column >= since).values({column.name: moment, **keep})
                )


def tables_hanging_off(*roots: str) -> list[Table]:
    """Tables (in dependency order) with a chain of foreign keys to one of `roots`."""
    found: set[str] = set(roots)
    ordered = []
    for table in Base.metadata.sorted_tables:
        if table.name in found or any(
            fk.referred_table.name in found for fk in table.foreign_key_constraints
        ):
            found.add(table.name)
            ordered.append(table)
    return ordered


def dummy(column: Any, moment: datetime) -> Any:
    """A value the column accepts (first member of enums, 1 for numbers, ...)."""
    type_ = column.type
    enum_cls = getattr(type_, "enum_cls", None) or getattr(type_, "enum_class", None)
    if enum_cls is not None:
        return next(iter(enum_cls))
    if isinstance(type_, SAEnum):
        return type_.enums[0]
    base = _base_type(column)
    if isinstance(base, DateTime):
        return moment
    if isinstance(base, Date):
        return moment.date()
    if isinstance(base, Time):
        return time(9, 30)
    if isinstance(base, Boolean):
        return False
    if isinstance(base, Integer | Numeric | Float):
        return 1
    if isinstance(base, JSON):
        return []
    if isinstance(base, LargeBinary):
        return b"x"
    if isinstance(base, String | Text):
        return "x"
    raise NotImplementedError(f"{column.table.name}.{column.name}: no dummy for {type_!r}")


# Values some tables' CHECK constraints need once every foreign key of the row is filled in
# (a note part that names a family member is for that member).
CHECKED_VALUES: dict[str, dict[str, Any]] = {"note_parts": {"audience": "member"}}
# Values that must differ between files, made from the row's own: a second text in the family's
# language is unique per text and language, so each file's renders its own goal.
PER_FILE_VALUES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "second_texts": lambda row: {"object_id": row["goal_id"]},
}


def _existing_or_new(conn: Connection, table: Table, moment: datetime) -> dict[str, Any]:
    row = conn.execute(select(table).limit(1)).mappings().first()
    if row is not None:
        return dict(row)
    return _insert(conn, table, {}, moment)


def _insert(
    conn: Connection, table: Table, made: dict[str, dict[str, Any]], moment: datetime
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in table.columns:
        fks = list(column.foreign_keys)
        if fks:
            target = fks[0].column
            parent = made.get(target.table.name)
            if parent is None and column.nullable:
                continue
            if parent is None:
                parent = _existing_or_new(conn, target.table, moment)
            values[column.name] = parent[target.name]
        elif column.primary_key and column.autoincrement in (True, "auto"):
            continue
        elif column.default is not None or column.server_default is not None:
            continue
        elif not column.nullable:
            values[column.name] = dummy(column, moment)
    values.update(CHECKED_VALUES.get(table.name, {}))
    if table.name in PER_FILE_VALUES:
        values.update(PER_FILE_VALUES[table.name](values))
    result = conn.execute(table.insert().values(values))
    names = [c.name for c in table.primary_key.columns]
    key = dict(zip(names, result.inserted_primary_key, strict=True))
    condition = [table.c[name] == value for name, value in key.items()]
    return dict(conn.execute(select(table).where(*condition)).mappings().one())


def make_case_file(app: Flask, moment: datetime) -> dict[str, dict[str, Any]]:
    """A family and a case with one row in EVERY table that hangs off families or cases (through
    any chain of foreign keys), each pointing at this file's rows. Returns table -> row."""
    made: dict[str, dict[str, Any]] = {}
    with app.app_context(), get_engine().begin() as conn:
        for table in tables_hanging_off("families", "cases"):
            if table.name in KEPT:
                continue
            made[table.name] = _insert(conn, table, made, moment)
        conn.execute(
            update(Base.metadata.tables["cases"])
            .where(Base.metadata.tables["cases"].c.id == made["cases"]["id"])
            .values(status=CaseStatus.CLOSED, opened_on=moment.date(), closed_on=moment.date())
        )
    return made


def exists(app: Flask, table_name: str, row: dict[str, Any]) -> bool:
    table = Base.metadata.tables[table_name]
    condition = [c == row[c.name] for c in table.primary_key.columns]
    with app.app_context(), get_engine().connect() as conn:
        return conn.execute(select(table).where(*condition)).first() is not None
