"""End to end with a real queue worker: the app puts the job in line, `python -m wijkteam.jobs`
(a separate process, as in production) makes the document, the app hands it out. Once with
huey's SQLite store (the default), once with Redis when it can be reached (CI sets
WIJKTEAM_TEST_REDIS_URL, and then it must be reachable).

The other tests make printouts at once, in the request (huey's immediate mode)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.printout.conftest import SHOWN, ask_plan, pdf_text
from wijkteam.core.db import db
from wijkteam.jobs.models import JobStatus, PrintJob
from wijkteam.jobs.queue import huey, make_huey

ROOT = Path(__file__).resolve().parents[2]
# How long to wait for the worker before giving up (a bound on the wait, not a measurement).
PATIENCE = 120


def redis_url() -> str:
    url = os.environ.get("WIJKTEAM_TEST_REDIS_URL")
    if url:
        return url
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - no Redis here: the test is skipped
        pytest.skip("Redis is not reachable on 127.0.0.1:6379 (set WIJKTEAM_TEST_REDIS_URL)")
    return "redis://127.0.0.1:6379/15"


@contextmanager
def real_queue(url: str) -> Iterator[str]:
    """This process puts jobs in a real queue (not immediate mode) with a name of its own, so
    that test runs sharing one Redis never take each other's jobs."""
    name = f"wijkteam-test-{uuid.uuid4().hex[:12]}"
    storage = make_huey(url, name).storage
    huey.immediate = False
    saved = huey.storage
    huey.storage = storage
    try:
        yield name
    finally:
        storage.flush_all()
        huey.storage = saved
        huey.immediate = True


@contextmanager
def worker(app, url: str, name: str, log: Path) -> Iterator[subprocess.Popen]:
    env = {
        **os.environ,
        "WIJKTEAM_ENV": "development",
        "WIJKTEAM_DATABASE_URL": app.config["DATABASE_URL"],
        "WIJKTEAM_QUEUE_URL": url,
        "WIJKTEAM_QUEUE_NAME": name,
    }
    with log.open("w") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own module
            [sys.executable, "-m", "wijkteam.jobs", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield proc
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_until_made(app, job_id: int, proc: subprocess.Popen, log: Path) -> PrintJob:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.get(PrintJob, job_id)
            db.expunge_all()
        if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            return job
        assert proc.poll() is None, f"the worker stopped:\n{log.read_text()[-3000:]}"
        time.sleep(0.2)
    pytest.fail(f"the worker did not make the printout:\n{log.read_text()[-3000:]}")


def make_with_a_real_worker(app, client, full_case, url: str, tmp_path: Path) -> None:
    client.login("pro.noord@test.example")
    client.english()
    with real_queue(url) as name:
        asked = ask_plan(client, full_case)
        job_url = asked.headers["Location"]
        job_id = int(job_url.rsplit("/", 1)[1])
        # Nobody has made it yet: the page says it waits, and checks again by itself.
        waiting = client.get(job_url)
        assert "Your printout is waiting in line." in waiting.get_data(as_text=True)
        assert waiting.headers["Refresh"].startswith("3; url=")
        assert huey.pending_count() == 1
        log = tmp_path / "worker.log"
        with worker(app, url, name, log) as proc:
            job = wait_until_made(app, job_id, proc, log)
        assert (job.status, job.error) == (JobStatus.DONE, ""), log.read_text()[-3000:]
    page = client.get(job_url).get_data(as_text=True)
    assert "Your printout is ready." in page
    text = pdf_text(client.get(f"{job_url}/download").data)
    assert SHOWN["goal"] in text and "Our plan" not in text  # Dutch, as asked


def test_a_real_worker_with_the_sqlite_store(app, client, full_case, tmp_path):
    make_with_a_real_worker(app, client, full_case, f"sqlite:///{tmp_path / 'q.sqlite3'}", tmp_path)


def test_a_real_worker_with_redis(app, client, full_case, tmp_path):
    make_with_a_real_worker(app, client, full_case, redis_url(), tmp_path)
