"""The query planner's statistics (issue 21): SQLite never gathers them by itself, so the job
worker runs ANALYZE every night, and `flask seed` and `flask analyze` do too. PostgreSQL's
autovacuum keeps its own."""

from __future__ import annotations

from sqlalchemy import text

from wijkteam.core.db import get_engine, update_statistics


def stat_tables(app) -> set[str]:
    with app.app_context(), get_engine().connect() as conn:
        exists = conn.execute(
            text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        ).scalar()
        if not exists:
            return set()
        return set(conn.execute(text("SELECT DISTINCT tbl FROM sqlite_stat1")).scalars())


def test_the_statistics_of_every_table_with_rows_are_gathered(app, town):
    with app.app_context():
        engine = get_engine()
        done = update_statistics(engine)
    if engine.dialect.name != "sqlite":
        assert done == "postgresql: statistics are kept by autovacuum"
        return
    assert done.startswith("sqlite: statistics of ")
    assert {"cases", "families", "family_members", "users", "teams"} <= stat_tables(app)


def test_the_worker_gathers_them_every_night_and_flask_analyze_on_demand(app, town):
    from wijkteam.jobs.queue import huey
    from wijkteam.jobs.queue import update_statistics as nightly
    from wijkteam.jobs.worker import run_update_statistics

    assert nightly.task_class in huey._registry._periodic_tasks
    with app.app_context():
        dialect = get_engine().dialect.name
        assert run_update_statistics().startswith(dialect)
    result = app.test_cli_runner().invoke(args=["analyze"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(dialect)
    if dialect == "sqlite":
        assert "cases" in stat_tables(app)
