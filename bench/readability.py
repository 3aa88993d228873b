"""How easy the Dutch printouts of the demo families are to read (Flesch-Douma).

    .venv/bin/python bench/readability.py [--min 70] [--keep /tmp/readability]

Loads the demo data (seed/demo.yaml, as `flask seed` does) into a temporary SQLite database
built by the migrations (demo.py), then for each family's latest case makes the Dutch 'Ons
plan' and the Dutch family's file as the queue worker does (printout/render.py, a print job),
takes the text inside the page margins (pdftotext) and scores it with
wijkteam/printout/readability.py. Prints one line per family: the scores, the words, and the
hard words (4+ syllables) that occur most, longest first among equals (the family members'
own names are left out of that list, not out of the score).

Exit code 1 when a plan or file scores below --min (70: plain Dutch for families, B1), so the
script can guard the texts once they are simple enough. Needs poppler-utils (pdftotext).
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from demo import demo_app, latest_cases, make

from wijkteam.cases.models import Case
from wijkteam.jobs.models import JobKind
from wijkteam.printout.readability import Readability, analyse, pdf_text
from wijkteam.printout.render import NothingToPrint

HARD_SHOWN = 10


@dataclass
class Row:
    family: str
    case_id: int
    plan: Readability | None
    file: Readability
    names: set[str]  # the family members' names: long, but not words to make simpler

    @property
    def hard(self) -> Counter[str]:
        both = (self.plan.hard_words if self.plan else Counter()) + self.file.hard_words
        return Counter({w: n for w, n in both.items() if not set(w.split("-")) <= self.names})


def score(case: Case, kind: JobKind, keep: Path | None) -> Readability | None:
    """The Dutch document of a print job, scored; None when there is nothing to print."""
    try:
        made = make(case, kind)
    except NothingToPrint:
        return None
    if keep is not None:
        (keep / made.filename).write_bytes(made.body)
    return analyse(pdf_text(made.body))


def measure(keep: Path | None) -> list[Row]:
    rows = []
    with demo_app():
        for case in latest_cases():
            plan = score(case, JobKind.PLAN_PDF, keep)
            file = score(case, JobKind.FILE_PDF, keep)
            assert file is not None  # noqa: S101 - a family's file always prints
            names = {
                part.lower()
                for m in case.family.members
                for part in f"{m.first_name} {m.last_name}".replace("-", " ").split()
            }
            rows.append(Row(case.family.name, case.id, plan, file, names))
    return rows


def hard_words(counts: Counter[str]) -> str:
    shown = sorted(counts.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))
    return ", ".join(f"{w}×{n}" if n > 1 else w for w, n in shown[:HARD_SHOWN])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min", type=float, default=70.0, help="lowest score allowed (70)")
    parser.add_argument("--keep", type=Path, help="also write the PDFs into this folder")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    rows = measure(args.keep)

    print(f"{'family (case)':<22}{'plan':>6}{'file':>6}{'words':>13}  hard words (4+ syllables)")
    failed = []
    for row in rows:
        plan = f"{row.plan.score:6.1f}" if row.plan else f"{'-':>6}"
        words = f"{row.plan.words if row.plan else 0}/{row.file.words}"
        who = f"{row.family} ({row.case_id})"
        print(f"{who:<22}{plan}{row.file.score:6.1f}{words:>13}  {hard_words(row.hard)}")
        for name, counted in (("plan", row.plan), ("file", row.file)):
            if counted is not None and counted.score < args.min:
                failed.append(f"{row.family} {name} {counted.score:.1f}")
    plans = [r.plan.score for r in rows if r.plan]
    files = [r.file.score for r in rows]
    print(f"\nlowest: plan {min(plans):.1f}, file {min(files):.1f}; words are plan/file")
    if failed:
        print(f"below {args.min:g}: " + "; ".join(failed))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
