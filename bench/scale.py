"""Side by side: the main pages at 100 and at 10,000 families, next to the cheapest route.

    .venv/bin/python bench/scale.py [--families 10000] [--small 100] [--team-size 50]
                                    [--notes-per-family 20] [--repeat 20] [--url postgresql+...]

Prints figures; asserts nothing. For each size it builds the families of bench/case_pages.py,
the notes and plans of bench/notes.py (20 notes per family: 200,000 at 10,000 families) and the
team work of bench/team_work.py (dates relative to today, agreed versions, actions, safety
concerns, reviews, case discussions), then measures every page as the team lead of team 1
through the Flask test client (one process, no network), "my week" as a professional of team 1.

--team-size 50 (the default): teams of 50 families, so team 1 is the same at both sizes and only
the rest of the database grows (100 families = 2 teams, 10,000 = 200 teams). --team-size 0: the
two teams of case_pages.py, each holding half of all families, so the team grows too.

The floor is GET /session/keepalive for the logged-in lead (session and account lookup, an empty
204 answer: what every page costs before it does its own work), and GET /login anonymously.

Other processes on the machine change the timings while it runs, so the sizes take turns: on
SQLite both files exist at once and --passes passes measure small, large, small, large, ...; with
--url (one database) it measures small, large, then small again after rebuilding it. Each page's
figures pool all its timings at that size. `--url` **wipes** that database.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from case_pages import PASSWORD, Shape, build, measure_pages, summarise
from notes import BUSY_CASE, DAYS, add_notes
from sqlalchemy import text
from team_work import add_team_work, attention_counts

from wijkteam import create_app
from wijkteam.config import TestConfig
from wijkteam.db import get_engine

FLOOR = "floor: keepalive (logged in)"
GOAL = 1.25


def make(url: str, families: int, team_size: int, notes_per_family: int) -> dict[str, Any]:
    """Build one database; returns what add_notes and add_team_work made."""
    started = time.perf_counter()
    today = date.today()
    shape = Shape(families, team_size=team_size)
    build(url, families, shape)
    made = add_notes(
        url,
        families,
        families * notes_per_family,
        random.Random(7),
        shape=shape,
        start=today - timedelta(days=DAYS),
        plan_share=0.95,
    )
    made["work"] = add_team_work(url, shape, today)
    made["shape"] = shape
    print(
        f"\nbuilt {families} families in {time.perf_counter() - started:.0f} s: {shape.teams} "
        f"teams, {made['notes']} notes, {made['parts']} parts, {made['plans']} plans; "
        + ", ".join(f"{n} {table}" for table, n in made["work"].items())
    )
    return made


def measure(url: str, made: dict[str, Any], repeat: int) -> dict[str, Any]:
    app = create_app(TestConfig, DATABASE_URL=url, WTF_CSRF_ENABLED=False)
    lead, professional, anonymous = app.test_client(), app.test_client(), app.test_client()
    colleague = made["shape"].users_of(1)[1]  # a professional: users 1..teams are leads
    for client, user in ((lead, 1), (professional, colleague)):
        resp = client.post(
            "/login", data={"email": f"user{user}@bench.example", "password": PASSWORD}
        )
        assert resp.status_code == 302, resp.status_code  # noqa: S101
    with app.app_context():
        engine = get_engine()
        counts = attention_counts(1)
        with engine.connect() as conn:
            version = conn.execute(
                text(
                    "SELECT version()"
                    if engine.dialect.name == "postgresql"
                    else "SELECT 'SQLite ' || sqlite_version()"
                )
            ).scalar()
    typical = made["typical"]
    print(
        f"{engine.dialect.name}; typical case {typical} ({made['typical_notes']} notes), busy case "
        f"{BUSY_CASE} ({made['busy_notes']} notes); my week of user{colleague}; "
        "dashboard of team 1: " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    )
    results = measure_pages(
        lead,
        engine,
        {
            FLOOR: "/session/keepalive",
            "case list (team, open)": "/cases?scope=team",
            "case page": f"/cases/{typical}",
            "timeline": f"/cases/{typical}/timeline",
            "plan": f"/cases/{typical}/plan",
            "dashboard (team lead)": "/dashboard",
            "case discussions": "/discussions",
            "timeline, busy case": f"/cases/{BUSY_CASE}/timeline",
        },
        repeat,
    )
    results |= measure_pages(professional, engine, {"my week (professional)": "/dashboard"}, repeat)
    results |= measure_pages(anonymous, engine, {"floor: /login (anonymous)": "/login"}, repeat)
    engine.dispose()
    return {"pages": results, "attention": counts, "database": version, "made": made}


def side_by_side(small: int, large: int, a: dict[str, Any], b: dict[str, Any]) -> None:
    """A Markdown table: both sizes, the ratio of the medians, and queries at both sizes."""
    print(
        f"\n| page | {small:,} median | {small:,} p95 | {large:,} median | {large:,} p95 | "
        f"ratio | CPU ms {small:,} / {large:,} | DB ms {small:,} / {large:,} | "
        f"queries {small:,} / {large:,} |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for label, x in a["pages"].items():
        y = b["pages"][label]
        ratio = y["median"] / x["median"]
        mark = " **!**" if ratio > GOAL else ""
        queries = f"{x['queries']} / {y['queries']}" + (
            "" if x["queries"] == y["queries"] else " **!**"
        )
        print(
            f"| {label} | {x['median']:.1f} | {x['p95']:.1f} | {y['median']:.1f} | "
            f"{y['p95']:.1f} | {ratio:.2f}{mark} | {summarise(x['cpu'])[0]:.1f} / "
            f"{summarise(y['cpu'])[0]:.1f} | {summarise(x['db'])[0]:.1f} / "
            f"{summarise(y['db'])[0]:.1f} | {queries} |"
        )
    print(
        f"\nMilliseconds; the ratio is of the medians; CPU ms is the median CPU time of the "
        f"measuring process (on PostgreSQL without the database server's share), DB ms the "
        f"median time from sending the queries to having their results. **!** marks a "
        f"ratio above {GOAL} or a query count that changed. "
        f"Dashboard of team 1: {a['attention']['cases']} cases at {small:,}, "
        f"{b['attention']['cases']} at {large:,}."
    )


def pooled(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several measurements of the same database as one: all timings together."""
    pages = {}
    for label, first in runs[0]["pages"].items():
        each = [run["pages"][label] for run in runs]
        timings = [t for x in each for t in x["timings"]]
        median, p95 = summarise(timings)
        counts = sorted({x["queries"] for x in each})
        pages[label] = first | {
            "median": median,
            "p95": p95,
            "timings": timings,
            "cpu": [t for x in each for t in x["cpu"]],
            "db": [t for x in each for t in x["db"]],
            "queries": counts[0] if len(counts) == 1 else "/".join(map(str, counts)),
        }
    return runs[0] | {"pages": pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--team-size", type=int, default=50, help="0: two teams that grow")
    parser.add_argument("--notes-per-family", type=int, default=20)
    parser.add_argument("--url", default=None, help="database URL (default: temp SQLite files)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page and pass")
    parser.add_argument("--passes", type=int, default=3, help="SQLite: passes over both sizes")
    args = parser.parse_args()
    print(
        f"{date.today()} · {platform.node()} · {os.cpu_count()} CPUs · Python "
        f"{platform.python_version()} · load average {os.getloadavg()[0]:.1f}"
    )
    small, large = args.small, args.families
    runs: dict[int, list[dict[str, Any]]] = {small: [], large: []}
    with tempfile.TemporaryDirectory() as tmp:
        if args.url:
            # One database: small, large, small again (rebuilt; the large one takes minutes).
            for n in (small, large, small):
                made = make(args.url, n, args.team_size, args.notes_per_family)
                runs[n].append(measure(args.url, made, args.repeat))
        else:
            # Both files at once: small and large take turns, pass after pass.
            url = {n: f"sqlite:///{Path(tmp) / f'scale{n}.sqlite3'}" for n in (small, large)}
            built = {n: make(url[n], n, args.team_size, args.notes_per_family) for n in url}
            for _ in range(args.passes):
                for n in (small, large):
                    runs[n].append(measure(url[n], built[n], args.repeat))
    # Taking turns spreads a change in the machine's load (other processes) over both sizes
    # instead of putting it into the ratio.
    print(f"\n{runs[large][0]['database']}; load average {os.getloadavg()[0]:.1f}")
    side_by_side(small, large, pooled(runs[small]), pooled(runs[large]))


if __name__ == "__main__":
    main()
