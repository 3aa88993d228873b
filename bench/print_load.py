"""GET /login while large printouts are made, next to GET /login alone (issue 14 item 6).

    .venv/bin/python bench/print_load.py [--workers 2] [--queue-workers 1] [--nice 10]
                                         [--seconds 20] [--clients 2] [--printouts 2]
                                         [--url URL] [--queue-url URL]

Prints figures; asserts nothing. Builds a database with two families whose plans are as large as
the limits allow (25 goals with 1,000 characters in each text, 100 open actions of 1,000
characters), starts gunicorn (production configuration, --workers) and the queue worker
(`python -m wijkteam.jobs`, --queue-workers processes, at the given nice level, as in the
systemd unit of docs/deploy.md), then:

1. alone: --clients threads ask GET /login (anonymous) as fast as it is answered, --seconds;
2. printing: two professionals each ask for 'Ons plan' of their family (POST, as the button
   does; --printouts in all), and the same clients ask GET /login until every printout is made.

p50/p95/max of GET /login in both phases side by side, and per printout the time it waited in
line and the time it took to make. Before issue 14 the printout was made inside the gunicorn
worker: a tester saw GET /login wait 34 s while two such printouts ran.

`--url` (a PostgreSQL database) is **wiped**. `--queue-url` (e.g. redis://127.0.0.1:6379/14)
defaults to a SQLite queue in a temporary folder; the queue gets a name of its own.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

from browser import ROOT, Browser, start_gunicorn
from sqlalchemy import select
from sqlalchemy import text as sql

from tests.factories import app_api as api
from tests.factories import cases as c
from tests.factories.people import make_team, make_user

OWNERS = (api.OwnerKind.FAMILY, api.OwnerKind.NETWORK, api.OwnerKind.PROFESSIONAL)
PASSWORD = "bench-password-123"  # noqa: S105 - fictional bench accounts
WORDS = (
    "Oma Ria haalt Noah op woensdag op en samen fietsen ze langs de bibliotheek naar huis, "
    "waar Lisa de tafel dekt en iedereen vertelt wat er die dag goed ging. "
)


def text(n: int, seed: int) -> str:
    words = (f"{seed}. " + WORDS * (n // len(WORDS) + 2))[: n - 1]
    return words.rstrip() + "."


def build(url: str, families: int) -> list[tuple[str, int]]:
    """Families with plans at the limits, each led by its own professional: (e-mail, case)."""
    reset(url)
    api.migrate.upgrade(url)
    app = api.create_app(api.TestConfig, DATABASE_URL=url)
    out = []
    with app.test_request_context():
        team = make_team("Bench")
        for f in range(families):
            email = f"pro{f}@bench.example"
            pro = make_user(email, "professional", team.id, password=PASSWORD, name=f"Pro {f}")
            case = c.register(
                pro,
                f"Groot{f}",
                members=[c.person("Lisa", f"Groot{f}", born=date(1990, 1, 1), languages=())],
            )
            plan = c.start_plan(pro, case, level=5, reason="x")
            per_goal = api.plans.MAX_OPEN_ACTIONS_PER_PLAN // api.plans.MAX_GOALS
            for g in range(api.plans.MAX_GOALS):
                goal = c.goal(
                    pro,
                    case,
                    plan,
                    text(api.plans.MAX_TEXT, g),
                    why_it_matters=text(api.plans.MAX_TEXT, g + 100),
                    first_step=text(api.plans.MAX_TEXT, g + 200),
                )
                for a in range(per_goal):
                    owner = OWNERS[a % 3]
                    c.action(
                        pro,
                        case,
                        goal,
                        text(api.plans.MAX_TEXT, g * 10 + a),
                        owner_kind=owner,
                        owner_name="" if owner == api.OwnerKind.FAMILY else f"Helper {a}",
                    )
            out.append((email, case.id))
        api.db.commit()
    return out


def reset(url: str) -> None:
    if url.startswith("postgresql"):
        engine = api.make_engine(url)
        with engine.begin() as conn:
            conn.execute(sql("DROP SCHEMA public CASCADE"))
            conn.execute(sql("CREATE SCHEMA public"))
        engine.dispose()


def hammer_login(port: int, clients: int, stop: threading.Event) -> tuple[list[float], int]:
    """GET /login (anonymous, a new connection each time) from `clients` threads until stopped."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def one_client() -> None:
        while not stop.is_set():
            start = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                conn.request("GET", "/login")
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except OSError:
                ok = False
            finally:
                conn.close()
            ms = (time.perf_counter() - start) * 1000
            with lock:
                if ok:
                    times.append(ms)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=one_client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    stop.wait()
    for thread in threads:
        thread.join()
    return times, errors[0]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def job_rows(url: str) -> list[api.PrintJob]:
    engine = api.make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                api.PrintJob.id,
                api.PrintJob.status,
                api.PrintJob.created_at,
                api.PrintJob.started_at,
                api.PrintJob.finished_at,
                api.PrintJob.size,
            ).order_by(api.PrintJob.id)
        ).all()
    engine.dispose()
    return rows  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--queue-workers", type=int, default=1)
    parser.add_argument("--nice", type=int, default=10, help="nice level of the queue worker")
    parser.add_argument("--seconds", type=float, default=20, help="length of the 'alone' phase")
    parser.add_argument("--clients", type=int, default=2, help="threads asking GET /login")
    parser.add_argument("--printouts", type=int, default=2)
    parser.add_argument("--url", default=None, help="database URL (default: a temp SQLite file)")
    parser.add_argument("--queue-url", default=None, help="default: a temp SQLite queue")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'print.sqlite3'}"
        queue_url = args.queue_url or f"sqlite:///{Path(tmp) / 'queue.sqlite3'}"
        print("building two families with plans at the limits ...", flush=True)
        people = build(url, min(args.printouts, 2))
        env = {
            "WIJKTEAM_ENV": "production",
            "WIJKTEAM_SECRET_KEY": secrets.token_urlsafe(48),
            "WIJKTEAM_DATABASE_URL": url,
            "WIJKTEAM_QUEUE_URL": queue_url,
            "WIJKTEAM_QUEUE_NAME": f"bench-{uuid.uuid4().hex[:8]}",
        }
        web_log, queue_log = Path(tmp) / "gunicorn.log", Path(tmp) / "queue.log"
        worker = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "wijkteam.jobs", "--workers", str(args.queue_workers)],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
            stderr=queue_log.open("wb"),
            preexec_fn=lambda: os.nice(args.nice),  # like Nice= in the systemd unit
        )  # fmt: skip
        web = None
        try:
            web, port = start_gunicorn(env, args.workers, web_log, timeout=60, wait=90)
            browsers = []
            for email, _case in people:
                browser = Browser(port=port, timeout=120)
                browser.login(email, PASSWORD)
                browsers.append(browser)
            deadline = time.monotonic() + 120  # the queue worker warms up (app, fonts)
            while "print worker ready" not in queue_log.read_text(errors="replace"):
                if time.monotonic() > deadline or worker.poll() is not None:
                    raise RuntimeError(f"queue worker: {queue_log.read_text()[-2000:]}")
                time.sleep(0.5)
            print(
                f"gunicorn --workers {args.workers}, queue worker x{args.queue_workers} "
                f"(nice {args.nice}), {args.clients} clients asking GET /login, "
                f"{url.split(':', 1)[0]} database, {queue_url.split(':', 1)[0]} queue, "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            stop = threading.Event()
            timer = threading.Timer(args.seconds, stop.set)
            timer.start()
            alone, alone_errors = hammer_login(port, args.clients, stop)
            asked_at = time.monotonic()
            for i in range(args.printouts):
                email, case_id = people[i % len(people)]
                browsers[i % len(browsers)].ask_plan(case_id)
            stop = threading.Event()

            def watch() -> None:
                while time.monotonic() - asked_at < 600:
                    waiting = [
                        r
                        for r in job_rows(url)
                        if r.status in (api.JobStatus.QUEUED, api.JobStatus.RUNNING)
                    ]
                    if not waiting:
                        break
                    time.sleep(0.5)
                stop.set()

            watcher = threading.Thread(target=watch)
            watcher.start()
            printing, printing_errors = hammer_login(port, args.clients, stop)
            watcher.join()
            printing_seconds = time.monotonic() - asked_at
        finally:
            worker.terminate()
            if web is not None:
                web.terminate()
                web.wait(timeout=30)
            worker.wait(timeout=90)
        rows = job_rows(url)
        tracebacks = len(re.findall(r"^Traceback", web_log.read_text(errors="replace"), re.M))

    print(f"\n{'GET /login (anonymous)':<34}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
          f"{'errors':>8}")  # fmt: skip
    for name, times, errors in (
        ("alone", alone, alone_errors),
        (f"while {args.printouts} printouts are made", printing, printing_errors),
    ):
        print(
            f"{name:<34}{len(times):>9}{statistics.median(times):>9.0f}"
            f"{percentile(times, 95):>9.0f}{max(times):>9.0f}{errors:>8}"
        )
    print(f"\nprintouts (all made in {printing_seconds:.1f} s after asking):")
    print(f"{'job':>5}  {'status':<8}{'waited s':>10}{'made in s':>11}{'kB':>8}")
    for row in rows:
        waited = (row.started_at - row.created_at).total_seconds() if row.started_at else 0
        made = (row.finished_at - row.started_at).total_seconds() if row.finished_at else 0
        status = getattr(row.status, "value", row.status)
        print(f"{row.id:>5}  {status:<8}{waited:>10.1f}{made:>11.1f}{row.size / 1024:>8.0f}")
    print(f"\ntracebacks in gunicorn's log: {tracebacks}; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
