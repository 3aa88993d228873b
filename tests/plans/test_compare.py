"""What a plan's draft changed against an agreed version (wijkteam/plans/compare.py)."""

from __future__ import annotations

from wijkteam.plans.compare import CHANGED, NEW, compare

OLD = {  # a version agreed before actions had ids and "repeats" (before December 2026)
    "ladder_level": 5,
    "regie": "shared",
    "evaluation_on": "2026-12-01",
    "goals": [
        {
            "id": 1,
            "text": "Rustige ochtenden.",
            "status": "active",
            "members": ["Lisa"],
            "actions": [
                {"text": "Kleren klaarleggen.", "owner_kind": "family", "owner": "Lisa",
                 "due_on": None, "status": "planned"},
            ],
        }
    ],
}  # fmt: skip


def now(**changes):
    action = {
        "id": 7,
        "text": "Kleren klaarleggen.",
        "owner_kind": "family",
        "owner": "Lisa",
        "due_on": None,
        "status": "planned",
        "repeats": "once",
        "from_team": False,
        **changes,
    }
    goal = {**OLD["goals"][0], "actions": [action]}
    return {**OLD, "goals": [goal]}


def test_an_older_version_without_ids_or_repeats_is_the_same_plan():
    assert not compare(OLD, now()).any


def test_what_changed_is_marked():
    assert compare(OLD, now(repeats="weekly")).actions == {"id:7": CHANGED}
    changed = compare(OLD, {**now(), "ladder_level": 3})
    assert changed.ladder_changed and not changed.actions
    more = now()
    more["goals"].append({"id": 2, "text": "Nieuw.", "status": "active", "actions": []})
    assert compare(OLD, more).goals == {2: NEW}
    assert compare(OLD, {**OLD, "goals": []}).removed_goals == ["Rustige ochtenden."]
