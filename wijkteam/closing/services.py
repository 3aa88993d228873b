"""Closing a case: the rule that no safety concern may be open, and what is recorded for the
way out. Services take the acting user, flush and never commit (the view commits once).

`close_case` is re-exported by wijkteam/cases/services.py, where callers find it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case, CaseStatus, CloseReason
from wijkteam.closing.models import AftercareContact, CaseClosing
from wijkteam.closing.queries import OpenConcern, open_concerns
from wijkteam.core.db import db, utc_now
from wijkteam.core.editing import save_changes
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import can_close_case
from wijkteam.network.models import NetworkMember, Quality
from wijkteam.plans.enums import LadderLevel, Regie
from wijkteam.resources.models import Resource

MAX_STAYING = 30


def open_concerns_message(concerns: list[OpenConcern]) -> Any:
    """The refusal, naming the open concern(s); the close form links to each."""
    titles = ", ".join(f"“{c.title}”" for c in concerns)
    return _l(
        "This case cannot close while a safety concern is open: %(titles)s. "
        "Finish the Meldcode and close the concern first.",
        titles=titles,
    )


def check_no_open_concern(case: Case) -> None:
    """Refuse (a message above the form, 422) while a safety concern of the case is open."""
    concerns = open_concerns(case.id)
    if concerns:
        raise FieldError("concerns", open_concerns_message(concerns))


def mark_concern_opened(case: Case) -> None:
    """Touch the case when a safety concern is opened on it, so that a closing and an opening
    at the same moment cannot both be saved: both change the case row under its version
    (optimistic locking), so the one saved second fails (StaleDataError, a conflict page)
    instead of leaving a closed case with an open concern."""
    case.updated_at = utc_now()
    db.flush()


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _staying_people(case: Case, ids: list[int]) -> list[NetworkMember]:
    if not ids:
        return []
    found = {
        m.id: m
        for m in db.scalars(
            select(NetworkMember).where(
                NetworkMember.id.in_(ids),
                NetworkMember.family_id == case.family_id,
                NetworkMember.archived_on.is_(None),
            )
        )
    }
    if any(i not in found for i in ids):
        raise FieldError("network_member_ids", _l("Choose people from this family's network."))
    unsafe = [found[i].name for i in ids if found[i].quality == Quality.UNSAFE]
    if unsafe:
        raise FieldError(
            "network_member_ids",
            _l(
                "%(names)s is marked unsafe in the network and cannot be someone who stays "
                "involved.",
                names=", ".join(unsafe),
            ),
        )
    return [found[i] for i in ids]


def _staying_services(case: Case, ids: list[int]) -> list[Resource]:
    if not ids:
        return []
    found = {
        r.id: r
        for r in db.scalars(
            select(Resource).where(
                Resource.id.in_(ids),
                Resource.team_id == case.team_id,
                Resource.archived_on.is_(None),
            )
        )
    }
    if any(i not in found for i in ids):
        raise FieldError("resource_ids", _l("Choose services from the team's resource catalogue."))
    return [found[i] for i in ids]


def close_case(
    actor: User,
    case: Case,
    *,
    expected_version: int | None,
    reason: CloseReason,
    closed_on: date,
    note: str,
    ladder_level: LadderLevel | None = None,
    regie: Regie | None = None,
    network_member_ids: Iterable[int] = (),
    resource_ids: Iterable[int] = (),
    aftercare_agreement: str = "",
    come_back: str = "",
) -> CaseClosing:
    """Close the case with a reason; it stays readable but can no longer be changed. Refused
    while a safety concern of the case is open. Records where the family stood at the end
    (participation ladder, regie), who stays involved (network members of the family, services
    of the team's catalogue), the aftercare agreement and how the family can come back."""
    if not can_close_case(actor, case):
        raise NotAllowed(
            _l("Only the case lead, the duo colleague or the team lead can close this case.")
        )
    # Before the version check: a form opened before a concern was opened gets this message,
    # not a conflict page.
    check_no_open_concern(case)
    if closed_on < case.opened_on:
        raise FieldError("closed_on", _l("A case cannot close before it was opened."))
    if reason == CloseReason.OTHER and not note.strip():
        raise FieldError("close_note", _l("Please explain the reason."))
    people_ids, service_ids = _unique(network_member_ids), _unique(resource_ids)
    if len(people_ids) + len(service_ids) > MAX_STAYING:
        raise FieldError(
            "network_member_ids", _l("Choose at most %(n)d people and services.", n=MAX_STAYING)
        )
    people = _staying_people(case, people_ids)
    services = _staying_services(case, service_ids)
    save_changes(
        actor,
        case,
        expected_version=expected_version,
        data={
            "status": CaseStatus.CLOSED,
            "close_reason": reason,
            "closed_on": closed_on,
            "close_note": note,
        },
        action="case.close",
        case_id=case.id,
    )
    closing = CaseClosing(
        case_id=case.id,
        ladder_level=ladder_level,
        regie=regie,
        aftercare_agreement=aftercare_agreement.strip(),
        come_back=come_back.strip(),
        recorded_by_id=actor.id,
    )
    db.add(closing)
    for person in people:
        db.add(AftercareContact(case_id=case.id, network_member_id=person.id))
    for service in services:
        db.add(AftercareContact(case_id=case.id, resource_id=service.id))
    db.flush()
    filled = {
        "ladder_level": ladder_level is not None,
        "regie": regie is not None,
        "aftercare_agreement": bool(closing.aftercare_agreement),
        "come_back": bool(closing.come_back),
        "staying_involved": bool(people or services),
    }
    record(
        actor,
        "case.aftercare",
        case_id=case.id,
        obj=closing,
        fields=[name for name, given in filled.items() if given],
        detail=f"network members: {people_ids}; resources: {service_ids}",
    )
    return closing
