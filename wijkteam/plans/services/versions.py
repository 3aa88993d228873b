"""Agreed versions: the plan frozen as agreed with the family."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases import services as case_services
from wijkteam.cases.interpreting import INTERPRETER_KEYS, check_interpreter, check_reader
from wijkteam.cases.models import Case
from wijkteam.core.db import db, utc_now
from wijkteam.core.editing import check_version
from wijkteam.core.errors import FieldError
from wijkteam.core.permissions import require_can_edit_case
from wijkteam.network.models import NetworkMember
from wijkteam.plans.models import AgreedHow, ExplainedHow, Plan, PlanVersion
from wijkteam.plans.services.rules import _family_members, _not_in_future
from wijkteam.reviews.models import ReviewKind
from wijkteam.reviews.services import request_review

if TYPE_CHECKING:
    from wijkteam.plans.page import PlanView, VersionLine

# Characters in the language of an interpreter (the column's length).
MAX_LANGUAGE = 80

# The keys of who read the plan aloud in a service's data (and PlanVersion's columns).
READER_KEYS = ("reader_name", "reader_member_id", "reader_network_member_id")

# --- versions -------------------------------------------------------------------------


def snapshot(plan: Plan | PlanView) -> dict[str, Any]:
    """The plan's content as the family sees it (internal reservations are left out): of
    the mapped plan, or of the plan page's rows (plans/page.py).

    Each action carries its id, so that two versions can be compared action by action, and
    whether it came from a case discussion (`from_team`). Versions agreed before a key existed
    lack it: PlanVersion.content fills in the defaults, and changed_since leaves it out."""
    return {
        "started_on": plan.started_on.isoformat(),
        "evaluation_on": plan.evaluation_on.isoformat() if plan.evaluation_on else None,
        "ladder_level": int(plan.ladder_level) if plan.ladder_level else None,
        "regie": plan.regie.value if plan.regie else None,
        "goals": [
            {
                "id": goal.id,
                "text": goal.text,
                "why_it_matters": goal.why_it_matters,
                "first_step": goal.first_step,
                "status": goal.status.value,
                "members": [m.first_name for m in goal.members],
                "actions": [
                    {
                        "id": action.id,
                        "text": action.text,
                        "owner_kind": action.owner_kind.value,
                        "owner": action.owner_display,
                        "due_on": action.due_on.isoformat() if action.due_on else None,
                        "repeats": action.repeats.value,
                        "status": action.status.value,
                        "from_team": action.from_team,
                    }
                    for action in goal.actions
                ],
            }
            for goal in plan.goals
        ],
    }


def _like(new: Any, old: Any) -> Any:
    """`new` with only the keys `old` has, all the way down (lists item by item)."""
    if isinstance(new, dict) and isinstance(old, dict):
        return {key: _like(value, old[key]) for key, value in new.items() if key in old}
    if isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        return [_like(n, o) for n, o in zip(new, old, strict=True)]
    return new


def changed_since(version: PlanVersion | VersionLine, plan: Plan | PlanView) -> bool:
    """Whether the plan changed since this agreed version. Keys the snapshot did not have when
    the version was agreed (added to snapshot() later) do not count as a change."""
    return _like(snapshot(plan), version.snapshot) != version.snapshot


def draft_changed(plan: Plan | PlanView) -> bool:
    """Whether the plan's draft differs from its last agreed version (True when nothing is
    agreed yet): the plan page's "changed since" and the printout's choice of version."""
    return not plan.versions or changed_since(plan.versions[-1], plan)


def _filled(data: dict[str, Any], keys: tuple[str, ...], invalid: str) -> bool:
    """Whether any of `keys` holds something (a name, a language, a person), or the picker
    holds a value it does not know (`invalid`)."""
    return bool(data.get(invalid)) or any(
        data.get(key) is not None and str(data.get(key)).strip() for key in keys
    )


def check_explained(
    explained_how: ExplainedHow | None,
    interpreter: dict[str, Any],
    reader: dict[str, Any],
) -> None:
    """How the plan was explained must be chosen, and agree with what else was filled in: an
    interpreter (who and which language) only and always with "with an interpreter", someone
    who read it aloud only and always with "read aloud". The people themselves are checked by
    check_interpreter and check_reader (never a child)."""
    if explained_how is None:
        raise FieldError(
            "explained_how", _l("How was the plan explained to the family? Choose one.")
        )
    # "Was a professional interpreter offered?" alone says nothing about who interpreted.
    has_interpreter = _filled(interpreter, INTERPRETER_KEYS[:4], "interpreter_invalid")
    if explained_how is not ExplainedHow.INTERPRETER and has_interpreter:
        raise FieldError(
            "explained_how",
            _l(
                "You filled in an interpreter: choose 'With an interpreter', or empty the "
                "interpreter's fields."
            ),
        )
    if explained_how is not ExplainedHow.READER and _filled(reader, READER_KEYS, "reader_invalid"):
        raise FieldError(
            "explained_how",
            _l(
                "You filled in who read the plan aloud: choose 'Read aloud by someone the family "
                "chose', or empty that field."
            ),
        )
    if explained_how is ExplainedHow.INTERPRETER:
        if not _filled(
            interpreter, ("interpreter_name", *INTERPRETER_KEYS[2:4]), "interpreter_invalid"
        ):
            raise FieldError(
                "interpreter_name",
                _l("Who interpreted? Choose the person or write the interpreter's name."),
            )
        if not str(interpreter.get("interpreter_language") or "").strip():
            raise FieldError(
                "interpreter_language", _l("Which language did the interpreter speak?")
            )


def finalise_version(
    actor: User,
    case: Case,
    plan: Plan,
    *,
    expected_version: int | None,
    agreed_on: date,
    agreed_how: AgreedHow,
    member_ids: list[int],
    note: str,
    explained_how: ExplainedHow | None,
    interpreter: dict[str, Any] | None = None,
    reader: dict[str, Any] | None = None,
) -> PlanVersion:
    """Freeze the plan as agreed with the family. `explained_how`: how the plan was explained
    (required; check_explained); `interpreter`: who interpreted, in which language (see
    wijkteam/cases/interpreting.py), for ExplainedHow.INTERPRETER; `reader`: who read it aloud
    (READER_KEYS), for ExplainedHow.READER. That version is read-only from now on; the plan itself
    continues as the next draft. A case still at intake moves on to its working status
    (cases.services.move_on_agreement)."""
    require_can_edit_case(actor, case)
    check_version(plan, expected_version)
    interpreter = interpreter or {}
    reader = reader or {}
    if len(str(interpreter.get("interpreter_language") or "").strip()) > MAX_LANGUAGE:
        raise FieldError(
            "interpreter_language", _l("Write at most %(n)d characters.", n=MAX_LANGUAGE)
        )
    if not plan.goals:
        raise FieldError("member_ids", _l("Add at least one goal before agreeing the plan."))
    members = _family_members(case, member_ids)
    if not members:
        raise FieldError("member_ids", _l("Who in the family agreed? Tick at least one person."))
    _not_in_future("agreed_on", agreed_on)
    network_ids = db.scalars(
        select(NetworkMember.id).where(NetworkMember.family_id == case.family_id)
    ).all()
    # The people first: a child named or posted anywhere is refused with the rule itself,
    # whatever was chosen; then whether the choice matches what was filled in.
    interpreted = check_interpreter(case.family.members, network_ids, interpreter, on=agreed_on)
    read_by = {key: None if key.endswith("_id") else "" for key in READER_KEYS}
    if explained_how is ExplainedHow.READER or _filled(reader, READER_KEYS, "reader_invalid"):
        read_by = check_reader(case.family.members, network_ids, reader, on=agreed_on)
    check_explained(explained_how, interpreter, reader)
    if agreed_on < plan.started_on:
        raise FieldError("agreed_on", _l("This date is before the plan started."))
    last = plan.versions[-1] if plan.versions else None
    if last is not None and agreed_on < last.agreed_on:
        raise FieldError("agreed_on", _l("This date is before the previous agreed version."))
    version = PlanVersion(
        plan_id=plan.id,
        number=(last.number if last else 0) + 1,
        agreed_on=agreed_on,
        agreed_how=agreed_how,
        agreed_by=[m.full_name for m in members],
        note=note,
        **interpreted,
        explained_how=explained_how,
        **read_by,
        finalised_by_id=actor.id,
        snapshot=snapshot(plan),
    )
    db.add(version)
    plan.updated_at = utc_now()  # bumps the plan's version: a second finalise gets a conflict
    db.flush()
    record(actor, "plan.finalise", case_id=case.id, obj=version)
    case_services.move_on_agreement(actor, case, version.number)
    request_review(
        actor,
        case,
        ReviewKind.PLAN_VERSION,
        version.number,
        case.family.name,
    )
    return version
