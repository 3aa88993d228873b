"""The analysts' figures of a quarter across all teams, worked out in the job worker and kept
(snapshots.py): across a few hundred teams the suppression of small numbers takes most of a
second, too long for every page view."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wijkteam.core.db import Base, utc_now


class OutcomeSnapshot(Base):
    """The counts, sums and marks of one quarter for one scope ("teams": every team, per
    team), as `Report` made them; replaced when worked out again."""

    __tablename__ = "outcome_snapshots"
    __table_args__ = (UniqueConstraint("quarter", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7))  # "2026-Q3"
    scope: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(default=utc_now)
