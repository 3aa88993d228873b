"""The resource catalogue (sociale kaart) of a team, and referrals to and from resources."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import AppendOnly, Base, TimestampMixin, VersionedMixin, utc_now
from wijkteam.core.enums import LabelledStrEnum, str_enum


class ResourceKind(LabelledStrEnum):
    VOLUNTEER_ORG = "volunteer_org", _l("Volunteer organisation")
    SELF_ORG = "self_org", _l("Migrant self-organisation")
    # Opvoedparty, ouderkamer, ...
    PARENT_GROUP = "parent_group", _l("Parent meeting or group")
    PREVENTIVE = "preventive", _l("CJG / preventive service")
    SPECIALIST = "specialist", _l("Specialist care")
    OTHER = "other", _l("Other")


class Audience(LabelledStrEnum):
    EVERYONE = "everyone", _l("Everyone")
    PARENTS = "parents", _l("Parents")
    MOTHERS = "mothers", _l("Mothers")
    FATHERS = "fathers", _l("Fathers")
    CHILDREN = "children", _l("Children")
    YOUTH = "youth", _l("Young people")


class Direction(LabelledStrEnum):
    OUTGOING = "outgoing", _l("We refer the family to the resource")
    INCOMING = "incoming", _l("The resource referred the family to us")


class ReferralStatus(LabelledStrEnum):
    PROPOSED = "proposed", _l("Proposed")
    AGREED = "agreed", _l("Agreed with the family")
    MADE = "made", _l("Referral made")
    STARTED = "started", _l("Started")
    ENDED = "ended", _l("Ended")
    DECLINED = "declined", _l("Declined")


OPEN_REFERRAL = (
    ReferralStatus.PROPOSED,
    ReferralStatus.AGREED,
    ReferralStatus.MADE,
    ReferralStatus.STARTED,
)


class Resource(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "resources"
    __table_args__ = (Index("ix_resources_team_id_name", "team_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind, "resource_kind"))
    offers: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[Audience] = mapped_column(str_enum(Audience, "audience"))
    age_from: Mapped[int | None]
    age_to: Mapped[int | None]
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    area: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    when: Mapped[str] = mapped_column(String(300), default="")  # opening times, meeting days
    free: Mapped[bool] = mapped_column(default=True)
    archived_on: Mapped[date | None] = mapped_column(Date)
    archive_reason: Mapped[str] = mapped_column(Text, default="")

    @property
    def is_archived(self) -> bool:
        return self.archived_on is not None


class Referral(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, "direction"))
    reason: Mapped[str] = mapped_column(Text)
    family_wants: Mapped[str] = mapped_column(Text, default="")
    family_agreed: Mapped[bool | None]
    # Asked before referring to specialist care: what can the family and its network do?
    own_strength: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ReferralStatus] = mapped_column(str_enum(ReferralStatus, "referral_status"))

    case: Mapped[Case] = relationship()
    resource: Mapped[Resource] = relationship()
    owner: Mapped[User] = relationship()
    history: Mapped[list[ReferralStatusChange]] = relationship(
        order_by="(ReferralStatusChange.changed_on, ReferralStatusChange.id)", viewonly=True
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL


class ReferralStatusChange(AppendOnly, Base):
    __tablename__ = "referral_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    status: Mapped[ReferralStatus] = mapped_column(str_enum(ReferralStatus, "referral_status"))
    changed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    changed_by: Mapped[User] = relationship()
