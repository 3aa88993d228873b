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
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, select, text

from wijkteam import create_app, migrate
from wijkteam.auth.models import Role, Team, User
from wijkteam.auth.passwords import hash_password
from wijkteam.cases.models import Case, Family, FamilyMember
from wijkteam.config import TestConfig
from wijkteam.db import Base, db, get_engine, make_engine

PASSWORD = "bench-password-123"  # noqa: S105 - fictional bench account


def build(url: str, families: int) -> None:
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
        conn.execute(
            insert(Team),
            [
                {
                    "id": 1,
                    "name": "Noord",
                    "area": "",
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                },
                {
                    "id": 2,
                    "name": "Zuid",
                    "area": "",
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                },
            ],
        )
        pw = hash_password(PASSWORD)
        users = [
            {
                "id": i,
                "email": f"user{i}@bench.example",
                "display_name": f"Collega {i}",
                "password_hash": pw,
                "role": Role.TEAMLEAD if i in (1, 2) else Role.PROFESSIONAL,
                "team_id": 1 if i % 2 else 2,
                "active": True,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for i in range(1, 21)
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
            team = 1 if fid % 2 else 2
            lead = rnd.choice([u["id"] for u in users if u["team_id"] == team])
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
            for start in range(0, len(rows), 5000):
                conn.execute(insert(table), rows[start : start + 5000])
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("families", "family_members", "cases"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            conn.execute(text("ANALYZE"))
    engine.dispose()


def measure(url: str, families: int, repeat: int) -> None:
    app = create_app(TestConfig, DATABASE_URL=url, WTF_CSRF_ENABLED=False)
    client = app.test_client()
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


def measure_pages(client: Any, engine: Any, pages: dict[str, str], repeat: int) -> None:
    """Print median and p95 time, queries per request, memory peak and size for each page."""
    queries = {"n": 0}

    def count(*_a: object, **_k: object) -> None:
        queries["n"] += 1

    width = max(26, *(len(label) + 2 for label in pages))
    print(f"{'page':<{width}}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'peak KiB':>10}{'kB':>7}")
    event.listen(engine, "before_cursor_execute", count)
    try:
        for label, path in pages.items():
            client.get(path)  # warm up
            timings = []
            for _ in range(repeat):
                queries["n"] = 0
                start = time.perf_counter()
                resp = client.get(path)
                timings.append((time.perf_counter() - start) * 1000)
                per_request = queries["n"]
                assert resp.status_code == 200, (path, resp.status_code)  # noqa: S101
            tracemalloc.start()
            client.get(path)
            peak = tracemalloc.get_traced_memory()[1] / 1024
            tracemalloc.stop()
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
            print(
                f"{label:<{width}}{statistics.median(timings):>10.1f}{p95:>9.1f}"
                f"{per_request:>9}{peak:>10.0f}{len(resp.data) / 1000:>7.0f}"
            )
    finally:
        event.remove(engine, "before_cursor_execute", count)


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
