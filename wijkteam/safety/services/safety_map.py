"""The Signs of Safety map, the safety scale and the conditions for the parents."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.editing import check_scores, create, save_changes, strike_out
from wijkteam.core.errors import FieldError
from wijkteam.safety.models import Condition, ConditionState, SafetyConcern, SafetyMap, SafetyScore
from wijkteam.safety.services.concerns import _not_future, _require_open


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
