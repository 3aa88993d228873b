"""Shared pieces for edit services: optimistic locking and change tracking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from wijkteam import history
from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.db import db
from wijkteam.errors import EditConflict


def check_version(obj: Any, expected_version: int | None) -> None:
    """Refuse to save over a version the user did not see."""
    if expected_version is None or obj.version != expected_version:
        raise EditConflict(obj)


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
        record(actor, action, case_id=case_id, obj=obj, fields=changed)
    return changed
