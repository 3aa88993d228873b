"""Logging in and out, and server-side sessions."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from wijkteam.audit.services import record
from wijkteam.auth import throttle
from wijkteam.auth.models import AuthSession, User
from wijkteam.auth.passwords import hash_password, needs_rehash, verify_password
from wijkteam.core.db import db, utc_now


class LoginFailed(Exception):
    """Wrong account name or password; the message never says which."""


class LockedOut(Exception):
    """Too many failed attempts from this client (for this account name, or from its address):
    wait a while. Says until when, and which limits hold it."""

    def __init__(self, hold: throttle.Hold) -> None:
        super().__init__("login held")
        self.hold = hold


class TeamInactive(Exception):
    """The right password, but the account's team is inactive: no login until an admin moves
    the person to an active team or reactivates the team."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(
    email: str,
    password: str,
    *,
    limits: throttle.Limits,
    client: throttle.Client,
    now: datetime | None = None,
) -> User:
    """Check a login. Unknown, inactive and wrong-password accounts fail alike; failures are
    counted per account name and client, and for unknown clients per name and per address
    (wijkteam/auth/throttle.py). A held attempt is refused before the password is checked,
    and leaves an audit row like a failure does."""
    now = now or utc_now()
    key = normalise_email(email)[:254]
    keys = throttle.keys_for(key, client)
    user = db.scalar(select(User).where(User.email == key))
    hold = throttle.held(keys, now)
    if hold is not None:
        record(user, "auth.login_throttled", detail="held by: " + ", ".join(hold.kinds))
        db.flush()
        raise LockedOut(hold)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        throttle.count_failure(keys, limits, now)
        record(user, "auth.login_failed")
        db.flush()
        raise LoginFailed
    throttle.clear_client(keys)
    if not user.team_is_active:
        record(user, "auth.login_refused", detail="team inactive")
        db.flush()
        raise TeamInactive
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record(user, "auth.login")
    db.flush()
    return user


def start_session(user: User) -> str:
    """Create a server-side session and return its token (kept in the signed cookie)."""
    token = secrets.token_urlsafe(32)
    db.add(AuthSession(token_hash=_token_hash(token), user_id=user.id))
    db.flush()
    return token


# Built once: every request of a logged-in user reads it (issue 21).
_SESSION = (
    select(AuthSession)
    .where(AuthSession.token_hash == bindparam("token_hash"))
    .options(joinedload(AuthSession.user).joinedload(User.team))
)


def find_session(token: str) -> AuthSession | None:
    """The session with its user and team in one query (every request needs all three: the
    loader checks the account and its team)."""
    return db.scalar(_SESSION, {"token_hash": _token_hash(token)})


def end_session(token: str, actor: User | None) -> None:
    """Log out: the session can never be used again, even with a copied cookie."""
    auth = find_session(token)
    if auth is not None and auth.revoked_at is None:
        auth.revoked_at = utc_now()
        record(actor, "auth.logout")


def revoke_all_sessions(user: User, *, keep_token: str | None = None) -> None:
    """End every session of the account (but the one with `keep_token`, if given)."""
    stmt = update(AuthSession).where(
        AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None)
    )
    if keep_token:
        stmt = stmt.where(AuthSession.token_hash != _token_hash(keep_token))
    db.execute(stmt.values(revoked_at=utc_now()))
