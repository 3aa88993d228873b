"""Loading the family's network for a case, now or as it was on an earlier date."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import abort
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from wijkteam.audit.history import Revision
from wijkteam.cases.models import Case
from wijkteam.core.db import db, one_of
from wijkteam.network.models import (
    Closeness,
    NetworkKind,
    NetworkMeeting,
    NetworkMember,
    Quality,
)
from wijkteam.plans.models import Action, ActionStatus, Goal

OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.DOING)


def network_members(case: Case, include_archived: bool = False) -> list[NetworkMember]:
    stmt = _EVERYONE if include_archived else _NOT_ARCHIVED
    return list(db.scalars(stmt, {"family_id": case.family_id}))


# Built once (issue 21): the note form and the network pages read them.
_EVERYONE = (
    select(NetworkMember)
    .where(NetworkMember.family_id == bindparam("family_id"))
    .options(joinedload(NetworkMember.related_member))
    .order_by(NetworkMember.name, NetworkMember.id)
)
_NOT_ARCHIVED = _EVERYONE.where(NetworkMember.archived_on.is_(None))


def get_network_member_or_404(case: Case, network_member_id: int) -> NetworkMember:
    member = db.get(NetworkMember, network_member_id)
    if member is None or member.family_id != case.family_id:
        abort(404)
    return member


def open_action_counts(case: Case) -> dict[int, int]:
    """Open plan actions per network member of this family, in one query."""
    rows = db.execute(
        select(Action.network_member_id, func.count(Action.id))
        .join(NetworkMember, NetworkMember.id == Action.network_member_id)
        .where(
            NetworkMember.family_id == case.family_id,
            one_of(Action.status, OPEN_ACTION_STATUSES),
        )
        .group_by(Action.network_member_id)
    )
    return {
        network_member_id: count
        for network_member_id, count in rows
        if network_member_id is not None
    }


def actions_of(member: NetworkMember) -> list[Action]:
    """What this person does in the family's plan."""
    return list(
        db.scalars(
            select(Action)
            .where(Action.network_member_id == member.id)
            .options(joinedload(Action.goal))
            .order_by(Action.due_on, Action.id)
        )
    )


def meetings(case: Case) -> list[NetworkMeeting]:
    return list(
        db.scalars(
            select(NetworkMeeting)
            .where(NetworkMeeting.case_id == case.id)
            .options(
                selectinload(NetworkMeeting.network_members),
                selectinload(NetworkMeeting.family_members),
            )
            .order_by(NetworkMeeting.held_on.desc(), NetworkMeeting.id.desc())
        )
    )


def get_meeting_or_404(case: Case, meeting_id: int) -> NetworkMeeting:
    meeting = db.scalar(
        select(NetworkMeeting)
        .where(NetworkMeeting.id == meeting_id, NetworkMeeting.case_id == case.id)
        .options(
            selectinload(NetworkMeeting.network_members),
            selectinload(NetworkMeeting.family_members),
            joinedload(NetworkMeeting.recorded_by),
        )
    )
    if meeting is None:
        abort(404)
    return meeting


def meeting_actions(meeting: NetworkMeeting) -> list[Action]:
    return list(
        db.scalars(
            select(Action)
            .where(Action.meeting_id == meeting.id)
            .options(joinedload(Action.goal).joinedload(Goal.plan))
            .order_by(Action.id)
        )
    )


@dataclass(frozen=True)
class MapEntry:
    """One person on the eco-map, as they were on the chosen date."""

    id: int
    name: str
    kind: NetworkKind
    closeness: Closeness
    quality: Quality
    consent_recorded: bool
    relation: str


def _entry(values: dict[str, Any], member: NetworkMember) -> MapEntry:
    return MapEntry(
        id=member.id,
        name=values["name"],
        kind=NetworkKind(values["kind"]),
        closeness=Closeness(values["closeness"]),
        quality=Quality(values["quality"]),
        consent_recorded=values["may_contact"] is not None,
        relation=values["relation"],
    )


MAP_FIELDS = ("name", "kind", "closeness", "quality", "may_contact", "relation", "archived_on")


def network_on(case: Case, on: date | None) -> list[MapEntry]:
    """The network as recorded at the end of `on` (today when None), from the members' current
    values with later changes rolled back (wijkteam.audit.history keeps the earlier values)."""
    members = network_members(case, include_archived=True)
    if on is None:
        return [
            _entry({f: getattr(m, f) for f in MAP_FIELDS}, m) for m in members if not m.is_archived
        ]
    end_of_day = datetime.combine(on + timedelta(days=1), time.min, tzinfo=UTC)
    later: dict[int, list[Revision]] = defaultdict(list)
    if members:
        for revision in db.scalars(
            select(Revision)
            .where(
                Revision.table_name == NetworkMember.__tablename__,
                Revision.row_id.in_([m.id for m in members]),
                Revision.changed_at >= end_of_day,
            )
            .order_by(Revision.changed_at.desc(), Revision.id.desc())
        ):
            later[revision.row_id].append(revision)
    entries = []
    for member in members:
        if member.created_at >= end_of_day:
            continue  # not in the network yet
        values: dict[str, Any] = {f: getattr(member, f) for f in MAP_FIELDS}
        for revision in later[member.id]:  # newest first: roll back to the oldest later change
            for name, old in revision.old.items():
                if name in values:
                    values[name] = old
        archived_on = values["archived_on"]
        if isinstance(archived_on, str):
            archived_on = date.fromisoformat(archived_on)
        if archived_on is not None and archived_on <= on:
            continue
        entries.append(_entry(values, member))
    return entries
