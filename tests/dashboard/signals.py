"""The dashboard's signals worked out by hand: the reference for the one statement that finds
them (wijkteam/dashboard/queries.py), used by tests/dashboard and tests/test_seed.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.cases.queries import OPEN_STATUSES, visible_cases
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.dashboard import queries as dash
from wijkteam.network.models import NetworkMeeting
from wijkteam.notes.models import Note, NoteStatus
from wijkteam.plans.models import ActionStatus, GoalStatus, LadderEntry, Plan, PlanVersion
from wijkteam.safety.models import ConcernStatus, MeldcodeStep, SafetyConcern


def signals_by_hand(user: User, mine: bool) -> dict[int, list[tuple[str, Any]]]:
    """The dashboard's signals worked out in Python, one case at a time, from the rules in
    dashboard/queries.py's docstrings (the reference for the one statement that finds them)."""

    today = clock.today()
    found: dict[int, list[tuple[str, Any]]] = {}
    cases = db.scalars(visible_cases(user).where(Case.status.in_(OPEN_STATUSES))).all()
    for case in cases:
        if mine and user.id not in (case.lead_id, case.duo_id):
            continue
        signals: list[tuple[str, Any]] = []
        plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
        if plan and plan.evaluation_on and plan.evaluation_on < today:
            signals.append(("evaluation", plan.evaluation_on))
        contacts = db.scalars(
            select(Note.contact_on).where(Note.case_id == case.id, Note.status == NoteStatus.FINAL)
        ).all()
        last = max(contacts, default=None) or case.opened_on
        if last < today - timedelta(days=dash.NO_CONTACT_DAYS):
            signals.append(("no_contact", last))
        concerns = db.scalars(
            select(SafetyConcern)
            .where(SafetyConcern.case_id == case.id, SafetyConcern.status != ConcernStatus.CLOSED)
            .order_by(SafetyConcern.id)
        ).all()
        for concern in concerns:
            steps = db.scalar(
                select(func.count(MeldcodeStep.id)).where(MeldcodeStep.concern_id == concern.id)
            )
            if steps < 5:
                signals.append(("safety", (concern.id, steps + 1)))
        entries = sorted(plan.ladder, key=lambda e: e.id) if plan else []
        if entries:
            entry: LadderEntry = entries[-1]
            low_since = today - timedelta(days=dash.LOW_LADDER_DAYS)
            if entry.level <= 2 and entry.changed_on < low_since:
                signals.append(("low_ladder", (int(entry.level), entry.changed_on)))
        agreed = plan is not None and db.scalar(
            select(func.count(PlanVersion.id)).where(PlanVersion.plan_id == plan.id)
        )
        agreed_by = today - timedelta(days=dash.PLAN_AGREED_WITHIN_DAYS)
        if not agreed and case.opened_on < agreed_by:
            signals.append(("not_agreed", None))
        overdue = checks = 0
        for goal in plan.goals if plan else []:
            if goal.status != GoalStatus.ACTIVE:
                continue
            for action in goal.actions:
                if action.status not in (ActionStatus.PLANNED, ActionStatus.DOING):
                    continue
                overdue += bool(action.due_on and action.due_on < today)
                checks += bool(action.check_by_id and action.check_on and action.check_on < today)
        if overdue:
            signals.append(("overdue", overdue))
        if checks:
            signals.append(("check_overdue", checks))
        meetings = db.scalars(select(NetworkMeeting).where(NetworkMeeting.case_id == case.id)).all()
        waiting = sorted(
            (m.follow_up_on, m.id)
            for m in meetings
            if m.follow_up_on
            and m.follow_up_on < today
            and m.followed_up_on is None
            and not any(other.held_on > m.held_on for other in meetings)
        )
        if waiting:
            signals.append(("meeting_check", (waiting[0][1], waiting[0][0])))
        if signals:
            found[case.id] = signals
    return found


def checks_by_hand(user: User) -> list[tuple[Any, ...]]:
    """The dashboard's checks ("we stay responsible") worked out from the objects: the user's
    checks on planned or doing actions of active goals of the team's open cases, due within
    CHECKS_AHEAD_DAYS or overdue, by day and id, named as `Action.owner_display` names them.
    The reference for `my_checks`' one statement of plain rows."""
    from wijkteam.plans.models import Action

    until = clock.today() + timedelta(days=dash.CHECKS_AHEAD_DAYS)
    open_ids = set(
        db.scalars(
            visible_cases(user).where(Case.status.in_(OPEN_STATUSES)).with_only_columns(Case.id)
        )
    )
    found = []
    for action in db.scalars(select(Action).where(Action.check_by_id == user.id)):
        case = action.goal.plan.case
        if (
            case.id in open_ids
            and action.goal.status == GoalStatus.ACTIVE
            and action.status in (ActionStatus.PLANNED, ActionStatus.DOING)
            and action.check_on is not None
            and action.check_on <= until
        ):
            found.append(
                (
                    action.id,
                    action.goal_id,
                    case.id,
                    case.family.name,
                    action.text,
                    action.check_on,
                    action.owner_display,
                )
            )
    found.sort(key=lambda row: (row[5], row[0]))
    return found[: dash.MY_CHECKS_LIMIT]
