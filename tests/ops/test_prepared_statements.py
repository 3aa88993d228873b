"""Prepared statements on PostgreSQL (issue 21): psycopg prepares a statement once a connection
has run it five times, so that PostgreSQL plans it once. Its own rollback deallocates them all,
and every request ends with a rollback; the app's engine rolls back without that
(`wijkteam.core.db._keep_prepared_statements`). WIJKTEAM_DB_PREPARED_STATEMENTS=0 switches them
off (PgBouncer in transaction mode). SQLite has nothing to prepare: skipped there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from wijkteam.cases.models import Case
from wijkteam.core.db import get_engine, make_engine


@pytest.fixture
def url(app) -> str:
    with app.app_context():
        engine = get_engine()
    if engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    return engine.url.render_as_string(hide_password=False)


def prepared(engine: Engine, like: str) -> int:
    """Prepared statements matching `like` on the engine's (one) pooled connection."""
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE :like"),
            {"like": like},
        ).scalar_one()


def read_cases_in_sessions(engine: Engine, times: int) -> None:
    """As requests do: a session reads and is closed, which rolls its transaction back."""
    for _ in range(times):
        with Session(engine) as session:
            session.execute(select(Case.id).where(Case.id == 1)).all()


@pytest.fixture
def keeping(url: str) -> Iterator[Engine]:
    engine = make_engine(url, prepared_statements=True)
    yield engine
    engine.dispose()


def test_a_statement_run_often_stays_prepared_across_rollbacks(keeping):
    read_cases_in_sessions(keeping, 6)
    assert prepared(keeping, "%FROM cases%") == 1
    read_cases_in_sessions(keeping, 3)  # and it is used, not prepared again
    assert prepared(keeping, "%FROM cases%") == 1


def test_a_failed_transaction_is_rolled_back_and_keeps_them(keeping):
    read_cases_in_sessions(keeping, 6)
    with Session(keeping) as session:
        with pytest.raises(ProgrammingError):
            session.execute(text("SELECT * FROM no_such_table")).all()
        session.rollback()
        assert session.execute(select(Case.id).where(Case.id == 1)).all() == []
    assert prepared(keeping, "%FROM cases%") == 1


def test_switched_off_nothing_is_prepared(url):
    engine = make_engine(url, prepared_statements=False)
    try:
        read_cases_in_sessions(engine, 8)
        assert prepared(engine, "%FROM cases%") == 0
    finally:
        engine.dispose()


def test_the_app_keeps_them_for_its_requests(app, client, world):
    client.login("pro.noord@test.example")
    for _ in range(12):
        assert client.get("/session/keepalive").status_code == 204
    with app.app_context():
        engine = get_engine()
    if engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    pool = engine.pool
    # Every idle connection of the pool at once (the pool hands them out in turn).
    conns = [engine.connect() for _ in range(pool.checkedin())]  # type: ignore[attr-defined]
    try:
        counts = [
            c.execute(
                text(
                    "SELECT count(*) FROM pg_prepared_statements "
                    "WHERE statement LIKE '%FROM auth_sessions%'"
                )
            ).scalar_one()
            for c in conns
        ]
    finally:
        for c in conns:
            c.close()
    assert max(counts) >= 1, counts


def test_the_apps_setting_switches_them_off(url):
    from wijkteam import create_app
    from wijkteam.core.config import TestConfig

    off = create_app(TestConfig, DATABASE_URL=url, DB_PREPARED_STATEMENTS=False)
    with off.app_context():
        engine = get_engine()
    try:
        read_cases_in_sessions(engine, 8)
        assert prepared(engine, "%FROM cases%") == 0
    finally:
        engine.dispose()


def test_the_app_uses_generic_plans_at_once(app, url):
    """With PostgreSQL's `auto` a prepared joined load kept being planned anew at every run
    (3-5 ms); the app's connections take the generic plan (WIJKTEAM_DB_PLAN_CACHE_MODE)."""
    with app.app_context(), get_engine().connect() as conn:
        assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_generic_plan"
    plain = make_engine(url, prepared_statements=True, plan_cache_mode="auto")
    try:
        with plain.connect() as conn:
            assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "auto"
            conn.rollback()
            # and the setting holds after a rollback (it was committed when set)
            assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "auto"
    finally:
        plain.dispose()
    generic = make_engine(url, plan_cache_mode="force_generic_plan")
    try:
        with generic.connect() as conn:
            conn.execute(text("SELECT 1"))
            conn.rollback()
            assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_generic_plan"
    finally:
        generic.dispose()


def test_an_unknown_plan_cache_mode_is_refused():
    with pytest.raises(ValueError, match="plan_cache_mode must be one of"):
        make_engine("sqlite://", plan_cache_mode="force_generic_plan; DROP TABLE users")


def test_a_long_statement_is_converted_once(keeping):
    """psycopg converts a statement's placeholders anew at every run when the statement is
    longer than 4,096 bytes or has more than 50 parameters; the app's engine lets it keep
    them up to `KEPT_STATEMENT_BYTES` and `KEPT_STATEMENT_PARAMS` (core/db.py). The second run
    of a long statement is found in psycopg's cache."""
    from psycopg import _queries

    names = [f"p{i}" for i in range(300)]
    statement = text(
        "SELECT " + " + ".join(f"CAST(:{name} AS integer)" for name in names) + " AS total"
    )
    params = {name: 1 for name in names}
    with keeping.connect() as conn:
        assert conn.execute(statement, params).scalar_one() == 300
        assert len(str(statement.compile(dialect=keeping.dialect)).encode()) > 4096
        before = _queries._query2pg.cache_info().hits
        assert conn.execute(statement, params).scalar_one() == 300
        assert _queries._query2pg.cache_info().hits == before + 1


def test_the_busiest_pages_statements_fit_what_is_kept(url, app, client, plan_case):
    """Every statement of the dashboard, "my week", the plan page and the outcome overview
    is within what psycopg keeps converted (`KEPT_STATEMENT_BYTES`, `KEPT_STATEMENT_PARAMS`):
    a statement that grows past them is converted at every request again."""
    from tests.plans.conftest import PlanUI
    from tests.test_queries import count_queries
    from wijkteam.core.db import KEPT_STATEMENT_BYTES, KEPT_STATEMENT_PARAMS

    case_id = plan_case
    client.login("pro.noord@test.example")
    plan = PlanUI(client, case_id)
    assert plan.start().status_code == 302
    assert plan.add_goal().status_code == 302
    client.logout()
    client.login("lead.noord@test.example")
    with count_queries(app) as seen:
        for path in ("/dashboard", "/dashboard?scope=mine", f"/cases/{case_id}/plan", "/outcomes"):
            assert client.get(path).status_code == 200, path
    sent = [(statement, len(parameters or {})) for statement, parameters in seen["sent"]]
    assert max(len(statement.encode()) for statement, _ in sent) > 4096  # what this is about
    for statement, count in sent:
        assert len(statement.encode()) <= KEPT_STATEMENT_BYTES, statement[:200]
        assert count <= KEPT_STATEMENT_PARAMS, statement[:200]
