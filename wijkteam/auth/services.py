"""Logging in and out, server-side sessions, lockout, and account management."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from wijkteam.audit.services import record
from wijkteam.auth.models import AuthSession, LoginThrottle, Role, Team, User
from wijkteam.auth.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from wijkteam.db import db, utc_now
from wijkteam.editing import apply_changes, check_version, save_changes
from wijkteam.errors import FieldError


class LoginFailed(Exception):
    """Wrong account name or password; the message never says which."""


class LockedOut(Exception):
    """Too many failed attempts for this account name."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(
    email: str, password: str, *, max_failures: int, lockout: timedelta, now: datetime | None = None
) -> User:
    """Check a login. Unknown, inactive and wrong-password accounts fail alike."""
    now = now or utc_now()
    key = normalise_email(email)
    # A plain read (no row lock held while the password hash is checked): the count itself is
    # kept by one atomic statement in _count_failure.
    locked_until = db.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.key == key))
    if locked_until is not None and locked_until > now:
        raise LockedOut
    user = db.scalar(select(User).where(User.email == key))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        _count_failure(key, now, max_failures=max_failures, lockout=lockout)
        record(user, "auth.login_failed")
        db.flush()
        raise LoginFailed
    db.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record(user, "auth.login")
    db.flush()
    return user


def _count_failure(key: str, now: datetime, *, max_failures: int, lockout: timedelta) -> None:
    """Count one failed login for `key` and lock it at `max_failures` within the window.

    One upsert (INSERT .. ON CONFLICT DO UPDATE .. RETURNING) on PostgreSQL and SQLite: two
    workers failing at the same moment for a new name no longer both INSERT the same key
    (an IntegrityError, a 500), and no failure is lost between reading and writing the count.
    The row stays locked until the request commits, so counts for one name are serial."""
    table = LoginThrottle.__table__
    dialect = db.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stamp = literal(now, LoginThrottle.window_started_at.type)
    window_over = table.c.window_started_at < now - lockout
    stmt = (
        insert(table)
        .values(key=key, failures=1, window_started_at=now, locked_until=None)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case((window_over, 1), else_=table.c.failures + 1),
                "window_started_at": case((window_over, stamp), else_=table.c.window_started_at),
            },
        )
        .returning(table.c.failures)
    )
    failures = db.execute(stmt).scalar_one()
    if failures >= max_failures:
        db.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key)
            .values(locked_until=now + lockout, failures=0, window_started_at=now)
        )


def start_session(user: User) -> str:
    """Create a server-side session and return its token (kept in the signed cookie)."""
    token = secrets.token_urlsafe(32)
    db.add(AuthSession(token_hash=_token_hash(token), user_id=user.id))
    db.flush()
    return token


def find_session(token: str) -> AuthSession | None:
    return db.scalar(select(AuthSession).where(AuthSession.token_hash == _token_hash(token)))


def end_session(token: str, actor: User | None) -> None:
    """Log out: the session can never be used again, even with a copied cookie."""
    auth = find_session(token)
    if auth is not None and auth.revoked_at is None:
        auth.revoked_at = utc_now()
        record(actor, "auth.logout")


def revoke_all_sessions(user: User) -> None:
    db.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utc_now())
    )


# --- account and team management (admins) ---------------------------------------------


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise FieldError("password", _l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))


def _check_email_free(email: str, user_id: int | None = None) -> None:
    existing = db.scalar(select(User.id).where(User.email == email))
    if existing is not None and existing != user_id:
        raise FieldError("email", _l("There is already an account with this e-mail address."))


def _check_team_role(role: Role, team_id: int | None) -> None:
    if role != Role.ADMIN and team_id is None:
        raise FieldError("team_id", _l("Choose a team: only admins can be without a team."))


def _check_second_reviewer(second_reviewer: object, team_id: int | None) -> None:
    if second_reviewer and team_id is None:
        raise FieldError(
            "second_reviewer", _l("A second reviewer signs off within a team: choose a team.")
        )


def create_user(
    actor: User | None,
    *,
    email: str,
    display_name: str,
    password: str,
    role: Role,
    team_id: int | None,
    second_reviewer: bool = False,
) -> User:
    """Create an account (admins, the CLI and the seed loader use this)."""
    email = normalise_email(email)
    _check_email_free(email)
    _check_password(password)
    _check_team_role(role, team_id)
    _check_second_reviewer(second_reviewer, team_id)
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=role,
        team_id=team_id,
        active=True,
        second_reviewer=second_reviewer,
    )
    db.add(user)
    db.flush()
    record(actor, "user.create", obj=user)
    return user


def update_user(
    actor: User, user: User, *, expected_version: int | None, password: str = "", **data: object
) -> list[str]:
    """Change an account; deactivating it (or changing its team or role) ends its sessions."""
    check_version(user, expected_version)
    if "email" in data:
        data["email"] = normalise_email(str(data["email"]))
        _check_email_free(str(data["email"]), user.id)
    role = data.get("role", user.role)
    team_id = data.get("team_id", user.team_id)
    _check_team_role(role, team_id)  # type: ignore[arg-type]
    _check_second_reviewer(data.get("second_reviewer", user.second_reviewer), team_id)  # type: ignore[arg-type]
    if user.id == actor.id and (data.get("active") is False or role != Role.ADMIN):
        raise FieldError(
            "active", _l("You cannot deactivate yourself or take away your own admin role.")
        )
    changed = apply_changes(user, data)
    if password:
        _check_password(password)
        user.password_hash = hash_password(password)
        changed.append("password")
    if {"active", "team_id", "role", "password"} & set(changed):
        revoke_all_sessions(user)
    if changed:
        record(actor, "user.update", obj=user, fields=changed)
    return changed


def create_team(actor: User | None, *, name: str, area: str = "") -> Team:
    name = name.strip()
    if db.scalar(select(Team.id).where(Team.name == name)) is not None:
        raise FieldError("name", _l("There is already a team with this name."))
    team = Team(name=name, area=area.strip(), active=True)
    db.add(team)
    db.flush()
    record(actor, "team.create", obj=team)
    return team


def update_team(actor: User, team: Team, *, expected_version: int | None, **data: object) -> None:
    """Rename a team or mark it (in)active."""
    name = str(data.get("name", team.name)).strip()
    other = db.scalar(select(Team.id).where(Team.name == name))
    if other is not None and other != team.id:
        raise FieldError("name", _l("There is already a team with this name."))
    save_changes(actor, team, expected_version=expected_version, data=data, action="team.update")
