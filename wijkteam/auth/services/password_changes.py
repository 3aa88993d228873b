"""Passwords: changing one's own, an admin's reset, and the one-time links to set one."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from wijkteam.audit.services import record
from wijkteam.auth import throttle
from wijkteam.auth.models import PasswordLink, User
from wijkteam.auth.passwords import hash_password, password_problem, verify_password
from wijkteam.auth.services.sessions import _token_hash, revoke_all_sessions
from wijkteam.core.db import db, utc_now
from wijkteam.core.errors import FieldError

# --- passwords --------------------------------------------------------------------------


def check_new_password(user_email: str, user_name: str, password: str, field: str) -> None:
    """The password policy (passwords.password_problem) as a FieldError on `field`."""
    problem = password_problem(password, email=user_email, name=user_name)
    if problem:
        raise FieldError(field, problem)


def change_password(
    user: User,
    *,
    current: str,
    new: str,
    session_token: str | None,
    limits: throttle.Limits,
    client: throttle.Client,
    now: datetime | None = None,
) -> None:
    """Change one's own password: the current one is required (and wrong guesses are
    throttled like logins, so a borrowed session cannot try passwords); the person's other
    sessions end, this one goes on."""
    now = now or utc_now()
    keys = throttle.keys_for(user.email, client)
    hold = throttle.held(keys, now)
    if hold is not None:
        minutes = max(1, -(-hold.retry_after(now) // 60))
        raise FieldError(
            "current_password",
            _l("Too many wrong passwords. Try again in %(minutes)d minutes.", minutes=minutes),
        )
    if not verify_password(user.password_hash, current):
        throttle.count_failure(keys, limits, now)
        record(user, "user.password_change_failed", obj=user)
        raise FieldError("current_password", _l("This is not your current password."))
    if new == current:
        raise FieldError("new_password", _l("Choose a password that differs from the current one."))
    check_new_password(user.email, user.display_name, new, "new_password")
    user.password_hash = hash_password(new)
    _cancel_links(user, now)
    revoke_all_sessions(user, keep_token=session_token)
    throttle.lift(user.email)
    record(user, "user.password_change", obj=user)
    db.flush()


def issue_password_link(
    actor: User | None, user: User, *, kind: str, valid_for: timedelta
) -> tuple[PasswordLink, str]:
    """A new one-time link for `user` to set a password; earlier unused links stop working.
    Returns the link and its token (shown once, never stored)."""
    now = utc_now()
    _cancel_links(user, now)
    token = secrets.token_urlsafe(32)
    link = PasswordLink(
        token_hash=_token_hash(token),
        user_id=user.id,
        kind=kind,
        created_by_id=actor.id if actor is not None else None,
        created_at=now,
        expires_at=now + valid_for,
    )
    db.add(link)
    db.flush()
    record(
        actor,
        "user.password_link",
        obj=user,
        detail=f"{kind} link for {user.email}, valid until {link.expires_at:%Y-%m-%d %H:%M} UTC",
    )
    return link, token


def reset_password(actor: User, user: User, *, valid_for: timedelta) -> tuple[PasswordLink, str]:
    """An admin's password reset: the old password stops working at once, every session of the
    account ends, holds on its login are lifted, and a one-time link is made for the person to
    set a new password. The admin never knows the password."""
    if not user.active:
        raise FieldError("active", _l("Reactivate this account first."))
    user.password_hash = None
    revoke_all_sessions(user)
    throttle.lift(user.email)
    return issue_password_link(actor, user, kind="reset", valid_for=valid_for)


def _cancel_links(user: User, now: datetime) -> None:
    db.execute(
        update(PasswordLink)
        .where(
            PasswordLink.user_id == user.id,
            PasswordLink.used_at.is_(None),
            PasswordLink.cancelled_at.is_(None),
        )
        .values(cancelled_at=now)
    )


def find_password_link(token: str, now: datetime | None = None) -> PasswordLink | None:
    """The link for this token if it can still be used: not used, not cancelled, not expired,
    and its account active."""
    now = now or utc_now()
    link = db.scalar(select(PasswordLink).where(PasswordLink.token_hash == _token_hash(token)))
    if (
        link is None
        or link.used_at is not None
        or link.cancelled_at is not None
        or link.expires_at <= now
        or not link.user.active
    ):
        return None
    return link


def set_password_from_link(link: PasswordLink, password: str) -> User:
    """Set the password through an invitation or reset link; the link is used up, any other
    session of the account ends and holds on its login are lifted."""
    user = link.user
    check_new_password(user.email, user.display_name, password, "password")
    now = utc_now()
    # Used up by one statement that only succeeds while the link is unused: two submits of the
    # same link at once cannot both set a password.
    result = db.execute(
        update(PasswordLink)
        .where(PasswordLink.id == link.id, PasswordLink.used_at.is_(None))
        .values(used_at=now)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise FieldError(
            "password", _l("This link was used already. Ask your admin for a new one.")
        )
    user.password_hash = hash_password(password)
    _cancel_links(user, now)
    revoke_all_sessions(user)
    throttle.lift(user.email)
    record(user, "user.password_set", obj=user, detail=f"through a {link.kind} link")
    db.flush()
    return user
