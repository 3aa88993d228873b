"""Latency and query counts of the case list and case page at 100 vs 10,000 families.

    .venv/bin/python bench/case_pages.py [--families 10000] [--url postgresql+psycopg://...]

Prints figures; asserts nothing. Data is generated in bulk (fictional), two teams, each family
with 2-5 members and one case; the measured requests run through the real app and its queries.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, select, text

from wijkteam import create_app, migrate
from wijkteam.auth.models import Role, Team, User
from wijkteam.auth.passwords import hash_password
from wijkteam.cases.models import Case, Family, FamilyMember
from wijkteam.core.config import TestConfig
from wijkteam.core.db import Base, db, get_engine, make_engine

PASSWORD = "bench-password-123"  # noqa: S105 - fictional bench account


@dataclass(frozen=True)
class Shape:
    """How families and accounts are spread over teams.

    team_size 0 (the default): two teams, Noord (odd ids) and Zuid (even ids), that grow with the
    data. team_size N: teams of N families each (family ids 1..N in team 1, and so on), so the
    teams keep their size and only their number grows. Each team has `users_per_team` accounts;
    users 1..teams are the team leads, user i works in team (i - 1) % teams + 1.
    """

    families: int
    team_size: int = 0
    users_per_team: int = 10

    @property
    def teams(self) -> int:
        return -(-self.families // self.team_size) if self.team_size else 2

    def team_of(self, case_id: int) -> int:
        """The team of a family and of its case (they share ids)."""
        if self.team_size:
            return (case_id - 1) // self.team_size + 1
        return 1 if case_id % 2 else 2

    def users_of(self, team: int) -> list[int]:
        return list(range(team, self.teams * self.users_per_team + 1, self.teams))

    def cases_of(self, team: int) -> list[int]:
        if self.team_size:
            first = (team - 1) * self.team_size + 1
            return list(range(first, min(first + self.team_size, self.families + 1)))
        return list(range(team, self.families + 1, 2))


def build(url: str, families: int, shape: Shape | None = None) -> None:
    shape = shape or Shape(families)
    engine = make_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    migrate.upgrade(url)
    engine = make_engine(url)
    rnd = random.Random(42)  # noqa: S311 - fictional data
    now = datetime.now(UTC)
    with engine.begin() as conn:
        names = {1: "Noord", 2: "Zuid"}
        conn.execute(
            insert(Team),
            [
                {
                    "id": team,
                    "name": names.get(team, f"Team {team}"),
                    "area": "",
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for team in range(1, shape.teams + 1)
            ],
        )
        pw = hash_password(PASSWORD)
        users = [
            {
                "id": i,
                "email": f"user{i}@bench.example",
                "display_name": f"Collega {i}",
                "password_hash": pw,
                "role": Role.TEAMLEAD if i <= shape.teams else Role.PROFESSIONAL,
                "team_id": (i - 1) % shape.teams + 1,
                "active": True,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for i in range(1, shape.teams * shape.users_per_team + 1)
        ]
        conn.execute(insert(User), users)
        fam_rows, member_rows, case_rows = [], [], []
        member_id = 1
        for fid in range(1, families + 1):
            name = f"Fictief{fid:05d}"
            fam_rows.append(
                {
                    "id": fid,
                    "name": name,
                    "address": "Benchstraat 1",
                    "postcode": "9999 ZZ",
                    "city": "Benchdorp",
                    "phone": "",
                    "context": "",
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
            for m in range(rnd.randint(2, 5)):
                member_rows.append(
                    {
                        "id": member_id,
                        "family_id": fid,
                        "first_name": f"Persoon{m}",
                        "last_name": name,
                        "date_of_birth": date(1970 + rnd.randint(0, 50), 1, 1),
                        "role": "parent" if m < 2 else "child",
                        "languages": ["Nederlands"],
                        "interpreter_needed": False,
                        "interpreter_language": "",
                        "custody": None,
                        "created_at": now,
                        "updated_at": now,
                        "version": 1,
                    }
                )
                member_id += 1
            team = shape.team_of(fid)
            lead = rnd.choice(shape.users_of(team))
            case_rows.append(
                {
                    "id": fid,
                    "family_id": fid,
                    "team_id": team,
                    "lead_id": lead,
                    "duo_id": None,
                    "question_for_help": "Wij willen meer rust in huis.",
                    "status": rnd.choice(["intake", "active", "active", "closed"]),
                    "opened_on": date(2025, 1, 1),
                    "close_note": "",
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
        for table, rows in ((Family, fam_rows), (FamilyMember, member_rows), (Case, case_rows)):
            insert_rows(conn, table, rows)
    finish_postgresql(engine, ("families", "family_members", "cases"))
    engine.dispose()


def insert_rows(conn: Any, model: Any, rows: list[dict[str, Any]], chunk: int = 5000) -> None:
    """Insert many rows in batches (one executemany per batch)."""
    for start in range(0, len(rows), chunk):
        conn.execute(insert(model), rows[start : start + chunk])


def finish_postgresql(engine: Any, tables: tuple[str, ...]) -> None:
    """After inserting with explicit ids on PostgreSQL: move the tables' id sequences past them
    (so the app can insert), then ANALYZE. Does nothing on SQLite."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in tables:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
            )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


def measure(url: str, families: int, repeat: int) -> None:
    app = create_app(TestConfig, DATABASE_URL=url, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    client.get("/login")  # as a browser does: a POST without our cookie gets none back
    client.post("/login", data={"email": "user1@bench.example", "password": PASSWORD})
    with app.app_context():
        case_id = db.scalar(select(Case.id).where(Case.team_id == 1).order_by(Case.id.desc()))
        engine = get_engine()
    pages = {
        "case list (team, open)": "/cases?scope=team",
        "case list, page 100": "/cases?scope=team&status=all&page=100",
        "case list, search": "/cases?scope=team&status=all&q=persoon3",
        "case page": f"/cases/{case_id}",
    }
    print(f"\n{families} families ({engine.dialect.name})")
    measure_pages(client, engine, pages, repeat)
    engine.dispose()


def summarise(timings: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank) of some timings."""
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


class Meter:
    """Times requests through a Flask test client: wall clock, CPU time of this process, time in
    the database (from sending each query to having its result) and the number of queries."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.queries, self.in_db = engine, 0, 0.0

    def _before(self, conn: Any, *_a: object, **_k: object) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn: Any, *_a: object, **_k: object) -> None:
        self.queries += 1
        self.in_db += time.perf_counter() - conn.info.pop("bench_started")

    def __enter__(self) -> Meter:
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)

    def get(self, client: Any, path: str) -> dict[str, float]:
        self.queries, self.in_db = 0, 0.0
        start, start_cpu = time.perf_counter(), time.process_time()
        resp = client.get(path)
        sample = {
            "ms": (time.perf_counter() - start) * 1000,
            "cpu": (time.process_time() - start_cpu) * 1000,
            "db": self.in_db * 1000,
            "queries": self.queries,
        }
        assert resp.status_code in (200, 204), (path, resp.status_code)  # noqa: S101
        return sample


def page_figures(client: Any, path: str, samples: list[dict[str, float]]) -> dict[str, Any]:
    """A page's figures from its samples, with the memory peak and size of one more request."""
    tracemalloc.start()
    resp = client.get(path)
    peak = tracemalloc.get_traced_memory()[1] / 1024
    tracemalloc.stop()
    timings = [x["ms"] for x in samples]
    median, p95 = summarise(timings)
    counts = sorted({int(x["queries"]) for x in samples})
    return {
        "median": median,
        "p95": p95,
        "timings": timings,
        "cpu": [x["cpu"] for x in samples],
        "db": [x["db"] for x in samples],
        "queries": counts[0] if len(counts) == 1 else "/".join(map(str, counts)),
        "peak_kib": peak,
        "kb": len(resp.data) / 1000,
    }


def print_figures(results: dict[str, dict[str, Any]]) -> None:
    width = max(26, *(len(label) + 2 for label in results))
    print(
        f"{'page':<{width}}{'median ms':>10}{'p95 ms':>9}{'cpu ms':>8}{'db ms':>7}{'queries':>9}"
        f"{'peak KiB':>10}{'kB':>7}"
    )
    for label, x in results.items():
        print(
            f"{label:<{width}}{x['median']:>10.1f}{x['p95']:>9.1f}{summarise(x['cpu'])[0]:>8.1f}"
            f"{summarise(x['db'])[0]:>7.1f}{x['queries']:>9}{x['peak_kib']:>10.0f}{x['kb']:>7.0f}"
        )


def measure_pages(
    client: Any, engine: Any, pages: dict[str, str], repeat: int
) -> dict[str, dict[str, Any]]:
    """Print median and p95 time, median CPU time of this process, median time in the database,
    queries per request, memory peak and size for each page; return the same figures (and all
    timings) per page label."""
    results = {}
    with Meter(engine) as meter:
        for label, path in pages.items():
            client.get(path)  # warm up
            samples = [meter.get(client, path) for _ in range(repeat)]
            results[label] = page_figures(client, path, samples)
    print_figures(results)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--url", default=None, help="database URL (default: a temp SQLite file)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in (100, args.families):
            url = args.url or f"sqlite:///{Path(tmp) / f'bench{n}.sqlite3'}"
            build(url, n)
            measure(url, n, args.repeat)


if __name__ == "__main__":
    main()
