"""Server-side SVG bar charts of the outcome figures (no JavaScript), like the scale charts of
wijkteam/plans/chart.py: colours as presentation attributes (the CSP forbids inline style), a
<title> on every bar, and each chart comes with the rows of its table for screen readers.

A hidden number ("< 5", "×") gets no bar: only its mark is written where the bar would start."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from wijkteam.outcomes.figures import LEVELS, label
from wijkteam.outcomes.report import Figure, View
from wijkteam.plans.enums import LadderLevel

WIDTH = 640
LEFT, RIGHT = 8, 72
ROW, PAIRED_ROW, BAR = 44, 58, 16
TEXT, MUTED, GRID = "#1d2530", "#5a6472", "#d5dbe3"
ONE_COLOUR = "#0b6e4f"
START_COLOUR, END_COLOUR = "#8a4b00", "#0b6e4f"


@dataclass(frozen=True)
class Row:
    """One row of a chart's table: what it is and its figure(s)."""

    label: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: Markup
    columns: tuple[str, ...]  # the table's headings after the first column
    rows: tuple[Row, ...]


def _scale(rows: Sequence[Row], fixed: float | None) -> float:
    if fixed is not None:
        return fixed
    shown = [f.bar for row in rows for f in row.figures if f.bar is not None]
    return max([1.0, *shown])


def _bar(
    x: float, y: float, value: float | None, top: float, colour: str, figure: Figure, title: str
) -> list[str]:
    inner = WIDTH - LEFT - RIGHT
    tip = escape(title)
    if value is None:
        return [
            f'<text x="{x:.1f}" y="{y + BAR - 3:.1f}" font-size="13" fill="{MUTED}">'
            f"{escape(figure.text())}<title>{tip}</title></text>"
        ]
    if value <= 0:
        return [
            f'<text x="{x:.1f}" y="{y + BAR - 3:.1f}" font-size="13" fill="{TEXT}">'
            f"{escape(figure.text())}<title>{tip}</title></text>"
        ]
    length = max(inner * value / top, 1.5)
    return [
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{length:.1f}" height="{BAR}" fill="{colour}">'
        f"<title>{tip}</title></rect>",
        f'<text x="{x + length + 6:.1f}" y="{y + BAR - 3:.1f}" font-size="13" fill="{TEXT}">'
        f"{escape(figure.text())}</text>",
    ]


def _svg(chart_id: str, title: str, height: float, parts: list[str]) -> Markup:
    description = _(
        "Bars per category. A number of fewer than 5 families has no bar and says < 5; × is "
        "hidden so that such a number cannot be worked out. The same figures are in the table "
        "below the chart."
    )
    head = [
        f'<svg class="chart outcome-chart" viewBox="0 0 {WIDTH} {height:.0f}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    return Markup("".join([*head, *parts, "</svg>"]))  # noqa: S704 - every text is escaped


def bars(
    key: str, title: str, rows: Sequence[Row], *, fixed: float | None = None, column: str = ""
) -> Chart:
    """One bar per row."""
    top = _scale(rows, fixed)
    parts: list[str] = []
    for i, row in enumerate(rows):
        y = 8 + i * ROW
        parts.append(
            f'<text x="{LEFT}" y="{y + 12}" font-size="13" fill="{TEXT}">{escape(row.label)}</text>'
        )
        figure = row.figures[0]
        parts += _bar(
            LEFT, y + 18, figure.bar, top, ONE_COLOUR, figure, f"{row.label}: {figure.text()}"
        )
    height = 8 + len(rows) * ROW
    return Chart(
        key,
        title,
        _svg(f"chart-{key}", title, height, parts),
        (column or _("Families"),),
        tuple(rows),
    )


def paired(
    key: str,
    title: str,
    rows: Sequence[Row],
    series: tuple[str, str],
    *,
    fixed: float | None = None,
) -> Chart:
    """Two bars per row: the start (or earlier) and the end (or latest)."""
    top = _scale(rows, fixed)
    colours = (START_COLOUR, END_COLOUR)
    parts = [
        f'<rect x="{LEFT + i * 200}" y="6" width="14" height="14" fill="{colours[i]}"/>'
        f'<text x="{LEFT + i * 200 + 20}" y="18" font-size="13" fill="{TEXT}">'
        f"{escape(name)}</text>"
        for i, name in enumerate(series)
    ]
    for i, row in enumerate(rows):
        y = 32 + i * PAIRED_ROW
        parts.append(
            f'<text x="{LEFT}" y="{y + 12}" font-size="13" fill="{TEXT}">{escape(row.label)}</text>'
        )
        for k, figure in enumerate(row.figures):
            parts += _bar(
                LEFT,
                y + 17 + k * (BAR + 2),
                figure.bar,
                top,
                colours[k],
                figure,
                f"{row.label}, {series[k]}: {figure.text()}",
            )
    height = 32 + len(rows) * PAIRED_ROW
    return Chart(key, title, _svg(f"chart-{key}", title, height, parts), series, tuple(rows))


def _counts(view: View, keys: Sequence[str]) -> list[Row]:
    return [Row(label(k), (view.count(k),)) for k in keys]


def overview_charts(view: View) -> dict[str, Chart]:
    """Every chart of the overview, for all groups together or one group's row."""
    start_end = (_("At the start"), _("At the end"))
    charts = [
        bars(
            "attainment",
            _("Goal attainment: the goals of each family at closing"),
            _counts(
                view,
                ("goals_all_reached", "goals_partly", "goals_not_reached", "goals_not_recorded"),
            ),
        ),
        bars(
            "ending",
            _("How the support ended (drop-out)"),
            _counts(
                view,
                (
                    "ended_together",
                    "ended_by_family",
                    "ended_by_team",
                    "moved",
                    "ending_not_recorded",
                ),
            ),
        ),
        bars(
            "marks",
            _("Satisfaction: the family's mark"),
            _counts(view, ("mark_7_plus", "mark_below_7", "no_mark")),
        ),
        bars(
            "questions",
            _("Satisfaction: the three questions (mean, 1 to 5)"),
            [
                Row(label(k), (view.mean(k),))
                for k in ("heard_mean", "own_say_mean", "better_now_mean")
            ],
            fixed=5,
            column=_("Mean"),
        ),
        bars(
            "plan",
            _("Plan agreed with the family"),
            _counts(view, ("agreed_in_quarter", "agreed_before", "plan_not_agreed")),
        ),
        bars(
            "days",
            _("Days from intake to an agreed plan (first agreed in the quarter)"),
            _counts(view, ("days_0_14", "days_15_42", "days_43_90", "days_91_plus")),
        ),
        paired(
            "ownership",
            _("Who owns the actions (mean share per family)"),
            [
                Row(_("The family"), (view.mean("family_start_pct"), view.mean("family_end_pct"))),
                Row(
                    _("The network"), (view.mean("network_start_pct"), view.mean("network_end_pct"))
                ),
                Row(
                    _("Professionals"),
                    (view.mean("professional_start_pct"), view.mean("professional_end_pct")),
                ),
            ],
            start_end,
            fixed=100,
        ),
        bars(
            "own_moves",
            _("Actions of the family and its network, at the end against the start"),
            _counts(view, ("own_share_up", "own_share_same", "own_share_down", "no_actions")),
        ),
        paired(
            "ladder_levels",
            _("Participation ladder: the level at the start and at the end"),
            [
                Row(
                    f"{n}. {LadderLevel(n).label}",
                    (view.count(f"ladder_start_{n}"), view.count(f"ladder_end_{n}")),
                )
                for n in LEVELS
            ],
            start_end,
        ),
        bars(
            "ladder_moves",
            _("Participation ladder: how the level moved"),
            _counts(view, ("ladder_up", "ladder_same", "ladder_down", "ladder_not_recorded")),
        ),
        bars(
            "regie",
            _("Regie taken over by the professional"),
            _counts(view, ("regie_taken_over", "regie_taken_over_end")),
        ),
        paired(
            "network",
            _("The family's network (mean per family)"),
            [
                Row(
                    _("People in the network"),
                    (view.mean("network_start_mean"), view.mean("network_end_mean")),
                ),
                Row(
                    _("Of whom the family said they may be contacted"),
                    (view.mean("consent_start_mean"), view.mean("consent_end_mean")),
                ),
            ],
            start_end,
        ),
        bars(
            "network_moves",
            _("The network, at the end against the start"),
            _counts(view, ("network_grew", "network_same", "network_shrank")),
        ),
        paired(
            "score_bands",
            _("The family's own scores: families per band, at the start and latest"),
            [
                Row(band, (view.count(f"score_start_{k}"), view.count(f"score_latest_{k}")))
                for k, band in (("low", _("0 to 3")), ("mid", _("4 to 6")), ("high", _("7 to 10")))
            ],
            (_("At the start"), _("Latest")),
        ),
        paired(
            "score_means",
            _("The family's own scores (mean, 0 to 10)"),
            [
                Row(
                    _("Family score"),
                    (view.mean("score_start_mean"), view.mean("score_latest_mean")),
                )
            ],
            (_("At the start"), _("Latest")),
            fixed=10,
        ),
        bars(
            "score_moves",
            _("The family's own scores: how they moved"),
            _counts(view, ("score_up", "score_same", "score_down", "not_scored")),
        ),
    ]
    return {chart.key: chart for chart in charts}
