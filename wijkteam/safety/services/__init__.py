"""Rules for safety concerns. Services take the acting user, flush and never commit.

The Meldcode steps are a dated decision log: a step is recorded only after the steps before it
(done, or marked not applicable with a reason), and corrections keep the earlier values.

The rules live in three modules: concerns (concerns, signals, closing, the family's file),
meldcode (the steps) and safety_map (the map, the safety scale, conditions); they are all
importable from here."""

from __future__ import annotations

from wijkteam.safety.services.concerns import (
    add_signal,
    close_concern,
    hold_back_from_file,
    open_concern,
    record_confidence,
    show_in_file,
    update_concern,
    update_signal,
)
from wijkteam.safety.services.meldcode import (
    AFWEGINGSKADER,
    STEPS_THAT_MAY_NOT_APPLY,
    record_step,
    step_missing_before,
    step_missing_message,
)
from wijkteam.safety.services.safety_map import (
    add_condition,
    add_score,
    save_map,
    update_condition,
    void_score,
)

__all__ = [
    "AFWEGINGSKADER",
    "STEPS_THAT_MAY_NOT_APPLY",
    "add_condition",
    "add_score",
    "add_signal",
    "close_concern",
    "hold_back_from_file",
    "open_concern",
    "record_confidence",
    "record_step",
    "save_map",
    "step_missing_before",
    "step_missing_message",
    "show_in_file",
    "update_concern",
    "update_condition",
    "update_signal",
    "void_score",
]
