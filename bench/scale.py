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

Other processes on the machine change the timings while it runs, so the sizes take turns: both
databases exist at once and each page's requests alternate between them (--repeat times --passes
requests per page and size). On SQLite they are two temporary files; with --url (PostgreSQL) the
large size is built in that database and the small one in its twin "<name>_small" on the same
server (both made if missing). `--url` **wipes** both. Without the right to create a database
it falls back to one: small, large, then small again after rebuilding it, the small runs pooled.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from case_pages import PASSWORD, Meter, Shape, build, page_figures, print_figures, summarise
from notes import BUSY_CASE, DAYS, add_notes
from sqlalchemy import make_url, text
from sqlalchemy.exc import SQLAlchemyError
from team_work import add_team_work, attention_counts

from wijkteam import create_app
from wijkteam.core import clock
from wijkteam.core.config import TestConfig
from wijkteam.core.db import ensure_database, get_engine

FLOOR = "floor: keepalive (logged in)"
GOAL = 1.25
# Requests per page before it is measured: psycopg prepares a statement on its fifth run on a
# connection, as a server that has been up for a while has done long since (docs/deploy.md).
WARM_UP = 10


def make(url: str, families: int, team_size: int, notes_per_family: int) -> dict[str, Any]:
    """Build one database; returns what add_notes and add_team_work made."""
    started = time.perf_counter()
    today = clock.today()
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
        f"teams, {made['notes']} notes, {made['parts']} parts, {made['plans']} plans, "
        f"{made['scores']} scores, {made['successes']} successes, {made['strengths']} strengths; "
        + ", ".join(f"{n} {table}" for table, n in made["work"].items())
    )
    return made


class Side:
    """One database to measure: the app on it, the logged-in clients and the page for each label."""

    def __init__(self, url: str, made: dict[str, Any]) -> None:
        app = create_app(TestConfig, DATABASE_URL=url, WTF_CSRF_ENABLED=False)
        lead, professional, anonymous = app.test_client(), app.test_client(), app.test_client()
        colleague = made["shape"].users_of(1)[1]  # a professional: users 1..teams are leads
        for client, user in ((lead, 1), (professional, colleague)):
            client.get("/login")  # as a browser does: a POST without our cookie gets none back
            resp = client.post(
                "/login", data={"email": f"user{user}@bench.example", "password": PASSWORD}
            )
            assert resp.status_code == 302, resp.status_code  # noqa: S101
        with app.app_context():
            self.engine = get_engine()
            self.attention = attention_counts(1)
            with self.engine.connect() as conn:
                self.database = conn.execute(
                    text(
                        "SELECT version()"
                        if self.engine.dialect.name == "postgresql"
                        else "SELECT 'SQLite ' || sqlite_version()"
                    )
                ).scalar()
                # The plan page's case: of team 1's cases that its lead leads (so that the
                # page shows its forms, as for the typical case before), the one whose plan
                # has the most goals, each with its scores (bench/notes.py). Leads and plans
                # are drawn per case, so it is the same case at every size.
                plan_case = (
                    conn.execute(
                        text(
                            "SELECT cases.id FROM cases JOIN plans ON plans.case_id = cases.id "
                            "JOIN goals ON goals.plan_id = plans.id WHERE cases.team_id = 1 "
                            "AND cases.lead_id = 1 AND cases.id <> :busy GROUP BY cases.id "
                            "ORDER BY count(goals.id) DESC, cases.id LIMIT 1"
                        ),
                        {"busy": BUSY_CASE},
                    ).scalar()
                    or made["typical"]
                )
                plan_lists = conn.execute(
                    text(
                        "SELECT (SELECT count(*) FROM goals WHERE plan_id = plans.id), "
                        "(SELECT count(*) FROM scale_scores JOIN goals ON goals.id = goal_id "
                        "WHERE goals.plan_id = plans.id), "
                        "(SELECT count(*) FROM successes WHERE plan_id = plans.id), "
                        "(SELECT count(*) FROM plan_strengths WHERE plan_id = plans.id) "
                        "FROM plans WHERE case_id = :case"
                    ),
                    {"case": plan_case},
                ).one()
                goal = conn.execute(  # the plan case's first goal, for its action form
                    text(
                        "SELECT goals.id FROM goals JOIN plans ON plans.id = goals.plan_id "
                        "WHERE plans.case_id = :case ORDER BY goals.id LIMIT 1"
                    ),
                    {"case": plan_case},
                ).scalar()
        typical, self.families = made["typical"], made["shape"].families
        self.pages = {
            FLOOR: (lead, "/session/keepalive"),
            "case list (team, open)": (lead, "/cases?scope=team"),
            "case page": (lead, f"/cases/{typical}"),
            "timeline": (lead, f"/cases/{typical}/timeline"),
            "plan": (lead, f"/cases/{plan_case}/plan"),
            "dashboard (team lead)": (lead, "/dashboard"),
            "case discussions": (lead, "/discussions"),
            "timeline, busy case": (lead, f"/cases/{BUSY_CASE}/timeline"),
            "my week (professional)": (professional, "/dashboard"),
            # Pages added since issue 10 (issue 21): the team's key figures, the printouts of
            # the lead and the outcome overview of the team (bench/outcomes.py has its own
            # world with closings and answers).
            "key figures": (lead, "/key-figures"),
            "my printouts": (lead, "/printouts"),
            "outcomes (team lead)": (lead, "/outcomes"),
            # The forms that choose from the team's catalogue and key figures (issue 21: they
            # offer the first 50 and search the rest) and that search.
            "new action (form)": (lead, f"/cases/{plan_case}/plan/goals/{goal}/actions/new"),
            "closing (form)": (lead, f"/cases/{typical}/close"),
            "resource search": (lead, "/resources/options?q=a"),
            "floor: /login (anonymous)": (anonymous, "/login"),
        }
        print(
            f"{self.engine.dialect.name}, {made['shape'].families} families: typical case "
            f"{typical} ({made['typical_notes']} notes), plan of case {plan_case} "
            f"({plan_lists[0]} goals, {plan_lists[1]} scores, {plan_lists[2]} successes, "
            f"{plan_lists[3]} strengths), busy case {BUSY_CASE} "
            f"({made['busy_notes']} notes), my week of user{colleague}; dashboard of team 1: "
            + ", ".join(f"{n} {kind}" for kind, n in sorted(self.attention.items()))
        )


def measure(sides: list[Side], repeat: int) -> list[dict[str, Any]]:
    """Every page on every side. With two sides the requests take turns (this side, that side,
    that side, this side, ...), so that both see the same load on the machine. After each
    request to a page, one to the floor of the same side: the floor between that page's
    requests (`floor_between`), next to the floor measured in a block of its own (the page
    FLOOR). The two differ: a big page leaves the processor's caches to the next request.

    The floor's block is also measured next to each page's block, half just before it and half
    just after (`floor_block`): on a shared machine the speed changes for seconds at a time,
    and a floor measured a minute before a page moved "x floor in a block" by more than a
    change to the page (docs/performance.md, seventeenth steps)."""
    results: list[dict[str, Any]] = [{} for _ in sides]
    meters = [Meter(side.engine) for side in sides]
    with contextlib.ExitStack() as stack:
        for meter in meters:
            stack.enter_context(meter)
        for label in sides[0].pages:
            for side in sides:
                for _ in range(WARM_UP):
                    side.pages[label][0].get(side.pages[label][1])
            samples: list[list[dict[str, float]]] = [[] for _ in sides]
            between: list[list[float]] = [[] for _ in sides]
            floor_block: list[list[float]] = [[] for _ in sides]
            if label != FLOOR:
                floor_in_a_block(sides, meters, repeat // 2, floor_block)
            for i in range(repeat):
                for k in range(len(sides)) if i % 2 == 0 else reversed(range(len(sides))):
                    client, path = sides[k].pages[label]
                    samples[k].append(meters[k].get(client, path))
                    if label != FLOOR and FLOOR in sides[k].pages:
                        floor_client, floor_path = sides[k].pages[FLOOR]
                        between[k].append(meters[k].get(floor_client, floor_path)["ms"])
            if label != FLOOR:
                floor_in_a_block(sides, meters, repeat - repeat // 2, floor_block)
            for k, side in enumerate(sides):
                client, path = side.pages[label]
                results[k][label] = page_figures(client, path, samples[k]) | {
                    "floor_between": between[k],
                    "floor_block": floor_block[k],
                }
    for side, pages in zip(sides, results, strict=True):
        print(f"\n{side.families} families, {side.database}")
        print_figures(pages)
        side.engine.dispose()
    return [
        {"pages": pages, "attention": side.attention, "database": side.database}
        for side, pages in zip(sides, results, strict=True)
    ]


def floor_in_a_block(
    sides: list[Side], meters: list[Meter], requests: int, into: list[list[float]]
) -> None:
    """`requests` requests to each side's floor, one after the other: their times (ms)."""
    for k, side in enumerate(sides):
        if FLOOR in side.pages:
            client, path = side.pages[FLOOR]
            into[k].extend(meters[k].get(client, path)["ms"] for _ in range(requests))


def side_by_side(small: int, large: int, a: dict[str, Any], b: dict[str, Any]) -> None:
    """A Markdown table: both sizes, the ratio of the medians, and queries at both sizes."""
    print(
        f"\n| page | {small:,} median | {small:,} p95 | {large:,} median | {large:,} p95 | "
        f"ratio | CPU ms {small:,} / {large:,} | DB ms {small:,} / {large:,} | "
        f"queries {small:,} / {large:,} | x floor at {large:,}: block (at the start) / between |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- |")
    floor_block = b["pages"][FLOOR]["median"] if FLOOR in b["pages"] else None
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
            f"{summarise(y['db'])[0]:.1f} | {queries} | {against_floor(y, floor_block)} |"
        )
    print(
        f"\nMilliseconds; the ratio is of the medians; CPU ms is the median CPU time of the "
        f"measuring process (on PostgreSQL without the database server's share), DB ms the "
        f"median time from sending the queries to having their results. **!** marks a "
        f"ratio above {GOAL} or a query count that changed. x floor: the page's median at "
        f"{large:,} against the floor's, measured in a block of its own just before and "
        f"after the page's (\"block\"; in brackets against the floor's block at the start) "
        f'and between this page\'s requests ("between"; see `measure`). '
        f"Dashboard of team 1: {a['attention']['cases']} cases at {small:,}, "
        f"{b['attention']['cases']} at {large:,}."
    )


def against_floor(page: dict[str, Any], floor_block: float | None) -> str:
    """The page's median as a multiple of the floor: measured in a block (the floor's block
    next to the page's, and in brackets the floor's own block at the start), and between the
    page's own requests ("-" where there is none)."""
    block = f"{page['median'] / floor_block:.1f}" if floor_block else "-"
    next_to = page.get("floor_block") or []
    if next_to:
        block = f"{page['median'] / summarise(next_to)[0]:.1f} ({block})"
    between = page.get("floor_between") or []
    return f"{block} / {page['median'] / summarise(between)[0]:.1f}" if between else block


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
            "floor_between": [t for x in each for t in x.get("floor_between", [])],
            "floor_block": [t for x in each for t in x.get("floor_block", [])],
            "queries": counts[0] if len(counts) == 1 else "/".join(map(str, counts)),
        }
    return runs[0] | {"pages": pages}


def arguments(description: str | None, passes: int) -> argparse.Namespace:
    """The options of the side-by-side benches (this one and outcomes.py)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--team-size", type=int, default=50, help="0: two teams that grow")
    parser.add_argument("--notes-per-family", type=int, default=20)
    parser.add_argument("--url", default=None, help="database URL (default: temp SQLite files)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page and size")
    parser.add_argument("--passes", type=int, default=passes, help="--repeat times this")
    return parser.parse_args()


def compare(
    args: argparse.Namespace,
    build_one: Callable[[str, int], dict[str, Any]],
    side_of: Callable[[str, dict[str, Any]], Side],
    name: str,
    after: Callable[[list[Side]], None] = lambda _sides: None,
) -> None:
    """Build both sizes, measure every page of each side, and print them side by side; `after`
    gets the sides once they are measured (for figures of their own)."""
    print(
        f"{clock.today()} · {platform.node()} · {os.cpu_count()} CPUs · Python "
        f"{platform.python_version()} · load average {os.getloadavg()[0]:.1f}"
    )
    small, large = args.small, args.families
    runs: dict[int, list[dict[str, Any]]] = {small: [], large: []}
    with tempfile.TemporaryDirectory() as tmp:
        if args.url:
            url = both_sizes(args.url, small, large)
        else:
            url = {n: f"sqlite:///{Path(tmp) / f'{name}{n}.sqlite3'}" for n in (small, large)}
        if url is None:
            # One database: small, large, small again (rebuilt; the large one takes minutes).
            for n in (small, large, small):
                side = side_of(args.url, build_one(args.url, n))
                runs[n] += measure([side], args.repeat)
                after([side])
        else:
            # Both databases at once: the requests to the two sizes take turns, so that a
            # machine that slows down for a minute slows both alike.
            built = {n: build_one(url[n], n) for n in url}
            sides = [side_of(url[n], built[n]) for n in (small, large)]
            runs[small], runs[large] = [
                [result] for result in measure(sides, args.repeat * args.passes)
            ]
            after(sides)
    print(f"\n{runs[large][0]['database']}; load average {os.getloadavg()[0]:.1f}")
    side_by_side(small, large, pooled(runs[small]), pooled(runs[large]))


def both_sizes(url: str, small: int, large: int) -> dict[int, str] | None:
    """For a PostgreSQL URL: that database for the large size and a twin on the same server
    (the name with "_small") for the small one, both made if they do not exist. None where
    there is no twin to be had (SQLite, or no right to create databases): then one database
    serves both sizes in turn."""
    made = make_url(url)
    if made.get_backend_name() != "postgresql" or not made.database:
        return None
    twin = made.set(database=f"{made.database}_small").render_as_string(hide_password=False)
    try:
        for each in (url, twin):
            ensure_database(each)
    except SQLAlchemyError as error:
        print(f"no second database ({error.__class__.__name__}): small and large in turn")
        return None
    return {small: twin, large: url}


def main() -> None:
    args = arguments(__doc__, passes=3)
    compare(
        args,
        lambda url, n: make(url, n, args.team_size, args.notes_per_family),
        Side,
        "scale",
    )


if __name__ == "__main__":
    main()
