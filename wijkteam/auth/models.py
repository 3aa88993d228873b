"""Teams, accounts, server-side login sessions and login throttling."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.db import Base, TimestampMixin, VersionedMixin, utc_now
from wijkteam.enums import str_enum

if TYPE_CHECKING:
    from wijkteam.cases.models import Case


class Role(enum.StrEnum):
    PROFESSIONAL = "professional"
    TEAMLEAD = "teamlead"
    ADMIN = "admin"


class Team(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    area: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)

    members: Mapped[list[User]] = relationship(back_populates="team", order_by="User.display_name")
    cases: Mapped[list[Case]] = relationship(back_populates="team", viewonly=True)


class User(TimestampMixin, VersionedMixin, Base):
    """An account. `role` says what kind of work; `team` says whose cases they may see."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    # A deputy team lead or behavioural scientist: signs off what someone else asked for,
    # including what the team lead asked for (four eyes; wijkteam/signoff).
    second_reviewer: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    team: Mapped[Team | None] = relationship(back_populates="members")

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_teamlead(self) -> bool:
        return self.role == Role.TEAMLEAD


class AuthSession(Base):
    """A login on the server side: logout, deactivation and idle time end it here,
    so a copied cookie is worthless afterwards. Only a hash of the token is stored."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(default=utc_now)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Failed logins per account name (existing or not, so lockout reveals nothing).
    Kept in the database so every worker process sees the same count; counted by one upsert
    per failure (auth.services._count_failure), so simultaneous failures are all counted."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(default=utc_now)
    locked_until: Mapped[datetime | None]
