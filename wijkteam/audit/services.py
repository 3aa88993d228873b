"""Writing the audit log. Every view and change of a case file goes through `record`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import has_request_context, request
from sqlalchemy import select

from wijkteam.audit import chain
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import User
from wijkteam.core.db import db, utc_now

# The length of an audit row's detail (the column holds 500); a longer detail is cut.
MAX_DETAIL = 500


def record(
    actor: User | None,
    action: str,
    *,
    case_id: int | None = None,
    obj: object | None = None,
    fields: Iterable[str] = (),
    detail: str = "",
) -> AuditEvent:
    """Add one audit row to the caller's transaction: it is written (chained and hashed, see
    wijkteam/audit/chain.py) when that transaction commits, and dropped if it rolls back. Until
    the commit it is not in the database; `chain.pending(db)` lists it."""
    event = AuditEvent(
        at=utc_now(),
        user_id=actor.id if actor is not None else None,
        case_id=case_id,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        fields=sorted(str(f) for f in fields),
        detail=detail[:MAX_DETAIL],
        ip=((request.remote_addr or "") if has_request_context() else "")[:45],
    )
    chain.add_pending(db, event)
    return event


def audited_since(actor: User, obj: object, since: datetime) -> bool:
    """Whether this user's work on this object already has an audit row from `since` on (an
    autosaved draft is audited once per login, not once per save)."""
    row = db.scalar(
        select(AuditEvent.id)
        .where(
            AuditEvent.user_id == actor.id,
            AuditEvent.object_type == type(obj).__name__,
            AuditEvent.object_id == getattr(obj, "id", None),
            AuditEvent.at >= since,
        )
        .limit(1)
    )
    return row is not None
