"""Loaders for views: the object a URL names, for the logged-in user, or the error page.

A loader reads the request and may commit (the view of a case file is logged at once), so it
belongs to the web layer; queries (feature/queries.py) and services never do either."""

from __future__ import annotations

from flask import abort, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from wijkteam.audit.services import record
from wijkteam.auth.models import User, by_name
from wijkteam.cases.models import Case, Family
from wijkteam.core.db import db
from wijkteam.core.errors import NotAllowed
from wijkteam.core.permissions import can_close_case, can_view_case, require_can_edit_case
from wijkteam.web.errors import deny_case

# Built once: every case page starts here (issue 21). The family's members come with the case
# for the pages that show or check them (`with_members`: joined, a few rows more instead of a
# query of their own); the others read them when used, if at all: the edit forms and the
# refusal of a case of another team do without.
_CASE = (
    select(Case)
    .where(Case.id == bindparam("case_id"))
    .options(joinedload(Case.family), by_name(Case.lead), by_name(Case.duo))
)
_CASE_WITH_MEMBERS = _CASE.options(joinedload(Case.family).joinedload(Family.members))


def get_case_or_404(
    case_id: int,
    user: User,
    action: str = "view",
    *,
    log_view: bool = True,
    with_members: bool = False,
) -> Case:
    """Load a case the user may see (404 otherwise, exactly as for a missing case),
    then check the action: 'view', 'edit' or 'close'. Refusals are audited (web/errors.py,
    record_denied): an existing case outside the user's team as 'case.denied', a refused action
    as 'access.denied'. `with_members`: the family's members loaded with it (for a page that
    reads them).

    Every page that shows a case file (GET) is logged here as a view, and committed at once,
    so the log holds even if rendering fails afterwards. Changes are logged by the services."""
    statement = _CASE_WITH_MEMBERS if with_members else _CASE
    case = db.scalars(statement, {"case_id": case_id}).unique().first()
    if case is None:
        abort(404)
    if not can_view_case(user, case):
        deny_case(case.id)  # audited as an attempt; the answer is the same 404
        abort(404)
    if action == "edit":
        require_can_edit_case(user, case)
    if action == "close" and not can_close_case(user, case):
        raise NotAllowed(
            _l("Only the case lead, the duo colleague or the team lead can close this case.")
        )
    if log_view and request.method == "GET":
        record(user, "case.view", case_id=case.id, obj=case)
        db.commit()
    return case
