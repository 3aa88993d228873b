"""Time to render 'Ons plan' for a plan of 10 goals, next to a minimal one-page WeasyPrint PDF.

The printout is asked for as the button does (a POST that makes a print job) and downloaded;
the test configuration makes the job at once, inside the request (huey's immediate mode), so
the time is the request's: the rendering plus the job's bookkeeping.

    .venv/bin/python bench/printout.py [--goals 10] [--repeat 5]

Prints figures; asserts nothing. Uses a temporary SQLite database built by the migrations and
fills it through the services, like the seed loader does.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from wijkteam import create_app, migrate
from wijkteam.auth.models import Role
from wijkteam.auth.services import create_team, create_user
from wijkteam.cases.models import MemberRole
from wijkteam.cases.services import register_family
from wijkteam.core.config import TestConfig
from wijkteam.core.db import db
from wijkteam.plans import services as plans
from wijkteam.plans.models import ActionStatus, LadderLevel, OwnerKind, Regie
from wijkteam.plans.queries import load_plan
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--goals", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'print.sqlite3'}"
        migrate.upgrade(url)
        app = create_app(TestConfig, DATABASE_URL=url, WTF_CSRF_ENABLED=False)
        with app.test_request_context():
            team = create_team(None, name="Bench")
            lead = create_user(
                None,
                email="lead@bench.example",
                display_name="Lead",
                password=PASSWORD,
                role=Role.TEAMLEAD,
                team_id=team.id,
            )
            case = register_family(
                lead,
                family={"name": "Voorbeeld"},
                members=[
                    {
                        "first_name": "Sam",
                        "last_name": "Voorbeeld",
                        "date_of_birth": date(1990, 1, 1),
                        "role": MemberRole.PARENT,
                        "languages": [],
                        "interpreter_needed": False,
                        "interpreter_language": "",
                        "custody": None,
                    }
                ],
                question_for_help="Rust.",
                lead_id=lead.id,
                duo_id=None,
                opened_on=date(2026, 1, 1),
            )
            plan = plans.start_plan(
                lead,
                case,
                started_on=date(2026, 1, 1),
                evaluation_on=date(2026, 12, 1),
                level=LadderLevel(5),
                level_reason="x",
                regie=Regie.SHARED,
                regie_reason="x",
            )
            for g in range(args.goals):
                goal = plans.add_goal(
                    lead,
                    case,
                    plan,
                    {
                        "text": f"Wij willen dat doel {g + 1} lukt, stap voor stap, samen met oma.",
                        "why_it_matters": "Omdat het ons rust geeft in huis en op school.",
                        "first_step": "Samen een lijstje maken.",
                        "member_ids": [],
                    },
                )
                for a in range(3):
                    plans.add_action(
                        lead,
                        case,
                        goal,
                        {
                            "text": f"Actie {a + 1} bij doel {g + 1}",
                            "owner_kind": OwnerKind.FAMILY,
                            "status": ActionStatus.PLANNED,
                        },
                    )
            db.commit()
            case_id, user_id = case.id, lead.id
        client = app.test_client()
        client.get("/login")  # the session cookie comes with the login page, as in a browser
        client.post("/login", data={"email": "lead@bench.example", "password": PASSWORD})
        assert user_id  # noqa: S101 - built above

        def plan_pdf() -> None:
            asked = client.post(f"/cases/{case_id}/printouts/plan", data={"lang": "nl"})
            if asked.status_code != 303:
                raise SystemExit(f"asking for the printout failed: {asked.status_code}")
            resp = client.get(f"{asked.headers['Location']}/download")
            if resp.status_code != 200:
                raise SystemExit(f"printout failed: {resp.status_code}")

        with app.app_context():
            pages = len(load_plan(db.get(type(case), case_id)).goals)
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
