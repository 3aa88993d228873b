"""Small helpers the seed's feature modules share."""

from __future__ import annotations

from typing import TypeVar

from wijkteam.cases.models import Case, FamilyMember
from wijkteam.core.db import db

T = TypeVar("T")


def members_by_name(case: Case) -> dict[str, FamilyMember]:
    """The family's members by first name: the YAML names them that way."""
    return {m.first_name: m for m in case.family.members}


def fresh(obj: T) -> T:
    """Flush what is pending, then reload the object's collections (services add children
    by id, so the loaded collections do not see them)."""
    db.flush()
    db.refresh(obj)
    return obj
