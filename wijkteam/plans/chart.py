"""Server-side SVG charts of scaling scores over time (no JavaScript needed).

Colours are SVG presentation attributes, not inline CSS, so the strict Content-Security-Policy
holds. Each point has a <title> (shown on hover, read by screen readers); pages also show the
same figures as a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 40
FAMILY_COLOUR, PROFESSIONAL_COLOUR = "#0b6e4f", "#8a4b00"


@dataclass(frozen=True)
class Point:
    on: date
    value: int


def _x(on: date, first: date, last: date) -> float:
    span = (last - first).days
    inner = WIDTH - LEFT - RIGHT
    if span == 0:
        return LEFT + inner / 2
    return LEFT + inner * (on - first).days / span


def _y(value: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (10 - value) / 10


def _series(
    points: Sequence[Point],
    first: date,
    last: date,
    colour: str,
    css: str,
    label: str,
    dashed: bool,
) -> list[str]:
    if not points:
        return []
    coords = [(_x(p.on, first, last), _y(p.value)) for p in points]
    parts = []
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(
            f'<polyline class="line {css}" points="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5"{dash}/>'
        )
    for point, (x, y) in zip(points, coords, strict=True):
        title = escape(f"{format_date(point.on)}: {label} {point.value}")
        parts.append(
            f'<circle class="point {css}" cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}">'
            f"<title>{title}</title></circle>"
        )
    return parts


def scale_chart(
    family: Sequence[Point], professional: Sequence[Point], *, title: str, chart_id: str
) -> Markup:
    """A line chart 0-10 over time: the family's scores solid, the professional's dashed."""
    all_points = [*family, *professional]
    if not all_points:
        return Markup("")
    first = min(p.on for p in all_points)
    last = max(p.on for p in all_points)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">'
        + escape(
            _(
                "Scores from 0 (worst) to 10 (goal reached) over time. The same figures are "
                "in the table below the chart."
            )
        )
        + "</desc>",
    ]
    for value in range(0, 11, 2):
        y = _y(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#d5dbe3" '
            f'stroke-width="1"/><text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="#5a6472">{value}</text>'
        )
    # Date labels at both ends, anchored inwards so they are never cut off.
    ends = [(first, "start"), (last, "end")] if first != last else [(first, "middle")]
    for on, anchor in ends:
        parts.append(
            f'<text x="{_x(on, first, last):.1f}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="{anchor}" font-size="12" fill="#5a6472">{escape(format_date(on))}</text>'
        )
    parts += _series(family, first, last, FAMILY_COLOUR, "series-family", _("family"), False)
    parts += _series(
        professional,
        first,
        last,
        PROFESSIONAL_COLOUR,
        "series-professional",
        _("professional"),
        True,
    )
    legend_y = HEIGHT - 8
    parts.append(
        f'<g font-size="12" fill="#1d2530">'
        f'<line x1="{LEFT}" y1="{legend_y - 4}" x2="{LEFT + 24}" y2="{legend_y - 4}" '
        f'stroke="{FAMILY_COLOUR}" stroke-width="2.5"/>'
        f'<text x="{LEFT + 30}" y="{legend_y}">{escape(_("Family"))}</text>'
        f'<line x1="{LEFT + 120}" y1="{legend_y - 4}" x2="{LEFT + 144}" y2="{legend_y - 4}" '
        f'stroke="{PROFESSIONAL_COLOUR}" stroke-width="2.5" stroke-dasharray="6 4"/>'
        f'<text x="{LEFT + 150}" y="{legend_y}">{escape(_("Professional"))}</text></g>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part above is escaped


def goal_chart(goal: object, title: str) -> Markup:
    scores = goal.valid_scores  # type: ignore[attr-defined]
    family = [Point(s.scored_on, s.family_score) for s in scores if s.family_score is not None]
    professional = [
        Point(s.scored_on, s.professional_score) for s in scores if s.professional_score is not None
    ]
    return scale_chart(family, professional, title=title, chart_id=f"goal-{goal.id}")  # type: ignore[attr-defined]
