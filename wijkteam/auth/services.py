"""Logging in and out, server-side sessions, lockout, and account management."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from wijkteam.audit import history
from wijkteam.audit.services import record
from wijkteam.auth import throttle
from wijkteam.auth.models import AuthSession, PasswordLink, Role, Team, User
from wijkteam.auth.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from wijkteam.core.db import db, utc_now
from wijkteam.core.editing import apply_changes, check_version
from wijkteam.core.errors import EditConflict, FieldError


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


def find_session(token: str) -> AuthSession | None:
    """The session with its user and team in one query (every request needs all three: the
    loader checks the account and its team)."""
    return db.scalar(
        select(AuthSession)
        .where(AuthSession.token_hash == _token_hash(token))
        .options(joinedload(AuthSession.user).joinedload(User.team))
    )


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


# --- account and team management (admins) ---------------------------------------------

# Fields of an account that decide what it may see: an admin never changes them on his own
# account, and every change to them names the old and the new value in the audit log.
ACCESS_FIELDS = ("role", "team_id", "active", "second_reviewer")


def _check_email_free(email: str, user_id: int | None = None) -> None:
    existing = db.scalar(select(User.id).where(User.email == email))
    if existing is not None and existing != user_id:
        raise FieldError("email", _l("There is already an account with this e-mail address."))


def _check_team_role(role: Role, team_id: int | None) -> None:
    if role != Role.ADMIN and team_id is None:
        raise FieldError("team_id", _l("Choose a team: only admins can be without a team."))


def _check_team_active(team_id: int | None, current_team_id: int | None = None) -> None:
    """Nobody is moved into an inactive team (who stays in one keeps it until moved)."""
    if team_id is None or team_id == current_team_id:
        return
    team = db.get(Team, team_id)
    if team is None:
        raise FieldError("team_id", _l("This team does not exist."))
    if not team.active:
        raise FieldError("team_id", _l("This team is inactive. Choose an active team."))


def _check_second_reviewer(second_reviewer: object, team_id: int | None) -> None:
    if second_reviewer and team_id is None:
        raise FieldError(
            "second_reviewer", _l("A second reviewer signs off within a team: choose a team.")
        )


def _shown(name: str, value: object) -> str:
    """A value as the audit detail names it: a team with its id and name, flags as yes/no."""
    if name == "team_id":
        if value is None:
            return "no team"
        team = db.get(Team, value)
        return f"#{value} {team.name[:60]}" if team is not None else f"#{value}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(getattr(value, "value", value))


def change_detail(old: dict[str, object], new: dict[str, object]) -> str:
    """'role: professional -> teamlead; team_id: #1 Team Noord -> #2 Team Zuid'."""
    return "; ".join(f"{n}: {_shown(n, old[n])} -> {_shown(n, new[n])}" for n in old)


def create_user(
    actor: User | None,
    *,
    email: str,
    display_name: str,
    role: Role,
    team_id: int | None,
    second_reviewer: bool = False,
    password: str | None = None,
) -> User:
    """Create an account (admins, the CLI and the seed loader use this). Without a password the
    account waits for its invitation link (issue_password_link); a password given here (the
    CLI's first admin, the demo data) must pass the same policy as any other."""
    email = normalise_email(email)
    display_name = display_name.strip()
    _check_email_free(email)
    if password is not None:
        check_new_password(email, display_name, password, "password")
    _check_team_role(role, team_id)
    _check_team_active(team_id)
    _check_second_reviewer(second_reviewer, team_id)
    user = User(
        email=email,
        display_name=display_name,
        password_hash=hash_password(password) if password is not None else None,
        role=role,
        team_id=team_id,
        active=True,
        second_reviewer=second_reviewer,
    )
    db.add(user)
    db.flush()
    values = {"role": role, "team_id": team_id, "active": True, "second_reviewer": second_reviewer}
    record(
        actor,
        "user.create",
        obj=user,
        detail=f"{email}; " + "; ".join(f"{n}: {_shown(n, v)}" for n, v in values.items()),
    )
    return user


def update_user(
    actor: User, user: User, *, expected_version: int | None, **data: object
) -> list[str]:
    """Change an account. Deactivating it, or changing its team or role, ends its sessions;
    reactivating it lifts holds on its login. An admin cannot change what decides his own
    access (role, team, active, second reviewer): another admin does that, so nobody gives
    himself a team. Access changes are audited with their old and new values."""
    check_version(user, expected_version)
    if "email" in data:
        data["email"] = normalise_email(str(data["email"]))
        _check_email_free(str(data["email"]), user.id)
    if user.id == actor.id:
        for name in ACCESS_FIELDS:
            if name in data and data[name] != getattr(user, name):
                raise FieldError(
                    name,
                    _l(
                        "You cannot change your own role, team, active status or second "
                        "reviewer status. Ask another admin."
                    ),
                )
    role = data.get("role", user.role)
    team_id = data.get("team_id", user.team_id)
    _check_team_role(role, team_id)  # type: ignore[arg-type]
    _check_team_active(team_id, user.team_id)  # type: ignore[arg-type]
    _check_second_reviewer(data.get("second_reviewer", user.second_reviewer), team_id)  # type: ignore[arg-type]
    watched = (*ACCESS_FIELDS, "email")
    old = {n: getattr(user, n) for n in watched if n in data and data[n] != getattr(user, n)}
    changed = apply_changes(user, data)
    if {"active", "team_id", "role"} & set(changed):
        revoke_all_sessions(user)
    if "active" in changed:
        if not user.active:
            _cancel_links(user, utc_now())
        throttle.lift(user.email)
    if changed:
        detail = change_detail(old, {n: getattr(user, n) for n in old})
        record(actor, "user.update", obj=user, fields=changed, detail=detail)
    return changed


def unlock_login(actor: User, user: User) -> int:
    """An admin lifts every hold on the account's login, from every client."""
    lifted = throttle.lift(user.email)
    record(actor, "user.unlock", obj=user, detail=f"{lifted} hold(s) lifted for {user.email}")
    return lifted


def create_team(actor: User | None, *, name: str, area: str = "") -> Team:
    name = name.strip()
    if db.scalar(select(Team.id).where(Team.name == name)) is not None:
        raise FieldError("name", _l("There is already a team with this name."))
    team = Team(name=name, area=area.strip(), active=True)
    db.add(team)
    db.flush()
    record(actor, "team.create", obj=team, detail=name)
    return team


def update_team(actor: User, team: Team, *, expected_version: int | None, **data: object) -> None:
    """Rename a team or mark it (in)active. An inactive team's members lose access to case files
    at once: their sessions end and they cannot log in until an admin moves them to an active
    team or reactivates the team. Its cases stay on record. A team with an active admin in it
    is not made inactive (move the admin first), so no admin locks himself or others out."""
    check_version(team, expected_version)
    name = str(data.get("name", team.name)).strip()
    other = db.scalar(select(Team.id).where(Team.name == name))
    if other is not None and other != team.id:
        raise FieldError("name", _l("There is already a team with this name."))
    if team.active and data.get("active") is False:
        admins = db.scalars(
            select(User.display_name).where(
                User.team_id == team.id, User.role == Role.ADMIN, User.active.is_(True)
            )
        ).all()
        if admins:
            raise FieldError(
                "active",
                _l(
                    "This team has admins in it (%(names)s). Move them to another team or to "
                    "no team first.",
                    names=", ".join(admins),
                ),
            )
    old = {n: getattr(team, n) for n, v in data.items() if getattr(team, n) != v}
    if not old:
        return
    history.keep(actor, team, old, None)
    for n in old:
        setattr(team, n, data[n])
    try:
        db.flush()
    except StaleDataError:
        raise EditConflict(team) from None
    if "active" in old and not team.active:
        db.execute(
            update(AuthSession)
            .where(
                AuthSession.user_id.in_(select(User.id).where(User.team_id == team.id)),
                AuthSession.revoked_at.is_(None),
            )
            .values(revoked_at=utc_now())
        )
    detail = "; ".join(f"{n}: {_shown(n, old[n])} -> {_shown(n, getattr(team, n))}" for n in old)
    record(actor, "team.update", obj=team, fields=list(old), detail=detail)
