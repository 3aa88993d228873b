"""History of corrections: the values a record had before each change.

Records edited through `editing.save_changes` keep their earlier values here, so a correction
never erases what was known before. Append-only from the app, like the audit log (which names
the fields that changed; this table keeps what they were)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam.auth.models import User
from wijkteam.core.db import AppendOnly, Base, db, utc_now


class Revision(AppendOnly, Base):
    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_table_name_row_id", "table_name", "row_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[int]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(default=utc_now)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # field name -> the value before this change (JSON-friendly)
    old: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    changed_by: Mapped[User | None] = relationship()


def to_json(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def keep(actor: User | None, obj: Any, old: dict[str, Any], case_id: int | None) -> Revision:
    """Store the earlier values of the fields about to change."""
    revision = Revision(
        table_name=obj.__tablename__,
        row_id=obj.id,
        case_id=case_id,
        changed_by_id=actor.id if actor is not None else None,
        old={name: to_json(value) for name, value in old.items()},
    )
    db.add(revision)
    return revision


def revisions_of(obj: Any) -> list[Revision]:
    return list(
        db.scalars(
            select(Revision)
            .where(Revision.table_name == obj.__tablename__, Revision.row_id == obj.id)
            .order_by(Revision.changed_at.desc(), Revision.id.desc())
        )
    )
