"""Time to render 'Ons plan' for a plan of 10 goals, next to a minimal one-page WeasyPrint PDF.

The printout is asked for as the button does (a POST that makes a print job) and downloaded;
the test configuration makes the job at once, inside the request (huey's immediate mode), so
the time is the request's: the rendering plus the job's bookkeeping.

    .venv/bin/python bench/printout.py [--goals 10] [--repeat 5]

Prints figures; asserts nothing. Uses a temporary SQLite database built by the migrations and
fills it through the services (with the test factories, tests/factories); the team lead logs in
and asks with the page's security code, as a browser does (bench/browser.py).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from browser import Browser

from tests.factories import app_api as api
from tests.factories import cases as c
from tests.factories.people import make_team, make_user
from wijkteam.printout.pdf import render_pdf

PASSWORD = "bench-password-123"  # noqa: S105 - fictional bench account
MINIMAL = (
    "<!doctype html><html lang='nl'><head><title>t</title></head><body><p>Hallo</p></body></html>"
)


def timed(fn, repeat: int) -> tuple[float, float]:
    fn()  # warm up (fonts, caches)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def build(app, goals: int) -> int:
    """A team lead's family with a plan of `goals` goals of three actions each: the case's id."""
    with app.test_request_context():
        team = make_team("Bench")
        lead = make_user("lead@bench.example", "teamlead", team.id, password=PASSWORD, name="Lead")
        case = c.register(
            lead,
            "Voorbeeld",
            members=[c.person("Sam", "Voorbeeld", born=date(1990, 1, 1), languages=())],
        )
        plan = c.start_plan(lead, case, level=5, reason="x")
        for g in range(goals):
            goal = c.goal(
                lead,
                case,
                plan,
                f"Wij willen dat doel {g + 1} lukt, stap voor stap, samen met oma.",
                why_it_matters="Omdat het ons rust geeft in huis en op school.",
                first_step="Samen een lijstje maken.",
            )
            for a in range(3):
                c.action(lead, case, goal, f"Actie {a + 1} bij doel {g + 1}")
        api.db.commit()
        return case.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--goals", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'print.sqlite3'}"
        api.migrate.upgrade(url)
        app = api.create_app(api.TestConfig, DATABASE_URL=url)
        case_id = build(app, args.goals)
        browser = Browser(app=app)
        browser.login("lead@bench.example", PASSWORD)
        browser.csrf_token(f"/cases/{case_id}/plan")  # read once, before the timing

        def plan_pdf() -> None:
            job = browser.ask_plan(case_id)
            resp = browser.request("GET", f"{job}/download")
            if resp.status != 200:
                raise SystemExit(f"printout failed: {resp.status}")

        with app.app_context():
            pages = len(api.load_plan(api.db.get(api.Case, case_id)).goals)
        minimal = timed(lambda: render_pdf(MINIMAL), args.repeat)
        full = timed(plan_pdf, args.repeat)
    print(f"{'document':<44}{'median ms':>10}{'max ms':>9}")
    print(f"{'minimal one-page WeasyPrint PDF':<44}{minimal[0]:>10.0f}{minimal[1]:>9.0f}")
    print(
        f"{f'Ons plan, {pages} goals x 3 actions (POST + download)':<44}{full[0]:>10.0f}"
        f"{full[1]:>9.0f}"
    )


if __name__ == "__main__":
    main()
