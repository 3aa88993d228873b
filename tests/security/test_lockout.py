"""The login lockout holds when many requests arrive at once and across worker processes."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import func, select

from tests.conftest import CSRF_RE, PASSWORD
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import LoginThrottle
from wijkteam.auth.services import LockedOut, LoginFailed, authenticate
from wijkteam.db import db, utc_now

ROOT = Path(__file__).resolve().parents[2]
LOCKOUT = timedelta(minutes=15)


def _attempt_at_once(app, email: str, password: str, n: int, max_failures: int) -> list[str]:
    """n threads, each with its own app context and database session, call authenticate at
    the same moment (a barrier), commit like the login view, and report what happened."""
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        with app.test_request_context():
            barrier.wait()
            try:
                authenticate(email, password, max_failures=max_failures, lockout=LOCKOUT)
                outcome = "ok"
                db.commit()
            except LoginFailed:
                outcome = "failed"
                db.commit()
            except LockedOut:
                outcome = "locked"
                db.rollback()
            except Exception as error:  # noqa: BLE001 - reported below, the test fails
                outcome = f"error: {error!r}"
                db.rollback()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == n, "an attempt did not finish"
    return outcomes


def test_simultaneous_first_failures_are_all_counted(app, world):
    """Eight workers fail at once for a name that has no throttle row yet: each one used to
    INSERT the same key (IntegrityError, a 500 on PostgreSQL). Now all eight are counted."""
    outcomes = _attempt_at_once(app, "pro.noord@test.example", "wrong-password", 8, 100)
    assert outcomes == ["failed"] * 8
    with app.app_context():
        throttle = db.get(LoginThrottle, "pro.noord@test.example")
        assert throttle is not None
        assert throttle.failures == 8
        assert throttle.locked_until is None
        failed = db.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "auth.login_failed")
        )
        assert failed == 8


def test_simultaneous_failures_past_the_limit_lock_the_account(app, world):
    outcomes = _attempt_at_once(app, "pro.noord@test.example", "wrong-password", 8, 5)
    assert all(o in ("failed", "locked") for o in outcomes), outcomes
    with app.app_context():
        throttle = db.get(LoginThrottle, "pro.noord@test.example")
        assert throttle.locked_until is not None and throttle.locked_until > utc_now()
    # The right password is refused while the lock holds, also when tried at once.
    assert _attempt_at_once(app, "pro.noord@test.example", PASSWORD, 3, 5) == ["locked"] * 3


# --- the same across gunicorn worker processes ---------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with several workers on the test database, as in production."""

    def __init__(self, database_url: str, tmp_path: Path, workers: int = 2) -> None:
        self.port = _free_port()
        self.workers = workers
        self.access_log = tmp_path / "access.log"
        self.error_log = tmp_path / "error.log"
        self._errors = self.error_log.open("w")
        env = {
            **os.environ,
            "WIJKTEAM_ENV": "production",
            "WIJKTEAM_SECRET_KEY": secrets.token_urlsafe(48),
            "WIJKTEAM_DATABASE_URL": database_url,
            "WIJKTEAM_LOGIN_MAX_FAILURES": "5",
            "WIJKTEAM_LOGIN_LOCKOUT_MINUTES": "15",
        }
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                str(self.access_log),
                # p = the worker's process id: shows which worker answered each request.
                "--access-logformat",
                "%(p)s %(m)s %(U)s %(s)s",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self._errors,
        )

    def wait_until_up(self, timeout: float = 30) -> None:
        """Until every worker has answered: a worker still importing the app takes no
        requests, and a test that ran on one worker alone would prove nothing."""
        deadline = time.monotonic() + timeout
        with ThreadPoolExecutor(max_workers=4) as pool:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise AssertionError(f"gunicorn stopped: {self.error_log.read_text()}")
                try:
                    list(pool.map(lambda _i: self.request("GET", "/login"), range(4)))
                except OSError:
                    time.sleep(0.2)
                    continue
                if len(self.served().get("GET /login 200", ())) >= self.workers:
                    return
        raise AssertionError(f"not all gunicorn workers came up in time: {self.served()}")

    def request(
        self, method: str, path: str, body: str | None = None, cookie: str = ""
    ) -> tuple[int, dict[str, str], str]:
        """One request on a fresh connection (so it can land on any worker)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read().decode()
        finally:
            conn.close()

    def login(self, email: str, password: str) -> int:
        """GET the form (for its CSRF token and cookie), then POST it: the status of the POST."""
        status, headers, html = self.request("GET", "/login")
        assert status == 200
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        token = CSRF_RE.search(html).group(1)
        body = urlencode({"email": email, "password": password, "csrf_token": token})
        return self.request("POST", "/login", body=body, cookie=cookie)[0]

    def served(self) -> dict[str, set[str]]:
        """The worker pids that answered, per 'METHOD path status' (from the access log)."""
        served: dict[str, set[str]] = {}
        if not self.access_log.exists():
            return served
        for line in self.access_log.read_text().splitlines():
            match = re.fullmatch(r"<?(\d+)>? (\S+) (\S+) (\d+)", line.strip())
            if match:
                pid, method, path, status = match.groups()
                served.setdefault(f"{method} {path} {status}", set()).add(pid)
        return served

    def stop(self) -> dict[str, set[str]]:
        """Stop gunicorn; what it served."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._errors.close()
        return self.served()


def test_lockout_holds_across_gunicorn_workers(app, world, tmp_path):
    """More failed logins than the limit, several at a time on fresh connections, so that
    both workers take some; afterwards every worker refuses the right password."""
    server = Server(app.config["DATABASE_URL"], tmp_path)
    try:
        server.wait_until_up()
        with ThreadPoolExecutor(max_workers=4) as pool:
            failed = list(
                pool.map(
                    lambda _i: server.login("pro.noord@test.example", "wrong-password-123"),
                    range(8),
                )
            )
            assert set(failed) <= {401, 429}, failed
            assert failed.count(401) >= 5
            locked = list(
                pool.map(lambda _i: server.login("pro.noord@test.example", PASSWORD), range(8))
            )
        assert locked == [429] * 8
        # Another account is not affected.
        assert server.login("pro2.noord@test.example", PASSWORD) == 302
    finally:
        served = server.stop()
    workers_failing = served.get("POST /login 401", set())
    workers_refusing = served.get("POST /login 429", set())
    assert len(workers_failing | workers_refusing) >= 2, served
    assert len(workers_refusing) >= 2, f"only one worker refused the locked account: {served}"
    with app.app_context():
        throttle = db.get(LoginThrottle, "pro.noord@test.example")
        assert throttle.locked_until is not None and throttle.locked_until > utc_now()
