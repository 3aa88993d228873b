""" "We stay responsible": an action a volunteer or informal worker does has a professional who
checks that it happens, and a date to check by. Nothing is handed off silently."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.editing import save_changes
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import in_team, require_can_edit_case
from wijkteam.network.models import LEANED_ON_KINDS, NetworkMember
from wijkteam.plans.enums import ActionStatus, OwnerKind
from wijkteam.plans.models import Action

# Without a date of its own, the first check is this many days after the action was agreed.
CHECK_AFTER_DAYS = 14
OPEN = (ActionStatus.PLANNED, ActionStatus.DOING)


def needs_check(member: NetworkMember | None) -> bool:
    """A volunteer, an informal worker or a key figure: the team stays responsible."""
    return member is not None and (
        member.kind in LEANED_ON_KINDS or member.key_figure_id is not None
    )


def follow_up(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """Fill in or check who checks and when. For an action of a volunteer or informal worker
    it is never empty: the case lead by default, on the due date or in two weeks; an action
    of anyone else has no check."""
    member = (
        db.get(NetworkMember, data["network_member_id"])
        if data.get("owner_kind") == OwnerKind.NETWORK and data.get("network_member_id")
        else None
    )
    if not needs_check(member):
        data.update(check_by_id=None, check_on=None)
        return data
    check_by_id = data.get("check_by_id") or case.lead_id
    checker = db.get(User, check_by_id)
    if checker is None or not in_team(checker, case.team_id):
        raise FieldError("check_by_id", _l("Choose a colleague of your team."))
    check_on = data.get("check_on") or data.get("due_on") or default_check_on()
    data.update(check_by_id=check_by_id, check_on=check_on)
    return data


def default_check_on() -> date:
    return clock.today() + timedelta(days=CHECK_AFTER_DAYS)


def mark_checked(
    actor: User,
    case: Case,
    action: Action,
    *,
    expected_version: int | None,
    next_on: date | None,
) -> list[str]:
    """The professional checked that the action happens: today, and when to check again (in
    two weeks by default; no next check once the action is done or stopped)."""
    require_can_edit_case(actor, case)
    if action.check_by_id is None:
        raise NotAllowed(_l("Nobody checks this action."))
    today = clock.today()
    if next_on is not None and next_on <= today:
        raise FieldError("next_on", _l("Choose a date after today."))
    still_open = action.status in OPEN
    return save_changes(
        actor,
        action,
        expected_version=expected_version,
        data={
            "last_checked_on": today,
            "check_on": (next_on or today + timedelta(days=CHECK_AFTER_DAYS))
            if still_open
            else None,
        },
        action="action.checked",
        case_id=case.id,
    )
