"""Print jobs: asking for one, the rules around it, running it, and letting it expire.

A job belongs to the user who asked for it. Nobody else sees it, and its owner only while they
may still see the case (and, for the family's file, while they are its case lead or team lead):
every look at a job checks that again (`may_have`). The document is kept RESULT_HOURS after it
was made, the job itself KEEP_DAYS; then the periodic clean-up removes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import contains_eager

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import db, utc_now
from wijkteam.core.errors import DomainError
from wijkteam.core.permissions import can_view_case, can_view_family_file
from wijkteam.jobs.models import JobKind, JobStatus, PrintJob
from wijkteam.jobs.queue import PRINT_TIMEOUT

# How long a finished document can be downloaded, and how long the job stays in "my printouts".
RESULT_HOURS = 24
KEEP_DAYS = 7
# At most this many printouts of one user waiting or being made at the same time.
MAX_ACTIVE_PER_USER = 3
# A job still waiting after this long will not start by itself (no worker is running).
GIVE_UP_WAITING = timedelta(hours=1)
# A job "being made" for longer than the worker's time limit plus this lost its worker.
LOST_AFTER = timedelta(seconds=PRINT_TIMEOUT + 120)
# A document larger than this is not kept (the limits on plans keep printouts far smaller).
MAX_RESULT_BYTES = 50 * 1024 * 1024
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)

# Why a job failed: code -> message for the job page.
FAILURES = {
    "nothing": _l("There is nothing to print yet: the plan has no goals."),
    "no_access": _l("You no longer have access to this case, so the printout was not made."),
    "timeout": _l("Making this printout took too long and was stopped."),
    "too_large": _l("This printout became too large to keep."),
    "lost": _l("Making this printout was interrupted."),
    "not_started": _l("This printout was never started: the printing service is not running."),
    "not_queued": _l("This printout could not be put in line: the printing service is down."),
    "failed": _l("Something went wrong while making this printout."),
}


class TooManyJobs(DomainError):
    """The user already has MAX_ACTIVE_PER_USER printouts waiting or being made."""


def may_have(user: User, case: Case, kind: JobKind) -> bool:
    """Whether the user may (still) make or fetch this kind of printout of this case."""
    if kind in (JobKind.FILE_PDF, JobKind.FILE_JSON):
        return can_view_family_file(user, case)
    return can_view_case(user, case)


@dataclass
class Requested:
    job: PrintJob
    new: bool


def _active_jobs(user: User, now: datetime) -> list[PrintJob]:
    return list(
        db.scalars(
            select(PrintJob).where(
                PrintJob.requested_by_id == user.id,
                or_(
                    (PrintJob.status == JobStatus.QUEUED)
                    & (PrintJob.created_at > now - GIVE_UP_WAITING),
                    (PrintJob.status == JobStatus.RUNNING)
                    & (PrintJob.started_at > now - LOST_AFTER),
                ),
            )
        )
    )


def request_job(
    actor: User, case: Case, kind: JobKind, options: dict[str, Any], now: datetime | None = None
) -> Requested:
    """Ask for a printout. An identical one that is still waiting or being made is reused;
    a user has at most MAX_ACTIVE_PER_USER printouts in the making. The caller commits and
    then puts the job in line (`enqueue`)."""
    now = now or utc_now()
    active = _active_jobs(actor, now)
    for job in active:
        if job.case_id == case.id and job.kind == kind and job.options == options:
            return Requested(job, new=False)
    if len(active) >= MAX_ACTIVE_PER_USER:
        raise TooManyJobs(
            _l(
                "You already have %(n)d printouts being made. Wait until one of them is ready, "
                "then ask again.",
                n=MAX_ACTIVE_PER_USER,
            )
        )
    job = PrintJob(
        case_id=case.id,
        requested_by_id=actor.id,
        kind=kind,
        options=options,
        status=JobStatus.QUEUED,
        created_at=now,
    )
    db.add(job)
    db.flush()
    return Requested(job, new=True)


def enqueue(job: PrintJob) -> bool:
    """Put a committed job in line for the worker; False (and the job failed) when the queue
    cannot be reached. Only the job's id goes into the queue."""
    from wijkteam.jobs.queue import render_printout

    try:
        render_printout(job.id)
    except Exception:  # noqa: BLE001 - any broker error: the user gets a clear message
        from flask import current_app

        current_app.logger.warning("could not queue print job %s", job.id, exc_info=True)
        db.rollback()
        fail(job.id, "not_queued")
        db.commit()
        return False
    return True


def fail(job_id: int, code: str) -> None:
    """Mark a job failed with a reason from FAILURES (the caller commits)."""
    db.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id)
        .values(status=JobStatus.FAILED, error=code, finished_at=utc_now(), body=None)
    )


@dataclass
class JobView:
    """A job as its page shows it: the status as it is now (a job past its time counts as
    expired, or failed, even before the clean-up has run)."""

    job: PrintJob
    status: JobStatus
    error: str
    waiting_before: int

    @property
    def ready(self) -> bool:
        return self.status == JobStatus.DONE

    @property
    def in_progress(self) -> bool:
        return self.status in ACTIVE

    @property
    def message(self) -> str:
        return str(FAILURES.get(self.error, FAILURES["failed"])) if self.error else ""


def effective_status(job: PrintJob, now: datetime) -> tuple[JobStatus, str]:
    if job.status == JobStatus.DONE and job.expires_at is not None and job.expires_at <= now:
        return JobStatus.EXPIRED, ""
    if job.status == JobStatus.QUEUED and job.created_at <= now - GIVE_UP_WAITING:
        return JobStatus.FAILED, "not_started"
    if job.status == JobStatus.RUNNING and job.started_at and job.started_at <= now - LOST_AFTER:
        return JobStatus.FAILED, "lost"
    return job.status, job.error


def view(job: PrintJob, now: datetime | None = None) -> JobView:
    now = now or utc_now()
    status, error = effective_status(job, now)
    before = 0
    if status == JobStatus.QUEUED:
        before = (
            db.scalar(
                select(func.count(PrintJob.id)).where(
                    PrintJob.status == JobStatus.QUEUED,
                    PrintJob.id < job.id,
                    PrintJob.created_at > now - GIVE_UP_WAITING,
                )
            )
            or 0
        )
    return JobView(job, status, error, before)


def my_jobs(user: User, now: datetime | None = None, limit: int = 50) -> list[JobView]:
    """The user's own printouts, newest first, of the cases they may still have them of."""
    now = now or utc_now()
    jobs = db.scalars(
        select(PrintJob)
        .join(Case, Case.id == PrintJob.case_id)
        .options(contains_eager(PrintJob.case).joinedload(Case.family))
        .where(PrintJob.requested_by_id == user.id, Case.team_id == user.team_id)
        .order_by(PrintJob.created_at.desc(), PrintJob.id.desc())
        .limit(limit)
    )
    return [view(job, now) for job in jobs if may_have(user, job.case, job.kind)]


def cleanup(now: datetime | None = None) -> dict[str, int]:
    """Remove documents past their time, jobs older than KEEP_DAYS, and mark jobs that will
    never finish as failed. Counts per kind of change (the caller commits)."""
    now = now or utc_now()
    expired = db.execute(
        update(PrintJob)
        .where(PrintJob.status == JobStatus.DONE, PrintJob.expires_at <= now)
        .values(status=JobStatus.EXPIRED, body=None)
    ).rowcount  # type: ignore[attr-defined]  # typed Result; a CursorResult here
    lost = db.execute(
        update(PrintJob)
        .where(PrintJob.status == JobStatus.RUNNING, PrintJob.started_at <= now - LOST_AFTER)
        .values(status=JobStatus.FAILED, error="lost", finished_at=now, body=None)
    ).rowcount  # type: ignore[attr-defined]  # typed Result; a CursorResult here
    never = db.execute(
        update(PrintJob)
        .where(PrintJob.status == JobStatus.QUEUED, PrintJob.created_at <= now - GIVE_UP_WAITING)
        .values(status=JobStatus.FAILED, error="not_started", finished_at=now)
    ).rowcount  # type: ignore[attr-defined]  # typed Result; a CursorResult here
    removed = db.execute(
        delete(PrintJob).where(PrintJob.created_at <= now - timedelta(days=KEEP_DAYS))
    ).rowcount  # type: ignore[attr-defined]  # typed Result; a CursorResult here
    return {"expired": expired, "lost": lost, "not_started": never, "removed": removed}
