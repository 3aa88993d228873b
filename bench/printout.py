"""Time to make a typical 'Ons plan' (a demo family's, in Dutch) next to a minimal WeasyPrint PDF.

    .venv/bin/python bench/printout.py [--repeat 10] [--family Bakker]

The plan is made as the queue worker makes it (printout/render.py for a print job: loading the
plan, the template, the tagged PDF with the bundled fonts), from the demo data (seed/demo.yaml)
in a temporary SQLite database (demo.py). In the same run, interleaved with it: a minimal
one-page PDF (one paragraph, no stylesheet) and the same paragraph with print.css, which shows
what loading the bundled fonts costs each document. Prints the median and the 90th percentile
in ms, the ratio to the minimal PDF, and the memory: the tracemalloc peak of one more plan
(Python allocations; measured apart, since tracing slows everything down) and the process's
peak resident size. With --all, also each demo family's plan (pages and median; the closing
letter for a closed case); with --languages nl,ar,fa,ti the same plan in each print language and
its ratio to Dutch. Asserts nothing; a median over 300 ms for the plan prints a warning line.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable

from demo import demo_app, latest_cases, make
from pypdf import PdfReader

from wijkteam.cases.models import Case
from wijkteam.jobs.models import JobKind
from wijkteam.jobs.worker import settle_heap
from wijkteam.printout.pdf import PRINT_CSS_LINK, render_pdf
from wijkteam.printout.render import NothingToPrint

WARN_MS = 300
MINIMAL = (
    "<!doctype html><html lang='nl'><head><title>t</title></head><body><p>Hallo</p></body></html>"
)
WITH_CSS = MINIMAL.replace("</head>", f"{PRINT_CSS_LINK}</head>")


def timed_runs(jobs: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Each job once to warm up (fonts, caches, the template) and the heap settled as the
    worker settles it, then `repeat` rounds of all of
    them in turn, so that a busy moment of the machine falls on every job alike."""
    for job in jobs.values():
        job()
    settle_heap()  # as the worker does after its warm-up
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeat):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            times[name].append((time.perf_counter() - start) * 1000)
    return times


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def every_family(repeat: int) -> list[tuple[str, int, float]]:
    """Each demo family's plan (or closing letter): its pages and the median of `repeat` runs."""
    rows = []
    for case in latest_cases():
        try:
            body = make(case, JobKind.PLAN_PDF).body
        except NothingToPrint:
            continue
        times = timed_runs({"plan": lambda c=case: make(c, JobKind.PLAN_PDF)}, repeat)["plan"]
        rows.append(
            (case.family.name, len(PdfReader(io.BytesIO(body)).pages), statistics.median(times))
        )
    return rows


def languages(case: Case, codes: list[str], repeat: int) -> dict[str, list[float]]:
    """The plan in each print language, interleaved (Dutch first for the ratio)."""
    codes = ["nl", *[c for c in codes if c and c != "nl"]]
    return timed_runs(
        {code: (lambda c=code: make(case, JobKind.PLAN_PDF, c)) for code in codes}, repeat
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", "-n", type=int, default=10, help="timed runs (10)")
    parser.add_argument("--family", default="Bakker", help="the demo family (Bakker)")
    parser.add_argument(
        "--all", action="store_true", help="also every demo family's plan: pages and median"
    )
    parser.add_argument(
        "--languages",
        default="",
        help="also the same plan in these print languages, e.g. nl,ar,fa,ti (ratio to Dutch)",
    )
    args = parser.parse_args()
    if args.repeat < 2:
        parser.error("--repeat must be 2 or more")
    with demo_app():
        case = next((c for c in latest_cases() if c.family.name == args.family), None)
        if case is None:
            raise SystemExit(f"no demo family {args.family!r}")
        body = make(case, JobKind.PLAN_PDF).body
        pages = len(PdfReader(io.BytesIO(body)).pages)
        plan_name = f"Ons plan, family {args.family} ({pages} pages)"
        times = timed_runs(
            {
                "minimal one-page PDF (no stylesheet)": lambda: render_pdf(MINIMAL),
                "one paragraph with print.css (fonts)": lambda: render_pdf(WITH_CSS),
                plan_name: lambda: make(case, JobKind.PLAN_PDF),
            },
            args.repeat,
        )
        spread = every_family(args.repeat) if args.all else []
        by_language = (
            languages(case, args.languages.split(","), args.repeat) if args.languages else {}
        )
        tracemalloc.start()
        make(case, JobKind.PLAN_PDF)
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    base = statistics.median(next(iter(times.values())))
    print(f"{args.repeat} runs each, interleaved; ms")
    print(f"{'document':<46}{'median':>8}{'p90':>8}{'x minimal':>11}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<46}{median:>8.0f}{p90(values):>8.0f}{median / base:>11.1f}")
    print(
        f"memory: tracemalloc peak of one plan {traced_peak / 2**20:.1f} MiB; "
        f"process peak RSS {rss_peak / 1024:.0f} MiB"
    )
    if by_language:
        dutch = statistics.median(by_language.get("nl") or next(iter(by_language.values())))
        print("the same plan per print language (x Dutch; issue 19 asks <= 1.5)")
        for code, values in by_language.items():
            median = statistics.median(values)
            print(f"  {code:<44}{median:>8.0f}{p90(values):>8.0f}{median / dutch:>11.2f}")
    for name, pages, median in spread:
        print(f"  {name:<44}{pages:>2} pages{median:>8.0f} ms")
    plan_median = statistics.median(times[plan_name])
    if plan_median > WARN_MS:
        print(f"WARNING: the typical plan takes {plan_median:.0f} ms: over {WARN_MS} ms")


if __name__ == "__main__":
    main()
