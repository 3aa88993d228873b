"""Case discussions (casusoverleg): a professional brings a case to the team with a question;
the team lead plans meetings with an agenda of those items; per item the team records its
summary, advice and decisions, and follow-ups become plan actions or tasks."""

from __future__ import annotations

from datetime import date, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import Team, User
from wijkteam.cases.models import Case
from wijkteam.core.db import Base, TimestampMixin, VersionedMixin
from wijkteam.core.enums import LabelledStrEnum, str_enum


class Need(LabelledStrEnum):
    """What the professional asks of the team."""

    ADVICE = "advice", _l("Advice")
    DECISION = "decision", _l("A decision")
    SECOND_LOOK = "second_look", _l("A second pair of eyes")
    DUO = "duo", _l("A duo colleague")


class ItemStatus(LabelledStrEnum):
    # Submitted, not on an agenda (new or postponed).
    WAITING = "waiting", _l("Waiting for a meeting")
    ON_AGENDA = "on_agenda", _l("On the agenda")
    DISCUSSED = "discussed", _l("Discussed")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


discussion_attendees = Table(
    "case_discussion_attendees",
    Base.metadata,
    Column("discussion_id", ForeignKey("case_discussions.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class CaseDiscussion(TimestampMixin, VersionedMixin, Base):
    """One case discussion meeting of a team."""

    __tablename__ = "case_discussions"
    __table_args__ = (Index("ix_case_discussions_team_id_held_on", "team_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    held_on: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[time | None] = mapped_column(Time)
    location: Mapped[str] = mapped_column(String(200), default="")
    chair_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    team: Mapped[Team] = relationship()
    chair: Mapped[User] = relationship()
    attendees: Mapped[list[User]] = relationship(
        secondary=discussion_attendees, order_by="User.display_name"
    )
    guests: Mapped[list[DiscussionGuest]] = relationship(
        back_populates="discussion", cascade="all, delete-orphan", order_by="DiscussionGuest.id"
    )
    items: Mapped[list[DiscussionItem]] = relationship(
        back_populates="discussion", order_by="DiscussionItem.position"
    )


class DiscussionGuest(Base):
    """Someone from outside the team at the meeting: recorded by name and role only. Guests
    have no account and get no access to case files."""

    __tablename__ = "case_discussion_guests"

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("case_discussions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")

    discussion: Mapped[CaseDiscussion] = relationship(back_populates="guests")


class DiscussionItem(TimestampMixin, VersionedMixin, Base):
    """A case brought to the case discussion, and what the team made of it."""

    __tablename__ = "discussion_items"
    __table_args__ = (
        Index("ix_discussion_items_status_case_id", "status", "case_id"),
        # Per meeting and status (the counts of discussed cases); SQLite, which has no statistics
        # unless ANALYZE runs, otherwise takes the status index and reads every team's items.
        Index("ix_discussion_items_discussion_id_status", "discussion_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    question: Mapped[str] = mapped_column(Text)
    tried: Mapped[str] = mapped_column(Text, default="")
    need: Mapped[Need] = mapped_column(str_enum(Need, "discussion_need"))
    status: Mapped[ItemStatus] = mapped_column(str_enum(ItemStatus, "discussion_item_status"))
    discussion_id: Mapped[int | None] = mapped_column(ForeignKey("case_discussions.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    postponed_times: Mapped[int] = mapped_column(default=0)
    # The outcome, recorded during or after the meeting.
    summary: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    discussion: Mapped[CaseDiscussion | None] = relationship(back_populates="items")

    @property
    def is_open(self) -> bool:
        return self.status in (ItemStatus.WAITING, ItemStatus.ON_AGENDA)


class Task(TimestampMixin, VersionedMixin, Base):
    """A follow-up for a team member that is not part of the family's plan (e.g. "consult
    Veilig Thuis", "join the next home visit as duo")."""

    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_owner_id_done_on", "owner_id", "done_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("discussion_items.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
