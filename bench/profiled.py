"""Where a request's CPU time goes: cProfile over requests, summed by area and by function.

Two uses:
- `gunicorn bench.profiled:app` (bench/load.py --profile): the app of wsgi.py, every request
  profiled in each worker but those to the paths in $WIJKTEAM_BENCH_PROFILE_SKIP (the floor's
  and the login's), the statistics written to $WIJKTEAM_BENCH_PROFILE_DIR/<pid>.prof
  every 50 requests and when the worker ends;
- `summary(stats)`: the share of each area (SQLAlchemy, Jinja, templates, Flask-Babel, ...) and
  the top functions by own time and by cumulative time, as Markdown (load.py and hotspots.py).

The profile is in wall-clock time, with the time spent waiting for the database as an area of
its own; the table per request gives CPU time. The profiler slows everything down (about 1.5x to
2x) and more so where there are many small calls, so the shares are a map, not a measurement:
throughput is measured in runs without it.
"""

from __future__ import annotations

import atexit
import cProfile
import json
import os
import pstats
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

# Where a function's file lies -> the area it is counted in; the first match wins.
AREAS: tuple[tuple[str, str], ...] = (
    ("/templates/", "templates (Jinja-compiled)"),
    ("/sqlalchemy/", "SQLAlchemy"),
    ("/jinja2/", "Jinja2 runtime"),
    ("/markupsafe/", "MarkupSafe"),
    ("/flask_babel/", "Flask-Babel"),
    ("/babel/", "Babel"),
    ("/wtforms/", "WTForms"),
    ("/flask_wtf/", "Flask-WTF"),
    ("/flask_login/", "Flask-Login"),
    ("/werkzeug/", "Werkzeug"),
    ("/flask/", "Flask"),
    ("/psycopg/", "psycopg"),
    ("/itsdangerous/", "itsdangerous"),
    ("/wijkteam/", "wijkteam (Python)"),
    ("/logging/", "logging"),
    ("/json/", "json"),
)


def area_of(filename: str, function: str) -> str:
    if filename == "~":  # a built-in: a C function or method
        if any(word in function for word in ("wait", "poll", "select.select")):
            return "waiting for the database"
        if "sqlite3" in function:
            return "sqlite3 (C)"
        if "psycopg" in function:
            return "psycopg"
        return "built-ins (C)"
    for marker, area in AREAS:
        if marker in filename:
            return area
    return "other Python"


def by_area(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Own time per area, largest first, in seconds."""
    areas: dict[str, float] = {}
    for (filename, _line, function), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        area = area_of(filename, function)
        areas[area] = areas.get(area, 0.0) + tottime
    return sorted(areas.items(), key=lambda x: -x[1])


def _name(key: tuple[str, int, str]) -> str:
    filename, line, function = key
    if filename == "~":
        return function
    parts = Path(filename).parts
    for anchor in ("site-packages", "templates", "wijkteam", "lib"):
        if anchor in parts:
            short = "/".join(parts[parts.index(anchor) + (anchor != "templates") :])
            break
    else:
        short = Path(filename).name
    return f"{short}:{line}({function})"


def summary(stats: pstats.Stats, requests: int, top: int = 15) -> str:
    """Markdown: CPU ms per request by area, then the top functions by own and by cumulative
    time (the request's own entry points and the profiler's wrappers left out)."""
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values())
    lines = [
        f"{requests} requests profiled, {total * 1000 / max(requests, 1):.1f} ms per request "
        "under the profiler (wall clock)",
        "",
        "| area | ms per request | share |",
        "| --- | ---: | ---: |",
    ]
    for area, seconds in by_area(stats):
        if seconds / total >= 0.005:
            lines.append(
                f"| {area} | {seconds * 1000 / requests:.2f} | {seconds / total * 100:.0f}% |"
            )
    for title, index in (("own time", 2), ("cumulative time", 3)):
        lines += ["", f"| top by {title} | calls per request | ms per request |"]
        lines.append("| --- | ---: | ---: |")
        shown = 0
        for key, value in sorted(raw.items(), key=lambda kv: -kv[1][index]):
            name = _name(key)
            if index == 3 and any(skip in name for skip in SKIP_CUMULATIVE):
                continue
            lines.append(
                f"| `{name}` | {value[1] / requests:.1f} | {value[index] * 1000 / requests:.2f} |"
            )
            shown += 1
            if shown == top:
                break
    return "\n".join(lines)


# Entry points every request passes through: they would fill the cumulative list with 100%.
SKIP_CUMULATIVE = (
    "werkzeug/test.py",
    "flask/testing.py",
    "flask/app.py",
    "werkzeug/serving.py",
    "gunicorn/",
    "profiled.py",
    "hotspots.py",
    "<built-in method builtins.exec>",
    "join",
    "builtins.next",
)


def load(paths: Iterable[Path]) -> pstats.Stats | None:
    files = [str(p) for p in paths if p.stat().st_size]
    return pstats.Stats(*files) if files else None


class Profiled:
    """WSGI middleware: profiles each request whose path is not in `skip`."""

    def __init__(self, app: Callable[..., Any], directory: Path, skip: set[str]) -> None:
        self.app, self.directory, self.skip = app, directory, skip
        # The wall clock (a CPU-time timer costs a system call per function call and distorts
        # more); waiting for PostgreSQL shows as its own area. The table per request is CPU.
        self.profile, self.requests = cProfile.Profile(), 0
        self.routes: dict[str, list[float]] = {}
        atexit.register(self.dump)

    def dump(self) -> None:
        if self.requests:
            self.profile.dump_stats(self.directory / f"{os.getpid()}.prof")
            (self.directory / f"{os.getpid()}.routes").write_text(json.dumps(self.routes))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") in self.skip:
            return self.app(environ, start_response)
        started = time.process_time()
        self.profile.enable()
        try:
            return list(self.app(environ, start_response))  # the body is made inside
        finally:
            self.profile.disable()
            route = f"{environ['REQUEST_METHOD']} {NUMBER.sub('/<id>', environ['PATH_INFO'])}"
            count_and_cpu = self.routes.setdefault(route, [0, 0.0])
            count_and_cpu[0] += 1
            count_and_cpu[1] += time.process_time() - started
            self.requests += 1
            if self.requests % 50 == 0:
                self.dump()


NUMBER = re.compile(r"/\d+")


def routes(paths: Iterable[Path]) -> dict[str, list[float]]:
    """Requests and CPU seconds (under the profiler) per method and path, summed over workers."""
    total: dict[str, list[float]] = {}
    for path in paths:
        for route, (count, cpu) in json.loads(path.read_text()).items():
            entry = total.setdefault(route, [0, 0.0])
            entry[0] += count
            entry[1] += cpu
    return total


def routes_table(total: dict[str, list[float]]) -> str:
    lines = [
        "| request | count | CPU ms each (profiled) | share of the CPU |",
        "| --- | ---: | ---: | ---: |",
    ]
    cpu = sum(x[1] for x in total.values()) or 1.0
    for route, (count, seconds) in sorted(total.items(), key=lambda kv: -kv[1][1]):
        share = seconds / cpu * 100
        lines.append(f"| {route} | {int(count)} | {seconds * 1000 / count:.1f} | {share:.0f}% |")
    return "\n".join(lines)


def _wrapped() -> Any:
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from wsgi import app as flask_app

    directory = Path(os.environ["WIJKTEAM_BENCH_PROFILE_DIR"])
    skip = set(os.environ.get("WIJKTEAM_BENCH_PROFILE_SKIP", "").split())
    flask_app.wsgi_app = Profiled(flask_app.wsgi_app, directory, skip)  # type: ignore[method-assign]
    return flask_app


app = _wrapped() if "WIJKTEAM_BENCH_PROFILE_DIR" in os.environ else None
