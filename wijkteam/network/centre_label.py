"""The eco-map's centre label: the family name and its members, fitted into the family's circle.

SVG text does not wrap, and the server cannot measure it, so widths are estimated from the
characters (a generous estimate for a sans-serif face: wide letters count more than narrow
ones). The label is wrapped into lines, each as wide as the circle's chord at its height, in
the largest font that fits; a text that fits no layout is cut with an ellipsis (the full text
is in the group's <title>)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

CENTRE_R = 58  # the family's circle
PADDING = 5  # between the text and the circle's edge
LINE_HEIGHT = 1.15  # times the font size
BLOCK_GAP = 3.0  # between the name and the members
BOLD = 1.08  # bold letters are this much wider
NAME_SIZES = (15, 13, 12, 11)
MEMBER_SIZES = (11, 10, 9)
NARROW = set("iIjl.,;:'|!ı ")
SEMI_NARROW = set("ftr()[]-/")
WIDE = set("mwMWÆŒæœ@%")
ELLIPSIS = "…"


@dataclass(frozen=True)
class LabelLine:
    """One line of the label: its text, its baseline relative to the circle's centre, its
    font size and weight."""

    text: str
    y: float
    size: int
    bold: bool

    @property
    def top(self) -> float:
        """The top of the line's letters (capitals and ascenders), relative to the centre."""
        return self.y - 0.8 * self.size

    @property
    def bottom(self) -> float:
        """The bottom of the line's descenders, relative to the centre."""
        return self.y + 0.25 * self.size

    @property
    def width(self) -> float:
        return text_width(self.text, self.size, bold=self.bold)


def char_width(char: str) -> float:
    """A character's estimated width, in ems."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char in NARROW:
        return 0.3
    if char in SEMI_NARROW:
        return 0.4
    if char in WIDE:
        return 0.92
    if char.isupper():
        return 0.72
    return 0.58


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The estimated width of `text` in pixels at `size`."""
    return sum(char_width(c) for c in text) * size * (BOLD if bold else 1.0)


def chord(top: float, bottom: float, radius: float = CENTRE_R - PADDING) -> float:
    """How wide a line may be between `top` and `bottom` (relative to the centre) inside the
    circle: the chord at the band's edge farthest from the centre."""
    far = max(abs(top), abs(bottom))
    return 2 * math.sqrt(radius * radius - far * far) if far < radius else 0.0


def _tokens(text: str, *, hyphens: bool) -> list[str]:
    """Words (with their following space), and at hyphens where a name may break."""
    tokens: list[str] = []
    for word in text.split():
        pieces = word.split("-")
        parts = [p + "-" for p in pieces[:-1]] + [pieces[-1]] if hyphens else [word]
        tokens += [p for p in parts if p]
        tokens[-1] += " "
    return tokens


def _fill(tokens: list[str], lines: list[LabelLine], *, cut: bool) -> list[LabelLine] | None:
    """Put the tokens on the lines in order, each line as wide as its chord. None when they do
    not fit; with `cut`, a word is split where needed and the last line ends in an ellipsis."""
    tokens = list(tokens)
    filled = []
    for index, line in enumerate(lines):
        room = chord(line.top, line.bottom)
        text = ""
        while tokens:
            candidate = text + tokens[0]
            if text_width(candidate.rstrip(), line.size, bold=line.bold) <= room:
                text = candidate
                tokens.pop(0)
            elif not text and cut:  # a word wider than the line: split it
                word = tokens.pop(0)
                keep = max(
                    n
                    for n in range(len(word) + 1)
                    if text_width(word[:n], line.size, bold=line.bold) <= room
                )
                text = word[:keep]
                if word[keep:]:
                    tokens.insert(0, word[keep:])
                break
            else:
                break
        last = index == len(lines) - 1
        if tokens and last:
            if not cut:
                return None
            text = text.rstrip(" ,")
            while text and text_width(text + ELLIPSIS, line.size, bold=line.bold) > room:
                text = text[:-1].rstrip(" ,")
            text += ELLIPSIS
            tokens = []
        filled.append(LabelLine(text.rstrip(), line.y, line.size, line.bold))
    if tokens:
        return None
    return [line for line in filled if line.text]


def _layout(
    name_size: int, name_lines: int, member_size: int, member_lines: int
) -> list[LabelLine]:
    """Empty lines of the given sizes, centred in the circle."""
    sizes = [(name_size, True)] * name_lines + [(member_size, False)] * member_lines
    height = sum(LINE_HEIGHT * s for s, _b in sizes) + (BLOCK_GAP if member_lines else 0)
    top = -height / 2
    lines = []
    for index, (size, bold) in enumerate(sizes):
        if index == name_lines and index:
            top += BLOCK_GAP
        lines.append(LabelLine("", top + 0.9 * size, size, bold))
        top += LINE_HEIGHT * size
    return lines


def _fit(
    name: str, members: str, layout: list[LabelLine], n: int, *, cut: bool
) -> list[LabelLine] | None:
    head = _fill(_tokens(name, hyphens=True), layout[:n], cut=cut)
    tail = _fill(_tokens(members, hyphens=False), layout[n:], cut=cut) if members else []
    if head is None or tail is None:
        return None
    return head + tail


def centre_label(family_name: str, first_names: Sequence[str]) -> list[LabelLine]:
    """The lines of the centre label: the largest fonts and fewest lines that fit the circle,
    else the smallest layout with the text cut."""
    name = " ".join(family_name.split())
    members = ", ".join(" ".join(n.split()) for n in first_names if n.strip())
    member_lines = (1, 2, 3) if members else (0,)
    member_sizes = MEMBER_SIZES if members else (MEMBER_SIZES[0],)
    for name_size, member_size, n, m in product(NAME_SIZES, member_sizes, (1, 2), member_lines):
        found = _fit(name, members, _layout(name_size, n, member_size, m), n, cut=False)
        if found is not None:
            return found
    smallest = _layout(NAME_SIZES[-1], 2, MEMBER_SIZES[-1], member_lines[-1])
    return _fit(name, members, smallest, 2, cut=True) or []  # cutting always fits
