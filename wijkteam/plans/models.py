"""The family plan: goals in the family's words, actions with owners, scaling scores,
the participation ladder (who decides), regie, the social participation ladder (VNG),
small successes, agreed versions and the strengths chosen for the family's paper. Nothing
here is ever hard-deleted. The closed lists (levels, statuses, kinds) are in plans/enums.py
and importable from here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import User
from wijkteam.cases.interpreting import InterpreterColumns
from wijkteam.cases.models import Case, FamilyMember
from wijkteam.core.db import AppendOnly, Base, IntEnumType, TimestampMixin, VersionedMixin, utc_now
from wijkteam.core.enums import str_enum
from wijkteam.network.models import NetworkMember
from wijkteam.notes.models import NotePart
from wijkteam.plans.compare import snapshot_date
from wijkteam.plans.enums import (
    ActionStatus,
    AgreedHow,
    ExplainedHow,
    GoalStatus,
    LadderLevel,
    OwnerKind,
    Regie,
    Repeats,
    SecondTextOf,
    SocialLadderLevel,
    WrittenHow,
)
from wijkteam.resources.models import Resource

goal_members = Table(
    "goal_members",
    Base.metadata,
    Column("goal_id", ForeignKey("goals.id"), primary_key=True),
    Column("member_id", ForeignKey("family_members.id"), primary_key=True),
)


class Plan(TimestampMixin, VersionedMixin, Base):
    """One plan per case. The live plan is the draft; agreed versions are frozen snapshots."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    started_on: Mapped[date] = mapped_column(Date)
    evaluation_on: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship()
    goals: Mapped[list[Goal]] = relationship(
        back_populates="plan", order_by="(Goal.position, Goal.id)"
    )
    ladder: Mapped[list[LadderEntry]] = relationship(
        order_by="(LadderEntry.changed_on, LadderEntry.id)", viewonly=True
    )
    regie_history: Mapped[list[RegieEntry]] = relationship(
        order_by="(RegieEntry.changed_on, RegieEntry.id)", viewonly=True
    )
    versions: Mapped[list[PlanVersion]] = relationship(order_by="PlanVersion.number", viewonly=True)
    successes: Mapped[list[Success]] = relationship(
        order_by="(Success.noted_on.desc(), Success.id.desc())", viewonly=True
    )
    # What goes on the family's paper as "what you are good at" (removed ones left out).
    strengths: Mapped[list[PlanStrength]] = relationship(
        primaryjoin="and_(PlanStrength.plan_id == Plan.id, PlanStrength.removed_at.is_(None))",
        order_by="(PlanStrength.position, PlanStrength.id)",
        viewonly=True,
    )

    @property
    def ladder_level(self) -> LadderLevel | None:
        return self.ladder[-1].level if self.ladder else None

    @property
    def regie(self) -> Regie | None:
        return self.regie_history[-1].regie if self.regie_history else None


class Goal(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # The family's own words.
    text: Mapped[str] = mapped_column(Text)
    why_it_matters: Mapped[str] = mapped_column(Text, default="")
    first_step: Mapped[str] = mapped_column(Text, default="")
    # Internal to the team: never shown to the family, never mixed into the family's text.
    reservations: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[GoalStatus] = mapped_column(str_enum(GoalStatus, "goal_status"))
    status_on: Mapped[date | None] = mapped_column(Date)
    status_reason: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="goals")
    members: Mapped[list[FamilyMember]] = relationship(
        secondary=goal_members, order_by="FamilyMember.id"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="goal", order_by="(Action.due_on, Action.id)"
    )
    scores: Mapped[list[ScaleScore]] = relationship(
        back_populates="goal", order_by="(ScaleScore.scored_on, ScaleScore.id)"
    )

    @property
    def is_open(self) -> bool:
        return self.status == GoalStatus.ACTIVE

    @property
    def valid_scores(self) -> list[ScaleScore]:
        return [s for s in self.scores if s.voided_at is None]

    @property
    def latest_score(self) -> ScaleScore | None:
        scores = self.valid_scores
        return scores[-1] if scores else None


class Action(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_kind: Mapped[OwnerKind] = mapped_column(str_enum(OwnerKind, "owner_kind"))
    # For the family: which family member (optional). For network / professional: a name.
    owner_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id"))
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    # For the network: the member from the family's network map (issue: the network).
    network_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("network_members.id"), index=True
    )
    # Set when the action was agreed at a network meeting, or in a conversation note.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("network_meetings.id"))
    note_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id"))
    # Set when the action was a follow-up of a case discussion (casusoverleg).
    discussion_item_id: Mapped[int | None] = mapped_column(ForeignKey("discussion_items.id"))
    # A resource from the catalogue ("goes to the fathers' group on Tuesdays").
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    repeats: Mapped[Repeats] = mapped_column(
        str_enum(Repeats, "repeats"), default=Repeats.ONCE, server_default=Repeats.ONCE.value
    )
    status: Mapped[ActionStatus] = mapped_column(str_enum(ActionStatus, "action_status"))
    # "We stay responsible": for an action a volunteer or informal worker does, a professional
    # of the team checks that it happens, by a date; last_checked_on when they last did.
    check_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    check_on: Mapped[date | None] = mapped_column(Date)
    last_checked_on: Mapped[date | None] = mapped_column(Date)

    goal: Mapped[Goal] = relationship(back_populates="actions")
    check_by: Mapped[User | None] = relationship(foreign_keys=[check_by_id])
    owner_member: Mapped[FamilyMember | None] = relationship()
    network_member: Mapped[NetworkMember | None] = relationship()
    resource: Mapped[Resource | None] = relationship()

    @property
    def from_team(self) -> bool:
        """A follow-up of a case discussion (casusoverleg)."""
        return self.discussion_item_id is not None

    @property
    def owner_display(self) -> str:
        if self.owner_member is not None:
            return self.owner_member.first_name
        if self.network_member is not None:
            return self.network_member.name
        return self.owner_name


# `Action.owner_display` in SQL, for a statement of plain rows that outer-joins the action's
# family member (on owner_member_id) and network member (on network_member_id): their names
# are never NULL, so the first one joined is the owner's (the plan page, the dashboard's
# checks).
OWNER_SHOWN = func.coalesce(FamilyMember.first_name, NetworkMember.name, Action.owner_name)


class ScaleScore(TimestampMixin, VersionedMixin, Base):
    """A scaling question at a contact: 0 = worst, 10 = goal reached."""

    __tablename__ = "scale_scores"
    __table_args__ = (
        CheckConstraint("family_score IS NULL OR family_score BETWEEN 0 AND 10", "family_0_10"),
        CheckConstraint(
            "professional_score IS NULL OR professional_score BETWEEN 0 AND 10",
            "professional_0_10",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"), index=True)
    scored_on: Mapped[date] = mapped_column(Date)
    family_score: Mapped[int | None]
    professional_score: Mapped[int | None]
    one_point_higher: Mapped[str] = mapped_column(Text, default="")
    # Set when the score was asked in a conversation note.
    note_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # A wrong entry is voided with a reason, never deleted.
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str] = mapped_column(Text, default="")

    goal: Mapped[Goal] = relationship(back_populates="scores")
    recorded_by: Mapped[User] = relationship()


class LadderEntry(AppendOnly, Base):
    """A change of the participation ladder (who decides), with why; never edited."""

    __tablename__ = "ladder_entries"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 6", "level_1_6"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    level: Mapped[LadderLevel] = mapped_column(IntEnumType(LadderLevel))
    changed_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    # Asked when the level goes down: what would it take to climb back?
    climb_back: Mapped[str] = mapped_column(Text, default="")
    # Set when the change was made because of a safety concern.
    safety_concern_id: Mapped[int | None] = mapped_column(ForeignKey("safety_concerns.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    recorded_by: Mapped[User] = relationship()


class RegieEntry(AppendOnly, Base):
    __tablename__ = "regie_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    regie: Mapped[Regie] = mapped_column(str_enum(Regie, "regie"))
    changed_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    safety_concern_id: Mapped[int | None] = mapped_column(ForeignKey("safety_concerns.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    recorded_by: Mapped[User] = relationship()


class SocialLadderEntry(AppendOnly, Base):
    """The VNG social participation ladder for an adult family member, over time."""

    __tablename__ = "social_ladder_entries"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 6", "level_1_6"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("family_members.id"), index=True)
    level: Mapped[SocialLadderLevel] = mapped_column(IntEnumType(SocialLadderLevel))
    recorded_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    member: Mapped[FamilyMember] = relationship()
    recorded_by: Mapped[User] = relationship()


class Success(AppendOnly, Base):
    """A small success worth remembering."""

    __tablename__ = "successes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id"))
    noted_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    goal: Mapped[Goal | None] = relationship()


class PlanVersion(InterpreterColumns, AppendOnly, Base):
    """A version of the plan as agreed with the family: frozen, read-only."""

    __tablename__ = "plan_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int]
    agreed_on: Mapped[date] = mapped_column(Date)
    agreed_how: Mapped[AgreedHow] = mapped_column(str_enum(AgreedHow, "agreed_how"))
    # Names of the family members who agreed, as they were then.
    agreed_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    # Agreed with an interpreter (InterpreterColumns; an empty language: without one).
    # How the plan was explained (issue 19): None for versions agreed before it was asked. For
    # READER, who read it aloud: an adult of the family, someone of its network, or a name.
    explained_how: Mapped[ExplainedHow | None] = mapped_column(
        str_enum(ExplainedHow, "explained_how")
    )
    reader_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    reader_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id"))
    reader_network_member_id: Mapped[int | None] = mapped_column(ForeignKey("network_members.id"))
    finalised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    finalised_at: Mapped[datetime] = mapped_column(default=utc_now)
    # The plan's content at that moment (goals, actions, ladder, regie, evaluation date).
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)

    finalised_by: Mapped[User] = relationship()
    reader_member: Mapped[FamilyMember | None] = relationship(foreign_keys=[reader_member_id])
    reader_network_member: Mapped[NetworkMember | None] = relationship(
        foreign_keys=[reader_network_member_id]
    )

    @property
    def reader_shown(self) -> str:
        """Who read the plan aloud, as a page shows it: the person chosen, else the name."""
        if self.reader_member is not None:
            return self.reader_member.full_name
        if self.reader_network_member is not None:
            return str(self.reader_network_member.name)
        return self.reader_name

    @property
    def content(self) -> dict[str, Any]:
        """The snapshot with its closed lists as enums again and its dates as dates (the JSON
        keeps values and ISO strings), so that the version page can show their labels and
        write the dates as every other page does."""
        data = self.snapshot
        level, regie = data.get("ladder_level"), data.get("regie")
        return {
            **data,
            "started_on": snapshot_date(data.get("started_on")),
            "evaluation_on": snapshot_date(data.get("evaluation_on")),
            "ladder_level": LadderLevel(level) if level else None,
            "regie": Regie(regie) if regie else None,
            "goals": [
                {
                    **goal,
                    "status": GoalStatus(goal["status"]),
                    "actions": [
                        {
                            # Keys added later (issue 16) are missing from older versions.
                            "id": None,
                            "from_team": False,
                            **action,
                            "owner_kind": OwnerKind(action["owner_kind"]),
                            "status": ActionStatus(action["status"]),
                            "repeats": Repeats(action.get("repeats") or Repeats.ONCE.value),
                            "due_on": snapshot_date(action.get("due_on")),
                        }
                        for action in goal.get("actions", [])
                    ],
                }
                for goal in data.get("goals", [])
            ],
        }


class PlanStrength(Base):
    """A strength chosen for the family's paper ("what you are good at"): a strengths or
    compliments part of a final note of the case, or a text written for the paper in the
    family's words. Removing one marks it removed; it stays on record."""

    __tablename__ = "plan_strengths"
    __table_args__ = (
        CheckConstraint(
            "(note_part_id IS NOT NULL AND text IS NULL) "
            "OR (note_part_id IS NULL AND text IS NOT NULL)",
            "note_part_or_text",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    note_part_id: Mapped[int | None] = mapped_column(ForeignKey("note_parts.id"))
    text: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    note_part: Mapped[NotePart | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    @property
    def words(self) -> str:
        """The text that goes on paper: the note part's, or the own text."""
        if self.note_part is not None:
            return self.note_part.text
        return self.text or ""


class SecondText(TimestampMixin, VersionedMixin, Base):
    """A goal's words, an action's words or a score's "one point higher" in the family's
    language (issue 19), next to the Dutch. `source_text` is the Dutch it renders, as it was
    when saved: when the Dutch changes, the second text is no longer current (the family's
    paper then shows the Dutch, explained orally). plans/services/second_texts.py."""

    __tablename__ = "second_texts"
    __table_args__ = (
        UniqueConstraint("object_type", "object_id", "lang"),
        CheckConstraint("lang <> 'nl'", "not_dutch"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # The goal it belongs to: the goal itself, one of its actions or one of its scores.
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"), index=True)
    object_type: Mapped[SecondTextOf] = mapped_column(str_enum(SecondTextOf, "second_text_of"))
    object_id: Mapped[int]
    # A print language (wijkteam/printout/languages.py), never Dutch.
    lang: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    source_text: Mapped[str] = mapped_column(Text)
    written_how: Mapped[WrittenHow] = mapped_column(str_enum(WrittenHow, "written_how"))
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    written_by: Mapped[User] = relationship()

    @property
    def key(self) -> tuple[str, int]:
        """What it renders, as the services key it: (object type, object id)."""
        return (self.object_type.value, self.object_id)
