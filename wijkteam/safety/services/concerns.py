"""Safety concerns and their signals: open, change, close, and hold back from the family's
file."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case, MemberRole
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.editing import check_version, create, save_changes, touch
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import can_view_family_file, require_can_edit_case
from wijkteam.network.models import NetworkMember
from wijkteam.plans import services as plans
from wijkteam.plans.models import LadderLevel, Plan, Regie
from wijkteam.reviews.models import ReviewKind, ReviewStatus
from wijkteam.reviews.queries import latest_status
from wijkteam.safety.models import ConcernStatus, SafetyConcern, Signal


def _require_open(actor: User, case: Case, concern: SafetyConcern | None = None) -> None:
    require_can_edit_case(actor, case)
    if concern is not None and concern.is_closed:
        raise NotAllowed(_l("This safety concern is closed and can no longer be changed."))


def _check_decision_signed_off(case: Case, concern: SafetyConcern) -> None:
    """The latest sign-off request of the concern's decision, if any, was approved (read from
    the database: a decision sent back a moment ago counts)."""
    latest = latest_status(case.id, ReviewKind.SAFETY_DECISION, concern.id)
    if latest == ReviewStatus.WAITING:
        raise FieldError(
            "sign_off",
            _l(
                "The decision (Meldcode step 5) still waits for sign-off. The concern can be "
                "closed once it is signed off."
            ),
        )
    if latest == ReviewStatus.RETURNED:
        raise FieldError(
            "sign_off",
            _l(
                "The decision (Meldcode step 5) was sent back. Change the decision first: it "
                "then goes for sign-off again, and the concern can be closed once it is signed "
                "off."
            ),
        )


def _not_future(field: str, day: date) -> None:
    if day > clock.today():
        raise FieldError(field, _l("This date cannot be in the future."))


def _children(case: Case, child_ids: list[int]) -> list[Any]:
    by_id = {m.id: m for m in case.family.members}
    if not child_ids:
        raise FieldError("child_ids", _l("Which child or children is this about?"))
    if any(i not in by_id for i in child_ids):
        raise FieldError("child_ids", _l("Choose children of this family."))
    if any(by_id[i].role != MemberRole.CHILD for i in child_ids):
        raise FieldError("child_ids", _l("A safety concern is about children of the family."))
    return [by_id[i] for i in child_ids]


def _check_signal(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    _not_future("observed_on", data["observed_on"])
    confided_by_id = data.get("confided_by_id")
    if confided_by_id is not None:
        member = db.get(NetworkMember, confided_by_id)
        if member is None or member.family_id != case.family_id:
            raise FieldError("confided_by_id", _l("Choose someone from this family's network."))
        data["source_confidential"] = True  # a confidence passed on is never shown around
    if not data["description"].strip():
        raise FieldError("description", _l("Write what was seen or heard."))
    if not data["source"].strip():
        raise FieldError("source", _l("Write who saw or heard it (the source)."))
    return data


def _regie_and_ladder(
    actor: User,
    case: Case,
    plan: Plan | None,
    concern: SafetyConcern,
    *,
    on: date,
    regie: Regie | None,
    level: LadderLevel | None,
    reason: str,
    climb_back: str,
) -> None:
    """Record a change of regie and/or ladder level with this concern as the reason."""
    if regie is None and level is None:
        return
    if plan is None:
        # Not a field of the form (it is hidden without a plan): shown above the form.
        raise FieldError("plan", _l("Start the family plan first to record regie and the ladder."))
    if not reason.strip():
        raise FieldError("change_reason", _l("Write why regie or the level changes."))
    if regie is not None:
        plans.change_regie(
            actor,
            case,
            plan,
            regie=regie,
            changed_on=on,
            reason=reason,
            safety_concern_id=concern.id,
        )
        db.refresh(plan)
    if level is not None:
        plans.change_ladder(
            actor,
            case,
            plan,
            level=level,
            changed_on=on,
            reason=reason,
            climb_back=climb_back,
            safety_concern_id=concern.id,
        )


def open_concern(
    actor: User,
    case: Case,
    plan: Plan | None,
    *,
    title: str,
    opened_on: date,
    child_ids: list[int],
    signal: dict[str, Any],
    regie: Regie | None,
    level: LadderLevel | None,
    change_reason: str,
    climb_back: str,
) -> SafetyConcern:
    """Open a safety concern with its first signal; record at once whether regie and the
    participation ladder change because of it."""
    _require_open(actor, case)
    _not_future("opened_on", opened_on)
    children = _children(case, child_ids)
    _check_signal(case, signal)
    concern = SafetyConcern(
        case_id=case.id,
        title=title,
        opened_on=opened_on,
        status=ConcernStatus.OPEN,
        opened_by_id=actor.id,
    )
    concern.children = children
    create(actor, concern, action="safety.create", case_id=case.id)
    # The case's version moves on: a closing of the case at this same moment (which checks
    # that no concern is open) and this opening cannot both be saved; the one saved second
    # gets a conflict page.
    touch(case)
    add_signal(actor, case, concern, signal)
    _regie_and_ladder(
        actor,
        case,
        plan,
        concern,
        on=opened_on,
        regie=regie,
        level=level,
        reason=change_reason,
        climb_back=climb_back,
    )
    return concern


def update_concern(
    actor: User,
    case: Case,
    concern: SafetyConcern,
    *,
    expected_version: int | None,
    title: str,
    status: ConcernStatus,
    child_ids: list[int],
) -> list[str]:
    """Change the concern's title, children or status (open / being handled)."""
    _require_open(actor, case, concern)
    if status == ConcernStatus.CLOSED:
        raise FieldError("status", _l("Use 'Close the concern' to close it."))
    children = _children(case, child_ids)
    changed = save_changes(
        actor,
        concern,
        expected_version=expected_version,
        data={"title": title, "status": status},
        action="safety.update",
        case_id=case.id,
    )
    if {c.id for c in children} != {c.id for c in concern.children}:
        concern.children = children
        record(actor, "safety.update", case_id=case.id, obj=concern, fields=["children"])
        changed.append("children")
    return changed


def add_signal(actor: User, case: Case, concern: SafetyConcern, data: dict[str, Any]) -> Signal:
    """Record a signal: what was seen or heard, when, and from whom."""
    _require_open(actor, case, concern)
    signal = Signal(concern_id=concern.id, recorded_by_id=actor.id, **_check_signal(case, data))
    create(actor, signal, action="safety.signal", case_id=case.id)
    return signal


def update_signal(
    actor: User,
    case: Case,
    signal: Signal,
    *,
    expected_version: int | None,
    data: dict[str, Any],
) -> list[str]:
    """Correct a signal; the earlier wording stays in its history."""
    _require_open(actor, case, signal.concern)
    return save_changes(
        actor,
        signal,
        expected_version=expected_version,
        data=_check_signal(case, data),
        action="safety.signal_update",
        case_id=case.id,
    )


def record_confidence(
    actor: User,
    case: Case,
    signal: Signal,
    *,
    expected_version: int | None,
    data: dict[str, Any],
) -> list[str]:
    """Before acting on a confidence passed on: how the professional agreed with the person
    who passed it on to act, when, that the parents were told up front that the professional
    must act on worries about safety, and whether that person may be named to the family."""
    _require_open(actor, case, signal.concern)
    if signal.confided_by_id is None:
        raise NotAllowed(_l("This signal was not passed on in confidence."))
    if not data["confidence_agreement"].strip():
        raise FieldError("confidence_agreement", _l("Write how you agreed with them to act."))
    if data.get("confidence_agreed_on") is None:
        raise FieldError("confidence_agreed_on", _l("Fill in a date."))
    _not_future("confidence_agreed_on", data["confidence_agreed_on"])
    return save_changes(
        actor,
        signal,
        expected_version=expected_version,
        data=data,
        action="safety.confidence",
        case_id=case.id,
    )


def close_concern(
    actor: User,
    case: Case,
    plan: Plan | None,
    concern: SafetyConcern,
    *,
    expected_version: int | None,
    closed_on: date,
    reason: str,
    regie_return: str,
    regie: Regie | None,
    level: LadderLevel | None,
) -> None:
    """Close the concern with a reason, and say what it takes to give regie back. Not while
    its decision (Meldcode step 5) waits for sign-off or was sent back: closing would end the
    Meldcode without the second pair of eyes."""
    _require_open(actor, case, concern)
    check_version(concern, expected_version)
    _check_decision_signed_off(case, concern)
    _not_future("closed_on", closed_on)
    if closed_on < concern.opened_on:
        raise FieldError("closed_on", _l("This date is before the concern was opened."))
    if not reason.strip():
        raise FieldError("close_reason", _l("Write why the concern can be closed."))
    if not regie_return.strip():
        raise FieldError(
            "regie_return", _l("Write what it takes to give regie back to the family.")
        )
    save_changes(
        actor,
        concern,
        expected_version=expected_version,
        data={
            "status": ConcernStatus.CLOSED,
            "closed_on": closed_on,
            "close_reason": reason,
            "regie_return": regie_return,
        },
        action="safety.close",
        case_id=case.id,
    )
    _regie_and_ladder(
        actor,
        case,
        plan,
        concern,
        on=closed_on,
        regie=regie,
        level=level,
        reason=regie_return,
        climb_back="",
    )


def hold_back_from_file(
    actor: User,
    case: Case,
    concern: SafetyConcern,
    *,
    expected_version: int | None,
    reason: str,
) -> list[str]:
    """Hold a concern back from the family's file under an exception of the Jeugdwet (the
    child's safety, another person's privacy): recorded with its reason, audited, and undone
    with show_in_file. Only those who produce the family's file decide this."""
    if not can_view_family_file(actor, case):
        raise NotAllowed(_l("Only the case lead or the team lead decides what the file holds."))
    if not reason.strip():
        raise FieldError("reason", _l("Write why this is held back from the family's file."))
    return save_changes(
        actor,
        concern,
        expected_version=expected_version,
        data={
            "file_withheld_reason": reason.strip(),
            "file_withheld_by_id": actor.id,
            "file_withheld_on": clock.today(),
        },
        action="safety.withhold",
        case_id=case.id,
    )


def show_in_file(
    actor: User, case: Case, concern: SafetyConcern, *, expected_version: int | None
) -> list[str]:
    """Stop holding a concern back: it is in the family's file again once they were told."""
    if not can_view_family_file(actor, case):
        raise NotAllowed(_l("Only the case lead or the team lead decides what the file holds."))
    return save_changes(
        actor,
        concern,
        expected_version=expected_version,
        data={"file_withheld_reason": "", "file_withheld_by_id": None, "file_withheld_on": None},
        action="safety.release",
        case_id=case.id,
    )
