"""Teams, accounts, server-side login sessions and login throttling."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from wijkteam.core.db import Base, TimestampMixin, VersionedMixin, utc_now
from wijkteam.core.enums import LabelledStrEnum, str_enum

if TYPE_CHECKING:
    from wijkteam.cases.models import Case


class Role(LabelledStrEnum):
    PROFESSIONAL = "professional", _l("Professional")
    TEAMLEAD = "teamlead", _l("Team lead")
    ADMIN = "admin", _l("Admin")
    # Someone of the municipality or the organisation who reads the outcome figures across
    # teams and nothing else: no team, no case (docs/outcomes.md, wijkteam/outcomes/access.py).
    ANALYST = "analyst", _l("Analyst")


# The team's contact facts and rights texts on the family's paper, in the order of the form.
TEAM_CONTACT_FIELDS = (
    "phone",
    "email",
    "reachable",
    "complaints",
    "client_support",
    "youth_rights",
    "veilig_thuis",
)


class Team(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    area: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # Who to call and what their rights are, on the family's paper (set by an admin; the
    # printout's words around them: wijkteam/printout/contact_sheet.py). Empty means "not
    # known": the paper then says the default (or nothing, for a number or address).
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    reachable: Mapped[str] = mapped_column(String(200), default="", server_default="")
    complaints: Mapped[str] = mapped_column(Text, default="", server_default="")
    client_support: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Empty: the national AKJ (youth care rights) and Veilig Thuis lines.
    youth_rights: Mapped[str] = mapped_column(Text, default="", server_default="")
    veilig_thuis: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Families (open cases as case lead) per full-time professional; None: no norm set. Set by
    # the team lead on the team settings page (or by an admin).
    caseload_norm: Mapped[int | None]
    # The print languages the team offers for the family's paper (codes of
    # wijkteam/printout/languages.py; Dutch always). None: every print language. Set by an admin.
    print_languages: Mapped[list[str] | None] = mapped_column(JSON)

    members: Mapped[list[User]] = relationship(back_populates="team", order_by="User.display_name")
    cases: Mapped[list[Case]] = relationship(back_populates="team", viewonly=True)


class User(TimestampMixin, VersionedMixin, Base):
    """An account. `role` says what kind of work; `team` says whose cases they may see."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    # None until the person sets a password through an invitation or password link.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    # A deputy team lead or behavioural scientist: signs off what someone else asked for,
    # including what the team lead asked for (four eyes; wijkteam/reviews).
    second_reviewer: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # Work phone and working days/hours, on the paper of the families this person works with.
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    reachable: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # What this person brings to matching a family with a case lead: their own choice, on their
    # own profile page (auth.profile); their team lead sees it when choosing who leads a case.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    background: Mapped[str] = mapped_column(Text, default="", server_default="")
    expertise: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Part of a full-time job, in percent: the caseload norm counts for this share (set by the
    # team lead on the team settings page, or by an admin).
    work_percent: Mapped[int] = mapped_column(default=100, server_default="100")

    team: Mapped[Team | None] = relationship(back_populates="members")

    @property
    def profile_told(self) -> bool:
        """Whether this person filled in anything of their matching profile."""
        return bool(self.languages or self.background or self.expertise)

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

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.ANALYST

    @property
    def team_is_active(self) -> bool:
        """False for a member of an inactive team: no access to case files, no login."""
        return self.team is None or self.team.active


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


class PasswordLink(Base):
    """A one-time link to set a password: an invitation for a new account, or a reset made by
    an admin. Only a hash of the token is stored; the admin sees the link once and passes it
    on, so no admin ever knows a password."""

    __tablename__ = "password_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "invite" or "reset"
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # A newer link, a password change or deactivation cancels a link that was not used.
    cancelled_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class LoginThrottle(Base):
    """Failed logins, counted per key (wijkteam/auth/throttle.py): one account name from one
    client, one account name from all unknown clients, or one address over all names. Kept in
    the database so every worker process sees the same count; counted by one upsert per
    failure, so simultaneous failures are all counted. The key is a hash: no addresses here."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "client", "account" or "address"
    # The account name (lower case) for "client" and "account" rows, so an admin can lift them.
    account: Mapped[str | None] = mapped_column(String(254), index=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(default=utc_now)
    locked_until: Mapped[datetime | None]


def by_name(relationship: Any) -> Any:
    """A joined load of a relationship to a person who is only named where it is shown (who
    asked, who decided, who handed over): the name and no more of the user's row (issue 21: a
    user's 18 columns per person named cost more than the query; e-mail and password hash are
    not read for a list). Pages that show such lists are held to loading nothing afterwards
    (tests/test_seed.py, test_the_dashboards_load_nothing_lazily)."""
    return joinedload(relationship).load_only(User.display_name)
