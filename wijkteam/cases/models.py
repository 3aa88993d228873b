"""Families, their members, and cases. Plans, goals, network, safety and notes hang off Case."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import Team, User
from wijkteam.core.db import AppendOnly, Base, TimestampMixin, VersionedMixin, utc_now
from wijkteam.core.enums import LabelledStrEnum, str_enum

if TYPE_CHECKING:
    from wijkteam.network.models import NetworkMember


class MemberRole(LabelledStrEnum):
    PARENT = "parent", _l("Parent")
    CHILD = "child", _l("Child")
    OTHER_CARER = "other_carer", _l("Other carer")
    OTHER = "other", _l("Other household member")


class Custody(LabelledStrEnum):
    """Who holds parental authority (gezag) over a child."""

    BOTH_PARENTS = "both_parents", _l("Both parents")
    MOTHER = "mother", _l("Mother")
    FATHER = "father", _l("Father")
    GUARDIAN = "guardian", _l("Guardian (voogd)")
    OTHER = "other", _l("Other")


class CaseStatus(LabelledStrEnum):
    INTAKE = "intake", lazy_pgettext("case status", "Intake")
    ACTIVE = "active", lazy_pgettext("case status", "Active")
    CLOSED = "closed", lazy_pgettext("case status", "Closed")


class CloseReason(LabelledStrEnum):
    GOALS_REACHED = "goals_reached", _l("Goals reached")
    FAMILY_ENDED = "family_ended", _l("The family chose to stop")
    REFERRED = "referred", _l("Referred to other help")
    MOVED = "moved", _l("Family moved away")
    NO_CONTACT = "no_contact", _l("No contact anymore")
    OTHER = "other", _l("Other reason")


class WayIn(LabelledStrEnum):
    """How the family came to the team (the way in)."""

    SELF = "self", _l("By itself")
    SCHOOL = "school", _l("Through school")
    GP = "gp", _l("Through the GP")
    VEILIG_THUIS = "veilig_thuis", _l("Through Veilig Thuis")
    OTHER_ORGANISATION = "other_organisation", _l("Through another organisation")
    INTERMEDIARY = "intermediary", _l("Through an intermediary (a key figure)")


class IntermediaryHelp(LabelledStrEnum):
    """What the intermediary did on the way in (a yes/no column each on Case)."""

    GROUNDWORK = "groundwork", _l("did the groundwork with the family")
    FIRST_CONTACT = "first_contact", _l("was there at the first contact")
    WORDED_QUESTION = "worded_question", _l("helped put the question into words")
    GOES_ALONG = "goes_along", _l("goes along to appointments")


class Family(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # In the family's own words: culture, religion, earlier experiences with services.
    context: Mapped[str] = mapped_column(Text, default="")

    members: Mapped[list[FamilyMember]] = relationship(
        back_populates="family",
        order_by="(FamilyMember.date_of_birth, FamilyMember.id)",
    )
    cases: Mapped[list[Case]] = relationship(back_populates="family", order_by="Case.id")


class FamilyMember(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "family_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    role: Mapped[MemberRole] = mapped_column(str_enum(MemberRole, "member_role"))
    # Languages per person, in order of ease, free text ("Twi", "Engels (een beetje)").
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    interpreter_language: Mapped[str] = mapped_column(String(80), default="")
    custody: Mapped[Custody | None] = mapped_column(str_enum(Custody, "custody"))
    # Whether this adult holds parental authority (gezag, or guardianship: voogdij) over a child
    # of the family, as the team recorded it; None: as the role says (a parent does, another
    # carer such as a grandparent does not). See `holds_authority`.
    authority: Mapped[bool | None] = mapped_column(default=None)
    # A member who moved out stays on record with the date.
    left_household_on: Mapped[date | None] = mapped_column(Date)

    family: Mapped[Family] = relationship(back_populates="members")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def holds_authority(self) -> bool:
        """Whether the member is one of "the parents with parental authority" who read and
        sign the family's paper (notes/readers.py): as recorded, else a parent does and
        another carer does not; a child never does."""
        if self.role == MemberRole.CHILD:
            return False
        if self.authority is not None:
            return self.authority
        return self.role == MemberRole.PARENT


class Case(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_team_id_status", "team_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    duo_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    question_for_help: Mapped[str] = mapped_column(Text)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus, "case_status"))
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_reason: Mapped[CloseReason | None] = mapped_column(str_enum(CloseReason, "close_reason"))
    close_note: Mapped[str] = mapped_column(Text, default="")
    # The way in: how the family came (None: not recorded), which school or organisation (or
    # anything else worth knowing), and for an intermediary: the family's network member who
    # is that key figure, and what they did (IntermediaryHelp).
    way_in: Mapped[WayIn | None] = mapped_column(str_enum(WayIn, "way_in"))
    way_in_detail: Mapped[str] = mapped_column(String(300), default="", server_default="")
    way_in_network_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("network_members.id"), index=True
    )
    via_groundwork: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    via_first_contact: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    via_worded_question: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    via_goes_along: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    family: Mapped[Family] = relationship(back_populates="cases")
    team: Mapped[Team] = relationship(back_populates="cases")
    lead: Mapped[User] = relationship(foreign_keys=[lead_id])
    duo: Mapped[User | None] = relationship(foreign_keys=[duo_id])
    way_in_network_member: Mapped[NetworkMember | None] = relationship(
        foreign_keys=[way_in_network_member_id]
    )

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    @property
    def intermediary_help(self) -> list[IntermediaryHelp]:
        return [h for h in IntermediaryHelp if getattr(self, f"via_{h.value}")]


class CaseHandover(AppendOnly, Base):
    """A change of case lead or duo colleague: who decided it, from whom to whom, and why.

    Only the team lead or the current case lead makes it (permissions.can_change_lead), the
    team lead sees every hand-over of the team, and the people it concerns see it in their week."""

    __tablename__ = "case_handovers"
    __table_args__ = (Index("ix_case_handovers_team_id_at", "team_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(default=utc_now)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_lead_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    to_lead_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_duo_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_duo_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)

    case: Mapped[Case] = relationship()
    changed_by: Mapped[User] = relationship(foreign_keys=[changed_by_id])
    from_lead: Mapped[User] = relationship(foreign_keys=[from_lead_id])
    to_lead: Mapped[User] = relationship(foreign_keys=[to_lead_id])
    from_duo: Mapped[User | None] = relationship(foreign_keys=[from_duo_id])
    to_duo: Mapped[User | None] = relationship(foreign_keys=[to_duo_id])
