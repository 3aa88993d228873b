"""Rules of the case discussion: bringing a case in, planning meetings and their agenda,
recording the outcome with follow-ups (plan actions or tasks) in one step."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.editing import check_version, create, save_changes, touch
from wijkteam.core.errors import FieldError, NotAllowed
from wijkteam.core.permissions import (
    can_change_item,
    in_team,
    is_team_lead_of,
    require_can_edit_case,
)
from wijkteam.discussions.models import (
    CaseDiscussion,
    DiscussionGuest,
    DiscussionItem,
    ItemStatus,
    Need,
    Task,
)
from wijkteam.plans import services as plans
from wijkteam.plans.models import Plan

MAX_AGENDA = 30


def _require_team_lead(actor: User, team_id: int) -> None:
    if not is_team_lead_of(actor, team_id):
        raise NotAllowed(_l("Only the team lead plans case discussions and their agenda."))


# --- bringing a case in -----------------------------------------------------------------


def submit_item(
    actor: User, case: Case, *, question: str, tried: str, need: Need
) -> DiscussionItem:
    """A professional brings a case to the case discussion."""
    require_can_edit_case(actor, case)
    if not question.strip():
        raise FieldError("question", _l("Write the question you want the team's help with."))
    item = DiscussionItem(
        case_id=case.id,
        submitted_by_id=actor.id,
        question=question,
        tried=tried,
        need=need,
        status=ItemStatus.WAITING,
    )
    return create(actor, item, action="discussion.submit", case_id=case.id)


def update_item(
    actor: User, item: DiscussionItem, *, expected_version: int | None, data: dict[str, Any]
) -> list[str]:
    if not can_change_item(actor, item):
        raise NotAllowed(
            _l("Only who brought the case in, or the team lead, changes the question.")
        )
    if not data["question"].strip():
        raise FieldError("question", _l("Write the question you want the team's help with."))
    return save_changes(
        actor,
        item,
        expected_version=expected_version,
        data=data,
        action="discussion.item_update",
        case_id=item.case_id,
    )


def withdraw_item(actor: User, item: DiscussionItem, *, expected_version: int | None) -> None:
    if not can_change_item(actor, item):
        raise NotAllowed(_l("Only who brought the case in, or the team lead, withdraws it."))
    if item.discussion is not None:
        touch(item.discussion)
    save_changes(
        actor,
        item,
        expected_version=expected_version,
        data={"status": ItemStatus.WITHDRAWN, "discussion_id": None},
        action="discussion.withdraw",
        case_id=item.case_id,
    )


# --- meetings and agenda ----------------------------------------------------------------


def _team_members(team_id: int, ids: list[int]) -> list[User]:
    if not ids:
        return []
    people = list(
        db.scalars(select(User).where(User.id.in_(ids), User.team_id == team_id, User.active))
    )
    if len(people) != len(set(ids)):
        raise FieldError("attendee_ids", _l("Choose people from your team."))
    return people


def _waiting_items(team_id: int, ids: list[int]) -> list[DiscussionItem]:
    if not ids:
        return []
    items = list(
        db.scalars(
            select(DiscussionItem)
            .join(Case, Case.id == DiscussionItem.case_id)
            .where(
                DiscussionItem.id.in_(ids),
                Case.team_id == team_id,
                DiscussionItem.status == ItemStatus.WAITING,
            )
            .order_by(DiscussionItem.created_at, DiscussionItem.id)
        )
    )
    if len(items) != len(set(ids)):
        raise FieldError(
            "item_ids",
            _l("One of these cases is no longer waiting. Reload the page and try again."),
        )
    return items


def _put_on_agenda(actor: User, discussion: CaseDiscussion, items: list[DiscussionItem]) -> None:
    taken = [i for i in discussion.items if i.status != ItemStatus.WITHDRAWN]
    if len(taken) + len(items) > MAX_AGENDA:
        raise FieldError("item_ids", _l("An agenda holds at most %(n)d cases.", n=MAX_AGENDA))
    position = max((i.position for i in taken), default=0)
    for item in items:
        position += 1
        item.discussion_id = discussion.id
        item.status = ItemStatus.ON_AGENDA
        item.position = position
        record(actor, "discussion.agenda", case_id=item.case_id, obj=item)


def _check_date(held_on: date) -> None:
    if held_on.year < 2000 or held_on > clock.today() + timedelta(days=2 * 366):
        raise FieldError("held_on", _l("Check the date: it lies too far away."))


def plan_discussion(
    actor: User,
    *,
    held_on: date,
    starts_at: time | None,
    location: str,
    attendee_ids: list[int],
    guests: list[tuple[str, str]],
    item_ids: list[int],
) -> CaseDiscussion:
    """The team lead plans a meeting: date, who takes part, guests, and the first agenda."""
    team_id = actor.team_id
    if team_id is None:
        raise NotAllowed(_l("Only the team lead plans case discussions and their agenda."))
    _require_team_lead(actor, team_id)
    _check_date(held_on)
    discussion = CaseDiscussion(
        team_id=team_id,
        held_on=held_on,
        starts_at=starts_at,
        location=location,
        chair_id=actor.id,
    )
    discussion.attendees = _team_members(team_id, attendee_ids)
    discussion.guests = [DiscussionGuest(name=n, role=r) for n, r in guests]
    create(actor, discussion, action="discussion.plan")
    _put_on_agenda(actor, discussion, _waiting_items(team_id, item_ids))
    db.flush()
    return discussion


def update_discussion(
    actor: User,
    discussion: CaseDiscussion,
    *,
    expected_version: int | None,
    held_on: date,
    starts_at: time | None,
    location: str,
    attendee_ids: list[int],
    guests: list[tuple[str, str]],
) -> list[str]:
    _require_team_lead(actor, discussion.team_id)
    check_version(discussion, expected_version)
    _check_date(held_on)
    changed = []
    people = _team_members(discussion.team_id, attendee_ids)
    if {u.id for u in people} != {u.id for u in discussion.attendees}:
        discussion.attendees = people
        changed.append("attendees")
    if [(g.name, g.role) for g in discussion.guests] != guests:
        discussion.guests = [DiscussionGuest(name=n, role=r) for n, r in guests]
        changed.append("guests")
    if changed:
        touch(discussion)
        record(actor, "discussion.update", obj=discussion, fields=changed)
    return changed + save_changes(
        actor,
        discussion,
        expected_version=discussion.version,
        data={"held_on": held_on, "starts_at": starts_at, "location": location},
        action="discussion.update",
    )


def add_to_agenda(
    actor: User, discussion: CaseDiscussion, *, expected_version: int | None, item_ids: list[int]
) -> None:
    _require_team_lead(actor, discussion.team_id)
    check_version(discussion, expected_version)
    if not item_ids:
        raise FieldError("item_ids", _l("Tick the cases to add."))
    _put_on_agenda(actor, discussion, _waiting_items(discussion.team_id, item_ids))
    touch(discussion)


def _agenda(discussion: CaseDiscussion) -> list[DiscussionItem]:
    return sorted(
        (i for i in discussion.items if i.status != ItemStatus.WITHDRAWN),
        key=lambda i: (i.position, i.id),
    )


def move_item(
    actor: User,
    discussion: CaseDiscussion,
    item: DiscussionItem,
    *,
    expected_version: int | None,
    direction: str,
) -> None:
    """Move an item one place up or down the agenda."""
    _require_team_lead(actor, discussion.team_id)
    check_version(discussion, expected_version)
    agenda = _agenda(discussion)
    if item not in agenda or direction not in ("up", "down"):
        raise NotAllowed(_l("This case is not on this agenda."))
    at = agenda.index(item)
    to = at - 1 if direction == "up" else at + 1
    if 0 <= to < len(agenda):
        agenda[at], agenda[to] = agenda[to], agenda[at]
    for position, entry in enumerate(agenda, start=1):
        entry.position = position
    touch(discussion)


def postpone_item(
    actor: User,
    discussion: CaseDiscussion,
    item: DiscussionItem,
    *,
    expected_version: int | None,
    to_discussion: CaseDiscussion | None,
) -> None:
    """Take an item off this agenda: back to the waiting list, or onto a later meeting."""
    _require_team_lead(actor, discussion.team_id)
    check_version(discussion, expected_version)
    if item.discussion_id != discussion.id or item.status != ItemStatus.ON_AGENDA:
        raise NotAllowed(_l("Only a case that is still on the agenda can be postponed."))
    if to_discussion is not None and (
        to_discussion.team_id != discussion.team_id
        or to_discussion.id == discussion.id
        or to_discussion.held_on < clock.today()
    ):
        raise FieldError("to_discussion_id", _l("Choose a meeting that is still to come."))
    item.postponed_times += 1
    item.status = ItemStatus.WAITING
    item.discussion_id = None
    record(actor, "discussion.postpone", case_id=item.case_id, obj=item)
    if to_discussion is not None:
        db.flush()
        _put_on_agenda(actor, to_discussion, [item])
        touch(to_discussion)
    touch(discussion)


# --- the outcome ------------------------------------------------------------------------


def record_outcome(
    actor: User,
    item: DiscussionItem,
    *,
    expected_version: int | None,
    summary: str,
    advice: str,
    decisions: str,
    follow_ups: list[dict[str, Any]],
) -> DiscussionItem:
    """The summary, advice and decisions for one case; each follow-up becomes a plan action
    (with a goal) or a task for a team member (without), all in one transaction."""
    case = item.case
    discussion = item.discussion
    if not in_team(actor, case.team_id):
        raise NotAllowed(_l("Only members of the team record the case discussion."))
    if discussion is None or item.status not in (ItemStatus.ON_AGENDA, ItemStatus.DISCUSSED):
        raise NotAllowed(_l("Put the case on the agenda of a meeting first."))
    if discussion.held_on > clock.today():
        raise NotAllowed(_l("The meeting has not taken place yet."))
    if not (summary.strip() or advice.strip() or decisions.strip()):
        raise FieldError("summary", _l("Write what was discussed, the advice or the decisions."))
    if follow_ups:
        require_can_edit_case(actor, case)
    save_changes(
        actor,
        item,
        expected_version=expected_version,
        data={
            "summary": summary,
            "advice": advice,
            "decisions": decisions,
            "status": ItemStatus.DISCUSSED,
            "recorded_by_id": actor.id,
        },
        action="discussion.outcome",
        case_id=case.id,
    )
    _add_follow_ups(actor, item, follow_ups)
    return item


def _add_follow_ups(actor: User, item: DiscussionItem, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    case = item.case
    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    goals = {g.id: g for g in plan.goals} if plan is not None else {}
    team = {
        u.id: u for u in db.scalars(select(User).where(User.team_id == case.team_id, User.active))
    }
    for row in rows:
        user_id = row.get("owner_user_id")
        if user_id is not None and user_id not in team:
            raise FieldError("follow_ups", _l("Choose someone from your team."))
        if row.get("goal_id") is None:
            if user_id is None:
                raise FieldError(
                    "follow_ups", _l("Choose a goal: this becomes an action in the family's plan.")
                )
            if row.get("due_on") is None:
                raise FieldError("follow_ups", _l("A task needs a date."))
            task = Task(
                case_id=case.id,
                item_id=item.id,
                text=row["text"],
                owner_id=user_id,
                due_on=row["due_on"],
                created_by_id=actor.id,
            )
            create(actor, task, action="task.create", case_id=case.id)
            continue
        goal = goals.get(row["goal_id"])
        if goal is None:
            raise FieldError("follow_ups", _l("Choose a goal of the plan for each follow-up."))
        if user_id is not None:
            row = {**row, "owner_name": team[user_id].display_name}
        plans.add_agreed_action(
            actor, case, goal, row, field="follow_ups", discussion_item_id=item.id
        )


def finish_task(actor: User, task: Task, *, expected_version: int | None) -> None:
    if task.done_on is not None:
        raise NotAllowed(_l("This task is done already."))
    require_can_edit_case(actor, task.case)
    save_changes(
        actor,
        task,
        expected_version=expected_version,
        data={"done_on": clock.today()},
        action="task.done",
        case_id=task.case_id,
    )
