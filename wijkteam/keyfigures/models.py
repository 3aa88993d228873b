"""Key figures: informal workers (a key figure of a church or self-organisation, a confidant, a
volunteer of a self-organisation) recorded once for the team, however many of the team's
families they help. What they are to one family (roles, role agreement, confidentiality) stays
on that family's network member (`NetworkMember.key_figure_id`), never on this record."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.core.db import Base, TimestampMixin, VersionedMixin
from wijkteam.core.enums import LabelledStrEnum, str_enum
from wijkteam.resources.models import Resource


class KeyFigureKind(LabelledStrEnum):
    KEY_FIGURE = "key_figure", _l("Key figure of a community or self-organisation")
    CONFIDANT = "confidant", _l("Confidant")
    VOLUNTEER = "volunteer", _l("Volunteer of a self-organisation")


class KeyFigure(TimestampMixin, VersionedMixin, Base):
    """Team data: who the person is and where they belong, nothing about any one family."""

    __tablename__ = "key_figures"
    __table_args__ = (Index("ix_key_figures_team_id_name", "team_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[KeyFigureKind] = mapped_column(str_enum(KeyFigureKind, "key_figure_kind"))
    # Their organisation in the team's resource catalogue, where there is one; else its name.
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id"), index=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")

    resource: Mapped[Resource | None] = relationship()

    @property
    def organisation_name(self) -> str:
        return self.resource.name if self.resource is not None else self.organisation
