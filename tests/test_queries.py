"""Pages do not run more queries when there are more cases or more family members."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from wijkteam.core.db import db, get_engine


@contextmanager
def count_queries(app):
    """The statements the app's engine sends while the block runs: how many ("n"), how many
    of them SELECTs, and each as sent with its parameters ("sent")."""
    counter: dict[str, Any] = {"n": 0, "selects": 0, "sent": []}

    def _count(_conn, _cursor, statement, parameters, *_args, **_kwargs):
        counter["n"] += 1
        counter["selects"] += statement.lstrip().upper().startswith("SELECT")
        counter["sent"].append((statement, parameters))

    with app.app_context():
        engine = get_engine()
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", _count)


@contextmanager
def lazy_loads():
    """The ORM statements that load a relationship or a deferred column of an object already
    loaded (one row at a time, behind a template's back) while the block runs, as text:
    "column: SELECT ..." or "relationship Family.members: SELECT ..."."""
    found: list[str] = []

    def _record(state: ORMExecuteState) -> None:
        if state.is_column_load or state.is_relationship_load:
            path = state.loader_strategy_path
            what = "column" if state.is_column_load else f"relationship {path[-1] if path else ''}"
            found.append(f"{what}: " + " ".join(str(state.statement).split())[:300])

    event.listen(Session, "do_orm_execute", _record)
    try:
        yield found
    finally:
        event.remove(Session, "do_orm_execute", _record)


def members(n: int, name: str) -> list[dict]:
    return [
        {
            "first_name": f"Kind{i}",
            "last_name": name,
            "date_of_birth": date(2015, 1, i + 1),
            "role": "child",
            "languages": ["Nederlands"],
            "interpreter_needed": False,
            "interpreter_language": "",
            "custody": "both_parents",
        }
        for i in range(n)
    ]


def test_case_list_query_count_does_not_grow(client, world, app):
    client.login("lead.noord@test.example")
    world.case(world.pro_noord, name="Eerste", duo_id=world.pro2_noord)
    client.get("/cases")  # warm up (session touch etc.)
    with count_queries(app) as few:
        assert client.get("/cases").status_code == 200
    for i in range(20):
        world.case(
            world.pro2_noord if i % 2 else world.pro_noord,
            name=f"Gezin{i}",
            duo_id=world.lead_noord,
            members=members(1, f"G{i}"),
        )
    with count_queries(app) as many:
        html = client.get("/cases").get_data(as_text=True)
    assert "Gezin19" in html
    assert many["n"] == few["n"]


def test_case_page_query_count_does_not_grow_with_members(client, world, app):
    small = world.case(world.pro_noord, name="Klein", members=members(1, "Klein"))
    big = world.case(world.pro_noord, name="Groot", members=members(12, "Groot"))
    client.login("pro.noord@test.example")
    client.get(f"/cases/{small}")
    with count_queries(app) as few:
        client.get(f"/cases/{small}")
    with count_queries(app) as many:
        html = client.get(f"/cases/{big}").get_data(as_text=True)
    assert "Kind11 Groot" in html
    assert many["n"] == few["n"]


def test_the_snapshots_of_versions_to_compare_are_found_by_index(app):
    """The dashboard's sign-offs compare each asked version with the one before it; SQLite
    used no index for the pairs of (case, version) and read every version of every plan with
    its snapshot (3.4 ms at 10,000 families, 0.02 ms at 100; issue 21). Its plan now starts
    from the plans of those cases."""
    import pytest

    from wijkteam.reviews.queries import _SNAPSHOTS

    with app.app_context():
        engine = get_engine()
        if engine.dialect.name != "sqlite":
            pytest.skip("the query plan checked is SQLite's (PostgreSQL finds the plan by case)")
        params = {"cases": [5, 7], "pairs": [(5, 1), (5, 2), (7, 1)]}
        with engine.connect() as conn:
            _rows, steps = sqlite_plan(conn, _SNAPSHOTS, params)
        assert not any(step.startswith("SCAN plan_versions") for step in steps), steps
        assert any("plan_versions USING INDEX" in step for step in steps), steps


def test_the_timeline_counts_a_cases_notes_from_an_index(app):
    """The timeline's paging counts the notes its reader may see; for a case of 2,000 notes
    SQLite read every note and joined its author (1.0 ms of a 7 ms page; issue 21). It now
    counts them from ix_notes_case_id_status_author_id alone. Checked without statistics
    (before the first ANALYZE): those of an earlier test's few notes (`flask seed` analyzes
    the demo) can make another index of notes look as good; at 10,000 families, analyzed,
    SQLite takes this one too (docs/performance.md, fourteenth steps)."""
    import pytest

    from wijkteam.notes.queries import _timeline_statements

    with app.app_context():
        engine = get_engine()
        if engine.dialect.name != "sqlite":
            pytest.skip("the query plan checked is SQLite's")
        with engine.connect() as conn, without_statistics(conn):
            for kind in (None, "note"):
                count, _page = _timeline_statements(kind)
                rows, steps = sqlite_plan(conn, count, {"case_id": 1, "user_id": 1})
                assert rows == [(0,)]
                notes = [step for step in steps if " notes " in f" {step} "]
                assert notes == [
                    "SEARCH notes USING COVERING INDEX ix_notes_case_id_status_author_id "
                    "(case_id=?)"
                ], steps


@contextmanager
def without_statistics(conn: Any) -> Iterator[None]:
    """SQLite plans a statement without the statistics of `ANALYZE` (those of an earlier test's
    few rows, `flask seed` analyzes the demo, make a scan of a small table look cheapest), and
    gets them back afterwards."""
    stats = conn.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
    ).scalar()
    kept = conn.exec_driver_sql("SELECT * FROM sqlite_stat1").all() if stats else []
    conn.exec_driver_sql("DELETE FROM sqlite_stat1") if stats else None
    conn.exec_driver_sql("ANALYZE sqlite_schema")  # the planner reads them again
    try:
        yield
    finally:
        for row in kept:
            conn.exec_driver_sql("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", tuple(row))
        conn.commit()
        conn.exec_driver_sql("ANALYZE sqlite_schema")


def sqlite_plan(conn: Any, statement: Any, params: dict[str, Any]) -> tuple[list[Any], list[str]]:
    """Run `statement` on the SQLite connection: its rows, and the steps of SQLite's plan for
    it, as sent (EXPLAIN QUERY PLAN)."""
    sent: list[tuple[str, Any]] = []

    def catch(_conn, _cursor, sql, parameters, *_args):
        sent.append((sql, parameters))

    event.listen(conn, "before_cursor_execute", catch)
    try:
        rows = conn.execute(statement, params).all()
    finally:
        event.remove(conn, "before_cursor_execute", catch)
    ((sql, parameters),) = sent
    plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters).all()
    return rows, [row[-1] for row in plan]


def test_one_of_writes_fixed_values_into_the_statement(app, world):
    """`core.db.one_of` (issue 21): `IN` over fixed values written into the statement's text,
    not an expanding parameter that SQLAlchemy works out at every run; the same cases as
    `in_`. A value that is not plain (a quote, a space) is refused, never written in."""
    from sqlalchemy import select

    from wijkteam.cases.models import Case, CaseStatus
    from wijkteam.core.db import one_of

    world.case(world.pro_noord, name="Open")
    with app.app_context():
        statuses = (CaseStatus.INTAKE, CaseStatus.ACTIVE)
        fixed = select(Case.id).where(one_of(Case.status, statuses)).order_by(Case.id)
        expanding = select(Case.id).where(Case.status.in_(statuses)).order_by(Case.id)
        sql = str(fixed.compile(dialect=get_engine().dialect))
        assert "IN ('intake', 'active')" in sql and "POSTCOMPILE" not in sql
        assert "POSTCOMPILE" in str(expanding.compile(dialect=get_engine().dialect))
        assert db.scalars(fixed).all() == db.scalars(expanding).all() != []
        for bad in ("it's", "a b", "A", 3):
            with pytest.raises(ValueError, match="not a plain value"):
                one_of(Case.status, (bad,))
