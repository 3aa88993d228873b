"""The one row that says a form instance was saved (wijkteam/submissions)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wijkteam.core.db import Base, utc_now


class FormSubmission(Base):
    """A form instance (its one-time form id) that was saved, and where its result is shown.
    The unique constraint, not memory, makes a second POST of the same form lose the race, so it
    holds across workers."""

    __tablename__ = "form_submissions"
    __table_args__ = (UniqueConstraint("user_id", "form_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    form_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    # The page the first POST redirected to (a path on this site).
    target: Mapped[str] = mapped_column(String(500), default="")
