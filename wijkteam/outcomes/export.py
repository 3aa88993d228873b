"""The outcome figures as CSV files: the overview's (`/outcomes.csv`) and the monitor export
for the municipality (`/outcomes/monitor.csv`), both `;`-separated UTF-8 with a byte-order
mark, every value as the page shows it ("< 5", "×"), with decimals written with a point."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

from wijkteam.outcomes.figures import COLUMNS, label
from wijkteam.outcomes.report import Report
from wijkteam.outcomes.suppression import ALL, Group

# The figures of the table per professional (or team) on the page.
BREAKDOWN = (
    "closed",
    "goal_attainment_pct",
    "dropout_pct",
    "mark_mean",
    "in_care",
    "plan_agreed",
    "ladder_up",
    "ladder_down",
    "regie_taken_over",
)
MONITOR_HEADER = ("period", "team_id", "team", *COLUMNS)
OVERVIEW_HEADER = ("period", "scope", "group", "figure", "label", "value")
ALL_GROUPS = "all"


def _safe(value: object) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: neutralise them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_safe(cell) for cell in row])
    return out.getvalue()


def overview_csv(report: Report, group: Group, *, scope: str) -> str:
    """One row per figure and group: all groups together and each group, or the one group
    the filter chose."""
    groups: list[Group] = [ALL, *report.groups] if group == ALL else [group]
    rows: list[list[object]] = [list(OVERVIEW_HEADER)]
    for g in groups:
        name = ALL_GROUPS if g == ALL else report.name(g)
        for key in COLUMNS:
            rows.append(
                [report.quarter.key, scope, name, key, label(key), report.figure(key, g).plain()]
            )
    return _write(rows)


def monitor_csv(report: Report) -> str:
    """One row per team with cases in the quarter, then one for all teams (docs/outcomes.md,
    "The monitor export")."""
    rows: list[list[object]] = [list(MONITOR_HEADER)]
    every: list[Group] = [*report.groups, ALL]
    for g in every:
        team_id, name = ("", ALL_GROUPS) if g == ALL else (g, report.name(g))
        rows.append(
            [report.quarter.key, team_id, name, *(report.figure(k, g).plain() for k in COLUMNS)]
        )
    return _write(rows)


def csv_response(body: str, filename: str) -> Response:
    response = Response(body.encode("utf-8-sig"), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
