"""Rules of the family plan. Services take the acting user, flush, and never commit.

Nothing is hard-deleted: goals end with a status, scores are voided with a reason, ladder and
regie changes are new entries, corrections keep the earlier values (wijkteam.audit.history).

The rules live in six modules: rules (what one plan may hold), plan (the plan, goals, actions,
scores), ladder (ladder, regie, social ladder, successes), versions (agreed versions),
strengths (what goes on the family's paper as "what you are good at") and second_texts (a goal,
an action or "one point higher" in the family's language); they are all importable from here,
strengths and second_texts as their modules (`services.strengths.add_text(...)`,
`services.second_texts.save_second_texts(...)`)."""

from __future__ import annotations

from wijkteam.plans.services import second_texts, strengths
from wijkteam.plans.services.checks import mark_checked
from wijkteam.plans.services.ladder import (
    ADULT_AGE,
    add_success,
    change_ladder,
    change_regie,
    is_adult,
    record_social_ladder,
)
from wijkteam.plans.services.plan import (
    add_action,
    add_agreed_action,
    add_goal,
    add_score,
    correct_score,
    score_from_plan,
    set_goal_status,
    start_plan,
    update_action,
    update_goal,
    update_plan,
    void_score,
)
from wijkteam.plans.services.rules import (
    GOAL_TEXTS,
    MAX_ACTIONS_PER_PLAN,
    MAX_GOALS,
    MAX_OPEN_ACTIONS_PER_GOAL,
    MAX_OPEN_ACTIONS_PER_PLAN,
    MAX_STRENGTHS,
    MAX_TEXT,
    OPEN_ACTIONS,
    check_room_for_action,
)
from wijkteam.plans.services.versions import (
    changed_since,
    draft_changed,
    finalise_version,
    snapshot,
)

__all__ = [
    "mark_checked",
    "ADULT_AGE",
    "GOAL_TEXTS",
    "MAX_ACTIONS_PER_PLAN",
    "MAX_GOALS",
    "MAX_OPEN_ACTIONS_PER_GOAL",
    "MAX_OPEN_ACTIONS_PER_PLAN",
    "MAX_STRENGTHS",
    "MAX_TEXT",
    "OPEN_ACTIONS",
    "add_action",
    "add_agreed_action",
    "add_goal",
    "add_score",
    "add_success",
    "change_ladder",
    "change_regie",
    "changed_since",
    "draft_changed",
    "check_room_for_action",
    "correct_score",
    "finalise_version",
    "is_adult",
    "record_social_ladder",
    "score_from_plan",
    "second_texts",
    "set_goal_status",
    "snapshot",
    "start_plan",
    "strengths",
    "update_action",
    "update_goal",
    "update_plan",
    "void_score",
]
