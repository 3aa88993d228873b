"""Shared pieces for edit services: optimistic locking and change tracking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
