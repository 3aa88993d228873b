"""Loading safety concerns, always through a case the user may see (or their team)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from wijkteam.audit.history import revisions_of
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.cases.queries import visible_cases
from wijkteam.core.db import db
from wijkteam.safety.models import ConcernStatus, MeldcodeStep, SafetyConcern, Signal
from wijkteam.web.pagination import Pagination, paginate


def concerns_of_case(case: Case) -> list[SafetyConcern]:
    return list(
        db.scalars(
            select(SafetyConcern)
            .where(SafetyConcern.case_id == case.id)
            .options(selectinload(SafetyConcern.steps), selectinload(SafetyConcern.children))
            .order_by(SafetyConcern.opened_on.desc(), SafetyConcern.id.desc())
        )
    )


def get_concern_or_404(case: Case, concern_id: int) -> SafetyConcern:
    concern = db.scalar(
        select(SafetyConcern)
        .where(SafetyConcern.id == concern_id, SafetyConcern.case_id == case.id)
        .options(
            selectinload(SafetyConcern.children),
            selectinload(SafetyConcern.signals).joinedload(Signal.recorded_by),
            selectinload(SafetyConcern.steps).joinedload(MeldcodeStep.done_by),
            selectinload(SafetyConcern.safety_map),
            selectinload(SafetyConcern.scores),
            selectinload(SafetyConcern.conditions),
            joinedload(SafetyConcern.opened_by),
        )
    )
    if concern is None:
        abort(404)
    return concern


def team_open_concerns(user: User, page: int, per_page: int) -> Pagination[Any]:
    """Open concerns of the user's team with their steps, in a fixed number of queries."""
    stmt = (
        select(SafetyConcern)
        .join(SafetyConcern.case)
        .join(Case.family)
        .where(
            SafetyConcern.case_id.in_(visible_cases(user).with_only_columns(Case.id)),
            SafetyConcern.status != ConcernStatus.CLOSED,
        )
        .options(
            contains_eager(SafetyConcern.case).contains_eager(Case.family),
            contains_eager(SafetyConcern.case).joinedload(Case.lead),
            selectinload(SafetyConcern.steps),
        )
        .order_by(SafetyConcern.opened_on, SafetyConcern.id)
    )
    return paginate(db, stmt, page, per_page)


@dataclass(frozen=True)
class ShownRevision:
    """A revision as one reader may see it (same attributes the history card reads)."""

    changed_at: datetime
    changed_by: User | None
    old: dict[str, Any]


CONFIDENTIAL_FIELDS = ("source",)


def signal_history(signal: Signal, *, may_see_confidential: bool) -> list[ShownRevision]:
    """The signal's earlier values, newest first, under the rule that held when each was
    written: a source that was confidential then stays hidden from whoever may not see
    confidential sources, also after the source was corrected and made non-confidential."""
    hidden = str(_("(confidential source: only the case lead and the team lead see it)"))
    shown = []
    confidential = signal.source_confidential  # as it is now, walking back in time
    for revision in revisions_of(signal):
        old = dict(revision.old)
        confidential = bool(old.get("source_confidential", confidential))
        if confidential and not may_see_confidential:
            old = {name: hidden if name in CONFIDENTIAL_FIELDS else v for name, v in old.items()}
        shown.append(ShownRevision(revision.changed_at, revision.changed_by, old))
    return shown


@dataclass(frozen=True)
class FamilyFileConcerns:
    """A case's safety concerns as the family's papers see them: `shown`, those the family has
    been told about (Meldcode step 3, a shared decision or condition) and that are not held back
    with a reason; `hidden`, the ids of all others. While any is hidden, the papers give no hint
    of safety work at all."""

    shown: list[SafetyConcern]
    hidden: frozenset[int]


def family_file_concerns(case: Case) -> FamilyFileConcerns:
    """One query for the concerns of a case, split into what the family's file lists and not."""
    concerns = list(
        db.scalars(
            select(SafetyConcern)
            .where(SafetyConcern.case_id == case.id)
            .options(
                selectinload(SafetyConcern.children),
                selectinload(SafetyConcern.steps),
                selectinload(SafetyConcern.conditions),
            )
            .order_by(SafetyConcern.opened_on, SafetyConcern.id)
        )
    )
    return FamilyFileConcerns(
        shown=[c for c in concerns if c.in_family_file],
        hidden=frozenset(c.id for c in concerns if not c.in_family_file),
    )
