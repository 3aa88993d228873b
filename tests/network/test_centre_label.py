"""The eco-map's centre label stays inside the family's circle, for any name and member list."""

from __future__ import annotations

import math
import re

import pytest

from wijkteam.network.centre_label import CENTRE_R, centre_label, text_width
from wijkteam.network.ecomap import CX, CY, ecomap


@pytest.fixture(autouse=True)
def clean_db() -> None:
    """Replace conftest's autouse database cleanup: these tests need no database."""


def chord_at(top: float, bottom: float) -> float:
    """The circle's width at the edge of the band [top, bottom] farthest from its centre."""
    far = max(abs(top), abs(bottom))
    assert far < CENTRE_R, f"a line at {top:.1f}..{bottom:.1f} is outside the circle"
    return 2 * math.sqrt(CENTRE_R**2 - far**2)


NAMES = [
    ("Bakker", ["Lisa", "Noah"]),
    ("Boateng-xxxxxxxxxxxx", ["Akosua", "Kwame", "Ama", "Kofi", "Abena"]),
    ("Boateng-xxxxxxxxxxxx", ["Akosua", "Kwame", "Ama", "Kofi"]),
    ("Van den Berg-de Vries", ["Mohammed-Ali", "Anne-Wil", "Jan", "Mees", "Fleur"]),
    ("W" * 120, ["M" * 60] * 8),
    ("Wijngaardenvandenbroekhuizen", []),
    ("Ng", ["A"]),
    ("岡田", ["さくら", "ひろし"]),
]


@pytest.mark.parametrize(("family", "members"), NAMES)
def test_every_line_fits_the_circle_at_its_height(family, members):
    lines = centre_label(family, members)
    assert lines
    for line in lines:
        top, bottom = line.y - 0.8 * line.size, line.y + 0.25 * line.size  # capitals, tails
        width = text_width(line.text, line.size, bold=line.bold)
        assert width <= chord_at(top, bottom), (line, width)
    # The lines do not overlap, and the name comes first.
    for above, below in zip(lines, lines[1:], strict=False):
        assert below.y - above.y >= 0.9 * below.size
    assert lines[0].bold and lines[0].text


def test_short_names_are_whole_and_large():
    lines = centre_label("Bakker", ["Lisa", "Noah"])
    assert [(line.text, line.size) for line in lines] == [("Bakker", 15), ("Lisa, Noah", 11)]


def test_long_names_wrap_before_they_are_cut():
    lines = centre_label("Boateng-xxxxxxxxxxxx", ["Akosua", "Kwame", "Ama", "Kofi", "Abena"])
    text = " ".join(line.text for line in lines)
    assert "…" not in text
    assert "Boateng-" in text and "xxxxxxxxxxxx" in text
    for name in ("Akosua", "Kwame", "Ama", "Kofi", "Abena"):
        assert name in text


def test_what_does_not_fit_is_cut_with_an_ellipsis_and_whole_in_the_title():
    svg = str(ecomap("W" * 120, ["M" * 60] * 8, [], title="Netwerk"))
    group = svg.split('<g class="family">')[1].split("</g>")[0]
    assert f"<title>{'W' * 120}: {', '.join(['M' * 60] * 8)}</title>" in group
    texts = re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', group)
    assert texts and texts[-1][2].endswith("…")
    for x, y, _text in texts:
        assert float(x) == CX and abs(float(y) - CY) < CENTRE_R
