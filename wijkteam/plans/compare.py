"""What is new or changed in the plan since the family agreed to it.

Both sides are plan snapshots (wijkteam/plans/services/versions.py `snapshot`): the agreed
version's frozen one and the live draft's. Goals are matched by id; actions by id where the
snapshot has one (versions since December 2026), else by their goal and text (older versions).

`compare` marks what is new or changed (the printout's marks, the sign-off list); `report` says
it in full for the page "what changed since the family agreed": added, changed and ended, with
the words before and now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from wijkteam.plans.enums import (
    ActionStatus,
    GoalStatus,
    LadderLevel,
    OwnerKind,
    Regie,
    Repeats,
)

# A goal or action that is in the plan now but not (so) in the agreed version.
NEW = "new"
CHANGED = "changed"

_GOAL_FIELDS = ("text", "why_it_matters", "first_step", "status", "members")
_ACTION_FIELDS = ("text", "owner_kind", "owner", "due_on", "status", "repeats")
# What a key means when an older snapshot does not have it yet.
_MISSING = {"repeats": "once"}


@dataclass
class Changes:
    """Marks per goal id and action key, and what left the plan, for a proposal's paper."""

    goals: dict[int, str] = field(default_factory=dict)
    actions: dict[str, str] = field(default_factory=dict)
    removed_goals: list[str] = field(default_factory=list)
    removed_actions: list[str] = field(default_factory=list)
    ladder_changed: bool = False
    regie_changed: bool = False
    evaluation_changed: bool = False

    @property
    def any(self) -> bool:
        return bool(
            self.goals
            or self.actions
            or self.removed_goals
            or self.removed_actions
            or self.ladder_changed
            or self.regie_changed
            or self.evaluation_changed
        )

    def count(self, mark: str, kind: str) -> int:
        marks = self.goals if kind == "goal" else self.actions
        return sum(1 for m in marks.values() if m == mark)


def action_key(goal_id: int, action: dict[str, Any]) -> str:
    """How an action is known across snapshots: its id, or (older snapshots) goal and text."""
    if action.get("id") is not None:
        return f"id:{action['id']}"
    return f"text:{goal_id}:{action.get('text', '')}"


def _actions(snap: dict[str, Any]) -> dict[str, tuple[int, dict[str, Any]]]:
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    for goal in snap.get("goals", []):
        for action in goal.get("actions", []):
            found[action_key(goal["id"], action)] = (goal["id"], action)
            # An older agreed snapshot has no ids: let the live action be found by text too.
            found.setdefault(f"text:{goal['id']}:{action.get('text', '')}", (goal["id"], action))
    return found


def _before(
    old_actions: dict[str, tuple[int, dict[str, Any]]], goal_id: int, action: dict[str, Any]
) -> tuple[int, dict[str, Any]] | None:
    """The agreed form of a live action: by its id, else by its goal and text."""
    return old_actions.get(action_key(goal_id, action)) or old_actions.get(
        f"text:{goal_id}:{action.get('text', '')}"
    )


def _differs(old: dict[str, Any], new: dict[str, Any], fields: tuple[str, ...]) -> bool:
    return any(
        old.get(f, _MISSING.get(f)) != new.get(f, _MISSING.get(f))
        for f in fields
        if f in old or f in new
    )


def compare(agreed: dict[str, Any], current: dict[str, Any]) -> Changes:
    """What `current` adds to or changes in `agreed`."""
    changes = Changes()
    old_goals = {g["id"]: g for g in agreed.get("goals", [])}
    new_goals = {g["id"]: g for g in current.get("goals", [])}
    for goal_id, goal in new_goals.items():
        before = old_goals.get(goal_id)
        if before is None:
            changes.goals[goal_id] = NEW
        elif _differs(before, goal, _GOAL_FIELDS):
            changes.goals[goal_id] = CHANGED
    changes.removed_goals = [g["text"] for gid, g in old_goals.items() if gid not in new_goals]

    old_actions = _actions(agreed)
    seen: set[int] = set()
    for goal in current.get("goals", []):
        for action in goal.get("actions", []):
            key = action_key(goal["id"], action)
            before = _before(old_actions, goal["id"], action)
            if before is None:
                changes.actions[key] = NEW
                continue
            seen.add(id(before[1]))
            if _differs(before[1], action, _ACTION_FIELDS):
                changes.actions[key] = CHANGED
    changes.removed_actions = [
        action.get("text", "")
        for _goal_id, action in {id(a): (g, a) for g, a in old_actions.values()}.values()
        if id(action) not in seen
    ]
    changes.ladder_changed = agreed.get("ladder_level") != current.get("ladder_level")
    changes.regie_changed = agreed.get("regie") != current.get("regie")
    changes.evaluation_changed = agreed.get("evaluation_on") != current.get("evaluation_on")
    return changes


# --- the changes in full, for the page "what changed since the family agreed" ---------------

# A goal or an action that is no longer worked on (an ended one of the agreed version).
_ENDED_GOAL = {GoalStatus.ACHIEVED.value, GoalStatus.CHANGED.value, GoalStatus.DROPPED.value}
_OPEN_ACTION = {ActionStatus.PLANNED.value, ActionStatus.DOING.value}


@dataclass
class Line:
    """A goal or an action on the page of changes. `text`: its words now; `before_text`: its
    words in the agreed version, when they changed; `goal_text`: the words of an action's goal;
    `fields`: what else changed, as (field, before, now); `status`: the status an ended one has
    now (None: no longer in the plan)."""

    kind: str
    text: str
    before_text: str | None = None
    goal_text: str = ""
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)
    status: GoalStatus | ActionStatus | None = None


@dataclass
class Report:
    """What was added, changed and ended since the agreed version, and the plan's own changes
    (`plan_fields`: evaluation date, ladder, regie as (field, before, now))."""

    added: list[Line] = field(default_factory=list)
    changed: list[Line] = field(default_factory=list)
    ended: list[Line] = field(default_factory=list)
    plan_fields: list[tuple[str, Any, Any]] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.ended or self.plan_fields)


def snapshot_date(iso: str | None) -> date | None:
    """A snapshot's date (ISO text, or None) as a date."""
    return date.fromisoformat(iso) if iso else None


def _value(kind: str, name: str, value: Any) -> Any:
    """A snapshot's stored value as the page shows it: enums for closed lists, dates."""
    if value is None:
        value = _MISSING.get(name)
    if value in (None, ""):
        return None
    if name == "status":
        return GoalStatus(value) if kind == "goal" else ActionStatus(value)
    if name in ("due_on", "evaluation_on"):
        return snapshot_date(value)
    known: dict[str, Any] = {
        "repeats": Repeats,
        "owner_kind": OwnerKind,
        "ladder_level": LadderLevel,
        "regie": Regie,
    }
    return known[name](value) if name in known else value


def _line(
    kind: str, old: dict[str, Any], new: dict[str, Any], fields: tuple[str, ...], goal_text: str
) -> tuple[Line, bool]:
    """The line of a changed goal or action, and whether it ended since the agreed version."""
    line = Line(kind, new.get("text", ""), goal_text=goal_text)
    for name in fields:
        if name not in old and name not in new:
            continue
        before, now = old.get(name, _MISSING.get(name)), new.get(name, _MISSING.get(name))
        if before == now:
            continue
        if name == "text":
            line.before_text = before
        else:
            line.fields.append((name, _value(kind, name, before), _value(kind, name, now)))
    if kind == "goal":
        ended = old.get("status") not in _ENDED_GOAL and new.get("status") in _ENDED_GOAL
    else:
        ended = old.get("status") in _OPEN_ACTION and new.get("status") not in _OPEN_ACTION
    if ended:
        line.status = _value(kind, "status", new.get("status"))
        line.fields = [f for f in line.fields if f[0] != "status"]
    return line, ended


def report(agreed: dict[str, Any], current: dict[str, Any]) -> Report:
    """What `current` added, changed and ended since `agreed`, in full."""
    changes = compare(agreed, current)
    result = Report()
    old_goals = {g["id"]: g for g in agreed.get("goals", [])}
    old_actions = _actions(agreed)

    def add(line: Line, ended: bool) -> None:
        (result.ended if ended else result.changed).append(line)

    for goal in current.get("goals", []):
        mark = changes.goals.get(goal["id"])
        if mark == NEW:
            result.added.append(Line("goal", goal["text"]))
        elif mark == CHANGED:
            add(*_line("goal", old_goals[goal["id"]], goal, _GOAL_FIELDS, ""))
        for action in goal.get("actions", []):
            action_mark = changes.actions.get(action_key(goal["id"], action))
            if action_mark == NEW:
                result.added.append(Line("action", action["text"], goal_text=goal["text"]))
            elif action_mark == CHANGED:
                before = _before(old_actions, goal["id"], action)
                assert before is not None  # noqa: S101 - compare marked it changed, not new
                add(*_line("action", before[1], action, _ACTION_FIELDS, goal["text"]))
    result.ended += [Line("goal", text) for text in changes.removed_goals]
    result.ended += [Line("action", text) for text in changes.removed_actions]
    for name in ("evaluation_on", "ladder_level", "regie"):
        before, now = agreed.get(name), current.get(name)
        if before != now:
            result.plan_fields.append(
                (name, _value("plan", name, before), _value("plan", name, now))
            )
    return result
