"""What the queue worker does with a print job, inside the Flask app.

The worker builds the app once per process (from the same WIJKTEAM_* environment as the web
app); in tests and in huey's immediate mode it uses the app of the request that asked."""

from __future__ import annotations

import gc
import logging
from datetime import timedelta

from flask import Flask, current_app, has_app_context
from flask_babel import force_locale
from huey.exceptions import TaskTimeout
from sqlalchemy import update

from wijkteam.core.db import db, utc_now
from wijkteam.jobs import services
from wijkteam.jobs.models import JobStatus, PrintJob

log = logging.getLogger("wijkteam.jobs")
_app: Flask | None = None


def app_for_jobs() -> Flask:
    global _app
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if _app is None:
        from wijkteam import create_app

        _app = create_app()
    return _app


def warm_up() -> None:
    """Build the app, load the fonts and parse the print stylesheet once (a short document that
    links it), then settle the heap."""
    from wijkteam.printout.pdf import PRINT_CSS_LINK, render_pdf

    app_for_jobs()
    render_pdf(f"<!doctype html><html lang='nl'><title>-</title>{PRINT_CSS_LINK}<p>-</p></html>")
    settle_heap()
    log.info("print worker ready")


def settle_heap() -> None:
    """Move what is alive now (the app, its templates, the fonts, the parsed stylesheet) out of
    the garbage collector's way (`gc.freeze`): it stays for the worker's life, and scanning it
    again in every collection during a printout cost about a tenth of a five-page plan."""
    gc.collect()
    gc.freeze()


def run_job(job_id: int) -> None:
    """Claim the job, check the asker may still have it, make the document and keep it."""
    app = app_for_jobs()
    # A fresh app context (its own database session, also in immediate mode inside a request)
    # and a request context for the templates, which expect one.
    with app.app_context(), app.test_request_context("/"):
        _run(app, job_id)


def run_outcomes(quarter: str | None, replacing: str | None) -> None:
    """The analysts' figures of one quarter (None: the last four ended ones) worked out again
    and kept (outcomes/snapshots.py)."""
    from datetime import datetime

    from wijkteam.core import clock
    from wijkteam.outcomes import snapshots
    from wijkteam.outcomes.periods import Quarter

    app = app_for_jobs()
    with app.app_context(), app.test_request_context("/"):
        if quarter is None:
            snapshots.refresh_recent(clock.today())
            return
        asked = Quarter.parse(quarter)
        if asked is not None:
            seen = datetime.fromisoformat(replacing) if replacing else None
            snapshots.refresh(asked, replacing=seen)


def run_update_statistics() -> str:
    """The query planner's statistics brought up to date (wijkteam.core.db)."""
    from wijkteam.core.db import get_engine, update_statistics

    app = app_for_jobs()
    with app.app_context():
        done = update_statistics(get_engine())
    app.logger.info("statistics: %s", done)
    return done


def run_forget_submissions() -> int:
    """The records of saved forms older than two days removed (wijkteam.submissions)."""
    from wijkteam.submissions import forget_old

    app = app_for_jobs()
    with app.app_context():
        removed = forget_old()
        db.commit()
    if removed:
        log.info("records of saved forms removed: %d", removed)
    return removed


def _run(app: Flask, job_id: int) -> None:
    from wijkteam.printout.render import NothingToPrint, render

    started = utc_now()
    claimed = db.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id, PrintJob.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=started)
    ).rowcount  # type: ignore[attr-defined]  # typed Result; a CursorResult here
    db.commit()
    if claimed != 1:
        return  # gone, or taken by another worker
    job = db.get(PrintJob, job_id)
    if job is None:  # removed meanwhile
        return
    if not services.may_have(job.requested_by, job.case, job.kind):
        services.fail(job_id, "no_access")
        db.commit()
        return
    try:
        with force_locale(job.options.get("lang") or app.config["BABEL_DEFAULT_LOCALE"]):
            made = render(job)
    except NothingToPrint:
        db.rollback()
        services.fail(job_id, "nothing")
        db.commit()
        return
    except TaskTimeout:
        db.rollback()
        services.fail(job_id, "timeout")
        db.commit()
        return
    except Exception:  # noqa: BLE001 - the job fails, the worker goes on
        db.rollback()
        app.logger.exception("print job %s failed", job_id)
        services.fail(job_id, "failed")
        db.commit()
        return
    if len(made.body) > services.MAX_RESULT_BYTES:
        services.fail(job_id, "too_large")
        db.commit()
        return
    finished = utc_now()
    db.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id, PrintJob.status == JobStatus.RUNNING)
        .values(
            status=JobStatus.DONE,
            finished_at=finished,
            expires_at=finished + timedelta(hours=services.RESULT_HOURS),
            body=made.body,
            size=len(made.body),
            mimetype=made.mimetype,
            filename=made.filename,
        )
    )
    db.commit()
    log.info(
        "print job %s (%s) made in %.1f s",
        job_id,
        job.kind.value,
        (finished - started).total_seconds(),
    )


def run_cleanup() -> dict[str, int]:
    app = app_for_jobs()
    with app.app_context():
        counts = services.cleanup()
        db.commit()
    if any(counts.values()):
        log.info("print jobs cleaned up: %s", counts)
    return counts
