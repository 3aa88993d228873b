"""A world built once, put back for every test: the rows of every table as they were after the
build (and PostgreSQL's sequences), inserted again in one transaction.

Building through the services costs what the services cost (the two teams' accounts check
their passwords' strength; a team's case file is some 120 service calls); putting the rows back
is a few inserts. Every id comes out the same as in a build, because every test starts from an
empty database whose ids start at 1 (tests/conftest.py empties it after each test).

A snapshot can be taken on top of another (``base``): it then keeps only what the build added
or changed, and is put back after its base."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import Table, and_, select, text

from tests.factories import app_api as api

Key = tuple[Any, ...]


def _key(table: Table, row: dict[str, Any]) -> Key:
    return tuple(row[column.name] for column in table.primary_key.columns)


def _where(table: Table, key: Key) -> Any:
    return and_(*(col == value for col, value in zip(table.primary_key.columns, key, strict=True)))


@dataclass
class Rows:
    """Every row of every table at one moment (with `base`: what differs from the base)."""

    added: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    changed: dict[str, dict[Key, dict[str, Any]]] = field(default_factory=dict)
    removed: dict[str, list[Key]] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)
    base: Rows | None = None

    @classmethod
    def take(cls, app: Flask, base: Rows | None = None) -> Rows:
        before = base.all_rows() if base is not None else {}
        snapshot = cls(base=base)
        with app.app_context(), api.get_engine().connect() as conn:
            for table in api.Base.metadata.sorted_tables:
                rows = {
                    _key(table, dict(r._mapping)): dict(r._mapping)
                    for r in conn.execute(select(table))
                }
                old = before.get(table.name, {})
                added = [row for key, row in rows.items() if key not in old]
                changed = {k: row for k, row in rows.items() if k in old and old[k] != row}
                removed = [key for key in old if key not in rows]
                if added:
                    snapshot.added[table.name] = added
                if changed:
                    snapshot.changed[table.name] = changed
                if removed:
                    snapshot.removed[table.name] = removed
            if conn.dialect.name == "postgresql":
                snapshot.sequences = dict(
                    conn.execute(
                        text(
                            "SELECT sequencename, last_value FROM pg_sequences "
                            "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
                        )
                    ).all()
                )
        return snapshot

    def all_rows(self) -> dict[str, dict[Key, dict[str, Any]]]:
        """{table: {primary key: row}} as they are once this snapshot is put back."""
        rows = self.base.all_rows() if self.base is not None else {}
        tables = {t.name: t for t in api.Base.metadata.sorted_tables}
        for name, keys in self.removed.items():
            for key in keys:
                del rows[name][key]
        for name, changed in self.changed.items():
            rows[name].update(changed)
        for name, added in self.added.items():
            rows.setdefault(name, {}).update({_key(tables[name], row): row for row in added})
        return rows

    def restore(self, app: Flask) -> None:
        """Put the rows back: into an empty database, or (with a base) over the base's rows."""
        with app.app_context():
            with api.get_engine().begin() as conn:
                tables = api.Base.metadata.sorted_tables
                for table in reversed(tables):
                    for key in self.removed.get(table.name, ()):
                        conn.execute(table.delete().where(_where(table, key)))
                for table in tables:
                    if table.name in self.added:
                        conn.execute(table.insert(), self.added[table.name])
                    for key, row in self.changed.get(table.name, {}).items():
                        conn.execute(table.update().where(_where(table, key)).values(row))
                if self.sequences:
                    conn.execute(
                        text(
                            "SELECT "
                            + ", ".join(
                                f"setval('{name}', {value})"
                                for name, value in sorted(self.sequences.items())
                            )
                        )
                    )
