"""The demo families (seed/demo.yaml, as `flask seed` loads them) in a temporary SQLite database
built by the migrations, and their printouts made as the queue worker makes them. Shared by
readability.py and printout.py. Importing this module puts the checkout first on sys.path."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path[:1] != [str(ROOT)]:
    sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask_babel import force_locale  # noqa: E402
from sqlalchemy import select  # noqa: E402

from wijkteam import create_app, migrate  # noqa: E402
from wijkteam.cases.models import Case  # noqa: E402
from wijkteam.cli import SEED_FILE  # noqa: E402
from wijkteam.core.config import TestConfig  # noqa: E402
from wijkteam.core.db import db, get_engine  # noqa: E402
from wijkteam.jobs.models import JobKind, PrintJob  # noqa: E402
from wijkteam.printout.render import Made, render  # noqa: E402
from wijkteam.seed import load_seed  # noqa: E402


@contextmanager
def demo_app() -> Iterator[Flask]:
    """An app on a fresh database holding the demo data; inside an app and request context,
    as the worker renders (worker.run_job)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.sqlite3'}"
        migrate.upgrade(url)
        app = create_app(TestConfig, DATABASE_URL=url)
        with app.app_context(), app.test_request_context("/"):
            load_seed(SEED_FILE)
            db.commit()
            yield app
            get_engine().dispose()


def latest_cases() -> list[Case]:
    """Each demo family's latest case, by family name."""
    latest: dict[int, Case] = {}
    for case in db.scalars(select(Case).order_by(Case.id)):
        latest[case.family_id] = case
    return sorted(latest.values(), key=lambda c: c.family.name)


def make(case: Case, kind: JobKind, lang: str = "nl") -> Made:
    """The document a print job of this kind asks for, made as the worker makes it (the job
    itself is never saved). Raises render.NothingToPrint for a plan without goals."""
    with force_locale(lang):
        return render(PrintJob(case=case, kind=kind, options={"lang": lang}))
