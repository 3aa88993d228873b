"""Rules for families, members and cases. Services take the acting user, flush, never commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import (
    Case,
    CaseHandover,
    CaseStatus,
    Family,
    FamilyMember,
)
from wijkteam.closing.services import close_case as close_case  # the way out of a case
from wijkteam.core.db import db
from wijkteam.core.editing import check_version, save_changes
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import (
    can_change_lead,
    can_register_family,
    require_can_edit_case,
)


def team_people(team_id: int | None) -> list[User]:
    """Active members of a team, who can lead a case or be the duo colleague."""
    return list(db.scalars(TEAM_PEOPLE, {"team_id": team_id}))


TEAM_PEOPLE = (  # built once (issue 21): forms, notes and the dashboard read it
    select(User)
    .where(User.team_id == bindparam("team_id"), User.active.is_(True))
    .order_by(User.display_name, User.id)
)


def _check_people(team_id: int, lead_id: int | None, duo_id: int | None) -> None:
    allowed = {u.id for u in team_people(team_id)}
    if lead_id not in allowed:
        raise FieldError("lead_id", _l("The case lead must be an active member of the team."))
    if duo_id is not None and duo_id not in allowed:
        raise FieldError("duo_id", _l("The duo colleague must be an active member of the team."))
    if duo_id is not None and duo_id == lead_id:
        raise FieldError(
            "duo_id", _l("The duo colleague must be someone other than the case lead.")
        )


def find_duplicate_member(team_id: int, member: dict[str, Any]) -> FamilyMember | None:
    """A person with the same name and date of birth in a family this team works with."""
    if member.get("date_of_birth") is None:
        return None
    stmt = (
        select(FamilyMember)
        .join(Case, Case.family_id == FamilyMember.family_id)
        .where(
            Case.team_id == team_id,
            func.lower(FamilyMember.first_name) == member["first_name"].lower(),
            func.lower(FamilyMember.last_name) == member["last_name"].lower(),
            FamilyMember.date_of_birth == member["date_of_birth"],
        )
        .limit(1)
    )
    return db.scalar(stmt)


def register_family(
    actor: User,
    *,
    family: dict[str, Any],
    members: list[dict[str, Any]],
    question_for_help: str,
    lead_id: int | None,
    duo_id: int | None,
    opened_on: date,
) -> Case:
    """Register a family with its members and open a case for it in the actor's team."""
    if not can_register_family(actor) or actor.team_id is None:
        raise NotAllowed(_l("Only members of a team can register families."))
    team_id = actor.team_id
    if not members:
        raise FieldError("members", _l("Add at least one family member."))
    for member in members:
        duplicate = find_duplicate_member(team_id, member)
        if duplicate is not None:
            raise FieldError(
                "members",
                _l(
                    "%(name)s (born %(born)s) is already registered with a family of your team. "
                    "Open that family's case instead, or ask your team lead.",
                    name=f"{member['first_name']} {member['last_name']}",
                    born=format_date(member["date_of_birth"]),
                ),
            )
    _check_people(team_id, lead_id, duo_id)
    assert lead_id is not None  # noqa: S101 - _check_people guarantees it

    fam = Family(**family)
    db.add(fam)
    db.flush()
    case = _open_case(
        actor,
        family_id=fam.id,
        team_id=team_id,
        lead_id=lead_id,
        duo_id=duo_id,
        question_for_help=question_for_help,
        opened_on=opened_on,
    )
    record(actor, "family.create", case_id=case.id, obj=fam, fields=family.keys())
    for data in members:
        _add_member(actor, case, fam, data)
    return case


def _open_case(
    actor: User,
    *,
    family_id: int,
    team_id: int,
    lead_id: int,
    duo_id: int | None,
    question_for_help: str,
    opened_on: date,
) -> Case:
    case = Case(
        family_id=family_id,
        team_id=team_id,
        lead_id=lead_id,
        duo_id=duo_id,
        question_for_help=question_for_help,
        status=CaseStatus.INTAKE,
        opened_on=opened_on,
    )
    db.add(case)
    db.flush()  # the case's own id is its audit row's case id
    record(actor, "case.create", case_id=case.id, obj=case)
    return case


def _add_member(actor: User, case: Case, family: Family, data: dict[str, Any]) -> FamilyMember:
    member = FamilyMember(family=family, **data)
    db.add(member)
    db.flush()
    record(actor, "member.create", case_id=case.id, obj=member, fields=data.keys())
    return member


def open_new_case(
    actor: User,
    previous: Case,
    *,
    question_for_help: str,
    lead_id: int | None,
    duo_id: int | None,
    opened_on: date,
) -> Case:
    """Open a new case for a family the team worked with before (its earlier case is closed)."""
    if not can_register_family(actor) or actor.team_id != previous.team_id:
        raise NotAllowed(_l("Only members of the family's team can open a new case."))
    open_case = db.scalar(
        select(Case.id).where(
            Case.family_id == previous.family_id,
            Case.team_id == previous.team_id,
            Case.status != CaseStatus.CLOSED,
        )
    )
    if open_case is not None:
        raise NotAllowed(_l("This family already has an open case."))
    if previous.closed_on is not None and opened_on < previous.closed_on:
        raise FieldError("opened_on", _l("The new case cannot start before the last one closed."))
    _check_people(previous.team_id, lead_id, duo_id)
    assert lead_id is not None  # noqa: S101 - _check_people guarantees it
    return _open_case(
        actor,
        family_id=previous.family_id,
        team_id=previous.team_id,
        lead_id=lead_id,
        duo_id=duo_id,
        question_for_help=question_for_help,
        opened_on=opened_on,
    )


def update_family(
    actor: User, case: Case, *, expected_version: int | None, data: dict[str, Any]
) -> list[str]:
    """Change the family's details."""
    require_can_edit_case(actor, case)
    return save_changes(
        actor,
        case.family,
        expected_version=expected_version,
        data=data,
        action="family.update",
        case_id=case.id,
    )


def add_member(actor: User, case: Case, data: dict[str, Any]) -> FamilyMember:
    """Add a person to the family."""
    require_can_edit_case(actor, case)
    duplicate = find_duplicate_member(case.team_id, data)
    if duplicate is not None:
        raise FieldError(
            "first_name",
            _l("This person (same name and date of birth) is already registered in your team."),
        )
    return _add_member(actor, case, case.family, data)


def update_member(
    actor: User,
    case: Case,
    member: FamilyMember,
    *,
    expected_version: int | None,
    data: dict[str, Any],
) -> list[str]:
    """Change a family member's details."""
    require_can_edit_case(actor, case)
    return save_changes(
        actor,
        member,
        expected_version=expected_version,
        data=data,
        action="member.update",
        case_id=case.id,
    )


LEAD_FIELDS = ("lead_id", "duo_id")


def update_case(
    actor: User, case: Case, *, expected_version: int | None, data: dict[str, Any]
) -> list[str]:
    """Change the question for help or the status. Who leads the case is changed only by
    change_lead, which has its own rule, reason and trail."""
    require_can_edit_case(actor, case)
    check_version(case, expected_version)
    if any(name in data and data[name] != getattr(case, name) for name in LEAD_FIELDS):
        raise NotAllowed(_l("Use 'Change case lead' to change the case lead or duo colleague."))
    data = {name: value for name, value in data.items() if name not in LEAD_FIELDS}
    if data.get("status") == CaseStatus.CLOSED:
        raise FieldError("status", _l("Use 'Close case' to close a case."))
    return save_changes(
        actor,
        case,
        expected_version=expected_version,
        data=data,
        action="case.update",
        case_id=case.id,
    )


def _name(user: User | None) -> str:
    return f"{user.display_name} ({user.id})" if user is not None else "-"


def change_lead(
    actor: User,
    case: Case,
    *,
    expected_version: int | None,
    lead_id: int | None,
    duo_id: int | None,
    reason: str,
) -> CaseHandover:
    """Hand the case over to another case lead or duo colleague. The team lead decides this,
    or the current case lead hands over; the team lead and the people concerned see it."""
    if not can_change_lead(actor, case):
        raise NotAllowed(_l("Only the team lead or the case lead can change who leads this case."))
    check_version(case, expected_version)
    _check_people(case.team_id, lead_id, duo_id)
    assert lead_id is not None  # noqa: S101 - _check_people guarantees it
    if lead_id == case.lead_id and duo_id == case.duo_id:
        raise FieldError("lead_id", _l("Choose another case lead or duo colleague."))
    if not reason.strip():
        raise FieldError("reason", _l("Write why the case changes hands."))
    old_lead, old_duo = case.lead, case.duo
    handover = CaseHandover(
        case_id=case.id,
        team_id=case.team_id,
        changed_by_id=actor.id,
        from_lead_id=case.lead_id,
        to_lead_id=lead_id,
        from_duo_id=case.duo_id,
        to_duo_id=duo_id,
        reason=reason.strip(),
    )
    new_lead, new_duo = db.get(User, lead_id), db.get(User, duo_id) if duo_id else None
    save_changes(
        actor,
        case,
        expected_version=expected_version,
        data={"lead_id": lead_id, "duo_id": duo_id},
        action="case.handover",
        case_id=case.id,
        detail=(
            f"case lead: {_name(old_lead)} -> {_name(new_lead)}; "
            f"duo: {_name(old_duo)} -> {_name(new_duo)}"
        ),
    )
    db.add(handover)
    db.flush()
    return handover


def status_after_agreement(case: Case) -> CaseStatus | None:
    """The working status a case moves to when the family agrees to its plan: from intake to
    active. None when it stays as it is (already active, or closed: never reopened)."""
    return CaseStatus.ACTIVE if case.status == CaseStatus.INTAKE else None


def move_on_agreement(actor: User, case: Case, version_number: int) -> CaseStatus | None:
    """Move a case at intake on to its working status now that the family agreed to plan
    version `version_number`; audited as a change of the case's status (old -> new). Returns
    the new status, or None when the case stays as it is."""
    new = status_after_agreement(case)
    if new is None:
        return None
    old = case.status
    save_changes(
        actor,
        case,
        expected_version=case.version,
        data={"status": new},
        action="case.update",
        case_id=case.id,
        detail=f"status: {old.value} -> {new.value} (plan version {version_number} agreed)",
    )
    return new
