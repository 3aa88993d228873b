"""`open_case_ids` (built once, with the user as bound parameters; the dashboard) must select
exactly what `visible_cases` does for every user: same team only, none while the team is
inactive, open cases only, and with `mine` the cases the user leads or is duo of."""

from __future__ import annotations

import pytest
from sqlalchemy import or_, select

from wijkteam.auth.models import Team, User
from wijkteam.cases.models import Case, CaseStatus
from wijkteam.cases.queries import OPEN_STATUSES, open_case_ids, visible_cases
from wijkteam.core.db import db


def both(user: User, mine: bool) -> tuple[set[int], set[int]]:
    expected = visible_cases(user).where(Case.status.in_(OPEN_STATUSES))
    if mine:
        expected = expected.where(or_(Case.lead_id == user.id, Case.duo_id == user.id))
    built_once = select(Case.id).where(Case.id.in_(open_case_ids(mine=mine)))
    params = {"team_id": user.team_id, "user_id": user.id}
    return (
        set(db.scalars(expected.with_only_columns(Case.id))),
        set(db.scalars(built_once, params)),
    )


@pytest.mark.parametrize("mine", [False, True])
def test_the_same_cases_as_visible_cases_for_everyone(app, town, world, mine):
    with app.app_context():
        # A closed case and a case of the other team's lead as duo: both must be told apart.
        closed = db.scalars(select(Case).where(Case.team_id == world.noord)).first()
        closed.status = CaseStatus.CLOSED
        db.commit()
        seen_any = False
        for name in ("lead_noord", "pro_noord", "pro2_noord", "lead_zuid", "pro_zuid"):
            user = db.get(User, getattr(world, name))
            expected, got = both(user, mine)
            assert got == expected, name
            assert closed.id not in got
            seen_any = seen_any or bool(got)
        assert seen_any  # the town has open cases: the comparison is not of empty sets
        db.get(Team, world.noord).active = False
        db.commit()
        user = db.get(User, world.pro_noord)
        assert both(user, mine) == (set(), set())
