"""Shared pieces for edit services: optimistic locking and change tracking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from wijkteam.audit import history
from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.core.db import db, utc_now
from wijkteam.core.errors import EditConflict, FieldError, NotAllowed


def check_version(obj: Any, expected_version: int | None) -> None:
    """Refuse to save over a version the user did not see."""
    if expected_version is None or obj.version != expected_version:
        raise EditConflict(obj)


def touch(obj: Any) -> None:
    """Move a versioned record's version on without changing what it says, written at once,
    so that two changes that each check the other's record cannot both be saved: the one
    saved second finds the version moved on (optimistic locking) and gets a conflict."""
    obj.updated_at = utc_now()
    try:
        db.flush()
    except StaleDataError:  # someone saved it between our read and our write
        raise EditConflict(obj) from None


def apply_changes(obj: Any, data: Mapping[str, Any]) -> list[str]:
    """Set the attributes that differ and return their names (for the audit log)."""
    changed = []
    for name, value in data.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def save_changes(
    actor: User | None,
    obj: Any,
    *,
    expected_version: int | None,
    data: Mapping[str, Any],
    action: str,
    case_id: int | None = None,
    detail: str = "",
) -> list[str]:
    """Apply an edit form's data to a versioned record, refusing stale versions; keep the old
    values (history) and write one audit row naming the changed fields. Returns their names."""
    check_version(obj, expected_version)
    old = {name: getattr(obj, name) for name, value in data.items() if getattr(obj, name) != value}
    for name in old:
        setattr(obj, name, data[name])
    changed = list(old)
    if changed:
        history.keep(actor, obj, old, case_id)
        try:
            db.flush()
        except StaleDataError:  # someone saved between our read and our write
            raise EditConflict(obj) from None
        record(actor, action, case_id=case_id, obj=obj, fields=changed, detail=detail)
    return changed


def create(actor: User | None, obj: Any, *, action: str, case_id: int | None = None) -> Any:
    """Add a new record, flush it (so it has an id) and write its audit row."""
    db.add(obj)
    db.flush()
    record(actor, action, case_id=case_id, obj=obj)
    return obj


def strike_out(
    actor: User,
    score: Any,
    *,
    expected_version: int | None,
    reason: str,
    action: str,
    case_id: int,
) -> None:
    """Strike out a wrong score with a reason: it stays on record, marked, out of the chart."""
    if score.voided_at is not None:
        raise NotAllowed(_l("This score was struck out already."))
    if not reason.strip():
        raise FieldError("void_reason", _l("Write why this score is struck out."))
    save_changes(
        actor,
        score,
        expected_version=expected_version,
        data={"voided_at": utc_now(), "void_reason": reason},
        action=action,
        case_id=case_id,
    )


def check_scores(data: Mapping[str, Any], fields: tuple[str, str], empty_message: Any) -> None:
    """A scaling score: at least one of the two given, each a whole number from 0 to 10."""
    if all(data.get(field) is None for field in fields):
        raise FieldError(fields[0], empty_message)
    for field in fields:
        value = data.get(field)
        if value is not None and not 0 <= value <= 10:
            raise FieldError(field, _l("A score is a number from 0 to 10."))
