"""Conversation notes of home visits, calls and meetings: solution-focused parts, each with its
audience (who of the family may read it, notes/readers.py); drafts; addenda instead of edits
once final."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import User
from wijkteam.cases.interpreting import InterpreterColumns
from wijkteam.cases.models import Case, FamilyMember
from wijkteam.core.db import AppendOnly, Base, TimestampMixin, VersionedMixin, utc_now
from wijkteam.core.enums import LabelledStrEnum, str_enum
from wijkteam.network.models import NetworkMember


class ContactKind(LabelledStrEnum):
    HOME_VISIT = "home_visit", _l("Home visit")
    PHONE = "phone", _l("Phone call")
    VIDEO = "video", _l("Video call")
    OFFICE = "office", _l("At the office")
    MEETING = "meeting", _l("Meeting")
    OTHER = "other", _l("Other")


class NoteStatus(enum.StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class PartKind(LabelledStrEnum):
    """The parts of a solution-focused conversation, in the order of the form."""

    # The family's question or wish, in their own words.
    QUESTION = "question", _l("Question or wish")
    STRENGTHS = "strengths", _l("Strengths")  # strengths and what goes well
    EXCEPTIONS = "exceptions", _l("Exceptions")  # when is the problem absent or less?
    FUTURE = "future", _l("Future wishes")  # future wishes / the miracle question
    COMPLIMENTS = "compliments", _l("Compliments")
    AGREEMENTS = "agreements", _l("Agreements")  # agreements and the next small step
    FREE_TEXT = "free_text", _l("Other notes")


class Audience(LabelledStrEnum):
    """Who of the family may read a note part (docs/access.md, "Note parts and their readers").
    MEMBER and MEMBER_AND_PARENTS name the family member (NotePart.audience_member)."""

    TEAM = "team", _l("Only the team")
    FAMILY = "family", _l("The whole family")
    PARENTS = "parents", _l("Only the parents with parental authority")
    MEMBER = "member", _l("Only this person")
    MEMBER_AND_PARENTS = (
        "member_and_parents",
        _l("This young person and the parents with parental authority"),
    )

    @property
    def names_member(self) -> bool:
        """Whether this audience is about one family member (who must then be named)."""
        return self in MEMBER_AUDIENCES

    def describe(self, member_name: str | None = None) -> str:
        """The audience in words, with the member's name where it names one."""
        if member_name and self is Audience.MEMBER:
            return _("Only %(name)s", name=member_name)
        if member_name and self is Audience.MEMBER_AND_PARENTS:
            return _("%(name)s and the parents with parental authority", name=member_name)
        return self.label


MEMBER_AUDIENCES = frozenset({Audience.MEMBER, Audience.MEMBER_AND_PARENTS})


note_family_members = Table(
    "note_family_members",
    Base.metadata,
    Column("note_id", ForeignKey("notes.id"), primary_key=True),
    Column("member_id", ForeignKey("family_members.id"), primary_key=True),
)
note_network_members = Table(
    "note_network_members",
    Base.metadata,
    Column("note_id", ForeignKey("notes.id"), primary_key=True),
    Column("network_member_id", ForeignKey("network_members.id"), primary_key=True),
)
note_colleagues = Table(
    "note_colleagues",
    Base.metadata,
    Column("note_id", ForeignKey("notes.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class Note(InterpreterColumns, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "notes"
    __table_args__ = (
        Index("ix_notes_case_id_contact_on", "case_id", "contact_on"),
        # The timeline counts a case's notes that the reader may see (final, or their own
        # draft) from this index alone (issue 21: a case with 2,000 notes).
        Index("ix_notes_case_id_status_author_id", "case_id", "status", "author_id"),
        Index("ix_notes_author_id_origin_form_id", "author_id", "origin_form_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    contact_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[ContactKind] = mapped_column(str_enum(ContactKind, "contact_kind"))
    location: Mapped[str] = mapped_column(String(200), default="")
    # interpreter_name, interpreter_language, ...: InterpreterColumns.
    status: Mapped[NoteStatus] = mapped_column(str_enum(NoteStatus, "note_status"))
    finalised_at: Mapped[datetime | None]
    # While a draft: scores and next steps waiting to become goal scores and plan actions.
    pending: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The form instance (its one-time form id) that started this draft: a second save of that
    # same form, by autosave or by hand, continues this draft instead of starting another.
    origin_form_id: Mapped[str | None] = mapped_column(String(64))

    case: Mapped[Case] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    parts: Mapped[list[NotePart]] = relationship(back_populates="note", order_by="NotePart.id")
    family_members: Mapped[list[FamilyMember]] = relationship(
        secondary=note_family_members, order_by="FamilyMember.id"
    )
    network_members: Mapped[list[NetworkMember]] = relationship(
        secondary=note_network_members, order_by="NetworkMember.name"
    )
    colleagues: Mapped[list[User]] = relationship(
        secondary=note_colleagues, order_by="User.display_name"
    )
    addenda: Mapped[list[NoteAddendum]] = relationship(
        back_populates="note", order_by="NoteAddendum.id"
    )

    @property
    def is_draft(self) -> bool:
        return self.status == NoteStatus.DRAFT

    def part(self, kind: PartKind) -> NotePart | None:
        return next((p for p in self.parts if p.kind == kind), None)

    @property
    def ordered_parts(self) -> list[NotePart]:
        order = list(PartKind)
        return sorted((p for p in self.parts if p.text), key=lambda p: order.index(p.kind))


class NotePart(Base):
    __tablename__ = "note_parts"
    __table_args__ = (
        UniqueConstraint("note_id", "kind"),
        # A member is named exactly when the audience is about one member.
        CheckConstraint(
            "(audience IN ('member', 'member_and_parents') AND audience_member_id IS NOT NULL)"
            " OR (audience NOT IN ('member', 'member_and_parents')"
            " AND audience_member_id IS NULL)",
            name="audience_member",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id"), index=True)
    kind: Mapped[PartKind] = mapped_column(str_enum(PartKind, "part_kind"))
    text: Mapped[str] = mapped_column(Text, default="")
    # Who of the family may read it (notes/readers.py decides, per reader).
    audience: Mapped[Audience] = mapped_column(
        str_enum(Audience, "note_audience"), default=Audience.FAMILY
    )
    audience_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id"))

    note: Mapped[Note] = relationship(back_populates="parts")
    audience_member: Mapped[FamilyMember | None] = relationship()

    @property
    def audience_words(self) -> str:
        """Who may read this part, in words ("Only Emre")."""
        member = self.audience_member
        return self.audience.describe(member.first_name if member is not None else None)


class NoteAddendum(AppendOnly, Base):
    """A correction or addition to a final note: the note itself stays as it was."""

    __tablename__ = "note_addenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    text: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(default=False)

    note: Mapped[Note] = relationship(back_populates="addenda")
    author: Mapped[User] = relationship()
