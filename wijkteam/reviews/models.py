"""Sign-off: a team lead reviews an agreed plan version or a safety decision (Meldcode step 5)
and approves it or sends it back with a comment."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import Base, TimestampMixin, VersionedMixin
from wijkteam.core.enums import str_enum


class ReviewKind(enum.StrEnum):
    PLAN_VERSION = "plan_version"
    SAFETY_DECISION = "safety_decision"


class ReviewStatus(enum.StrEnum):
    WAITING = "waiting"
    APPROVED = "approved"
    RETURNED = "returned"


class Review(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_case_id_status", "case_id", "status"),)

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
