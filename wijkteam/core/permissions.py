"""Who may do what: small pure functions. Templates get their answers as booleans.

Access to case files is per team: an active user whose team is the case's team works on it
(professional, team lead, or an admin who is also a team member). An admin without a team
manages accounts and teams but reads no case file (need-to-know).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from flask_babel import lazy_gettext as _l

from wijkteam.auth.models import Role, User
from wijkteam.cases.models import Case
from wijkteam.core.errors import NotAllowed

if TYPE_CHECKING:
    from wijkteam.discussions.models import DiscussionItem
    from wijkteam.notes.models import Note


def in_team(user: User, team_id: int) -> bool:
    """An active member of this team, and the team is active: a member of an inactive team
    has no access to its case files (nor to any other). An analyst is never in a team."""
    return (
        user.active
        and user.role != Role.ANALYST
        and user.team_id is not None
        and user.team_id == team_id
        and user.team is not None
        and user.team.active
    )


class CaseLike(Protocol):
    """What the rules of a case read of it: a loaded case, or a list's row of one (the
    dashboard's attention list)."""

    @property
    def team_id(self) -> int: ...

    @property
    def is_closed(self) -> bool: ...


def can_view_case(user: User, case: CaseLike) -> bool:
    return in_team(user, case.team_id)


def can_edit_case(user: User, case: CaseLike) -> bool:
    return can_view_case(user, case) and not case.is_closed


def require_can_edit_case(user: User, case: Case) -> None:
    """The check every service that changes a case file starts with (NotAllowed, a 403)."""
    if not can_edit_case(user, case):
        raise NotAllowed(_l("This case is closed and can no longer be changed."))


def is_team_lead_of(user: User, team_id: int) -> bool:
    """The team lead of this (active) team."""
    return user.role == Role.TEAMLEAD and in_team(user, team_id)


def can_close_case(user: User, case: Case) -> bool:
    """The case lead, the duo colleague or the team lead closes a case."""
    if not can_edit_case(user, case):
        return False
    return user.role == Role.TEAMLEAD or user.id in (case.lead_id, case.duo_id)


def can_record_satisfaction(user: User, case: Case) -> bool:
    """The case lead, the duo colleague or the team lead records what the family answered
    about the help: at the end of the work, so also on a closed case (which is otherwise no
    longer changed), and before it is closed (in the closing conversation)."""
    if not can_view_case(user, case):
        return False
    return user.role == Role.TEAMLEAD or user.id in (case.lead_id, case.duo_id)


def can_view_audit(user: User, case: Case) -> bool:
    return user.role == Role.TEAMLEAD and in_team(user, case.team_id)


def can_register_family(user: User) -> bool:
    return user.team_id is not None and in_team(user, user.team_id)


def can_manage_accounts(user: User) -> bool:
    return user.active and user.role == Role.ADMIN


def can_see_confidential_source(user: User, case: Case) -> bool:
    """A confidential source of a safety signal: only the case lead and the team lead."""
    if not can_view_case(user, case):
        return False
    return user.id == case.lead_id or user.role == Role.TEAMLEAD


def can_see_team_safety(user: User) -> bool:
    return user.role == Role.TEAMLEAD and user.team_id is not None and in_team(user, user.team_id)


def can_view_family_file(user: User, case: Case) -> bool:
    """The family's full file (inzage) is produced by the case lead or the team lead."""
    return can_view_case(user, case) and (user.id == case.lead_id or user.role == Role.TEAMLEAD)


def can_change_lead(user: User, case: Case) -> bool:
    """Who leads a case (case lead, duo colleague) is the team lead's decision, or a hand-over
    by the current case lead (which the team lead sees). Nobody else can make themselves lead
    and so gain what only the case lead may see."""
    if not can_edit_case(user, case):
        return False
    return user.role == Role.TEAMLEAD or user.id == case.lead_id


def can_decide_review(user: User, team_id: int, requested_by_id: int) -> bool:
    """Four eyes: the team lead or a second reviewer of the team signs off, never the person
    who asked for the sign-off (a team lead's own request goes to a second reviewer)."""
    if not in_team(user, team_id) or user.id == requested_by_id:
        return False
    return user.role == Role.TEAMLEAD or user.second_reviewer


def can_see_note(user: User, note: Note) -> bool:
    """Drafts belong to their author until finalised; final notes to the case's team. (Lists
    and the note loader apply the same rule in SQL: notes/queries.py, _visible_notes.)"""
    return not note.is_draft or note.author_id == user.id


def can_change_item(user: User, item: DiscussionItem) -> bool:
    """A case brought to the case discussion is changed or withdrawn, while open, by who brought
    it in or by the team lead."""
    return item.is_open and (
        user.id == item.submitted_by_id or is_team_lead_of(user, item.case.team_id)
    )
