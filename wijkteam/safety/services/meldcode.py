"""The Meldcode steps: a dated decision log, each step recorded after the steps before it."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.interpreting import check_interpreter
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.core.editing import save_changes, touch
from wijkteam.core.errors import FieldError
from wijkteam.network.models import NetworkMember
from wijkteam.reviews.models import ReviewKind
from wijkteam.reviews.services import request_review, waiting_review
from wijkteam.safety.models import ConcernStatus, MeldcodeStep, SafetyConcern
from wijkteam.safety.services.concerns import _not_future, _require_open

STEPS_THAT_MAY_NOT_APPLY = (2, 3, 4)
AFWEGINGSKADER = (
    "acute_unsafety",
    "structural_unsafety",
    "can_organise_help",
    "family_cooperates",
    "safe_in_agreed_time",
)


def _yes_no(field: str, value: bool | None, message: Any) -> None:
    if value is None:
        raise FieldError(field, message)


def _interpreter(concern: SafetyConcern, data: dict[str, Any]) -> dict[str, Any]:
    """Who interpreted at the conversation (wijkteam/cases/interpreting.py), checked; nobody
    for a conversation marked as not applicable."""
    network_ids = db.scalars(
        select(NetworkMember.id).where(NetworkMember.family_id == concern.case.family_id)
    ).all()
    checked = check_interpreter(concern.case.family.members, network_ids, data, on=data["done_on"])
    if data.get("not_applicable"):
        return {k: "" if isinstance(v, str) else None for k, v in checked.items()}
    return checked


def _check_step(concern: SafetyConcern, step: int, data: dict[str, Any]) -> dict[str, Any]:
    """What each step needs before it counts as done."""
    _not_future("done_on", data["done_on"])
    if data["done_on"] < concern.opened_on:
        raise FieldError("done_on", _l("This date is before the concern was opened."))
    earlier = [s for s in concern.steps if s.step < step]
    if earlier and data["done_on"] < max(s.done_on for s in earlier):
        raise FieldError("done_on", _l("This date is before the previous step."))
    if step == 3:  # never a child as interpreter, not even on a step marked not applicable
        data = {**data, **_interpreter(concern, data)}
        data.pop("interpreter_invalid", None)
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
        if not all(s.confidence_ready for s in concern.signals):
            # "step" is no field: shown above the form, with what was typed. No name here:
            # who passed it on is a confidential source.
            raise FieldError(
                "step",
                _l(
                    "A signal was passed on in confidence. Before deciding, the case lead "
                    "records on that signal how they agreed with that person to act, and that "
                    "the parents were told up front that we must act on worries about safety."
                ),
            )
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


def step_missing_before(concern: SafetyConcern, step: int) -> int | None:
    """The first step before `step` that is not recorded yet (steps are taken in order)."""
    done = {s.step for s in concern.steps}
    return next((n for n in range(1, step) if n not in done), None)


def step_missing_message(missing: int) -> Any:
    return _l("Record step %(n)d first, or mark it as not applicable with a reason.", n=missing)


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
    missing = step_missing_before(concern, step)
    if missing is not None:
        # Shown on the form, with what was typed (not a refusal page): "step" is no field.
        raise FieldError("step", step_missing_message(missing))
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
        if step == 5 and changed:
            _decision_changed(actor, case, concern)
        return existing
    entry = MeldcodeStep(concern_id=concern.id, step=step, done_by_id=actor.id, **data)
    db.add(entry)
    db.flush()
    record(actor, "safety.step", case_id=case.id, obj=entry, fields=[f"step_{step}"])
    if concern.status == ConcernStatus.OPEN:
        concern.status = ConcernStatus.BEING_HANDLED
    if step == 5:  # the decision goes to the team lead for sign-off
        touch(concern)
        _ask_sign_off(actor, case, concern)
    return entry


def _decision_changed(actor: User, case: Case, concern: SafetyConcern) -> None:
    """A changed decision is a new decision: it goes for sign-off again, so an approved
    decision cannot be turned into another one afterwards without four eyes.

    Two rows are touched so that what happens at the same moment cannot slip through (each
    check below reads a row that the other request writes, under its version):
    - the concern: closing it checks that the decision was signed off; a closing saved while
      the decision changes gets a conflict (or this change does, when the closing was first);
    - a request that still waits: the team lead approving it signs off the old wording; the
      one of the two saved second gets a conflict, so a decision never counts as approved in
      a wording the team lead did not see."""
    touch(concern)
    waiting = waiting_review(case, ReviewKind.SAFETY_DECISION, concern.id)
    if waiting is None:
        _ask_sign_off(actor, case, concern)
    else:
        touch(waiting)


def _ask_sign_off(actor: User, case: Case, concern: SafetyConcern) -> None:
    request_review(
        actor,
        case,
        ReviewKind.SAFETY_DECISION,
        concern.id,
        f"{case.family.name}: {concern.title}",
    )
