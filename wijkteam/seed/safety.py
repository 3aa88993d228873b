"""A safety concern through the safety services: signals, Meldcode steps, the Signs of Safety
map, the safety scale, conditions and the closing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select, update

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.network.models import NetworkMember
from wijkteam.plans.models import LadderLevel, Plan, Regie
from wijkteam.reviews import services as reviews
from wijkteam.reviews.models import Review, ReviewKind
from wijkteam.safety import services as safety
from wijkteam.safety.models import Condition, ConditionState, SafetyConcern
from wijkteam.seed.common import fresh, members_by_name

# What each Meldcode step records besides its date (as in the step form); yes/no questions
# left out of the YAML stay unanswered, the two decisions of step 5 default to "no".
STEP_FIELDS: dict[int, tuple[str, ...]] = {
    1: ("outcome",),
    2: ("outcome", "colleague", "veilig_thuis_consulted", "veilig_thuis_advice"),
    3: ("outcome", "conversation_held", "talked_with"),
    4: ("outcome", *safety.AFWEGINGSKADER),
    5: ("outcome", "organise_help", "report_to_veilig_thuis", "family_told", "why_not_told"),
}
STEP_YES_NO = (
    "veilig_thuis_consulted",
    "conversation_held",
    *safety.AFWEGINGSKADER,
    "family_told",
)
STEP_DECISIONS = ("organise_help", "report_to_veilig_thuis")
MAP_FIELDS = (
    "harm",
    "danger_statement",
    "complicating_factors",
    "strengths",
    "existing_safety",
    "safety_goals",
    "next_steps",
)


def _regie(value: str | None) -> Regie | None:
    return Regie(value) if value else None


def _level(value: int | None) -> LadderLevel | None:
    return LadderLevel(value) if value else None


def _signal(data: dict[str, Any], network: dict[str, NetworkMember]) -> dict[str, Any]:
    """A signal; `confided_by:` names the network member who passed it on in confidence."""
    return {
        "observed_on": data["observed_on"],
        "description": data["description"],
        "source": data["source"],
        "source_confidential": bool(data.get("confidential", False)),
        "confided_by_id": network[data["confided_by"]].id if data.get("confided_by") else None,
    }


def _confidence(lead: User, case: Case, signal: Any, data: dict[str, Any]) -> None:
    """How the professional agreed with the one who passed the signal on to act."""
    safety.record_confidence(
        lead,
        case,
        signal,
        expected_version=signal.version,
        data={
            "confidence_agreement": data["agreement"].strip(),
            "confidence_agreed_on": data["on"],
            "parents_told_duty": bool(data.get("parents_told_duty", False)),
            "confider_may_be_named": bool(data.get("may_be_named", False)),
        },
    )


def _step(data: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "done_on": data["done_on"],
        "not_applicable": bool(data.get("not_applicable", False)),
    }
    for name in STEP_FIELDS[data["step"]]:
        if name in STEP_YES_NO:
            row[name] = data.get(name)
        elif name in STEP_DECISIONS:
            row[name] = bool(data.get(name, False))
        else:
            row[name] = data.get(name, "")
    return row


def _condition(data: dict[str, Any]) -> dict[str, Any]:
    """A condition as first agreed: not reviewed yet (a review is recorded afterwards)."""
    reviewed = ConditionState(data.get("state", "not_reviewed")) != ConditionState.NOT_REVIEWED
    return {
        "text": data["text"],
        "starts_on": data["starts_on"],
        "review_on": data.get("review_on"),
        "state": ConditionState.NOT_REVIEWED,
        "reviewed_on": None,
        "note": "" if reviewed else data.get("note", ""),
        "shared_with_family": bool(data.get("shared_with_family", True)),
    }


def _load_condition(
    lead: User, case: Case, concern: SafetyConcern, data: dict[str, Any]
) -> Condition:
    """Add the condition, then record its review (if any), so the history shows both."""
    row = _condition(data)
    condition = safety.add_condition(lead, case, concern, row)
    state = ConditionState(data.get("state", "not_reviewed"))
    if state != ConditionState.NOT_REVIEWED:
        safety.update_condition(
            lead,
            case,
            condition,
            expected_version=condition.version,
            data=row
            | {"state": state, "reviewed_on": data["reviewed_on"], "note": data.get("note", "")},
        )
    return condition


def _open_concern(lead: User, case: Case, plan: Plan | None, spec: dict[str, Any]) -> SafetyConcern:
    members = members_by_name(case)
    if plan is not None:
        fresh(plan)  # its ladder and regie as they are now
    return safety.open_concern(
        lead,
        case,
        plan,
        title=spec["title"],
        opened_on=spec["opened_on"],
        child_ids=[members[name].id for name in spec["children"]],
        signal=_signal(spec["signal"], {}),
        regie=_regie(spec.get("regie")),
        level=_level(spec.get("level")),
        change_reason=spec.get("change_reason", ""),
        climb_back=spec.get("climb_back", ""),
    )


def _sign_off_decision(case: Case, concern: SafetyConcern, on: date) -> None:
    """The decision (step 5) the team lead recorded, signed off by a second reviewer of the
    team on the day `on` (the concern's closing day), as before any closing: a concern does
    not close while its decision waits."""
    review = reviews.waiting_review(case, ReviewKind.SAFETY_DECISION, concern.id)
    if review is None:
        return
    second = db.scalar(
        select(User)
        .where(
            User.team_id == case.team_id,
            User.id != review.requested_by_id,
            User.active.is_(True),
            User.second_reviewer.is_(True),
        )
        .order_by(User.id)
    )
    if second is None:
        raise ValueError(f"seed: team {case.team_id} has no second reviewer to sign off")
    reviews.decide(second, review, expected_version=review.version, approve=True, comment="")
    # Dated as told (not the day of seeding, after the closing), like history.py does.
    db.execute(
        update(Review)
        .where(Review.id == review.id)
        .values(decided_at=datetime.combine(on, time(10), UTC))
    )


def _close_concern(
    lead: User, case: Case, plan: Plan | None, concern: SafetyConcern, spec: dict[str, Any]
) -> None:
    _sign_off_decision(case, concern, spec["on"])
    if plan is not None:
        fresh(plan)
    fresh(concern)
    safety.close_concern(
        lead,
        case,
        plan,
        concern,
        expected_version=concern.version,
        closed_on=spec["on"],  # quote "on" in YAML, or it reads as True
        reason=spec["reason"],
        regie_return=spec["regie_return"],
        regie=_regie(spec.get("regie")),
        level=_level(spec.get("level")),
    )


def load_concern(
    lead: User,
    case: Case,
    plan: Plan | None,
    spec: dict[str, Any],
    network: dict[str, NetworkMember] | None = None,
) -> None:
    """A safety concern through the safety services: its signals, the Meldcode steps in
    order, the Signs of Safety map, the safety scale, the conditions and, last, the closing."""
    concern = _open_concern(lead, case, plan, spec)
    for signal_spec in spec.get("signals", []):
        signal = safety.add_signal(lead, case, concern, _signal(signal_spec, network or {}))
        if signal_spec.get("confidence"):
            _confidence(lead, case, signal, signal_spec["confidence"])
    for step in sorted(spec.get("steps", []), key=lambda s: s["step"]):
        safety.record_step(
            lead, case, fresh(concern), step["step"], expected_version=None, data=_step(step)
        )
    if spec.get("map"):
        data = {name: spec["map"].get(name, "") for name in MAP_FIELDS}
        safety.save_map(lead, case, fresh(concern), expected_version=None, data=data)
    for score in spec.get("scores", []):
        safety.add_score(
            lead,
            case,
            concern,
            {
                "scored_on": score["on"],  # quote "on" in YAML, or it reads as True
                "professional_score": score.get("professional"),
                "family_score": score.get("family"),
                "note": score.get("note", ""),
            },
        )
    for condition in spec.get("conditions", []):
        _load_condition(lead, case, concern, condition)
    if spec.get("closed"):
        _close_concern(lead, case, plan, concern, spec["closed"])
