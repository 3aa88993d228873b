"""What helps match a family with a professional (issue 18, point 8): a professional's own
profile (languages, background knowledge, expertise: their own choice) and the team's
settings (the caseload norm and each member's part of a full-time job).

The profile is edited only by the person themself, and only those three fields: nothing that
decides access can be changed through it (no right is gained by editing one's own record). The
team settings are for the team's lead and for admins."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wijkteam.audit.services import record
from wijkteam.auth.models import Team, User
from wijkteam.auth.services.accounts import change_detail
from wijkteam.core.db import db
from wijkteam.core.editing import apply_changes, check_version
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import can_manage_accounts, is_team_lead_of

MAX_LANGUAGES = 10
MAX_LANGUAGE = 60
PROFILE_FIELDS = ("languages", "background", "expertise")
# Families per full-time professional: a norm outside this range is a typing error.
NORM_RANGE = (1, 100)
PERCENT_RANGE = (1, 100)


def update_profile(
    actor: User,
    *,
    expected_version: int | None,
    languages: list[str],
    background: str,
    expertise: str,
) -> list[str]:
    """Change one's own matching profile (every field may stay empty). Audited with the names
    of the fields changed, not their values (they may say something about one's origin)."""
    check_version(actor, expected_version)
    languages = [language.strip() for language in languages if language.strip()]
    if len(languages) > MAX_LANGUAGES:
        raise FieldError("languages", _l("Name at most %(n)d languages.", n=MAX_LANGUAGES))
    if any(len(language) > MAX_LANGUAGE for language in languages):
        raise FieldError(
            "languages", _l("A language has at most %(n)d characters.", n=MAX_LANGUAGE)
        )
    data = {
        "languages": languages,
        "background": background.strip(),
        "expertise": expertise.strip(),
    }
    changed = apply_changes(actor, data)
    db.flush()  # a change saved meanwhile (by an admin) is a conflict, not an overwrite
    if changed:
        record(actor, "user.profile", obj=actor, fields=changed)
    return changed


def can_change_team_settings(user: User, team: Team) -> bool:
    """The team's lead, or an admin."""
    return can_manage_accounts(user) or is_team_lead_of(user, team.id)


def team_members(team: Team) -> list[User]:
    """The active members of a team, whose caseload counts."""
    return list(
        db.scalars(
            select(User)
            .where(User.team_id == team.id, User.active.is_(True))
            .order_by(User.display_name, User.id)
        )
    )


def _in_range(field: str, value: int, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if not low <= value <= high:
        raise FieldError(field, _l("Fill in a number from %(min)d to %(max)d.", min=low, max=high))


def update_team_settings(
    actor: User,
    team: Team,
    *,
    expected_version: int | None,
    caseload_norm: int | None,
    work_percent: Mapping[int, int],
) -> list[str]:
    """Set the team's caseload norm (families per full-time professional; None: no norm) and
    each member's part of a full-time job (user id -> percent; only the team's active
    members). One audit row names every change, old -> new."""
    if not can_change_team_settings(actor, team):
        raise NotAllowed(_l("Only the team lead or an admin changes the team's settings."))
    check_version(team, expected_version)
    if caseload_norm is not None:
        _in_range("caseload_norm", caseload_norm, NORM_RANGE)
    members = {u.id: u for u in team_members(team)}
    if any(user_id not in members for user_id in work_percent):
        raise FieldError("members", _l("Choose from the people offered."))
    for value in work_percent.values():
        _in_range("members", value, PERCENT_RANGE)
    old: dict[str, object] = {}
    new: dict[str, object] = {}
    if team.caseload_norm != caseload_norm:
        old["caseload_norm"], new["caseload_norm"] = team.caseload_norm, caseload_norm
        team.caseload_norm = caseload_norm
    for user_id, value in work_percent.items():
        user = members[user_id]
        if user.work_percent != value:
            key = f"work_percent #{user_id}"
            old[key], new[key] = user.work_percent, value
            user.work_percent = value
    if not old:
        return []
    db.flush()
    record(actor, "team.settings", obj=team, fields=list(old), detail=change_detail(old, new))
    return list(old)
