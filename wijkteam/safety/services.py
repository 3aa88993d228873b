"""Rules for safety concerns. Services take the acting user, flush and never commit.

The Meldcode steps are a dated decision log: a step is recorded only after the steps before it
(done, or marked not applicable with a reason), and corrections keep the earlier values."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case, MemberRole
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.editing import check_scores, check_version, create, save_changes, strike_out
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import can_view_family_file, require_can_edit_case
from wijkteam.plans import services as plans
from wijkteam.plans.models import LadderLevel, Plan, Regie
from wijkteam.reviews.models import ReviewKind
from wijkteam.reviews.services import has_waiting_review, request_review
from wijkteam.safety.models import (
    ConcernStatus,
    Condition,
    ConditionState,
    MeldcodeStep,
    SafetyConcern,
    SafetyMap,
    SafetyScore,
    Signal,
)

STEPS_THAT_MAY_NOT_APPLY = (2, 3, 4)
AFWEGINGSKADER = (
    "acute_unsafety",
    "structural_unsafety",
    "can_organise_help",
    "family_cooperates",
    "safe_in_agreed_time",
)


def _require_open(actor: User, case: Case, concern: SafetyConcern | None = None) -> None:
    require_can_edit_case(actor, case)
    if concern is not None and concern.is_closed:
        raise NotAllowed(_l("This safety concern is closed and can no longer be changed."))


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


def _check_signal(data: dict[str, Any]) -> dict[str, Any]:
    _not_future("observed_on", data["observed_on"])
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
    _check_signal(signal)
    concern = SafetyConcern(
        case_id=case.id,
        title=title,
        opened_on=opened_on,
        status=ConcernStatus.OPEN,
        opened_by_id=actor.id,
    )
    concern.children = children
    create(actor, concern, action="safety.create", case_id=case.id)
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
    signal = Signal(concern_id=concern.id, recorded_by_id=actor.id, **_check_signal(data))
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
        data=_check_signal(data),
        action="safety.signal_update",
        case_id=case.id,
    )


def _yes_no(field: str, value: bool | None, message: Any) -> None:
    if value is None:
        raise FieldError(field, message)


def _check_step(concern: SafetyConcern, step: int, data: dict[str, Any]) -> dict[str, Any]:
    """What each step needs before it counts as done."""
    _not_future("done_on", data["done_on"])
    if data["done_on"] < concern.opened_on:
        raise FieldError("done_on", _l("This date is before the concern was opened."))
    earlier = [s for s in concern.steps if s.step < step]
    if earlier and data["done_on"] < max(s.done_on for s in earlier):
        raise FieldError("done_on", _l("This date is before the previous step."))
    if data.get("not_applicable"):
        if step not in STEPS_THAT_MAY_NOT_APPLY:
            raise FieldError("not_applicable", _l("This step always applies."))
        if not data.get("outcome", "").strip():
            raise FieldError("outcome", _l("Write why this step does not apply."))
        return data
    if step == 1 and not concern.signals:
        raise FieldError("outcome", _l("Record at least one signal first."))
    if step == 2:
        if not data.get("colleague", "").strip():
            raise FieldError("colleague", _l("Which colleague did you consult?"))
        _yes_no(
            "veilig_thuis_consulted",
            data.get("veilig_thuis_consulted"),
            _l("Was Veilig Thuis consulted?"),
        )
        if data["veilig_thuis_consulted"] and not data.get("veilig_thuis_advice", "").strip():
            raise FieldError("veilig_thuis_advice", _l("Write the advice of Veilig Thuis."))
    if step == 3:
        _yes_no(
            "conversation_held",
            data.get("conversation_held"),
            _l("Did the conversation take place?"),
        )
        if data["conversation_held"] and not data.get("talked_with", "").strip():
            raise FieldError("talked_with", _l("With whom did you talk?"))
        if not data["conversation_held"] and not data.get("outcome", "").strip():
            raise FieldError("outcome", _l("Write why the conversation did not take place."))
    if step == 4:
        for name in AFWEGINGSKADER:
            _yes_no(name, data.get(name), _l("Answer this question of the afwegingskader."))
    if step == 5:
        if not (data.get("organise_help") or data.get("report_to_veilig_thuis")):
            raise FieldError(
                "organise_help", _l("Decide: organise help, report to Veilig Thuis, or both.")
            )
        _yes_no("family_told", data.get("family_told"), _l("Was the family told?"))
        if not data["family_told"] and not data.get("why_not_told", "").strip():
            raise FieldError("why_not_told", _l("Write why the family was not told."))
    if step in (2, 4) and not data.get("outcome", "").strip():
        raise FieldError("outcome", _l("Write what came out of this step."))
    return data


def record_step(
    actor: User,
    case: Case,
    concern: SafetyConcern,
    step: int,
    *,
    expected_version: int | None,
    data: dict[str, Any],
) -> MeldcodeStep:
    """Record (or correct) a step of the Meldcode. Steps are taken in order; a step that does
    not apply is marked so, with a reason, never silently skipped."""
    _require_open(actor, case, concern)
    existing = next((s for s in concern.steps if s.step == step), None)
    missing = [n for n in range(1, step) if n not in {s.step for s in concern.steps}]
    if missing:
        raise NotAllowed(
            _l("Record step %(n)d first, or mark it as not applicable with a reason.", n=missing[0])
        )
    data = _check_step(concern, step, data)
    if existing is not None:
        changed = save_changes(
            actor,
            existing,
            expected_version=expected_version,
            data=data,
            action="safety.step_update",
            case_id=case.id,
        )
        # A changed decision is a new decision: it goes for sign-off again, so an approved
        # decision cannot be turned into another one afterwards without four eyes.
        waiting = has_waiting_review(case, ReviewKind.SAFETY_DECISION, concern.id)
        if step == 5 and changed and not waiting:
            _ask_sign_off(actor, case, concern)
        return existing
    entry = MeldcodeStep(concern_id=concern.id, step=step, done_by_id=actor.id, **data)
    db.add(entry)
    db.flush()
    record(actor, "safety.step", case_id=case.id, obj=entry, fields=[f"step_{step}"])
    if concern.status == ConcernStatus.OPEN:
        concern.status = ConcernStatus.BEING_HANDLED
    if step == 5:  # the decision goes to the team lead for sign-off
        _ask_sign_off(actor, case, concern)
    return entry


def _ask_sign_off(actor: User, case: Case, concern: SafetyConcern) -> None:
    request_review(
        actor,
        case,
        ReviewKind.SAFETY_DECISION,
        concern.id,
        f"{case.family.name}: {concern.title}",
    )


def save_map(
    actor: User,
    case: Case,
    concern: SafetyConcern,
    *,
    expected_version: int | None,
    data: dict[str, Any],
) -> SafetyMap:
    """Write the Signs of Safety map (worries, what works well, what needs to happen)."""
    _require_open(actor, case, concern)
    if concern.safety_map is None:
        safety_map = SafetyMap(concern_id=concern.id, **data)
        create(actor, safety_map, action="safety.map", case_id=case.id)
        return safety_map
    save_changes(
        actor,
        concern.safety_map,
        expected_version=expected_version,
        data=data,
        action="safety.map",
        case_id=case.id,
    )
    return concern.safety_map


def add_score(actor: User, case: Case, concern: SafetyConcern, data: dict[str, Any]) -> SafetyScore:
    """Score the safety scale (0-10; 10 = safe enough to close the case)."""
    _require_open(actor, case, concern)
    check_scores(
        data,
        ("professional_score", "family_score"),
        _l("Fill in your score, the family's, or both."),
    )
    _not_future("scored_on", data["scored_on"])
    if data["scored_on"] < concern.opened_on:
        raise FieldError("scored_on", _l("This date is before the concern was opened."))
    score = SafetyScore(concern_id=concern.id, recorded_by_id=actor.id, **data)
    create(actor, score, action="safety.score", case_id=case.id)
    return score


def void_score(
    actor: User, case: Case, score: SafetyScore, *, expected_version: int | None, reason: str
) -> None:
    """Strike out a wrong safety score with a reason."""
    _require_open(actor, case, score.concern)
    strike_out(
        actor,
        score,
        expected_version=expected_version,
        reason=reason,
        action="safety.score_void",
        case_id=case.id,
    )


def _check_condition(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("review_on") is not None and data["review_on"] < data["starts_on"]:
        raise FieldError("review_on", _l("The review date must come after the start date."))
    if data.get("reviewed_on") is not None:
        _not_future("reviewed_on", data["reviewed_on"])
    if data.get("state") not in (None, ConditionState.NOT_REVIEWED) and not data.get("reviewed_on"):
        raise FieldError("reviewed_on", _l("When did you check whether it is kept?"))
    return data


def add_condition(
    actor: User, case: Case, concern: SafetyConcern, data: dict[str, Any]
) -> Condition:
    """Set a condition (voorwaarde) for the parents for the children's safety."""
    _require_open(actor, case, concern)
    condition = Condition(concern_id=concern.id, **_check_condition(data))
    create(actor, condition, action="safety.condition", case_id=case.id)
    return condition


def update_condition(
    actor: User,
    case: Case,
    condition: Condition,
    *,
    expected_version: int | None,
    data: dict[str, Any],
) -> list[str]:
    """Change a condition or record whether it is kept (history keeps the earlier state)."""
    _require_open(actor, case, condition.concern)
    return save_changes(
        actor,
        condition,
        expected_version=expected_version,
        data=_check_condition(data),
        action="safety.condition_update",
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
    """Close the concern with a reason, and say what it takes to give regie back."""
    _require_open(actor, case, concern)
    check_version(concern, expected_version)
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
