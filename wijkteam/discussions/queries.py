"""Reading case discussions: always within the user's own team, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from flask import abort
from sqlalchemy import ColumnElement, bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from wijkteam.auth.models import User, by_name
from wijkteam.cases.models import Case, Family
from wijkteam.cases.queries import sees_cases, visible_case_ids, visible_cases
from wijkteam.core import clock
from wijkteam.core.db import db, one_of, plain_rows
from wijkteam.core.lists import Part, unlike_lists_in_one
from wijkteam.core.permissions import in_team
from wijkteam.discussions.models import CaseDiscussion, DiscussionItem, ItemStatus, Need, Task
from wijkteam.plans.models import Action
from wijkteam.web.pagination import Pagination, Shown, paginate


def _team_id(user: User) -> int:
    if user.team_id is None or not in_team(user, user.team_id):
        abort(404)
    return user.team_id


def _item_options() -> tuple[Any, ...]:
    return (
        joinedload(DiscussionItem.case).joinedload(Case.family),
        by_name(DiscussionItem.submitted_by),
    )


def get_discussion_or_404(user: User, discussion_id: int) -> CaseDiscussion:
    """A meeting of the user's own team (404 otherwise, as for a missing one)."""
    discussion = db.scalar(
        select(CaseDiscussion)
        .where(CaseDiscussion.id == discussion_id, CaseDiscussion.team_id == _team_id(user))
        .options(
            joinedload(CaseDiscussion.chair),
            selectinload(CaseDiscussion.attendees),
            selectinload(CaseDiscussion.guests),
            selectinload(CaseDiscussion.items).options(*_item_options()),
        )
    )
    if discussion is None:
        abort(404)
    return discussion


def get_item_or_404(user: User, item_id: int) -> DiscussionItem:
    params = _params(user) | {"item_id": item_id}
    item = db.scalar(_ONE_ITEM, params) if sees_cases(user) else None
    if item is None:
        abort(404)
    return item


def get_task_or_404(user: User, task_id: int) -> Task:
    task = db.scalar(
        select(Task)
        .where(
            Task.id == task_id,
            Task.case_id.in_(visible_cases(user).with_only_columns(Case.id)),
        )
        .options(joinedload(Task.case))
    )
    if task is None:
        abort(404)
    return task


# On an agenda form (planning a meeting, adding to one): the cases that wait longest.
WAITING_ON_A_FORM = 50
WAITING_PER_PAGE = 25
# On the dashboard: what the user brought in and was not discussed yet, the longest waiting.
MY_ITEMS_SHOWN = 25
# On the dashboard: the user's open tasks, the soonest due.
MY_TASKS_SHOWN = 50


def waiting_items(user: User, *, page: int = 1, per_page: int | None = None) -> Shown:
    """Cases brought in and not on an agenda yet (new or postponed), oldest first: one page
    (WAITING_ON_A_FORM unless told), in one query (one row more than the page says whether
    more follow)."""
    per_page = per_page or WAITING_ON_A_FORM
    page = max(1, min(page, 10_000))
    if not sees_cases(user):
        return Shown.none(page)
    params = _params(user) | {"limit": per_page + 1, "offset": (page - 1) * per_page}
    rows = list(db.scalars(_WAITING, params))
    return Shown.of(rows, per_page, page)


def my_open_items(user: User) -> Shown[ItemLine]:
    """What this user brought in that was not discussed yet, oldest first: the MY_ITEMS_SHOWN
    that wait longest, and whether there are more (issue 21: every list that can grow is
    paged or cut)."""
    if not sees_cases(user):
        return Shown.none()
    params = _params(user) | {"mine": MY_ITEMS_SHOWN + 1}
    return Shown.of([ItemLine(*row) for row in plain_rows(_MY_OPEN_LINES, params)], MY_ITEMS_SHOWN)


def _params(user: User) -> dict[str, Any]:
    return {"team_id": user.team_id, "user_id": user.id}


# Built once with the user's team and id as bound parameters (issue 21; the dashboard).
_SEEN_ITEMS = (
    select(DiscussionItem)
    .where(DiscussionItem.case_id.in_(visible_case_ids()))
    .options(*_item_options())
)
_ONE_ITEM = _SEEN_ITEMS.where(DiscussionItem.id == bindparam("item_id")).options(
    joinedload(DiscussionItem.discussion), joinedload(DiscussionItem.recorded_by)
)
_ITEM_ORDER = (DiscussionItem.created_at, DiscussionItem.id)
_WAITING = (
    _SEEN_ITEMS.where(DiscussionItem.status == ItemStatus.WAITING)
    .order_by(*_ITEM_ORDER)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
# What the user brought in and was not discussed yet (its conditions: "my week" and the
# team lead's dashboard list it as lines, below).
_MY_OPEN_ITEMS = _SEEN_ITEMS.where(
    DiscussionItem.submitted_by_id == bindparam("user_id"),
    one_of(DiscussionItem.status, (ItemStatus.WAITING, ItemStatus.ON_AGENDA)),
)


@dataclass(frozen=True, slots=True)
class ItemLine:
    """A case brought in for discussion as the dashboard lists it: the family's name, what
    is asked and where it stands, who brought it in and the meeting it is on (None: not on an
    agenda yet), as a plain row (issue 21: a mapped item with its case, family, submitter and
    meeting cost the ORM several times the statement)."""

    id: int
    family_name: str
    need: Need
    status: ItemStatus
    submitted_by_name: str
    held_on: date | None


_ITEM_LINE = (
    DiscussionItem.id,
    Family.name,
    DiscussionItem.need,
    DiscussionItem.status,
    User.display_name,
    CaseDiscussion.held_on,
)


def _as_lines(statement: Any) -> Any:
    """The statement with what an ItemLine names from other tables joined."""
    return (
        statement.join(Case, Case.id == DiscussionItem.case_id)
        .join(Family, Family.id == Case.family_id)
        .join(User, User.id == DiscussionItem.submitted_by_id)
        .outerjoin(CaseDiscussion, CaseDiscussion.id == DiscussionItem.discussion_id)
    )


def _lines(where: Any) -> Any:
    """Item lines of the items a statement's conditions find (its WHERE clause)."""
    return _as_lines(select(*_ITEM_LINE).select_from(DiscussionItem)).where(
        cast("ColumnElement[bool]", where)
    )


# "My week": `_MY_OPEN_ITEMS` as lines, by its very conditions (the cases the user sees).
MY_OPEN_LINES = Part(_lines(_MY_OPEN_ITEMS.whereclause), _ITEM_ORDER, bindparam("mine"))
_MY_OPEN_LINES = MY_OPEN_LINES.alone
# The team lead's dashboard: the first page of the waiting ones (up to `waiting`), by
# `_WAITING`'s very conditions and order.
WAITING_LINES = Part(_lines(_WAITING.whereclause), _ITEM_ORDER, bindparam("waiting"))


def for_the_dashboard(user: User, *, per_page: int) -> tuple[Shown[ItemLine], Shown[ItemLine]]:
    """The first page of `waiting_items(user, per_page=per_page)` and `my_open_items(user)`
    in one query (the dashboard reads them with its other lists: `dashboard_params`)."""
    if not sees_cases(user):
        return Shown.none(), Shown.none()
    lists = unlike_lists_in_one((WAITING_LINES, MY_OPEN_LINES))
    rows = lists.read(dashboard_params(user, per_page=per_page))
    return item_lines(rows[0], per_page), item_lines(rows[1], MY_ITEMS_SHOWN)


def dashboard_params(user: User, *, per_page: int) -> dict[str, Any]:
    """The bound parameters of `WAITING_LINES` (a page of `per_page`), `MY_OPEN_LINES`,
    `COMING_LINES` and `MY_TASK_LINES`, as the dashboard shows them."""
    return _params(user) | {
        "waiting": per_page + 1,
        "mine": MY_ITEMS_SHOWN + 1,
        "coming": DASHBOARD_COMING,
        "today": clock.today(),
        "tasks": MY_TASKS_SHOWN + 1,
    }


def item_lines(rows: list[tuple[Any, ...]], per_page: int) -> Shown[ItemLine]:
    """`WAITING_LINES`' or `MY_OPEN_LINES`' rows as a list of `per_page` lines (and whether
    more follow)."""
    return Shown.of([ItemLine(*row) for row in rows], per_page)


def _with_counts(stmt: Any) -> Any:
    on_agenda = (
        select(func.count(DiscussionItem.id))
        .where(
            DiscussionItem.discussion_id == CaseDiscussion.id,
            DiscussionItem.status != ItemStatus.WITHDRAWN,
        )
        .correlate(CaseDiscussion)
        .scalar_subquery()
    )
    return stmt.add_columns(on_agenda)


COMING_PER_PAGE = 10


def upcoming(
    user: User, today: date | None = None, limit: int | None = None, page: int = 1
) -> Shown[tuple[Any, int]]:
    """The next meetings with the number of cases on their agenda: one page of `limit`
    (COMING_PER_PAGE unless told), and whether more are planned (a team that plans the year
    ahead has more than ten)."""
    limit = limit or COMING_PER_PAGE
    page = max(1, min(page, 10_000))
    params = {
        "team_id": _team_id(user),
        "today": today or clock.today(),
        "limit": limit + 1,
        "offset": (page - 1) * limit,
    }
    return Shown.of([(d, n) for d, n in db.execute(_UPCOMING, params)], limit, page)


_UPCOMING = _with_counts(
    select(CaseDiscussion)
    .where(
        CaseDiscussion.team_id == bindparam("team_id"),
        CaseDiscussion.held_on >= bindparam("today"),
    )
    .order_by(CaseDiscussion.held_on, CaseDiscussion.starts_at, CaseDiscussion.id)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


# The dashboard: the next two meetings, each with the number of cases on its agenda.
DASHBOARD_COMING = 2


@dataclass(frozen=True, slots=True)
class ComingLine:
    """A meeting to come as the dashboard names it: its day and the cases on its agenda."""

    id: int
    held_on: date
    on_agenda: int


COMING_LINES = Part(
    _with_counts(
        select(CaseDiscussion.id, CaseDiscussion.held_on).where(
            cast("ColumnElement[bool]", _UPCOMING.whereclause)
        )
    ),
    (CaseDiscussion.held_on, CaseDiscussion.starts_at, CaseDiscussion.id),
    bindparam("coming"),
)


def past(user: User, page: int, per_page: int = 20, today: date | None = None) -> Pagination[Any]:
    today = today or clock.today()
    stmt = (
        select(CaseDiscussion)
        .where(CaseDiscussion.team_id == _team_id(user), CaseDiscussion.held_on < today)
        .order_by(CaseDiscussion.held_on.desc(), CaseDiscussion.id.desc())
    )
    result = paginate(db, stmt, page, per_page)
    ids = [d.id for d in result.items]
    counts = dict(
        db.execute(
            select(DiscussionItem.discussion_id, func.count(DiscussionItem.id))
            .where(
                DiscussionItem.discussion_id.in_(ids),
                DiscussionItem.status == ItemStatus.DISCUSSED,
            )
            .group_by(DiscussionItem.discussion_id)
        ).all()
    )
    result.items = [(d, counts.get(d.id, 0)) for d in result.items]
    return result


def later_meetings(discussion: CaseDiscussion, today: date | None = None) -> list[CaseDiscussion]:
    """Meetings of the same team still to come (to postpone an item to)."""
    today = today or clock.today()
    return list(
        db.scalars(
            select(CaseDiscussion)
            .where(
                CaseDiscussion.team_id == discussion.team_id,
                CaseDiscussion.held_on >= today,
                CaseDiscussion.id != discussion.id,
            )
            .order_by(CaseDiscussion.held_on, CaseDiscussion.id)
            .limit(10)
        )
    )


def case_items(case: Case) -> list[DiscussionItem]:
    """Everything this case was brought in for, newest first, with the day of the discussion
    each is on (the case page: no more of the discussion, nor who brought it in)."""
    return list(db.scalars(_OF_CASE, {"case_id": case.id}))


_OF_CASE = (  # built once (issue 21): the case page reads it
    select(DiscussionItem)
    .where(DiscussionItem.case_id == bindparam("case_id"))
    .options(joinedload(DiscussionItem.discussion).load_only(CaseDiscussion.held_on))
    .order_by(DiscussionItem.created_at.desc(), DiscussionItem.id.desc())
)


def follow_ups(item: DiscussionItem) -> tuple[list[Action], list[Task]]:
    actions = list(
        db.scalars(
            select(Action)
            .where(Action.discussion_item_id == item.id)
            .options(
                joinedload(Action.goal),
                joinedload(Action.owner_member),
                joinedload(Action.network_member),
            )
            .order_by(Action.id)
        )
    )
    tasks = list(
        db.scalars(
            select(Task)
            .where(Task.item_id == item.id)
            .options(joinedload(Task.owner))
            .order_by(Task.id)
        )
    )
    return actions, tasks


def my_tasks(user: User) -> Shown[TaskLine]:
    """Open tasks of this user, soonest first: the first MY_TASKS_SHOWN, and whether there are
    more (the dashboard says so, and reads them with its other lists: `MY_TASK_LINES`)."""
    if not sees_cases(user):
        return Shown.none()
    params = _params(user) | {"tasks": MY_TASKS_SHOWN + 1}
    return task_lines(list(plain_rows(MY_TASK_LINES.alone, params)))


def task_lines(rows: list[Any]) -> Shown[TaskLine]:
    """`MY_TASK_LINES`' rows as the tasks shown (and whether more follow)."""
    return Shown.of([TaskLine(*row) for row in rows], MY_TASKS_SHOWN)


@dataclass(frozen=True, slots=True)
class TaskLine:
    """An open task as the dashboard lists it, with its family's name and the version the
    form "done" sends back (a plain row: issue 21)."""

    id: int
    case_id: int
    family_name: str
    text: str
    due_on: date
    version: int


# The user's open tasks in the cases they see, soonest first, up to `tasks`.
MY_TASK_LINES = Part(
    select(Task.id, Task.case_id, Family.name, Task.text, Task.due_on, Task.version)
    .join(Case, Case.id == Task.case_id)
    .join(Family, Family.id == Case.family_id)
    .where(
        Task.owner_id == bindparam("user_id"),
        Task.done_on.is_(None),
        Task.case_id.in_(visible_case_ids()),
    ),
    (Task.due_on, Task.id),
    bindparam("tasks"),
)


def team_members(user: User) -> list[User]:
    return list(
        db.scalars(
            select(User)
            .where(User.team_id == _team_id(user), User.active.is_(True))
            .order_by(User.display_name)
        )
    )
