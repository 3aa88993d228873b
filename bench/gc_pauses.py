"""The garbage collector's pauses per request, with Python's settings and with the app frozen.

    .venv/bin/python bench/gc_pauses.py [--families 400] [--rounds 4] [--requests 300]
                                        [--url postgresql+psycopg://...]

Prints figures; asserts nothing. Builds the world of bench/scale.py (SQLite in a temporary
file unless --url, which **wipes** that database), then runs a worker's life in a process of
its own, `--rounds` times, the settings in turns: the app made (and its two users logged
in), with Python's own settings or frozen as `wsgi.py` does (`gc.freeze()` before the first
page: the app's, the modules' and SQLAlchemy's objects, some 200,000, out of the collector's
reach), ten requests per page to warm up, then the main pages of scale.py in turn,
`--requests` times each (300 x 7: about the 2,000 requests after which docs/deploy.md has
gunicorn start a worker afresh). Per setting: the collections of each generation, their
time per request and the longest single pause (`gc.callbacks`), the requests' median, and
the objects frozen and not at the end of the last process.

The pauses are counted, not inferred from the wall clock: the machine's other load changes a
request's time by more than the collector does, but not how long the collector runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from scale import FLOOR, Side, make

PAGES = (
    "case list (team, open)",
    "case page",
    "timeline",
    "plan",
    "dashboard (team lead)",
    "my week (professional)",
    FLOOR,
)
SETTINGS = ("Python's own", "gc.freeze()")


class Pauses:
    """The collector's pauses per generation while it is installed (`gc.callbacks`)."""

    def __init__(self) -> None:
        self.by_generation: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.by_generation[info["generation"]].append(time.perf_counter() - self._started)

    def __enter__(self) -> Pauses:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def child(url: str, made_file: str, setting: str, requests: int) -> None:
    """One worker's life: the app made (and its users logged in), frozen or not as `wsgi.py`
    does, warmed up, then measured; prints its figures as JSON."""
    with open(made_file, "rb") as file:
        made = pickle.load(file)  # noqa: S301 - written by this script's parent a moment ago
    side = Side(url, made)
    if setting == "gc.freeze()":  # as wsgi.py: once the app is made, before it is warm
        gc.collect()
        gc.freeze()
    for label in PAGES:  # warm: templates compiled, statements prepared, caches filled
        client, path = side.pages[label]
        for _ in range(10):
            client.get(path)
    times: list[float] = []
    with Pauses() as pauses:
        for _ in range(requests):
            for label in PAGES:
                client, path = side.pages[label]
                started = time.perf_counter()
                client.get(path)
                times.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "times": times,
                "pauses": pauses.by_generation,
                "frozen": gc.get_freeze_count(),
                "young": len(gc.get_objects()),
                "dialect": side.engine.dialect.name,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=4, help="processes, the settings in turns")
    parser.add_argument("--requests", type=int, default=300, help="per page and process")
    parser.add_argument("--url", help="a PostgreSQL database to build in (wiped)")
    parser.add_argument("--child", nargs=2, metavar=("SETTING", "MADE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.url, args.child[1], args.child[0], args.requests)
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'gc.db'}"
        made_file = Path(tmp) / "made.pickle"
        made_file.write_bytes(
            pickle.dumps(make(url, args.families, team_size=50, notes_per_family=20))
        )
        found: dict[str, list[dict[str, Any]]] = {name: [] for name in SETTINGS}
        for round_ in range(args.rounds):
            name = SETTINGS[round_ % 2]
            done = subprocess.run(  # noqa: S603 - this script, with our own arguments
                [
                    sys.executable,
                    __file__,
                    "--url",
                    url,
                    "--requests",
                    str(args.requests),
                    "--child",
                    name,
                    str(made_file),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            found[name].append(json.loads(done.stdout.splitlines()[-1]))
    dialect = found[SETTINGS[0]][0]["dialect"]
    print(
        f"\n{args.families} families, {dialect}; {args.rounds} processes in turns, each "
        f"{args.requests} x {len(PAGES)} requests after warming up\n"
    )
    print(
        "| setting | requests | median ms | collections (gen 0 / 1 / 2) | "
        "collector ms per request (gen 0 / 1 / 2) | longest pause ms | objects frozen / "
        "not frozen |"
    )
    print("| --- | ---: | ---: | --- | --- | ---: | --- |")
    for name in SETTINGS:
        runs = found[name]
        times = [t for run in runs for t in run["times"]]
        n = len(times)
        by_generation = {g: [p for run in runs for p in run["pauses"][str(g)]] for g in (0, 1, 2)}
        counts = " / ".join(str(len(by_generation[g])) for g in (0, 1, 2))
        per_request = " / ".join(f"{sum(by_generation[g]) / n * 1000:.3f}" for g in (0, 1, 2))
        longest = max((max(v) for v in by_generation.values() if v), default=0.0)
        objects = f"{runs[-1]['frozen']:,} / {runs[-1]['young']:,}"
        print(
            f"| {name} | {n} | {statistics.median(times) * 1000:.2f} | {counts} | "
            f"{per_request} | {longest * 1000:.1f} | {objects} |"
        )


if __name__ == "__main__":
    main()
