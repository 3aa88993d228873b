"""Side by side: the outcome pages at 100 and at 10,000 families (issue 20), next to the floor.

    .venv/bin/python bench/outcomes.py [--families 10000] [--small 100] [--team-size 50]
                                       [--notes-per-family 20] [--repeat 20] [--url postgresql+...]

Prints figures; asserts nothing. Builds the world of bench/scale.py (families, 20 notes per
family, plans, agreed versions, ladder steps, actions, safety concerns, case discussions), then
adds what the outcome figures read: scores per goal over time, a network per family (with and
without consent, some archived), and for every closed case its closing (who ended it, the
ladder and regie at the end), a result per goal and, for most, the family's answers. Then it
measures, through the Flask test client:

- the team lead of team 1: the overview of the current quarter, of the previous one, per
  professional, and the CSV (team 1 has 50 families at both sizes with --team-size 50, so only
  the rest of the database grows: the ratio should stay near 1);
- an analyst: the overview of the previous quarter across all teams, one team of it, and the
  monitor export. Those read the kept snapshot (wijkteam/outcomes/snapshots.py); what the job
  worker spends working it out grows with the number of teams by nature (2 at 100 families,
  200 at 10,000) and is printed after the table.

The floor is GET /session/keepalive (the cost of any logged-in request). Both sizes exist at
once and the requests take turns, as in scale.py: two SQLite files, or with --url (PostgreSQL)
that database for the large size and its twin "<name>_small" for the small one. `--url`
**wipes** both.
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter
from typing import Any

from case_pages import PASSWORD, Shape, finish_postgresql, insert_rows
from scale import FLOOR, Side, arguments, compare, make
from sqlalchemy import func, insert, select

from wijkteam.auth.models import Role, User
from wijkteam.auth.passwords import hash_password
from wijkteam.cases.models import Case
from wijkteam.closing.models import CaseClosing, GoalOutcome, SatisfactionAnswer
from wijkteam.core import clock
from wijkteam.core.db import make_engine
from wijkteam.network.models import NetworkMember
from wijkteam.outcomes import snapshots
from wijkteam.outcomes.periods import Quarter
from wijkteam.plans.models import Goal, Plan, ScaleScore

ANALYST = "analyst@bench.example"
INSERTED = (ScaleScore, NetworkMember, CaseClosing, GoalOutcome, SatisfactionAnswer)
KINDS = ("family", "family", "friend", "neighbour", "volunteer", "informal_worker", "professional")


def _stamp(on: date) -> datetime:
    return datetime.combine(on, time(10), UTC)


def add_outcomes(url: str, shape: Shape, today: date) -> dict[str, int]:
    """Scores, networks, closings, goal results and answers for a database made by make();
    returns the number of rows made per table."""
    engine = make_engine(url)
    rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    # The ids go on after the rows make() wrote (its notes bring scale scores since issue 21).
    first_id: dict[Any, int] = {}

    def add(model: Any, **row: Any) -> None:
        row["id"] = first_id[model] + len(rows[model])
        rows[model].append(row)

    with engine.begin() as conn:
        for model in INSERTED:
            first_id[model] = (conn.execute(select(func.max(model.id))).scalar() or 0) + 1
        cases = conn.execute(
            select(Case.id, Case.family_id, Case.lead_id, Case.opened_on, Case.closed_on)
        ).all()
        plans = {
            case_id: (plan_id, started)
            for case_id, plan_id, started in conn.execute(
                select(Plan.case_id, Plan.id, Plan.started_on)
            )
        }
        goals: dict[int, list[int]] = defaultdict(list)
        for goal_id, plan_id in conn.execute(select(Goal.id, Goal.plan_id).order_by(Goal.id)):
            goals[plan_id].append(goal_id)
        for case_id, family_id, lead_id, opened, closed in cases:
            r = random.Random(f"outcomes-{case_id}")
            end = closed or today
            for k in range(r.randint(2, 7)):
                created = opened + timedelta(days=r.randint(-30, max(0, (end - opened).days)))
                consent = r.random() < 0.6
                add(
                    NetworkMember,
                    family_id=family_id,
                    name=f"Netwerk{k} Fictief{family_id:05d}",
                    kind=r.choice(KINDS),
                    closeness=r.choice(("close", "middle", "far")),
                    quality=r.choice(("supportive", "supportive", "strained")),
                    asked_status=r.choice((None, None, "asked", "said_yes", "said_no")),
                    may_contact=True if consent else r.choice((None, False)),
                    consent_on=created + timedelta(days=r.randint(0, 60)) if consent else None,
                    archived_on=end - timedelta(days=10) if r.random() < 0.1 else None,
                    created_at=_stamp(created),
                    updated_at=_stamp(created),
                    version=1,
                )
            plan_id, started = plans.get(case_id, (None, None))
            last: dict[int, int] = {}
            for goal_id in goals.get(plan_id, []) if plan_id else []:
                on, score = started or opened, r.randint(1, 7)
                for _ in range(r.randint(0, 4)):
                    on = on + timedelta(days=r.randint(14, 60))
                    if on > end:
                        break
                    score = max(0, min(10, score + r.choice((-1, 0, 1, 1, 2))))
                    last[goal_id] = score
                    add(
                        ScaleScore,
                        goal_id=goal_id,
                        scored_on=on,
                        family_score=score,
                        professional_score=max(0, score - 1),
                        one_point_higher="",
                        recorded_by_id=lead_id,
                        created_at=_stamp(on),
                    )
            if closed is None:
                continue
            add(
                CaseClosing,
                case_id=case_id,
                ladder_level=r.randint(2, 6),
                regie=r.choice(("own", "own", "shared", "taken_over")),
                ended_by=r.choice((None, "together", "together", "together", "family", "team")),
                recorded_by_id=lead_id,
                created_at=_stamp(closed),
            )
            for goal_id in goals.get(plan_id, []) if plan_id else []:
                add(
                    GoalOutcome,
                    case_id=case_id,
                    goal_id=goal_id,
                    result=r.choice(("reached", "reached", "partly", "not_reached")),
                    last_score=last.get(goal_id),
                    created_at=_stamp(closed),
                )
            if r.random() < 0.6:
                add(
                    SatisfactionAnswer,
                    case_id=case_id,
                    answered_on=closed,
                    how=r.choice(("family_alone", "with_professional", "by_phone")),
                    who_name=f"Persoon0 Fictief{family_id:05d}",
                    heard=r.randint(1, 5),
                    own_say=r.randint(1, 5),
                    better_now=r.choice((None, 2, 3, 4, 5)),
                    rating=r.randint(4, 10),
                    recorded_by_id=lead_id,
                    created_at=_stamp(closed),
                )
        for model in INSERTED:
            insert_rows(conn, model, rows[model])
        next_user = conn.execute(select(func.max(User.id))).scalar_one() + 1
        conn.execute(
            insert(User),
            [
                {
                    "id": next_user,
                    "email": ANALYST,
                    "display_name": "Analist",
                    "password_hash": hash_password(PASSWORD),
                    "role": Role.ANALYST,
                    "team_id": None,
                    "active": True,
                    "created_at": _stamp(today),
                    "updated_at": _stamp(today),
                    "version": 1,
                }
            ],
        )
    finish_postgresql(engine, (*(model.__tablename__ for model in INSERTED), "users"))
    engine.dispose()
    return {model.__tablename__: len(rows[model]) for model in INSERTED}


class OutcomeSide(Side):
    """A database of scale.py with the outcome data: the outcome pages, for a team lead and an
    analyst, next to the floor."""

    def __init__(self, url: str, made: dict[str, Any]) -> None:
        super().__init__(url, made)
        lead = self.pages[FLOOR][0]
        self.app = lead.application
        self.app.config["OUTCOMES_SNAPSHOT_SECONDS"] = 3600  # as in production
        analyst = self.pages["floor: /login (anonymous)"][0].application.test_client()
        analyst.get("/login")
        resp = analyst.post("/login", data={"email": ANALYST, "password": PASSWORD})
        assert resp.status_code == 302, resp.status_code  # noqa: S101
        now = Quarter.of(clock.today())
        before = now.previous()
        colleague = made["shape"].users_of(1)[1]
        self.pages = {
            FLOOR: (lead, "/session/keepalive"),
            "team lead: this quarter": (lead, "/outcomes"),
            "team lead: last quarter": (lead, f"/outcomes?period={before.key}"),
            "team lead: one professional": (lead, f"/outcomes?professional={colleague}"),
            "team lead: CSV": (lead, f"/outcomes.csv?period={before.key}"),
            "analyst: all teams": (analyst, "/outcomes"),
            "analyst: one team": (analyst, f"/outcomes?team=1&period={before.key}"),
            "analyst: monitor CSV": (analyst, f"/outcomes/monitor.csv?period={before.key}"),
        }


def worked_out(sides: list[Any], repeat: int = 3) -> None:
    """What the job worker spends on the analysts' snapshot of the last ended quarter."""
    quarter = Quarter.of(clock.today()).previous()
    for side in sides:
        with side.app.test_request_context():
            timings = []
            for _ in range(repeat):
                started = perf_counter()
                snapshots.refresh(quarter)
                timings.append((perf_counter() - started) * 1000)
        print(
            f"{side.families} families: the analysts' snapshot of {quarter.key} worked out in "
            f"{statistics.median(timings):.0f} ms (median of {repeat}; the job worker's work)"
        )


def build_side(url: str, families: int, args: argparse.Namespace) -> dict[str, Any]:
    made = make(url, families, args.team_size, args.notes_per_family)
    made["outcomes"] = add_outcomes(url, made["shape"], clock.today())
    print(", ".join(f"{n} {table}" for table, n in made["outcomes"].items()))
    return made


def main() -> None:
    args = arguments(__doc__, passes=2)
    compare(
        args,
        lambda url, n: build_side(url, n, args),
        OutcomeSide,
        "outcomes",
        after=worked_out,
    )


if __name__ == "__main__":
    main()
