"""Account and team management (admins, the CLI and the seed loader)."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from wijkteam.audit import history
from wijkteam.audit.services import MAX_DETAIL, record
from wijkteam.auth import throttle
from wijkteam.auth.models import AuthSession, Role, Team, User
from wijkteam.auth.passwords import hash_password
from wijkteam.auth.services.password_changes import _cancel_links, check_new_password
from wijkteam.auth.services.sessions import normalise_email, revoke_all_sessions
from wijkteam.core.db import db, utc_now
from wijkteam.core.editing import apply_changes, check_version
from wijkteam.core.errors import EditConflict, FieldError

# --- account and team management (admins) ---------------------------------------------

# Fields of an account that decide what it may see: an admin never changes them on his own
# account, and every change to them names the old and the new value in the audit log.
ACCESS_FIELDS = ("role", "team_id", "active", "second_reviewer")
# Further fields of an account whose changes the audit log names with old and new values: the
# login name, and the contact details printed on the families' paper.
NAMED_FIELDS = ("email", "phone", "reachable")


def _check_email_free(email: str, user_id: int | None = None) -> None:
    existing = db.scalar(select(User.id).where(User.email == email))
    if existing is not None and existing != user_id:
        raise FieldError("email", _l("There is already an account with this e-mail address."))


def _check_team_role(role: Role, team_id: int | None) -> None:
    if role == Role.ANALYST:
        if team_id is not None:
            raise FieldError(
                "team_id",
                _l(
                    "An analyst sees the outcomes of all teams and works in none: leave the "
                    "team empty."
                ),
            )
        return
    if role != Role.ADMIN and team_id is None:
        raise FieldError(
            "team_id", _l("Choose a team: only admins and analysts can be without a team.")
        )


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


def _shown(name: str, value: object, limit: int | None = None) -> str:
    """A value as the audit detail names it: a team with its id and name, flags as yes/no, an
    empty text as (empty); a text longer than `limit` is shortened with an ellipsis."""
    if name == "team_id":
        if value is None:
            return "no team"
        team = db.get(Team, value)
        return f"#{value} {team.name[:60]}" if team is not None else f"#{value}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(getattr(value, "value", value))
    if text == "":
        return "(empty)"
    if limit is not None and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


def _fit(render: Callable[[int | None], str]) -> str:
    """The detail as `render` writes it with values at full length, or with long values
    shortened until it fits the audit row, so that every field it names stays in it (the
    earlier values of a team are kept whole in its history)."""
    for limit in (None, 200, 120, 80, 50, 30):
        detail = render(limit)
        if len(detail) <= MAX_DETAIL:
            break
    return detail


def change_detail(old: dict[str, object], new: dict[str, object]) -> str:
    """'role: professional -> teamlead; team_id: #1 Team Noord -> #2 Team Zuid'."""
    return _fit(
        lambda limit: "; ".join(
            f"{n}: {_shown(n, old[n], limit)} -> {_shown(n, new[n], limit)}" for n in old
        )
    )


def _values_detail(first: str, values: dict[str, object]) -> str:
    """'pro@example.org; role: professional; phone: 020 555 0101': what a new record holds."""
    return _fit(
        lambda limit: "; ".join(
            [first, *(f"{n}: {_shown(n, v, limit)}" for n, v in values.items())]
        )
    )


def create_user(
    actor: User | None,
    *,
    email: str,
    display_name: str,
    role: Role,
    team_id: int | None,
    second_reviewer: bool = False,
    password: str | None = None,
    phone: str = "",
    reachable: str = "",
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
        phone=phone.strip(),
        reachable=reachable.strip(),
    )
    db.add(user)
    db.flush()
    values: dict[str, object] = {
        "role": role,
        "team_id": team_id,
        "active": True,
        "second_reviewer": second_reviewer,
    }
    values |= {n: getattr(user, n) for n in ("phone", "reachable") if getattr(user, n)}
    record(actor, "user.create", obj=user, detail=_values_detail(email, values))
    return user


def update_user(
    actor: User, user: User, *, expected_version: int | None, **data: object
) -> list[str]:
    """Change an account. Deactivating it, or changing its team or role, ends its sessions;
    reactivating it lifts holds on its login. An admin cannot change what decides his own
    access (role, team, active, second reviewer): another admin does that, so nobody gives
    himself a team. Changes of access, e-mail address and contact details are audited with their
    old and new values."""
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
    watched = (*ACCESS_FIELDS, *NAMED_FIELDS)
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


def create_team(
    actor: User | None,
    *,
    name: str,
    area: str = "",
    phone: str = "",
    email: str = "",
    reachable: str = "",
    complaints: str = "",
    client_support: str = "",
    youth_rights: str = "",
    veilig_thuis: str = "",
    print_languages: list[str] | None = None,
) -> Team:
    """A new team, active. The contact facts (`TEAM_CONTACT_FIELDS`) are what the family's paper
    says about the team; for empty ones it says its defaults."""
    name = name.strip()
    if db.scalar(select(Team.id).where(Team.name == name)) is not None:
        raise FieldError("name", _l("There is already a team with this name."))
    contact = {
        "phone": phone.strip(),
        "email": email.strip(),
        "reachable": reachable.strip(),
        "complaints": complaints.strip(),
        "client_support": client_support.strip(),
        "youth_rights": youth_rights.strip(),
        "veilig_thuis": veilig_thuis.strip(),
    }
    team = Team(
        name=name, area=area.strip(), active=True, print_languages=print_languages, **contact
    )
    db.add(team)
    db.flush()
    filled: dict[str, object] = {n: v for n, v in contact.items() if v}
    if print_languages is not None:
        filled["print_languages"] = ", ".join(print_languages) or "-"
    record(actor, "team.create", obj=team, detail=_values_detail(name, filled))
    return team


def update_team(actor: User, team: Team, *, expected_version: int | None, **data: object) -> None:
    """Rename a team, change its contact facts or mark it (in)active. An inactive team's
    members lose access to case files at once: their sessions end and they cannot log in until
    an admin moves them to an active team or reactivates the team. Its cases stay on record. A
    team with an active admin in it is not made inactive (move the admin first), so no admin
    locks himself or others out."""
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
    detail = change_detail(old, {n: getattr(team, n) for n in old})
    record(actor, "team.update", obj=team, fields=list(old), detail=detail)
