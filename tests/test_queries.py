"""Pages do not run more queries when there are more cases or more family members."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from wijkteam.core.db import get_engine


@contextmanager
def count_queries(app):
    counter = {"n": 0, "selects": 0}

    def _count(_conn, _cursor, statement, *_args, **_kwargs):
        counter["n"] += 1
        counter["selects"] += statement.lstrip().upper().startswith("SELECT")

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
