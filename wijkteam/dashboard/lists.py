"""The dashboard's lists besides the cases that need attention, read as one (issue 21): what
waits for the user's sign-off and what they asked, the cases brought in for discussion, the
caseload, the next meetings, tasks, checks and hand-overs. Each list is its own module's
(`core.lists.Part`); `core.lists.Lists.read` reads them in one statement on PostgreSQL."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from wijkteam.auth.models import User
from wijkteam.cases.queries import (
    Handover,
    handover_params,
    handovers_of,
    handovers_part,
    sees_cases,
)
from wijkteam.core import clock
from wijkteam.core.lists import Part, unlike_lists_in_one
from wijkteam.dashboard.queries import (
    CASELOAD,
    MY_CHECKS,
    Caseload,
    Check,
    caseload,
    caseload_of,
    check_params,
    checks_of,
)
from wijkteam.discussions import queries as discussions
from wijkteam.discussions.queries import ComingLine, ItemLine, TaskLine
from wijkteam.reviews import queries as reviews
from wijkteam.reviews.queries import Asked, Listed
from wijkteam.web.pagination import Shown


@dataclass(frozen=True)
class DashboardLists:
    """Everything the dashboard lists besides the cases that need attention (`lists`)."""

    to_sign: Shown[Listed]
    asked: Asked
    waiting_items: Shown[ItemLine] | None
    my_items: Shown[ItemLine]
    caseload: list[Caseload] | None
    next_discussions: list[ComingLine]
    tasks: Shown[TaskLine]
    checks: Shown[Check]
    handovers: Shown[Handover]


def lists(user: User, *, whole_team: bool, mine: bool, today: date | None = None) -> DashboardLists:
    """The dashboard's lists, read as one (`Lists.read`: one statement on PostgreSQL; issue
    21: eight statements before, and each cost SQLAlchemy, psycopg and the round trip more
    than the database): what waits for the user's sign-off and what they asked, the cases
    brought in for discussion, the caseload and the next two meetings (`whole_team`: the
    team lead's view of the team), the user's tasks and checks, and the hand-overs (`mine`:
    those that concern the user). Each list is its own module's, read by its own
    conditions, order and limit (`unlike_lists_in_one`)."""
    today = today or clock.today()
    if not sees_cases(user):  # nothing of any case (the caseload names the people only)
        return DashboardLists(
            Shown.none(),
            Asked([], []),
            Shown.none() if whole_team else None,
            Shown.none(),
            caseload(user, today) if whole_team else None,
            [],
            Shown.none(),
            Shown.none(),
            Shown.none(),
        )
    review_parts = reviews.dashboard_parts(user)
    parts = _dashboard_parts(tuple(review_parts), whole_team=whole_team, mine=mine)
    one = unlike_lists_in_one(parts)
    params = (
        reviews.dashboard_params(user)
        | discussions.dashboard_params(user, per_page=DASHBOARD_WAITING)
        | handover_params(user)
        | check_params(user, today)
        | {"first": today.replace(day=1), "today": today}
    )
    rows = iter(one.read(params))
    to_sign, asked = reviews.from_the_dashboard(review_parts, [next(rows) for _ in review_parts])
    waiting = discussions.item_lines(next(rows), DASHBOARD_WAITING) if whole_team else None
    my_items = discussions.item_lines(next(rows), discussions.MY_ITEMS_SHOWN)
    team_norm = user.team.caseload_norm if user.team is not None else None
    loads = caseload_of(next(rows), team_norm) if whole_team else None
    coming = [ComingLine(*row) for row in next(rows)] if whole_team else []
    tasks = discussions.task_lines(next(rows))
    return DashboardLists(
        to_sign,
        asked,
        waiting,
        my_items,
        loads,
        coming,
        tasks,
        checks_of(next(rows)),
        handovers_of(next(rows)),
    )


# Cases waiting for a case discussion on the team lead's overview: the ones waiting longest.
DASHBOARD_WAITING = 10


@functools.cache
def _dashboard_parts(
    review_parts: tuple[Part, ...], *, whole_team: bool, mine: bool
) -> tuple[Part, ...]:
    """The dashboard's lists, in the order `lists` reads them."""
    team = (discussions.WAITING_LINES,) if whole_team else ()
    return (
        *review_parts,
        *team,
        discussions.MY_OPEN_LINES,
        *((CASELOAD, discussions.COMING_LINES) if whole_team else ()),
        discussions.MY_TASK_LINES,
        MY_CHECKS,
        handovers_part(mine),
    )
