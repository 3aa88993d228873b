"""`open_case_ids` (built once, with the user as bound parameters; the dashboard) must select
exactly what `visible_cases` does for every user: same team only, none while the team is
inactive, open cases only, and with `mine` the cases the user leads or is duo of."""

from __future__ import annotations

import pytest
from sqlalchemy import or_, select

from wijkteam.auth.models import Team, User
from wijkteam.cases.models import Case, CaseStatus
from wijkteam.cases.queries import OPEN_STATUSES, open_case_ids, visible_case_ids, visible_cases
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


def test_visible_case_ids_are_the_cases_of_visible_cases(app, town, world):
    """`visible_case_ids` (every case the user sees, built once) against `visible_cases`:
    closed cases included, other teams' never, none while the team is inactive."""
    with app.app_context():
        closed = db.scalars(select(Case).where(Case.team_id == world.noord)).first()
        closed.status = CaseStatus.CLOSED
        db.commit()
        built_once = select(Case.id).where(Case.id.in_(visible_case_ids()))
        for name in ("lead_noord", "pro_noord", "lead_zuid", "pro_zuid"):
            user = db.get(User, getattr(world, name))
            expected = set(db.scalars(visible_cases(user).with_only_columns(Case.id)))
            got = set(db.scalars(built_once, {"team_id": user.team_id}))
            assert got == expected and got, name
            assert (closed.id in got) == (user.team_id == world.noord)
        db.get(Team, world.noord).active = False
        db.commit()
        assert not set(db.scalars(built_once, {"team_id": world.noord}))
