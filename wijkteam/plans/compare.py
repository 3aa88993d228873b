"""What is new or changed in the plan since the family agreed to it.

Both sides are plan snapshots (wijkteam/plans/services/versions.py `snapshot`): the agreed
version's frozen one and the live draft's. Goals are matched by id; actions by id where the
snapshot has one (versions since December 2026), else by their goal and text (older versions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
            before = old_actions.get(key) or old_actions.get(
                f"text:{goal['id']}:{action.get('text', '')}"
            )
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
