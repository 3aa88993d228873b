"""Reading the audit log, page by page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from wijkteam.audit.models import AuditEvent
from wijkteam.core.db import db
from wijkteam.web.pagination import Pagination, paginate


def case_trail(case_id: int, page: int, per_page: int) -> Pagination[Any]:
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.case_id == case_id)
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return paginate(db, stmt, page, per_page)
