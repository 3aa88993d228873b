"""The garbage collector's pauses per request, with Python's settings and with the app frozen.

    .venv/bin/python bench/gc_pauses.py [--families 400] [--rounds 6] [--requests 150]
                                        [--url postgresql+psycopg://...]

Prints figures; asserts nothing. Builds the world of bench/scale.py (SQLite in a temporary
file unless --url, which **wipes** that database), then sends the main pages of scale.py in
turn through the Flask test client, one process, in rounds that alternate between Python's
own settings and `gc.freeze()` (what wsgi.py does once the app is made: the app's, the
modules' and SQLAlchemy's objects, some 250,000, move out of the collector's reach, so a full
collection no longer walks them). Per setting: the collections of each generation, their
time per request and the longest single pause (`gc.callbacks`), and the requests' median.

The pauses are counted, not inferred from the wall clock: the machine's other load changes a
request's time by more than the collector does, but not how long the collector runs.
"""

from __future__ import annotations

import argparse
import gc
import statistics
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=6, help="alternating, half each setting")
    parser.add_argument("--requests", type=int, default=150, help="per page and round")
    parser.add_argument("--url", help="a PostgreSQL database to build in (wiped)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'gc.db'}"
        side = Side(url, make(url, args.families, team_size=50, notes_per_family=20))
        for label in PAGES:  # warm: caches, prepared statements
            client, path = side.pages[label]
            for _ in range(10):
                client.get(path)
        pauses = {name: Pauses() for name in SETTINGS}
        times: dict[str, list[float]] = {name: [] for name in SETTINGS}
        for round_ in range(args.rounds):
            name = SETTINGS[round_ % 2]
            gc.collect()
            if name == "gc.freeze()":
                gc.freeze()
            with pauses[name]:
                for _ in range(args.requests):
                    for label in PAGES:
                        client, path = side.pages[label]
                        started = time.perf_counter()
                        client.get(path)
                        times[name].append(time.perf_counter() - started)
            gc.unfreeze()
    print(
        f"\n{args.families} families, {side.engine.dialect.name}; {args.rounds} rounds of "
        f"{args.requests} x {len(PAGES)} pages, the settings in turns; "
        f"{len(gc.get_objects())} objects tracked at the end\n"
    )
    print(
        "| setting | requests | median ms | collections (gen 0 / 1 / 2) | "
        "collector ms per request (gen 0 / 1 / 2) | longest pause ms |"
    )
    print("| --- | ---: | ---: | --- | --- | ---: |")
    for name in SETTINGS:
        n = len(times[name])
        found = pauses[name].by_generation
        counts = " / ".join(str(len(found[g])) for g in (0, 1, 2))
        per_request = " / ".join(f"{sum(found[g]) / n * 1000:.3f}" for g in (0, 1, 2))
        longest = max((max(v) for v in found.values() if v), default=0.0)
        print(
            f"| {name} | {n} | {statistics.median(times[name]) * 1000:.2f} | {counts} | "
            f"{per_request} | {longest * 1000:.1f} |"
        )


if __name__ == "__main__":
    main()
