"""`core.lists.unlike_lists_in_one`: several lists of unlike rows read by one statement
(issue 21), each as its own statement reads it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import bindparam, literal_column, select

from wijkteam.auth.models import Role, User
from wijkteam.cases.models import Case, CaseHandover, Family
from wijkteam.core.db import db, plain_rows, utc_now
from wijkteam.core.lists import Part, unlike_lists_in_one
from wijkteam.plans.models import LadderEntry, LadderLevel, Plan


def test_each_list_comes_back_as_its_own_statement_gives_it(app, world):
    """Lists with columns of unlike types (text, enumerations of two kinds, a number enum,
    dates, timestamps, NULLs of their own), each with its own order and limit, and two of
    one shape: every list's rows are the rows of its statement alone, value and type, in its
    order; a list with nothing stays empty; a shared parameter is shared."""
    cases = [world.case(world.pro_noord, name=f"Lijst{i}") for i in range(4)]
    for i, case_id in enumerate(cases):
        duo = world.pro2_noord if i % 2 else None
        world.handover(case_id, hours_ago=i, reason=f"Reden {i}", from_duo_id=duo)
    with app.test_request_context():
        pro = db.get(User, world.pro_noord)
        for i, case_id in enumerate(cases):
            plan = Plan(case_id=case_id, started_on=utc_now().date())
            db.add(plan)
            db.flush()
            db.add(
                LadderEntry(
                    plan_id=plan.id,
                    level=LadderLevel(1 + i),
                    changed_on=utc_now().date() - timedelta(days=i),
                    recorded_by_id=pro.id,
                )
            )
        db.commit()
        parts = (
            Part(  # text, a string enumeration, a date; the newest first, up to `families`
                select(Case.id, Family.name, Case.status, Case.opened_on)
                .join(Family, Family.id == Case.family_id)
                .where(Case.team_id == bindparam("team_id")),
                (Case.opened_on.desc(), Case.id.desc()),
                bindparam("families"),
            ),
            Part(  # another string enumeration, a number; all of them
                select(User.id, User.role, User.display_name, User.work_percent).where(
                    User.team_id == bindparam("team_id")
                ),
                (User.display_name, User.id),
            ),
            Part(  # a number enumeration and a date, the highest level first, up to 3
                select(LadderEntry.id, LadderEntry.level, LadderEntry.changed_on),
                (LadderEntry.level.desc(), LadderEntry.id),
                3,
            ),
            Part(  # timestamps and NULLs of its own, the latest first, up to 2
                select(
                    CaseHandover.at,
                    CaseHandover.reason,
                    CaseHandover.from_duo_id,
                    CaseHandover.to_duo_id,
                ).where(CaseHandover.team_id == bindparam("team_id")),
                (CaseHandover.at.desc(), CaseHandover.id.desc()),
                2,
            ),
            Part(  # the shape of the first, finding nothing
                select(Case.id, Family.name, Case.status, Case.opened_on)
                .join(Family, Family.id == Case.family_id)
                .where(Case.team_id == bindparam("team_id"), Case.id < 0),
                (Case.id,),
            ),
        )
        params = {"team_id": world.noord, "families": 3}
        one = unlike_lists_in_one(parts)
        assert unlike_lists_in_one(parts) is one  # built once
        got = one.split(plain_rows(one.statement, params))
        alone = [[tuple(row) for row in plain_rows(part.alone, params)] for part in parts]
        assert got == alone
        read = one.read(params)  # this database's way: one statement, or the lists alone
        assert read == got and read[2][0].level == got[2][0][1]  # named as their columns
        for rows, own in zip(got, alone, strict=True):
            for row, expected in zip(rows, own, strict=True):
                assert [type(v) for v in row] == [type(v) for v in expected]
        assert [len(rows) for rows in got] == [3, len(alone[1]), 3, 2, 0]
        assert len(alone[1]) > 1 and {row[1] for row in got[1]} >= {Role.PROFESSIONAL}
        assert [row[1] for row in got[2]] == [LadderLevel(4), LadderLevel(3), LadderLevel(2)]
        assert got[3][0][1] == "Reden 0" and got[3][0][0].tzinfo is not None
        assert got[3][1][2] == world.pro2_noord and got[3][0][2] is None


def test_a_column_without_a_type_is_refused(app):
    """A NULL of no type cannot stand in a column of the union (PostgreSQL would guess it as
    text): a list's every column needs a type."""
    with app.app_context():
        part = Part(select(User.id, literal_column("1")), (User.id,))
        with pytest.raises(TypeError, match="needs a type"):
            unlike_lists_in_one((part,))
