"""The way out of a case: what was recorded when it closed (where the family stood, the
aftercare agreement, how they can come back) and who stays involved after closing.

The closing's facts live here, next to the case's own `status`, `closed_on`, `close_reason` and
`close_note` (wijkteam/cases/models.py). One CaseClosing per closed case (cases closed before
issue 18 have one with what could be read back from their plan); written once, with the case
itself no longer changing after it closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import AppendOnly, Base, IntEnumType, utc_now
from wijkteam.core.enums import str_enum
from wijkteam.network.models import NetworkMember
from wijkteam.plans.enums import LadderLevel, Regie
from wijkteam.resources.models import Resource


class CaseClosing(AppendOnly, Base):
    """Where the family stood at the end and what was agreed for after. The participation
    ladder and regie at closing are stored here (prefilled from the plan's last entries), not
    added to the plan's dated history: the plan keeps what happened during the work."""

    __tablename__ = "case_closings"
    __table_args__ = (
        CheckConstraint("ladder_level IS NULL OR ladder_level BETWEEN 1 AND 6", "ladder_level_1_6"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    ladder_level: Mapped[LadderLevel | None] = mapped_column(IntEnumType(LadderLevel))
    regie: Mapped[Regie | None] = mapped_column(str_enum(Regie, "closing_regie"))
    # Who does what after closing, and when the family hears from the team again (if agreed).
    aftercare_agreement: Mapped[str] = mapped_column(Text, default="")
    # How the family can come back, in words for the family (the closing letter prints it).
    come_back: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    case: Mapped[Case] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class AftercareContact(AppendOnly, Base):
    """Someone who stays involved after closing: a member of the family's network or a
    service from the team's resource catalogue (exactly one of the two)."""

    __tablename__ = "aftercare_contacts"
    __table_args__ = (
        CheckConstraint(
            "(network_member_id IS NULL) <> (resource_id IS NULL)", "network_member_or_resource"
        ),
        Index("ix_aftercare_contacts_case_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    network_member_id: Mapped[int | None] = mapped_column(ForeignKey("network_members.id"))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    network_member: Mapped[NetworkMember | None] = relationship()
    resource: Mapped[Resource | None] = relationship()
