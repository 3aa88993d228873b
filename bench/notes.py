"""Latency and query counts of the timeline, the notes list and search with many notes.

    .venv/bin/python bench/notes.py [--families 10000] [--notes 200000] [--url postgresql+...]

Prints figures; asserts nothing. Builds the families and cases of bench/case_pages.py, then adds
conversation notes (1-3 parts of fictional text each, some internal, a few drafts) and, for part
of the cases, a plan with goals, ladder and regie entries, scores on the goals (one every four
to six weeks), small successes and strengths for the family's paper. One case of team Noord gets
1% of all notes ("busy case"); the rest are spread unevenly over all cases. Measured as the team
lead of Noord through the real app. `--url` **wipes** that database.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from case_pages import PASSWORD, Shape, build, finish_postgresql, insert_rows, measure_pages
from sqlalchemy import insert

from wijkteam import create_app
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.config import TestConfig
from wijkteam.core.db import db, get_engine, make_engine
from wijkteam.notes.models import Note, NotePart, PartKind
from wijkteam.notes.queries import timeline
from wijkteam.plans.models import (
    Goal,
    LadderEntry,
    Plan,
    PlanStrength,
    RegieEntry,
    ScaleScore,
    Success,
)

CHUNK = 5000
BUSY_CASE = 1  # team Noord (odd ids), led by the bench team lead user1
COMMON_WORD = "school"  # rank 5 of the vocabulary: in about half of all parts
RARE_WORD = "hoefsmid"  # put in one part of every 20,000
RARE_EVERY = 20_000
START = date(2025, 1, 1)
DAYS = 690

# Fictional text from a small Dutch-looking vocabulary, drawn with Zipf-like weights.
VOCABULARY = (
    "de het een en van in is dat op te met voor niet zijn er "
    "school moeder vader kinderen thuis gesprek rust afspraak week graag "
    "samen oma buurvrouw juf huiswerk ruzie slapen eten geld werk "
    "hulp zorgen goed beter moe boos blij bang trots sterk "
    "ochtend avond weekend vakantie fiets sport voetbal zwemmen muziek tekenen "
    "schulden huur brief gemeente huisarts wachtlijst formulier uitkering budget rekening "
    "vriendin vriend tante oom neef nicht broer zus baby peuter "
    "puber tiener klas meester mentor rapport toets stage bijbaan diploma "
    "plannen proberen lukken vragen luisteren praten helpen bellen regelen starten "
    "stap doel wens succes compliment sterkte uitzondering toekomst schaal cijfer "
    "kalm chaos structuur ritme grens regel beloning straf knuffel lachen "
    "keuken tuin speeltuin bibliotheek kerk moskee buurthuis markt winkel bus"
).split()
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
AGREEMENT_OPENERS = (
    "Afgesproken:",
    "Volgende stap:",
    "Wij spreken af dat",
    "Tot de volgende keer:",
)


def sentence(rnd: random.Random, words: int) -> str:
    chosen = rnd.choices(VOCABULARY, WEIGHTS, k=words)
    return " ".join(chosen).capitalize() + "."


def paragraph(rnd: random.Random) -> str:
    return " ".join(sentence(rnd, rnd.randint(6, 16)) for _ in range(rnd.randint(1, 4)))


def add_notes(
    url: str,
    families: int,
    notes: int,
    rnd: random.Random,
    *,
    shape: Shape | None = None,
    start: date = START,
    plan_share: float = 0.35,
) -> dict[str, Any]:
    """Notes and parts on top of build() (with the same shape); plans for `plan_share` of the
    cases. Contacts fall in the DAYS days from `start`. Returns what was made."""
    shape = shape or Shape(families)
    engine = make_engine(url)
    now = datetime.now(UTC)
    team_users = {team: shape.users_of(team) for team in range(1, shape.teams + 1)}
    # Uneven activity per case; the busy case gets 1% of all notes on top.
    activity = [rnd.uniform(0.2, 1.8) for _ in range(families)]
    busy = max(1, notes // 100)
    case_of_note = [BUSY_CASE] * busy + rnd.choices(
        range(1, families + 1), activity, k=notes - busy
    )
    notes_per_case = Counter(case_of_note)
    # A plan for `plan_share` of the cases, always for the busy case. Each case's plan is drawn
    # from a generator seeded with its id, so it does not change with the number of families.
    plan_cases = {
        c
        for c in range(1, families + 1)
        if c == BUSY_CASE or random.Random(f"has-plan-{c}").random() < plan_share
    }
    counts = {"notes": 0, "parts": 0, "drafts": 0, "internal": 0, "rare": 0}
    kinds = list(PartKind)

    def note_rows() -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        part_id = 0
        for note_id, case_id in enumerate(case_of_note, start=1):
            team = shape.team_of(case_id)
            draft = rnd.random() < 0.03
            contact = start + timedelta(days=rnd.randrange(DAYS))
            stamp = datetime(contact.year, contact.month, contact.day, 16, tzinfo=UTC)
            note = {
                "id": note_id,
                "case_id": case_id,
                "author_id": rnd.choice(team_users[team]),
                "contact_on": contact,
                "kind": rnd.choice(("home_visit", "home_visit", "phone", "office", "meeting")),
                "location": "",
                "interpreter_name": "",
                "interpreter_language": "",
                "status": "draft" if draft else "final",
                "finalised_at": None if draft else stamp,
                "pending": {},
                "created_at": stamp,
                "updated_at": stamp,
                "version": 1,
            }
            parts = []
            for kind in rnd.sample(kinds, rnd.randint(1, 3)):
                part_id += 1
                body = paragraph(rnd)
                if kind is PartKind.AGREEMENTS:
                    body = f"{rnd.choice(AGREEMENT_OPENERS)} {body}"
                if part_id % RARE_EVERY == 7:
                    body += f" Vader werkt als {RARE_WORD}."
                    counts["rare"] += 1
                internal = rnd.random() < 0.15
                counts["internal"] += internal
                parts.append(
                    {
                        "id": part_id,
                        "note_id": note_id,
                        "kind": kind.value,
                        "text": body,
                        "audience": "team" if internal else "family",
                        "audience_member_id": None,
                    }
                )
            counts["notes"] += 1
            counts["parts"] += len(parts)
            counts["drafts"] += draft
            yield note, parts

    with engine.begin() as conn:
        note_batch: list[dict[str, Any]] = []
        part_batch: list[dict[str, Any]] = []

        def flush() -> None:
            conn.execute(insert(Note), note_batch)
            insert_rows(conn, NotePart, part_batch, CHUNK)
            note_batch.clear()
            part_batch.clear()

        for note, parts in note_rows():
            note_batch.append(note)
            part_batch.extend(parts)
            if len(note_batch) == CHUNK:
                flush()
        if note_batch:
            flush()

        plan_rows, goal_rows, ladder_rows, regie_rows = [], [], [], []
        score_rows: list[dict[str, Any]] = []
        success_rows: list[dict[str, Any]] = []
        strength_rows: list[dict[str, Any]] = []
        last_day = start + timedelta(days=DAYS)
        for plan_id, case_id in enumerate(sorted(plan_cases), start=1):
            team = shape.team_of(case_id)
            pr = random.Random(f"plan-{case_id}")  # the same plan at every size
            started = start + timedelta(days=pr.randrange(60))
            plan_rows.append(
                {
                    "id": plan_id,
                    "case_id": case_id,
                    "started_on": started,
                    "evaluation_on": started + timedelta(days=180),
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
            first_goal = len(goal_rows)
            for position in range(pr.randint(2, 4)):
                made = datetime.combine(
                    started + timedelta(days=pr.randrange(DAYS - 60)), datetime.min.time(), UTC
                )
                goal_rows.append(
                    {
                        "id": len(goal_rows) + 1,
                        "plan_id": plan_id,
                        "position": position,
                        "text": sentence(pr, pr.randint(5, 12)),
                        "why_it_matters": sentence(pr, 8),
                        "first_step": sentence(pr, 6),
                        "reservations": "",
                        "status": pr.choice(("active", "active", "active", "achieved")),
                        "status_on": None,
                        "status_reason": "",
                        "created_at": made,
                        "updated_at": made,
                        "version": 1,
                    }
                )
            plan_goals = goal_rows[first_goal:]
            level = pr.randint(2, 5)
            for step in range(pr.randint(1, 3)):
                level = max(1, min(6, level + pr.choice((-1, 1, 1))))
                ladder_rows.append(
                    {
                        "id": len(ladder_rows) + 1,
                        "plan_id": plan_id,
                        "level": level,
                        "changed_on": started + timedelta(days=90 * step),
                        "reason": sentence(pr, 8),
                        "climb_back": "",
                        "safety_concern_id": None,
                        "recorded_by_id": pr.choice(team_users[team]),
                        "created_at": now,
                    }
                )
            if pr.random() < 0.5:
                regie_rows.append(
                    {
                        "id": len(regie_rows) + 1,
                        "plan_id": plan_id,
                        "regie": pr.choice(("own", "shared", "shared", "taken_over")),
                        "changed_on": started,
                        "reason": sentence(pr, 8),
                        "safety_concern_id": None,
                        "recorded_by_id": pr.choice(team_users[team]),
                        "created_at": now,
                    }
                )
            # Drawn after everything above, so that the rest of the plan is as it was before
            # these were added (issue 21: the plan page with scores, successes, strengths).
            for goal in plan_goals:
                day = goal["created_at"].date() + timedelta(days=pr.randint(7, 28))
                family_score = pr.randint(2, 6)
                while day < last_day:
                    family_score = max(0, min(10, family_score + pr.choice((-1, 0, 1, 1))))
                    score_rows.append(
                        {
                            "id": len(score_rows) + 1,
                            "goal_id": goal["id"],
                            "scored_on": day,
                            "family_score": family_score,
                            "professional_score": (
                                max(0, family_score - 1) if pr.random() < 0.5 else None
                            ),
                            "one_point_higher": sentence(pr, 7),
                            "recorded_by_id": pr.choice(team_users[team]),
                            "voided_at": None,
                            "void_reason": "",
                            "note_id": None,
                            "created_at": now,
                            "updated_at": now,
                            "version": 1,
                        }
                    )
                    day += timedelta(days=pr.randint(28, 42))
            if pr.random() < 0.4:
                for _ in range(pr.randint(1, 3)):
                    success_rows.append(
                        {
                            "id": len(success_rows) + 1,
                            "plan_id": plan_id,
                            "goal_id": pr.choice(plan_goals)["id"] if plan_goals else None,
                            "noted_on": started + timedelta(days=pr.randrange(DAYS - 60)),
                            "text": sentence(pr, 8),
                            "recorded_by_id": pr.choice(team_users[team]),
                            "created_at": now,
                        }
                    )
            if pr.random() < 0.5:
                for position in range(pr.randint(1, 3)):
                    strength_rows.append(
                        {
                            "id": len(strength_rows) + 1,
                            "plan_id": plan_id,
                            "position": position,
                            "note_part_id": None,
                            "text": sentence(pr, 6),
                            "created_by_id": pr.choice(team_users[team]),
                            "created_at": now,
                            "removed_at": None,
                            "removed_by_id": None,
                        }
                    )
        for model, rows in (
            (Plan, plan_rows),
            (Goal, goal_rows),
            (LadderEntry, ladder_rows),
            (RegieEntry, regie_rows),
            (ScaleScore, score_rows),
            (Success, success_rows),
            (PlanStrength, strength_rows),
        ):
            insert_rows(conn, model, rows, CHUNK)
    finish_postgresql(
        engine,
        (
            "notes",
            "note_parts",
            "plans",
            "goals",
            "ladder_entries",
            "regie_entries",
            "scale_scores",
            "successes",
            "plan_strengths",
        ),
    )
    engine.dispose()
    # The typical case: a case of team 1 (Noord) with a plan and the median number of notes of
    # such cases.
    noord = sorted(
        (notes_per_case.get(c, 0), c)
        for c in plan_cases
        if shape.team_of(c) == 1 and c != BUSY_CASE and notes_per_case.get(c, 0)
    )
    typical = noord[len(noord) // 2][1] if noord else BUSY_CASE
    counts.update(
        plans=len(plan_rows),
        goals=len(goal_rows),
        ladder=len(ladder_rows),
        regie=len(regie_rows),
        scores=len(score_rows),
        successes=len(success_rows),
        strengths=len(strength_rows),
        busy_notes=notes_per_case[BUSY_CASE],
        typical=typical,
        typical_notes=notes_per_case.get(typical, 0),
    )
    return counts


def measure(url: str, made: dict[str, Any], repeat: int) -> None:
    app = create_app(TestConfig, DATABASE_URL=url, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    client.get("/login")  # as a browser does: a POST without our cookie gets none back
    client.post("/login", data={"email": "user1@bench.example", "password": PASSWORD})
    busy, typical = BUSY_CASE, made["typical"]
    with app.app_context():
        lead = db.get(User, 1)
        last_pages = {}
        for case_id in (busy, typical):
            case = db.get(Case, case_id)
            last_pages[case_id] = timeline(case, lead, None, 1, app.config["PAGE_SIZE"]).pages
        engine = get_engine()
    pages: dict[str, str] = {}
    for label, case_id in (("busy", busy), ("typical", typical)):
        last = last_pages[case_id]
        pages |= {
            f"{label}: timeline": f"/cases/{case_id}/timeline",
            f"{label}: timeline p{last}": f"/cases/{case_id}/timeline?page={last}",
            f"{label}: timeline notes": f"/cases/{case_id}/timeline?kind=note",
            f"{label}: notes": f"/cases/{case_id}/notes",
        }
    pages |= {
        f"search '{COMMON_WORD}'": f"/search?q={COMMON_WORD}",
        f"search '{RARE_WORD}'": f"/search?q={RARE_WORD}",
    }
    print(
        f"\n{made['notes']} notes, {made['parts']} parts ({engine.dialect.name}); "
        f"busy case {busy}: {made['busy_notes']} notes, "
        f"typical case {typical}: {made['typical_notes']} notes"
    )
    measure_pages(client, engine, pages, repeat)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=200_000)
    parser.add_argument("--url", default=None, help="database URL (default: a temp SQLite file)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'notes.sqlite3'}"
        started = time.perf_counter()
        build(url, args.families)
        made = add_notes(url, args.families, args.notes, random.Random(7))
        print(
            f"built in {time.perf_counter() - started:.0f} s: {args.families} families, "
            f"{made['notes']} notes ({made['drafts']} drafts), {made['parts']} parts "
            f"({made['internal']} internal, {made['rare']} with '{RARE_WORD}'), "
            f"{made['plans']} plans, {made['goals']} goals, {made['ladder']} ladder and "
            f"{made['regie']} regie entries"
        )
        measure(url, made, args.repeat)


if __name__ == "__main__":
    main()
