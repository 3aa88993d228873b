"""Safety concerns: signals, the five steps of the Meldcode as a dated decision log, the Signs
of Safety map with a safety scale, and conditions set for the parents. Never hard-deleted."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import User
from wijkteam.cases.interpreting import InterpreterColumns
from wijkteam.cases.models import Case, FamilyMember
from wijkteam.core.db import Base, TimestampMixin, VersionedMixin
from wijkteam.core.enums import LabelledIntEnum, LabelledStrEnum, str_enum
from wijkteam.network.models import NetworkMember


class ConcernStatus(LabelledStrEnum):
    OPEN = "open", _l("Open")
    BEING_HANDLED = "being_handled", _l("Being handled")
    CLOSED = "closed", _l("Closed")


class ConditionState(LabelledStrEnum):
    NOT_REVIEWED = "not_reviewed", _l("Not checked yet")
    KEPT = "kept", _l("Kept")
    PARTLY = "partly", _l("Partly kept")
    NOT_KEPT = "not_kept", _l("Not kept")
    ENDED = "ended", _l("No longer needed")


class MeldcodeStepNumber(LabelledIntEnum):
    """The five steps of the Meldcode, in their order (a MeldcodeStep row records one)."""

    SIGNALS = 1, _l("Map the signals")
    CONSULT = 2, _l("Consult a colleague and, if needed, Veilig Thuis")
    CONVERSATION = 3, _l("Talk with the parents (and the child)")
    WEIGH = 4, _l("Weigh: the afwegingskader")
    DECIDE = 5, _l("Decide: organise help and/or report")


MELDCODE_STEPS = tuple(MeldcodeStepNumber)

concern_children = Table(
    "safety_concern_children",
    Base.metadata,
    Column("concern_id", ForeignKey("safety_concerns.id"), primary_key=True),
    Column("member_id", ForeignKey("family_members.id"), primary_key=True),
)


class SafetyConcern(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "safety_concerns"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    opened_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ConcernStatus] = mapped_column(str_enum(ConcernStatus, "concern_status"))
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_reason: Mapped[str] = mapped_column(Text, default="")
    # Asked at closing: what does it take to give regie back to the family?
    regie_return: Mapped[str] = mapped_column(Text, default="")
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Held back from the family's file under an exception of the Jeugdwet (e.g. the child's
    # safety, or another person's privacy): why, by whom and since when. Empty: not held back.
    file_withheld_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    file_withheld_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    file_withheld_on: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship()
    children: Mapped[list[FamilyMember]] = relationship(
        secondary=concern_children, order_by="FamilyMember.id"
    )
    signals: Mapped[list[Signal]] = relationship(
        back_populates="concern", order_by="(Signal.observed_on, Signal.id)"
    )
    steps: Mapped[list[MeldcodeStep]] = relationship(
        back_populates="concern", order_by="MeldcodeStep.step"
    )
    safety_map: Mapped[SafetyMap | None] = relationship(back_populates="concern")
    scores: Mapped[list[SafetyScore]] = relationship(
        back_populates="concern", order_by="(SafetyScore.scored_on, SafetyScore.id)"
    )
    conditions: Mapped[list[Condition]] = relationship(
        back_populates="concern", order_by="(Condition.starts_on, Condition.id)"
    )
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    file_withheld_by: Mapped[User | None] = relationship(foreign_keys=[file_withheld_by_id])

    @property
    def family_told(self) -> bool:
        """The family has been told about this concern: the conversation of Meldcode step 3
        was held, the decision of step 5 was shared with them, or a condition was agreed with
        them. Before that, the concern stays out of the family's file."""
        for step in self.steps:
            if step.step == 3 and step.conversation_held and not step.not_applicable:
                return True
            if step.step == 5 and step.family_told:
                return True
        return any(c.shared_with_family for c in self.conditions)

    @property
    def in_family_file(self) -> bool:
        return self.family_told and not self.file_withheld_reason

    @property
    def is_closed(self) -> bool:
        return self.status == ConcernStatus.CLOSED

    @property
    def next_step(self) -> MeldcodeStepNumber | None:
        done = {s.step for s in self.steps}
        return next((n for n in MELDCODE_STEPS if n not in done), None)

    def days_open(self, today: date) -> int:
        return ((self.closed_on or today) - self.opened_on).days

    @property
    def valid_scores(self) -> list[SafetyScore]:
        return [s for s in self.scores if s.voided_at is None]

    @property
    def reported_to_veilig_thuis(self) -> bool:
        return any(s.step == 5 and s.report_to_veilig_thuis for s in self.steps)


class Signal(TimestampMixin, VersionedMixin, Base):
    """Something seen or heard, with when and from whom."""

    __tablename__ = "safety_signals"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("safety_concerns.id"), index=True)
    observed_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    # Only the case lead and the team lead see a confidential source.
    source_confidential: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # A confidence passed on: the network member (often a key figure) who heard this in
    # confidence and told the professional. Such a source is always confidential.
    confided_by_id: Mapped[int | None] = mapped_column(ForeignKey("network_members.id"), index=True)
    # Before acting (the decision of Meldcode step 5): how the professional agreed with them
    # to act, when, and that the parents were told up front that the professional must act on
    # worries about safety. Whether they agreed to be named to the family as the source.
    confidence_agreement: Mapped[str] = mapped_column(Text, default="", server_default="")
    confidence_agreed_on: Mapped[date | None] = mapped_column(Date)
    parents_told_duty: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    confider_may_be_named: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    concern: Mapped[SafetyConcern] = relationship(back_populates="signals")
    recorded_by: Mapped[User] = relationship()
    confided_by: Mapped[NetworkMember | None] = relationship()

    @property
    def confidence_ready(self) -> bool:
        """A confidence passed on may be acted on: the agreement with the person who passed
        it on is recorded, and the parents were told up front."""
        return self.confided_by_id is None or (
            bool(self.confidence_agreement.strip())
            and self.confidence_agreed_on is not None
            and self.parents_told_duty
        )


class MeldcodeStep(InterpreterColumns, TimestampMixin, VersionedMixin, Base):
    """One step of the Meldcode: when, who, and what came out of it (or why not applicable)."""

    __tablename__ = "meldcode_steps"
    __table_args__ = (
        UniqueConstraint("concern_id", "step"),
        CheckConstraint("step BETWEEN 1 AND 5", "step_1_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("safety_concerns.id"), index=True)
    step: Mapped[int]
    done_on: Mapped[date] = mapped_column(Date)
    done_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(Text, default="")
    not_applicable: Mapped[bool] = mapped_column(default=False)
    # Step 2: consultation.
    colleague: Mapped[str] = mapped_column(String(200), default="")
    veilig_thuis_consulted: Mapped[bool | None]
    veilig_thuis_advice: Mapped[str] = mapped_column(Text, default="")
    # Step 3: the conversation with the parents / the child.
    conversation_held: Mapped[bool | None]
    talked_with: Mapped[str] = mapped_column(String(300), default="")
    # ... with an interpreter: InterpreterColumns (never a child).
    # Step 4: the afwegingskader.
    acute_unsafety: Mapped[bool | None]
    structural_unsafety: Mapped[bool | None]
    can_organise_help: Mapped[bool | None]
    family_cooperates: Mapped[bool | None]
    safe_in_agreed_time: Mapped[bool | None]
    # Step 5: the decision.
    organise_help: Mapped[bool | None]
    report_to_veilig_thuis: Mapped[bool | None]
    family_told: Mapped[bool | None]
    why_not_told: Mapped[str] = mapped_column(Text, default="")

    concern: Mapped[SafetyConcern] = relationship(back_populates="steps")
    done_by: Mapped[User] = relationship()


class SafetyMap(TimestampMixin, VersionedMixin, Base):
    """The Signs of Safety map of a concern."""

    __tablename__ = "safety_maps"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("safety_concerns.id"), unique=True)
    harm: Mapped[str] = mapped_column(Text, default="")
    danger_statement: Mapped[str] = mapped_column(Text, default="")
    complicating_factors: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    existing_safety: Mapped[str] = mapped_column(Text, default="")
    safety_goals: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")

    concern: Mapped[SafetyConcern] = relationship(back_populates="safety_map")


class SafetyScore(TimestampMixin, VersionedMixin, Base):
    """The safety scale: 10 = safe enough to close the case, 0 = the child is not safe."""

    __tablename__ = "safety_scores"
    __table_args__ = (
        CheckConstraint(
            "professional_score IS NULL OR professional_score BETWEEN 0 AND 10", "professional_0_10"
        ),
        CheckConstraint("family_score IS NULL OR family_score BETWEEN 0 AND 10", "family_0_10"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("safety_concerns.id"), index=True)
    scored_on: Mapped[date] = mapped_column(Date)
    professional_score: Mapped[int | None]
    family_score: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str] = mapped_column(Text, default="")

    concern: Mapped[SafetyConcern] = relationship(back_populates="scores")


class Condition(TimestampMixin, VersionedMixin, Base):
    """A condition (voorwaarde) set for the parents for the children's safety."""

    __tablename__ = "safety_conditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("safety_concerns.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[ConditionState] = mapped_column(str_enum(ConditionState, "condition_state"))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # Shared with the parents as an agreement (the printout shows only shared conditions).
    shared_with_family: Mapped[bool] = mapped_column(default=True)

    concern: Mapped[SafetyConcern] = relationship(back_populates="conditions")
