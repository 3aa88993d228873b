"""Mixed load under gunicorn: case lists, case pages, edits and new notes at the same time,
with the error count and the throughput next to the cheapest route under the same load.

    .venv/bin/python bench/load.py [--families 10000] [--team-size 50] [--workers 2]
                                   [--users 8] [--seconds 60] [--url URL] [--no-build]

Prints figures; asserts nothing. Builds the database of bench/scale.py (unless --no-build), starts
gunicorn with --workers on a free port in production configuration (a random secret key; the
Secure session cookie is sent back by hand over plain HTTP), logs in --users virtual users,
each with its own account (four per team, so colleagues share cases), and runs threads:

1. floor: every user asks GET /session/keepalive as fast as it is answered (--floor-seconds);
2. mixed (--seconds): 50% a case list page of the team, 30% a case page, 10% an edit of the
   case (GET the form, POST it back with its version), 10% a new conversation note (GET the
   form, POST it finished);
3. floor again (so that a change in the machine's load shows).

--rounds N repeats 2 and 3 N times (floor, mixed, floor, mixed, ..., floor) and sets each mixed
slice against the floors just before and after it: on a machine whose speed drifts within
minutes (the floor went from 343 to 930 requests/s between two runs of the same code) one
floor before and one after a long mixed phase say little. Use shorter slices then, e.g.
--rounds 6 --seconds 15 --floor-seconds 5; the median of the rounds is the figure. A mixed
slice leaves the database work to finish (its writes: WAL, autovacuum) that would slow the
floor after it and flatter the ratio: --settle waits that long before each floor slice
(default: 3 s with --rounds above 1).

--profile runs gunicorn's workers under cProfile (bench/profiled.py) for every request but the
floor's and the login's, and prints the CPU time per area and the top functions afterwards.
The profiler slows the server down: take throughput from a run without it.

An edit POST that answers 409 is a conflict: a colleague saved the same case between our GET and
POST (edits go to the first eight open cases of the team to make that happen now and then); it is
counted apart and is not an error. Errors are 5xx answers and failed connections; anything else
unexpected (a 4xx, a form that comes back with 200) is counted as unexpected. Each request uses a
new connection (gunicorn's sync workers close it after every answer anyway). The virtual users
run in this process, so client and server share the machine's cores.

`--url` **wipes** that database unless --no-build is given.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import secrets
import statistics
import subprocess
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import profiled
from browser import Browser, Fields, post_form, replace, start_gunicorn
from case_pages import PASSWORD, Shape, summarise
from scale import make
from sqlalchemy import select

from wijkteam.cases.models import Case
from wijkteam.core.db import make_engine

USERS_PER_TEAM = 4
HOT_CASES = 8
MIX = {"list": 50, "view": 30, "edit": 10, "note": 10}
FLOOR_PATH = "/session/keepalive"


@dataclass
class Stats:
    """Per (operation, step): latencies; per outcome: counts. Shared by all threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    operations: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)

    def add(self, step: str, ms: float, outcome: str, detail: str = "") -> None:
        with self.lock:
            self.latency[step].append(ms)
            self.outcomes[outcome] += 1
            if outcome in ("error", "unexpected") and len(self.samples) < 10:
                self.samples.append(f"{step}: {detail}")


class Unexpected(Exception):
    """The answer was not what a browser would get; the operation stops here."""


class VirtualUser:
    """One logged-in person with their own session cookie and their team's cases."""

    def __init__(self, port: int, email: str, cases: list[int], open_cases: list[int]) -> None:
        self.browser, self.email = Browser(port=port), email
        self.cases, self.open_cases, self.hot = cases, open_cases, open_cases[:HOT_CASES]
        self.list_pages = max(1, math.ceil(len(open_cases) / 25))
        self.rnd = random.Random(email)
        self.edits = 0

    def request(self, method: str, path: str, body: Fields | None = None) -> tuple[int, str]:
        resp = self.browser.request(method, path, body)
        return resp.status, resp.text

    def timed(
        self,
        stats: Stats,
        step: str,
        method: str,
        path: str,
        expect: tuple[int, ...],
        body: Fields | None = None,
    ) -> tuple[int, str]:
        start = time.perf_counter()
        try:
            status, html = self.request(method, path, body)
        except OSError as exc:
            stats.add(step, (time.perf_counter() - start) * 1000, "error", repr(exc))
            raise Unexpected from exc
        ms = (time.perf_counter() - start) * 1000
        if status >= 500:
            stats.add(step, ms, "error", f"{status} {method} {path}")
            raise Unexpected
        if status == 409:
            stats.add(step, ms, "conflict")
        elif status in expect:
            stats.add(step, ms, "ok")
        else:
            stats.add(step, ms, "unexpected", f"{status} {method} {path} {html[:200]!r}")
            raise Unexpected
        return status, html

    def login(self) -> None:
        self.browser.login(self.email, PASSWORD)

    # --- the operations ----------------------------------------------------------------

    def floor(self, stats: Stats) -> None:
        self.timed(stats, "floor", "GET", FLOOR_PATH, (204,))

    def list(self, stats: Stats) -> None:
        page = self.rnd.randint(1, self.list_pages)
        self.timed(stats, "list", "GET", f"/cases?scope=team&page={page}", (200,))

    def view(self, stats: Stats) -> None:
        self.timed(stats, "view", "GET", f"/cases/{self.rnd.choice(self.cases)}", (200,))

    def edit(self, stats: Stats) -> None:
        path = f"/cases/{self.rnd.choice(self.hot)}/edit"
        _, html = self.timed(stats, "edit GET", "GET", path, (200,))
        self.edits += 1
        fields = replace(
            post_form(html, "version"),
            question_for_help=f"Wij willen meer rust in huis ({self.email}, {self.edits}).",
        )
        self.timed(stats, "edit POST", "POST", path, (302,), fields)

    def note(self, stats: Stats) -> None:
        path = f"/cases/{self.rnd.choice(self.open_cases)}/notes/new"
        _, html = self.timed(stats, "note GET", "GET", path, (200,))
        fields = replace(
            post_form(html, "contact_on"),
            question="Moeder wil dat de ochtenden rustiger verlopen.",
            strengths="De kinderen gaan graag naar school.",
        )
        self.timed(stats, "note POST", "POST", path, (302,), [*fields, ("finalise", "1")])

    def run(self, stats: Stats, deadline: float, mix: dict[str, int]) -> None:
        kinds, weights = list(mix), list(mix.values())
        while time.monotonic() < deadline:
            kind = self.rnd.choices(kinds, weights)[0]
            try:
                getattr(self, kind)(stats)
            except Unexpected:
                continue
            with stats.lock:
                stats.operations[kind] += 1


def start_server(
    url: str, workers: int, log: Path, profile: Path | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    env = {
        "WIJKTEAM_ENV": "production",
        "WIJKTEAM_SECRET_KEY": secrets.token_urlsafe(48),
        "WIJKTEAM_DATABASE_URL": url,
    }
    if profile is None:
        return start_gunicorn(env, workers, log, timeout=120, wait=60)
    env["WIJKTEAM_BENCH_PROFILE_DIR"] = str(profile)
    env["WIJKTEAM_BENCH_PROFILE_SKIP"] = f"{FLOOR_PATH} /login"
    return start_gunicorn(env, workers, log, timeout=120, wait=60, app="bench.profiled:app")


def virtual_users(url: str, port: int, shape: Shape, count: int) -> list[VirtualUser]:
    """`count` users, four per team from team 1 on, each with its own account."""
    engine = make_engine(url)
    with engine.connect() as conn:
        status = dict(conn.execute(select(Case.id, Case.status)).all())
    engine.dispose()
    users = []
    for i in range(count):
        team = i // USERS_PER_TEAM + 1
        account = shape.users_of(team)[i % USERS_PER_TEAM]
        cases = shape.cases_of(team)
        open_cases = [c for c in cases if str(status[c]) != "closed"]
        users.append(VirtualUser(port, f"user{account}@bench.example", cases, open_cases))
    return users


def server_cpu(master: int) -> float:
    """CPU seconds (user + system) used so far by gunicorn's master and its workers (Linux)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(stat.parent.name) == master or int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


@dataclass
class Phase:
    stats: Stats
    elapsed: float
    server_cpu: float  # seconds, gunicorn master and workers
    client_cpu: float  # seconds, this process (the virtual users)


def phase(users: list[VirtualUser], seconds: float, mix: dict[str, int], master: int) -> Phase:
    stats = Stats()
    deadline = time.monotonic() + seconds
    started, cpu, client = time.perf_counter(), server_cpu(master), time.process_time()
    threads = [threading.Thread(target=u.run, args=(stats, deadline, mix)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Phase(
        stats,
        time.perf_counter() - started,
        server_cpu(master) - cpu,
        time.process_time() - client,
    )


def report(name: str, result: Phase) -> float:
    """Print one phase; returns its requests per second."""
    stats, elapsed = result.stats, result.elapsed
    requests = sum(len(v) for v in stats.latency.values())
    rate = requests / elapsed
    print(
        f"\n{name}: {requests} requests in {elapsed:.1f} s = {rate:.1f} requests/s; gunicorn "
        f"used {result.server_cpu:.1f} CPU s ({result.server_cpu * 1000 / max(requests, 1):.1f} "
        f"ms per request), the virtual users {result.client_cpu:.1f} CPU s"
    )
    print("| step | requests | requests/s | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for step in sorted(stats.latency):
        timings = stats.latency[step]
        p50, p95 = summarise(timings)
        print(f"| {step} | {len(timings)} | {len(timings) / elapsed:.1f} | {p50:.0f} | {p95:.0f} |")
    done = ", ".join(f"{kind} {n}" for kind, n in sorted(stats.operations.items()))
    outcomes = ", ".join(f"{kind} {n}" for kind, n in sorted(stats.outcomes.items()))
    print(f"operations completed: {done}; answers: {outcomes}")
    for sample in stats.samples:
        print(f"  {sample}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--team-size", type=int, default=50, help="0: two teams that grow")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=8, help="virtual users (threads)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--floor-seconds", type=float, default=15)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="mixed slices, each between two floor slices (see the module's docstring)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=None,
        help="seconds of rest before each floor slice after a mixed one (default: 3 with "
        "--rounds above 1, else 0)",
    )
    parser.add_argument("--url", default=None, help="database URL (default: a temp SQLite file)")
    parser.add_argument("--no-build", action="store_true", help="use the database at --url as is")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the mixed requests in gunicorn's workers and print where the time goes "
        "(slows the server down: measure throughput without it)",
    )
    args = parser.parse_args()
    settle = args.settle if args.settle is not None else (3.0 if args.rounds > 1 else 0.0)
    shape = Shape(args.families, team_size=args.team_size)
    if args.users > shape.teams * USERS_PER_TEAM:
        parser.error(f"at most {shape.teams * USERS_PER_TEAM} virtual users for this shape")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'load.sqlite3'}"
        if not args.no_build:
            make(url, args.families, args.team_size, 20)
        log = Path(tmp) / "gunicorn.log"
        profile = Path(tmp) / "profile" if args.profile else None
        if profile:
            profile.mkdir()
        server, port = start_server(url, args.workers, log, profile)
        try:
            users = virtual_users(url, port, shape, args.users)
            for user in users:
                user.login()
            print(
                f"\n{args.families} families, gunicorn --workers {args.workers}, "
                f"{args.users} virtual users, {url.split(':', 1)[0]}, "
                f"load average {os.getloadavg()[0]:.1f}"
            )
            pid = server.pid
            floors = [report("floor", phase(users, args.floor_seconds, {"floor": 1}, pid))]
            mixes: list[float] = []
            for n in range(1, args.rounds + 1):
                name = "mixed" if args.rounds == 1 else f"mixed, round {n}"
                mixes.append(report(name, phase(users, args.seconds, MIX, pid)))
                time.sleep(settle)
                floor_again = phase(users, args.floor_seconds, {"floor": 1}, pid)
                floors.append(report("floor again", floor_again))
        finally:
            server.terminate()
            server.wait(timeout=30)
        logged = log.read_text(errors="replace")
        if profile:
            stats = profiled.load(profile.glob("*.prof"))
            per_route = profiled.routes(profile.glob("*.routes"))
            requests = int(sum(count for count, _cpu in per_route.values()))
            print("\nWhere gunicorn's workers spent the mixed requests' CPU time (cProfile):\n")
            print(profiled.routes_table(per_route) + "\n")
            print(profiled.summary(stats, requests) if stats else "no profile was written")
    tracebacks = len(re.findall(r"^Traceback", logged, re.MULTILINE))
    shares = [mixed / ((floors[n] + floors[n + 1]) / 2) for n, mixed in enumerate(mixes)]
    for n, (mixed, share) in enumerate(zip(mixes, shares, strict=True)):
        print(
            f"\nmixed load{f', round {n + 1}' if len(mixes) > 1 else ''}: {mixed:.1f} "
            f"requests/s = {share:.2f} of the floor ({floors[n]:.1f} and {floors[n + 1]:.1f} "
            "requests/s)",
            end="",
        )
    if len(mixes) > 1:
        print(
            f"\nmixed load over {len(mixes)} rounds: median {statistics.median(shares):.2f} of "
            f"the floor (lowest {min(shares):.2f}, highest {max(shares):.2f})",
            end="",
        )
    print(f"; tracebacks in gunicorn's log: {tracebacks}; load average {os.getloadavg()[0]:.1f}")
    if tracebacks:
        print(logged[-3000:])


if __name__ == "__main__":
    main()
