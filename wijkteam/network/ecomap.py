"""The eco-map: the family in the middle, its network around it (server-side SVG).

Rings show closeness (close / middle / far); each kind of member gets its own sector; lines
show the quality of the tie: supportive (solid, thick), strained (dashed), unsafe (dotted, red,
with a cross). Line patterns differ, so the map also reads in black and white on paper. Colours
are SVG presentation attributes (no inline CSS: the Content-Security-Policy stays strict)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from wijkteam.network.centre_label import CENTRE_R, centre_label
from wijkteam.network.models import Closeness, NetworkKind, Quality
from wijkteam.network.queries import MapEntry

WIDTH, HEIGHT = 760, 650
CX, CY = WIDTH / 2, 300
RADIUS = {Closeness.CLOSE: 120, Closeness.MIDDLE: 195, Closeness.FAR: 265}
NODE_R = 20
KIND_ORDER = list(NetworkKind)
KIND_FILL = {
    NetworkKind.FAMILY: "#dff3ea",
    NetworkKind.FRIEND: "#e8f1fb",
    NetworkKind.NEIGHBOUR: "#f3ecfb",
    NetworkKind.VOLUNTEER: "#fff4e0",
    NetworkKind.INFORMAL_WORKER: "#fde8f0",
    NetworkKind.PROFESSIONAL: "#eceff3",
}
KIND_LETTER = {
    NetworkKind.FAMILY: "F",
    NetworkKind.FRIEND: "V",
    NetworkKind.NEIGHBOUR: "B",
    NetworkKind.VOLUNTEER: "Vw",
    NetworkKind.INFORMAL_WORKER: "S",
    NetworkKind.PROFESSIONAL: "P",
}
LINE = {
    Quality.SUPPORTIVE: ('stroke="#0b6e4f" stroke-width="4"', ""),
    Quality.STRAINED: ('stroke="#b35c00" stroke-width="2.5"', ' stroke-dasharray="10 6"'),
    Quality.UNSAFE: ('stroke="#b00020" stroke-width="2.5"', ' stroke-dasharray="2 5"'),
}


def _short(name: str, limit: int = 18) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _sectors(entries: Sequence[MapEntry]) -> dict[NetworkKind, tuple[float, float]]:
    """Angle ranges per kind, in a fixed order, wide in proportion to how many there are."""
    counts = {k: sum(1 for e in entries if e.kind == k) for k in KIND_ORDER}
    present = [k for k in KIND_ORDER if counts[k]]
    total = sum(counts.values())
    sectors: dict[NetworkKind, tuple[float, float]] = {}
    start = -math.pi / 2  # start at the top, go clockwise
    for kind in present:
        width = 2 * math.pi * counts[kind] / total
        sectors[kind] = (start, start + width)
        start += width
    return sectors


def _positions(entries: Sequence[MapEntry]) -> dict[int, tuple[float, float]]:
    sectors = _sectors(entries)
    positions = {}
    for kind, (start, end) in sectors.items():
        members = [e for e in entries if e.kind == kind]
        step = (end - start) / len(members)
        for index, entry in enumerate(members):
            angle = start + step * (index + 0.5)
            radius = RADIUS[entry.closeness]
            positions[entry.id] = (CX + radius * math.cos(angle), CY + radius * math.sin(angle))
    return positions


def ecomap(
    family_name: str, first_names: Sequence[str], entries: Sequence[MapEntry], *, title: str
) -> Markup:
    """The eco-map as an SVG element with a title and a description for screen readers."""
    counts = {q: sum(1 for e in entries if e.quality == q) for q in Quality}
    desc = _(
        "%(n)d people around the family: %(s)d supportive, %(t)d strained, %(u)d unsafe. "
        "The list below the map gives the same information.",
        n=len(entries),
        s=counts[Quality.SUPPORTIVE],
        t=counts[Quality.STRAINED],
        u=counts[Quality.UNSAFE],
    )
    parts = [
        f'<svg class="ecomap" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        'aria-labelledby="ecomap-title ecomap-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="ecomap-title">{escape(title)}</title>',
        f'<desc id="ecomap-desc">{escape(desc)}</desc>',
    ]
    for closeness, radius in RADIUS.items():
        parts.append(
            f'<circle class="ring" cx="{CX}" cy="{CY}" r="{radius}" fill="none" stroke="#d5dbe3" '
            f'stroke-width="1" stroke-dasharray="3 4"/>'
            f'<text x="{CX + 4}" y="{CY - radius - 4}" font-size="11" fill="#5a6472">'
            f"{escape(closeness.label)}</text>"
        )
    positions = _positions(entries)
    for entry in entries:
        x, y = positions[entry.id]
        attrs, dash = LINE[entry.quality]
        parts.append(
            f'<line class="tie line-{entry.quality.value}" x1="{CX}" y1="{CY}" x2="{x:.1f}" '
            f'y2="{y:.1f}" {attrs}{dash}/>'
        )
        if entry.quality == Quality.UNSAFE:
            mx, my = (CX + x) / 2, (CY + y) / 2
            cross = (
                f"M{mx - 6:.1f},{my - 6:.1f} L{mx + 6:.1f},{my + 6:.1f} "
                f"M{mx + 6:.1f},{my - 6:.1f} L{mx - 6:.1f},{my + 6:.1f}"
            )
            parts.append(
                f'<path class="unsafe-mark" d="{cross}" stroke="#b00020" stroke-width="3"/>'
            )
    # The family in the middle, drawn over the lines: the label fitted into the circle, the
    # whole text in its title.
    whole = family_name + (f": {', '.join(first_names)}" if first_names else "")
    parts.append(
        f'<g class="family"><title>{escape(whole)}</title>'
        f'<circle cx="{CX}" cy="{CY}" r="{CENTRE_R}" fill="#0b6e4f"/>'
    )
    for line in centre_label(family_name, first_names):
        weight = ' font-weight="700"' if line.bold else ""
        parts.append(
            f'<text x="{CX}" y="{CY + line.y:.1f}" text-anchor="middle" '
            f'font-size="{line.size}"{weight} fill="#ffffff">{escape(line.text)}</text>'
        )
    parts.append("</g>")
    no_consent = _("no consent recorded")
    for entry in entries:
        x, y = positions[entry.id]
        outline = "" if entry.consent_recorded else ' stroke-dasharray="4 3"'
        tooltip = (
            f"{entry.name}: {entry.kind.label}, {entry.quality.label}, "
            f"{entry.closeness.label}" + ("" if entry.consent_recorded else f" ({no_consent})")
        )
        parts.append(
            f'<g class="node kind-{entry.kind.value} quality-{entry.quality.value}'
            f'{"" if entry.consent_recorded else " no-consent"}">'
            f"<title>{escape(tooltip)}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{NODE_R}" fill="{KIND_FILL[entry.kind]}" '
            f'stroke="#1d2530" stroke-width="1.5"{outline}/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
            f'font-weight="700" fill="#1d2530">{KIND_LETTER[entry.kind]}</text>'
            f'<text x="{x:.1f}" y="{y + NODE_R + 14:.1f}" text-anchor="middle" font-size="12" '
            f'fill="#1d2530">{escape(_short(entry.name))}'
            f"{'' if entry.consent_recorded else ' ?'}</text></g>"
        )
    parts.append(_legend())
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text part above is escaped


def _legend() -> str:
    y = HEIGHT - 44
    items = []
    x = 20.0
    for quality in Quality:
        attrs, dash = LINE[quality]
        items.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 34}" y2="{y}" {attrs}{dash}/>'
            f'<text x="{x + 40}" y="{y + 4}" font-size="12" fill="#1d2530">'
            f"{escape(quality.label)}</text>"
        )
        x += 150
    consent_legend = _("? = no consent recorded")
    items.append(
        f'<circle cx="{x + 10}" cy="{y}" r="9" fill="#ffffff" stroke="#1d2530" '
        'stroke-dasharray="4 3"/>'
        f'<text x="{x + 24}" y="{y + 4}" font-size="12" fill="#1d2530">'
        f"{escape(consent_legend)}</text>"
    )
    # The kind letters, in two lines so long (translated) names fit.
    letters = [f"{KIND_LETTER[k]} = {k.label}" for k in KIND_ORDER]
    half = (len(letters) + 1) // 2
    for line, y2 in ((letters[:half], HEIGHT - 20), (letters[half:], HEIGHT - 5)):
        items.append(
            f'<text x="20" y="{y2}" font-size="11" fill="#5a6472">{escape("   ".join(line))}</text>'
        )
    return '<g class="legend">' + "".join(items) + "</g>"
