"""The family's network: who is around the family, how they help, what they may be told,
and the meetings where the network comes together. Members are archived, never deleted."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import User
from wijkteam.cases.interpreting import InterpreterColumns
from wijkteam.cases.models import Family, FamilyMember
from wijkteam.core.db import Base, TimestampMixin, VersionedMixin
from wijkteam.core.enums import LabelledStrEnum, str_enum
from wijkteam.keyfigures.models import KeyFigure


class NetworkKind(LabelledStrEnum):
    FAMILY = "family", lazy_pgettext("network kind", "Family")
    FRIEND = "friend", _l("Friend")
    NEIGHBOUR = "neighbour", _l("Neighbour")
    VOLUNTEER = "volunteer", _l("Volunteer")
    # The key figure of a (migrant) self-organisation.
    INFORMAL_WORKER = "informal_worker", _l("Informal worker / key figure")
    PROFESSIONAL = "professional", _l("Professional / service")


# Who may be leaned on too much: the team keeps the care trajectory (issue 18).
LEANED_ON_KINDS = (NetworkKind.VOLUNTEER, NetworkKind.INFORMAL_WORKER)


class Closeness(LabelledStrEnum):
    CLOSE = "close", _l("Close")
    MIDDLE = "middle", _l("In between")
    FAR = "far", _l("Further away")


class Quality(LabelledStrEnum):
    SUPPORTIVE = "supportive", _l("Supportive")
    STRAINED = "strained", _l("Strained")
    UNSAFE = "unsafe", _l("Unsafe")


class InformalRole(LabelledStrEnum):
    CONFIDANT = "confidant", _l("Confidant")
    ADVISER = "adviser", _l("Engaged adviser")
    MEDIATOR_PARENTS_CHILDREN = (
        "mediator_parents_children",
        _l("Mediator between parents and children"),
    )
    SOCIAL_BROKER = "social_broker", _l("Social broker (bridge to services)")
    INFORMAL_HELPER = "informal_helper", _l("Informal helper")
    CARE_MEDIATOR = "care_mediator", _l("Mediator alongside professional care")
    CULTURAL_INTERPRETER = "cultural_interpreter", _l("Interpreter of language and culture")
    # Roles towards services (the bridge): the research names these four, mediator included.
    GUIDE_TO_SERVICES = "guide_to_services", _l("Guide into services")
    MOUTHPIECE = "mouthpiece", _l("Mouthpiece (speaks up for the family)")
    PIONEER = "pioneer", _l("Pioneer (goes first, shows the way)")


# The roles the informal_role column's CHECK constraint allows (the list before issue 18).
LEGACY_ROLES = frozenset(
    {
        "confidant",
        "adviser",
        "mediator_parents_children",
        "social_broker",
        "informal_helper",
        "care_mediator",
        "cultural_interpreter",
    }
)


class MeetingKind(LabelledStrEnum):
    INFORMAL = "informal", _l("Informal network meeting")
    FAMILY_GROUP_CONFERENCE = (
        "family_group_conference",
        _l("Family group conference (Eigen Kracht-conferentie)"),
    )


class OrganisedBy(LabelledStrEnum):
    FAMILY = "family", _l("The family itself")
    PROFESSIONAL = "professional", _l("The professional")


class SupportKind(LabelledStrEnum):
    """What a network member gives (a yes/no column `supports_<value>` each on NetworkMember,
    in this order)."""

    EMOTIONAL = "emotional", _l("emotional")
    PRACTICAL = "practical", _l("practical")
    INFORMATION = "information", _l("information and advice")
    # Informal social control: keeping an eye out ("een oogje in het zeil houden").
    SOCIAL_CONTROL = "social_control", _l("keeping an eye out")
    INTERGENERATIONAL = "intergenerational", _l("contact between generations")
    ROLE_MODEL = "role_model", _l("role model")


class AskedStatus(LabelledStrEnum):
    """Whether the person was asked to help, and what they said (with the date, `asked_on`)."""

    ASKED = "asked", _l("Asked, no answer yet")
    SAID_YES = "said_yes", _l("Asked, and said yes")
    SAID_NO = "said_no", _l("Asked, but said no")


class NetworkMember(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "network_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[NetworkKind] = mapped_column(str_enum(NetworkKind, "network_kind"))
    # Relation to whom in the family ("tante van Akosua"): a person and the words for it.
    related_member_id: Mapped[int | None] = mapped_column(ForeignKey("family_members.id"))
    relation: Mapped[str] = mapped_column(String(200), default="")
    supports_emotional: Mapped[bool] = mapped_column(default=False)
    supports_practical: Mapped[bool] = mapped_column(default=False)
    supports_information: Mapped[bool] = mapped_column(default=False)
    supports_social_control: Mapped[bool] = mapped_column(default=False, server_default=false())
    supports_intergenerational: Mapped[bool] = mapped_column(default=False, server_default=false())
    supports_role_model: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Asked to help (and what they said), when, and for what. None: not recorded.
    asked_status: Mapped[AskedStatus | None] = mapped_column(str_enum(AskedStatus, "asked_status"))
    asked_on: Mapped[date | None] = mapped_column(Date)
    asked_for: Mapped[str] = mapped_column(Text, default="", server_default="")
    closeness: Mapped[Closeness] = mapped_column(str_enum(Closeness, "closeness"))
    quality: Mapped[Quality] = mapped_column(str_enum(Quality, "quality"))
    gives_back: Mapped[str] = mapped_column(Text, default="")  # what the family gives back
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Before issue 18 the one role; now the first of informal_roles that this column's check
    # allows (LEGACY_ROLES), kept in step by the services for older readers.
    informal_role: Mapped[InformalRole | None] = mapped_column(
        str_enum(InformalRole, "informal_role")
    )
    # Every role this informal worker takes with this family (InformalRole values, in order).
    informal_roles: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    # The team's record of this person when they are a key figure who may help other families
    # too. Everything below is this family's own relation to them.
    key_figure_id: Mapped[int | None] = mapped_column(ForeignKey("key_figures.id"), index=True)
    # The role agreement: what they do and what they do not do, and when it was agreed.
    role_does: Mapped[str] = mapped_column(Text, default="", server_default="")
    role_does_not: Mapped[str] = mapped_column(Text, default="", server_default="")
    role_agreed_on: Mapped[date | None] = mapped_column(Date)
    # Did they agree to keep what they hear confidential? None = not discussed yet.
    confidentiality_agreed: Mapped[bool | None]
    confidentiality_on: Mapped[date | None] = mapped_column(Date)
    # The family's consent. None = not asked / not recorded yet.
    may_contact: Mapped[bool | None]
    may_be_told: Mapped[str] = mapped_column(Text, default="")
    consent_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    archived_on: Mapped[date | None] = mapped_column(Date)
    archive_reason: Mapped[str] = mapped_column(Text, default="")

    family: Mapped[Family] = relationship()
    related_member: Mapped[FamilyMember | None] = relationship()
    key_figure: Mapped[KeyFigure | None] = relationship()

    @property
    def roles(self) -> list[InformalRole]:
        known = {r.value for r in InformalRole}
        return [InformalRole(r) for r in self.informal_roles or [] if r in known]

    @property
    def has_role_agreement(self) -> bool:
        return self.role_agreed_on is not None

    @property
    def consent_recorded(self) -> bool:
        return self.may_contact is not None

    @property
    def is_archived(self) -> bool:
        return self.archived_on is not None

    @property
    def support_kinds(self) -> list[SupportKind]:
        return [kind for kind in SupportKind if getattr(self, f"supports_{kind.value}")]

    @property
    def said_no(self) -> bool:
        return self.asked_status == AskedStatus.SAID_NO


meeting_network_members = Table(
    "meeting_network_members",
    Base.metadata,
    Column("meeting_id", ForeignKey("network_meetings.id"), primary_key=True),
    Column("network_member_id", ForeignKey("network_members.id"), primary_key=True),
)
meeting_family_members = Table(
    "meeting_family_members",
    Base.metadata,
    Column("meeting_id", ForeignKey("network_meetings.id"), primary_key=True),
    Column("family_member_id", ForeignKey("family_members.id"), primary_key=True),
)


class NetworkMeeting(InterpreterColumns, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "network_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[MeetingKind] = mapped_column(str_enum(MeetingKind, "meeting_kind"))
    organised_by: Mapped[OrganisedBy] = mapped_column(str_enum(OrganisedBy, "organised_by"))
    other_attendees: Mapped[str] = mapped_column(Text, default="")  # e.g. "tolk Twi, juf Sanne"
    summary: Mapped[str] = mapped_column(Text, default="")
    agreed: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # When do we check whether the contacts held (one meeting is not enough: fragile contacts
    # fall away)? Past and not followed up, with no later meeting: a signal on the dashboard.
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    followed_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    network_members: Mapped[list[NetworkMember]] = relationship(
        secondary=meeting_network_members, order_by="NetworkMember.name"
    )
    family_members: Mapped[list[FamilyMember]] = relationship(
        secondary=meeting_family_members, order_by="FamilyMember.id"
    )
    recorded_by: Mapped[User] = relationship()
