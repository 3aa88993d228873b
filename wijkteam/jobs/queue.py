"""The job queue (huey): SQLite under instance/ by default, Redis in production.

Only job ids travel through the queue; what a job makes is read from and written to the
database by the worker, so the queue never holds case data. Settings (environment):

- WIJKTEAM_QUEUE_URL: `redis://host:6379/0` for Redis, or `sqlite:////path/queue.sqlite3`;
  empty (the default): `instance/queue.sqlite3`.
- WIJKTEAM_QUEUE_NAME: the queue's name (default `wijkteam`); installations (or test runs) that
  share one Redis need different names.
- WIJKTEAM_PRINT_TIMEOUT: seconds one printout may take before the worker stops it (default 300).

The worker: `python -m wijkteam.jobs` (docs/deploy.md). Tests run jobs at once, in the request
(huey's immediate mode, switched on for apps with TESTING).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.storage import SqliteStorage

INSTANCE_DIR = Path(__file__).resolve().parent.parent.parent / "instance"
DEFAULT_SQLITE = INSTANCE_DIR / "queue.sqlite3"
PRINT_TIMEOUT = int(os.environ.get("WIJKTEAM_PRINT_TIMEOUT") or 300)


class LazySqliteStorage(SqliteStorage):
    """huey's SQLite storage, but the file and its tables are made on first use, not when the
    app is imported (the web app, the tests and `flask` commands import this module)."""

    def __init__(self, name: str = "huey", **kwargs: Any) -> None:
        kwargs["create_tables"] = False
        super().__init__(name, **kwargs)

    def _create_connection(self) -> sqlite3.Connection:
        Path(self.filename).parent.mkdir(parents=True, exist_ok=True)
        conn = super()._create_connection()
        for statement in self.ddl:
            conn.execute(statement)
        return conn


class LazySqliteHuey(SqliteHuey):
    storage_class = LazySqliteStorage


def make_huey(url: str = "", name: str = "wijkteam") -> Huey:
    """A huey instance for the given queue URL (see the module's docstring)."""
    common: dict[str, Any] = {"results": False, "utc": True}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url, **common)
    if url.startswith("sqlite:///"):
        filename = url[len("sqlite:///") :]
    elif url == "":
        filename = str(DEFAULT_SQLITE)
    else:
        raise RuntimeError(
            f"WIJKTEAM_QUEUE_URL={url!r} is not understood: use redis://host:port/db, "
            "sqlite:////absolute/path.sqlite3 or leave it empty for instance/queue.sqlite3"
        )
    return LazySqliteHuey(name, filename=filename, **common)


huey = make_huey(
    os.environ.get("WIJKTEAM_QUEUE_URL", ""), os.environ.get("WIJKTEAM_QUEUE_NAME") or "wijkteam"
)


@huey.on_startup()
def warm_up() -> None:
    """Build the app and load WeasyPrint's fonts when a worker process starts, not when the
    first printout waits for it."""
    from wijkteam.jobs.worker import warm_up

    warm_up()


@huey.task(timeout=PRINT_TIMEOUT, name="wijkteam.render_printout")
def render_printout(job_id: int) -> None:
    """Make the document of one print job (in the worker process)."""
    from wijkteam.jobs.worker import run_job

    run_job(job_id)


@huey.periodic_task(crontab(minute="*/10"), name="wijkteam.expire_printouts")
def expire_printouts() -> None:
    """Remove expired documents and old jobs; give up on jobs that will never finish."""
    from wijkteam.jobs.worker import run_cleanup

    run_cleanup()


@huey.task(timeout=PRINT_TIMEOUT, name="wijkteam.refresh_outcomes")
def refresh_outcomes(quarter: str, replacing: str) -> None:
    """Work out the analysts' figures of a quarter again (outcomes/snapshots.py), unless that
    was done since the snapshot of `replacing` (an ISO moment) by an earlier ask."""
    from wijkteam.jobs.worker import run_outcomes

    run_outcomes(quarter, replacing)


@huey.periodic_task(crontab(minute="17"), name="wijkteam.refresh_recent_outcomes")
def refresh_recent_outcomes() -> None:
    """Every hour: the analysts' figures of the last four ended quarters, worked out again."""
    from wijkteam.jobs.worker import run_outcomes

    run_outcomes(None, None)


@huey.periodic_task(crontab(minute="29"), name="wijkteam.forget_submissions")
def forget_submissions() -> None:
    """Every hour: the records of saved forms (a form is saved once) older than two days go."""
    from wijkteam.jobs.worker import run_forget_submissions

    run_forget_submissions()


@huey.periodic_task(crontab(hour="3", minute="40"), name="wijkteam.update_statistics")
def update_statistics() -> None:
    """Every night: the query planner's statistics (SQLite; wijkteam.core.db)."""
    from wijkteam.jobs.worker import run_update_statistics

    run_update_statistics()
