"""A printout made in the background: who asked for what, how far it is, and the result."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import Base, utc_now
from wijkteam.core.enums import str_enum


class JobKind(enum.StrEnum):
    PLAN_PDF = "plan_pdf"
    FILE_PDF = "file_pdf"
    FILE_JSON = "file_json"


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"


class PrintJob(Base):
    """One printout asked for by one user. Only ids travel through the queue; the document is
    made from the database by the worker and kept here (never in the queue) until it expires."""

    __tablename__ = "print_jobs"
    __table_args__ = (
        Index("ix_print_jobs_requested_by_id_status", "requested_by_id", "status"),
        Index("ix_print_jobs_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[JobKind] = mapped_column(str_enum(JobKind, "print_job_kind"))
    # What the user chose: the language now; later the reader and the agreed version
    # (docs/printout.md). Part of the job's identity: an identical request reuses the job.
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus, "print_job_status"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # The document can be downloaded until then; afterwards it is removed.
    expires_at: Mapped[datetime | None]
    # Why it failed, as a code the job page explains (services.FAILURES).
    error: Mapped[str] = mapped_column(String(40), default="")
    filename: Mapped[str] = mapped_column(String(200), default="")
    mimetype: Mapped[str] = mapped_column(String(60), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    case: Mapped[Case] = relationship()
    requested_by: Mapped[User] = relationship()
