"""Sign-off: a team lead reviews an agreed plan version or a safety decision (Meldcode step 5)
and approves it or sends it back with a comment."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import Base, TimestampMixin, VersionedMixin
from wijkteam.core.enums import LabelledStrEnum, str_enum


class ReviewKind(LabelledStrEnum):
    PLAN_VERSION = "plan_version", _l("Agreed plan version")
    SAFETY_DECISION = "safety_decision", _l("Safety decision (Meldcode step 5)")


class ReviewStatus(LabelledStrEnum):
    WAITING = "waiting", _l("Waiting for sign-off")
    APPROVED = "approved", _l("Approved")
    RETURNED = "returned", _l("Sent back")


_WAITING_ROWS = text(f"status = '{ReviewStatus.WAITING.value}'")


class Review(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_case_id_status", "case_id", "status"),
        # The few requests still waiting, by case: the dashboards read them for a team's cases
        # without reading every waiting request of every team (issue 21).
        Index(
            "ix_reviews_waiting_case_id",
            "case_id",
            postgresql_where=_WAITING_ROWS,
            sqlite_where=_WAITING_ROWS,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[ReviewKind] = mapped_column(str_enum(ReviewKind, "review_kind"))
    # The plan version's number, or the safety concern's id.
    ref_id: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[ReviewStatus] = mapped_column(str_enum(ReviewStatus, "review_status"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    comment: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
