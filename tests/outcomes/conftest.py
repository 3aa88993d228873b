"""Outcome tests: cases written with exact dates (builder.py) and the figures read back."""

from __future__ import annotations

from typing import Any

import pytest

from tests.outcomes.builder import Builder
from wijkteam.outcomes.periods import Quarter
from wijkteam.outcomes.queries import By, Counts, group_names, outcome_counts
from wijkteam.outcomes.report import Report

Q3 = Quarter(2026, 3)


@pytest.fixture
def build(app, world) -> Builder:
    return Builder(app, world.pro_noord)


def counts(app, *, team_id: int | None, by: By = "lead", quarter: Quarter = Q3) -> Counts:
    with app.test_request_context():
        return outcome_counts(quarter, team_id=team_id, by=by)


def report(app, *, team_id: int | None, by: By = "lead", quarter: Quarter = Q3) -> Report:
    with app.test_request_context():
        found = outcome_counts(quarter, team_id=team_id, by=by)
        return Report(quarter, by, found, group_names(by, found.groups))


def nonzero(found: Counts, group: int) -> dict[str, Any]:
    """A group's counts that are not 0, and its sums (rounded)."""
    values = {k: v for (k, g), v in found.values.items() if g == group and v}
    sums = {k: round(v, 4) for (k, g), v in found.sums.items() if g == group and v}
    return {**values, **{f"sum:{k}": v for k, v in sums.items()}}
