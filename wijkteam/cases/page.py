"""What the case page reads beside the case and its family, in one statement."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, exists, select

from wijkteam.cases.models import Case
from wijkteam.cases.queries import other_cases_of_family
from wijkteam.core.db import db
from wijkteam.plans.queries import Standing, standing_columns


@dataclass(frozen=True)
class CasePage:
    """Where the case's plan stands (None: no plan yet) and the family's other cases in this
    team (the earlier or later ones, newest first)."""

    plan: Standing | None
    other_cases: list[Case]


def read_case_page(case: Case) -> CasePage:
    """Where the plan stands, and whether the family has other cases in this team, in one
    statement; those cases are read only when there are any (most families have one: issue
    21, a statement less on most case pages)."""
    params = {"case_id": case.id, "family_id": case.family_id, "team_id": case.team_id}
    row = db.execute(_FACTS, params).one()
    standing = Standing(row.ladder_level, row.regie) if row.has_plan else None
    return CasePage(standing, other_cases_of_family(case) if row.other_cases else [])


_FACTS = select(
    *standing_columns(),
    exists()
    .where(
        Case.family_id == bindparam("family_id"),
        Case.id != bindparam("case_id"),
        Case.team_id == bindparam("team_id"),
    )
    .label("other_cases"),
)
