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
from wijkteam.auth.throttle import Client, Limits
from wijkteam.core.db import db, utc_now

ROOT = Path(__file__).resolve().parents[2]
LOCKOUT = timedelta(minutes=15)


def limits(max_failures: int) -> Limits:
    return Limits(
        max_failures=max_failures,
        account_max_failures=100,
        address_max_failures=100,
        first_delay=LOCKOUT,
        longest_delay=LOCKOUT,
    )


def _attempt_at_once(
    app, email: str, password: str, n: int, max_failures: int, address: str = "203.0.113.7"
) -> list[str]:
    """n threads, each with its own app context and database session, call authenticate at
    the same moment (a barrier), commit like the login view, and report what happened."""
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        with app.test_request_context():
            barrier.wait()
            try:
                authenticate(
                    email, password, limits=limits(max_failures), client=Client(address=address)
                )
                outcome = "ok"
            except LoginFailed:
                outcome = "failed"
            except LockedOut:
                outcome = "locked"
            except Exception as error:  # noqa: BLE001 - reported below, the test fails
                outcome = f"error: {error!r}"
                db.rollback()
            else:
                db.commit()
            if outcome in ("failed", "locked"):
                db.commit()  # the count and the audit row, as the login view does
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == n, "an attempt did not finish"
    return outcomes


def counts(app, email: str) -> dict[str, int]:
    """Failures per kind of key: this account from this client, this account from unknown
    clients, and the address over all names."""
    with app.app_context():
        rows = db.execute(select(LoginThrottle.kind, LoginThrottle.account, LoginThrottle.failures))
        return {kind: n for kind, account, n in rows if account in (email, None)}


def test_simultaneous_first_failures_are_all_counted(app, world):
    """Eight workers fail at once for a name that has no throttle rows yet: each one used to
    INSERT the same key (IntegrityError, a 500 on PostgreSQL). Now all eight are counted, under
    every key (one upsert for all keys per failure)."""
    outcomes = _attempt_at_once(app, "pro.noord@test.example", "wrong-password", 8, 100)
    assert outcomes == ["failed"] * 8
    assert counts(app, "pro.noord@test.example") == {"client": 8, "account": 8, "address": 8}
    with app.app_context():
        failed = db.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "auth.login_failed")
        )
        assert failed == 8


def test_simultaneous_failures_past_the_limit_hold_that_client_only(app, world):
    outcomes = _attempt_at_once(app, "pro.noord@test.example", "wrong-password", 8, 5)
    assert all(o in ("failed", "locked") for o in outcomes), outcomes
    with app.app_context():
        held = db.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.kind == "client"))
        assert held is not None and held > utc_now()
    # The right password is refused to that client while the hold lasts, also at once...
    assert _attempt_at_once(app, "pro.noord@test.example", PASSWORD, 3, 5) == ["locked"] * 3
    # ...and every refusal is audited; the owner of the account, elsewhere, gets in.
    with app.app_context():
        assert (
            db.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "auth.login_throttled")
            )
            >= 3
        )
    elsewhere = _attempt_at_once(app, "pro.noord@test.example", PASSWORD, 2, 5, "198.51.100.4")
    assert elsewhere == ["ok", "ok"]


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
            "WIJKTEAM_LOGIN_ADDRESS_MAX_FAILURES": "10",
            # Behind nginx: the client's address comes from X-Forwarded-For.
            "WIJKTEAM_PROXY_HOPS": "1",
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

    def wait_until_up(self, timeout: float = 120) -> None:
        """Until every worker has answered (a loaded machine takes over 30 s to start two
        workers): a worker still importing the app takes no
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
        self,
        method: str,
        path: str,
        body: str | None = None,
        cookie: str = "",
        address: str = "192.0.2.1",
    ) -> tuple[int, dict[str, str], str]:
        """One request on a fresh connection (so it can land on any worker), from `address`
        as nginx tells it (X-Forwarded-For)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"X-Forwarded-For": address}
        if cookie:
            headers["Cookie"] = cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read().decode()
        finally:
            conn.close()

    def login(self, email: str, password: str, address: str = "192.0.2.1") -> int:
        """GET the form (for its CSRF token and cookie), then POST it: the status of the POST."""
        status, headers, html = self.request("GET", "/login", address=address)
        assert status == 200
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        token = CSRF_RE.search(html).group(1)
        body = urlencode({"email": email, "password": password, "csrf_token": token})
        return self.request("POST", "/login", body=body, cookie=cookie, address=address)[0]

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


def test_holds_are_shared_by_gunicorn_workers_and_aimed_at_the_attacker_only(app, world, tmp_path):
    """An attacker (one address behind the proxy) fails for a colleague's name, several at a
    time on fresh connections so that both workers take some: afterwards every worker holds
    the attacker, also with the right password, while the colleague from her own address gets
    in. Then one address trying many names is stopped by the per-address limit, counted by
    both workers together."""
    attacker, victim, sprayer = "203.0.113.7", "198.51.100.4", "203.0.113.99"
    server = Server(app.config["DATABASE_URL"], tmp_path)
    try:
        server.wait_until_up()
        with ThreadPoolExecutor(max_workers=4) as pool:
            failed = list(
                pool.map(
                    lambda _i: server.login(
                        "pro.noord@test.example", "wrong-password-123", attacker
                    ),
                    range(8),
                )
            )
            assert set(failed) <= {401, 429}, failed
            assert failed.count(401) >= 5
            held = list(
                pool.map(
                    lambda _i: server.login("pro.noord@test.example", PASSWORD, attacker), range(8)
                )
            )
            assert held == [429] * 8
            assert server.login("pro.noord@test.example", PASSWORD, victim) == 302
            sprayed = list(
                pool.map(
                    lambda i: server.login(f"naam{i}@test.example", "Zomer2026!", sprayer),
                    range(16),
                )
            )
        # 10 failures, plus at most the ones that were already past the (plain-read) check
        # when the tenth committed: four at a time here.
        assert 10 <= sprayed.count(401) <= 13, sprayed
        assert sprayed.count(429) == 16 - sprayed.count(401), sprayed
    finally:
        served = server.stop()
    workers_failing = served.get("POST /login 401", set())
    workers_refusing = served.get("POST /login 429", set())
    assert len(workers_failing | workers_refusing) >= 2, served
    assert len(workers_refusing) >= 2, f"only one worker refused the held client: {served}"
    with app.app_context():
        refused = select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "auth.login_throttled", AuditEvent.ip == attacker
        )
        assert db.scalar(refused) == 8 + failed.count(429)  # every 429 left its row
