"""The case list's statements are built once per kind of list, with the user, the search and the
page as bound parameters (issue 21). For every user, scope, status, search and page they must
give what a list built from `visible_cases` gives: same team only, none while the team is
inactive, the user's own cases for "mine", the status asked for, the search over the family's
name and its members' names, in the same order and with the same total."""

from __future__ import annotations

import itertools

from sqlalchemy import func, or_, select

from tests.factories import cases as make
from wijkteam.auth.models import Team, User
from wijkteam.cases.models import Case, CaseStatus, Family, FamilyMember
from wijkteam.cases.queries import OPEN_STATUSES, case_list, visible_cases
from wijkteam.core.db import db

USERS = ("lead_noord", "pro_noord", "pro2_noord", "lead_zuid", "pro_zuid", "admin")
PER_PAGE = 2


def expected(user: User, scope: str, status: str, q: str) -> list[int]:
    """The list as `visible_cases` makes it, whole and in the list's order."""
    stmt = visible_cases(user).join(Case.family)
    if scope == "mine":
        stmt = stmt.where(or_(Case.lead_id == user.id, Case.duo_id == user.id))
    if status == "open":
        stmt = stmt.where(Case.status.in_(OPEN_STATUSES))
    elif status == "closed":
        stmt = stmt.where(Case.status == CaseStatus.CLOSED)
    if q:
        pattern = f"%{q.lower()}%"
        names = select(FamilyMember.id).where(
            FamilyMember.family_id == Family.id,
            or_(FamilyMember.first_name.ilike(pattern), FamilyMember.last_name.ilike(pattern)),
        )
        stmt = stmt.where(or_(Family.name.ilike(pattern), names.exists()))
    return list(db.scalars(stmt.with_only_columns(Case.id).order_by(Family.name, Case.id)))


def test_the_same_list_as_visible_cases_for_everyone(app, world):
    with app.test_request_context():
        people = {name: db.get(User, getattr(world, name)) for name in USERS}
        lead, pro, pro2 = people["lead_noord"], people["pro_noord"], people["pro2_noord"]
        made = [
            make.register(lead, "Visser"),
            make.register(pro, "Jansen", duo_id=pro2.id),
            make.register(pro2, "Bakker", members=[make.person("Mila", "Smit")]),
            make.register(pro, "Akkerman"),
            make.register(pro2, "Zwart", duo_id=pro.id),
            make.register(people["lead_zuid"], "Meijer"),
            make.register(people["pro_zuid"], "Visser"),
        ]
        make.close(pro, made[3])
        db.commit()
        kinds = itertools.product(("team", "mine"), ("open", "closed", "all"), ("", "smit", "ss"))
        compared = 0
        for (name, user), (scope, status, q) in itertools.product(people.items(), kinds):
            whole = expected(user, scope, status, q)
            got: list[int] = []
            for page in range(1, 5):
                result = case_list(
                    user, scope=scope, status=status, q=q, page=page, per_page=PER_PAGE
                )
                assert result.total == len(whole), (name, scope, status, q)
                if page <= result.pages:
                    got += [case.id for case in result.items]
            assert got == whole, (name, scope, status, q)
            compared += bool(whole)
        assert compared >= 20  # most of the lists are not empty: the comparison means something
        # Another team's case never shows, and an inactive team sees nothing.
        assert made[5].id not in expected(pro, "team", "all", "")
        db.get(Team, world.noord).active = False
        db.commit()
        assert case_list(pro, scope="team", status="all", q="", page=1, per_page=5).total == 0
        assert db.scalar(select(func.count(Case.id))) == len(made)
