"""The way out of a case: what was recorded when it closed (where the family stood, the
aftercare agreement, how they can come back) and who stays involved after closing.

The closing's facts live here, next to the case's own `status`, `closed_on`, `close_reason` and
`close_note` (wijkteam/cases/models.py). One CaseClosing per closed case (cases closed before
issue 18 have one with what could be read back from their plan); written once, with the case
itself no longer changing after it closed.

What the closing records about outcomes (issue 20): how the support ended (`ended_by`, next to
the case's reason), per goal whether it was reached (GoalOutcome) and the family's satisfaction
(SatisfactionAnswer, one per person who answered, on paper or with the professional)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import User
from wijkteam.cases.models import Case, FamilyMember
from wijkteam.core.db import AppendOnly, Base, IntEnumType, utc_now
from wijkteam.core.enums import LabelledIntEnum, LabelledStrEnum, str_enum
from wijkteam.network.models import NetworkMember
from wijkteam.plans.enums import LadderLevel, Regie
from wijkteam.plans.models import Goal
from wijkteam.resources.models import Resource


class GoalResult(LabelledStrEnum):
    """Whether a goal was reached, as the family and the professional see it at closing."""

    REACHED = "reached", _l("Reached")
    PARTLY = "partly", _l("Partly reached")
    NOT_REACHED = "not_reached", _l("Not reached")


class EndedBy(LabelledStrEnum):
    """Who ended the support. FAMILY is a one-sided ending (uitval, drop-out): the family
    stopped before the work was done together; the reason (Case.close_reason) says why."""

    TOGETHER = "together", _l("Together, as planned")
    FAMILY = "family", _l("The family stopped on its own")
    TEAM = "team", _l("We stopped")


class SatisfactionHow(LabelledStrEnum):
    """How the family gave its answers about the help."""

    FAMILY_ALONE = "family_alone", _l("Alone, on the paper form")
    WITH_PROFESSIONAL = "with_professional", _l("Together with the professional")
    BY_PHONE = "by_phone", _l("By phone")


class SatisfactionScale(LabelledIntEnum):
    """The answer to a satisfaction question, in words (B1) as the family reads it on paper."""

    NOT_AT_ALL = 1, _l("Not at all")
    A_LITTLE = 2, _l("A little")
    SOMETIMES = 3, _l("Sometimes yes, sometimes no")
    MOSTLY = 4, _l("Mostly")
    COMPLETELY = 5, _l("Completely")


# The questions the family answers about the help, by the column that holds each answer; the
# same words on the page, on the paper form of the closing letter and in the family's file.
SATISFACTION_QUESTIONS = {
    "heard": _l("Did you feel heard?"),
    "own_say": _l("Could you decide about your plan yourself?"),
    "better_now": _l("Is it going better now than when we started?"),
}
RATING_QUESTION = _l("What mark do you give us, from 1 to 10?")


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
    # Who ended the support (issue 20); None for closings recorded before it was asked.
    ended_by: Mapped[EndedBy | None] = mapped_column(str_enum(EndedBy, "closing_ended_by"))
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


class GoalOutcome(AppendOnly, Base):
    """A goal's result at closing: one per goal that was still worked on (or achieved) when the
    case closed, with the family's last score copied (the plan's scores stay where they are) and
    the family's own words about it at the end."""

    __tablename__ = "goal_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"), unique=True)
    result: Mapped[GoalResult] = mapped_column(str_enum(GoalResult, "goal_result"))
    # The family's last valid score (0-10) when the case closed; None when it was never scored.
    last_score: Mapped[int | None]
    family_words: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    goal: Mapped[Goal] = relationship()


class SatisfactionAnswer(AppendOnly, Base):
    """What one person of the family answered about the help, at or after closing: three
    questions on a scale of 1 (not at all) to 5 (very much) and a mark from 1 to 10, each of them
    optional (the family may skip a question). A case may have several (several members)."""

    __tablename__ = "satisfaction_answers"
    __table_args__ = (
        CheckConstraint("heard IS NULL OR heard BETWEEN 1 AND 5", "heard_1_5"),
        CheckConstraint("own_say IS NULL OR own_say BETWEEN 1 AND 5", "own_say_1_5"),
        CheckConstraint("better_now IS NULL OR better_now BETWEEN 1 AND 5", "better_now_1_5"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 10", "rating_1_10"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    answered_on: Mapped[date] = mapped_column(Date)
    how: Mapped[SatisfactionHow] = mapped_column(str_enum(SatisfactionHow, "satisfaction_how"))
    # Who answered: a member of the family, or a name (someone not registered as a member).
    member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id"))
    who_name: Mapped[str] = mapped_column(String(200), default="")
    heard: Mapped[int | None]
    own_say: Mapped[int | None]
    better_now: Mapped[int | None]
    rating: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    member: Mapped[FamilyMember | None] = relationship()
    recorded_by: Mapped[User] = relationship()

    @property
    def who(self) -> str:
        """The name of the person who answered."""
        return self.member.first_name if self.member is not None else self.who_name
