"""Small numbers are never shown, nor worked out by subtraction (docs/outcomes.md, "Small
numbers are never shown").

A *cell* is a count of families for one group (a professional or a team; ALL for all groups
together): `(count key, group)`. A *line* is a total and the parts that add up to it: each row of
a table (a group's categories) and each column (a category over the groups). `protect` marks each
cell SHOWN, SMALL ("< 5": fewer than 5, which may be 0) or HIDDEN ("×": 5 or more, hidden so that
a small one cannot be worked out):

1. every cell of 1 to 4 is SMALL;
2. over every line, until nothing changes: with a small total, every part is hidden (0 too);
   with a shown total, the hidden parts are none, or at least two that together make 5 or more
   and none of which the marks pin down ("< 5" is 0 to 4, "×" is 5 or more); with a hidden
   total, at least one part is hidden and none is pinned down; else the smallest shown part is
   hidden too (the total, when no part is left);
3. then every hidden cell is checked against all lines at once, as someone working them out
   would: exact linear algebra over the shown cells, and the bounds the marks give carried from
   line to line until nothing changes; a hidden cell with only one possible value hides the
   smallest shown part of a line it is in; and back to 2.

Pure functions: no database, no Flask."""

from __future__ import annotations

import enum
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence

MIN_FAMILIES = 5
ALL = "all"  # the group of all groups together

Group = int | str  # a case lead's or a team's id, or ALL
Key = tuple[str, Group]
Line = tuple[Key, tuple[Key, ...]]
INFINITE = float("inf")
PRIME = 2**61 - 1  # a Mersenne prime: the field of _determined


class Mark(enum.Enum):
    SHOWN = "shown"
    SMALL = "small"  # fewer than 5 families (1 to 4, or a 0 hidden on purpose): "< 5"
    HIDDEN = "hidden"  # 5 or more, hidden so that a small number cannot be worked out: "×"


def lines_of(tables: Iterable[tuple[str, Sequence[str]]], groups: Sequence[Group]) -> list[Line]:
    """Every line of the tables (`(total, parts)` count keys) over these groups and ALL: each
    group's row, the row of ALL, and each count's column over the groups (once per count)."""
    lines: dict[Line, None] = {}
    every = [*groups, ALL]
    for total, parts in tables:
        for group in every:
            lines[((total, group), tuple((p, group) for p in parts))] = None
        for key in (total, *parts):
            lines[((key, ALL), tuple((key, g) for g in groups))] = None
    return list(lines)


def with_totals(
    values: Mapping[Key, int], keys: Iterable[str], groups: Sequence[Group]
) -> dict[Key, int]:
    """The cells of every group (0 where missing) and of ALL (their sum)."""
    cells: dict[Key, int] = {}
    for key in keys:
        total = 0
        for group in groups:
            value = int(values.get((key, group), 0))
            cells[(key, group)] = value
            total += value
        cells[(key, ALL)] = total
    return cells


def protect(values: Mapping[Key, int], lines: Sequence[Line]) -> dict[Key, Mark]:
    """The mark of every cell (docstring of this module)."""
    marks = {key: Mark.SMALL if 0 < v < MIN_FAMILIES else Mark.SHOWN for key, v in values.items()}
    lines_with: dict[Key, list[Line]] = defaultdict(list)
    for line in lines:
        for key in (line[0], *line[1]):
            lines_with[key].append(line)
    queue: deque[Line] = deque(lines)
    while True:
        _settle_lines(values, marks, queue, lines_with)
        determined = _determined(values, marks, lines)
        determined |= _pinned_cells(values, marks, lines, lines_with)
        if not determined:
            return marks
        hid_more = False
        for key in sorted(determined, key=repr):
            extra = _next_to(key, values, marks, lines_with)
            if extra is not None and marks[extra] is Mark.SHOWN:
                marks[extra] = hidden_mark(values[extra])
                queue.extend(lines_with[extra])
                hid_more = True
        if not hid_more:  # nothing left to hide next to them: everything around is hidden
            return marks


def _settle_lines(
    values: Mapping[Key, int],
    marks: dict[Key, Mark],
    queue: deque[Line],
    lines_with: Mapping[Key, list[Line]],
) -> None:
    queued = set(queue)
    while queue:
        line = queue.popleft()
        queued.discard(line)
        extra = _line_needs(line, values, marks)
        if extra is None:
            continue
        marks[extra] = hidden_mark(values[extra])
        for other in lines_with[extra]:
            if other not in queued:
                queued.add(other)
                queue.append(other)


def hidden_mark(value: int) -> Mark:
    """How a cell hidden on purpose reads: "< 5" when it is fewer than 5 (0 included), else
    "×"."""
    return Mark.SMALL if value < MIN_FAMILIES else Mark.HIDDEN


def _smallest(keys: Iterable[Key], values: Mapping[Key, int]) -> Key | None:
    return min(keys, key=lambda k: (values[k], repr(k)), default=None)


def _line_needs(line: Line, values: Mapping[Key, int], marks: Mapping[Key, Mark]) -> Key | None:
    """The cell this line needs hidden as well, or None when it is safe as it is."""
    total, parts = line
    hidden = [p for p in parts if marks[p] is not Mark.SHOWN]
    shown = [p for p in parts if marks[p] is Mark.SHOWN and values[p] > 0]
    if marks[total] is Mark.SMALL:
        # Fewer than 5 families: how they spread over the parts is not shown either, not even
        # where a part is 0 (else "all of them dropped out" would show).
        return next((p for p in parts if marks[p] is Mark.SHOWN), None)
    if marks[total] is Mark.HIDDEN:
        if not hidden:
            return _smallest(shown, values)  # the total would be the sum of its shown parts
        terms = [(total, -1), *((p, 1) for p in hidden)]
        if _pinned(terms, sum(values[p] for p in shown), marks):
            return _smallest(shown, values)
        return None
    if not hidden:
        return None
    together = sum(values[p] for p in hidden)
    if (
        len(hidden) >= 2
        and together >= MIN_FAMILIES
        and not _pinned([(p, 1) for p in hidden], together, marks)
    ):
        return None
    return _smallest(shown, values) or total


def _bounds(mark: Mark) -> tuple[float, float]:
    """What a mark tells about a hidden cell."""
    return (0, MIN_FAMILIES - 1) if mark is Mark.SMALL else (MIN_FAMILIES, INFINITE)


def _pinned(terms: Sequence[tuple[Key, int]], constant: float, marks: Mapping[Key, Mark]) -> bool:
    """Whether sum(sign * cell) == constant, with the bounds the marks give, leaves some cell
    only one possible value."""
    ranges = [(sign, *_bounds(marks[key])) for key, sign in terms]
    lows = [min(sign * lo, sign * hi) for sign, lo, hi in ranges]
    highs = [max(sign * lo, sign * hi) for sign, lo, hi in ranges]
    low_sum, high_sum = _Sum(lows), _Sum(highs)
    for i, (sign, lo, hi) in enumerate(ranges):
        # The others' sum: without this term, also when it or some others are infinite.
        rest_lo, rest_hi = low_sum.without(lows[i]), high_sum.without(highs[i])
        if sign > 0:
            low, high = max(lo, constant - rest_hi), min(hi, constant - rest_lo)
        else:
            low, high = max(lo, rest_lo - constant), min(hi, rest_hi - constant)
        if low >= high:
            return True
    return False


class _Sum:
    """A sum of terms of which some may be infinite (all of one sign), that can leave one term
    out in constant time: the finite part and the number of infinite terms."""

    def __init__(self, terms: Sequence[float]) -> None:
        infinite = [t for t in terms if t in (INFINITE, -INFINITE)]
        self.finite = sum(t for t in terms if t not in (INFINITE, -INFINITE))
        self.infinite = len(infinite)
        self.sign = infinite[0] if infinite else 0.0

    def without(self, own: float) -> float:
        if own in (INFINITE, -INFINITE):
            return self.sign if self.infinite > 1 else self.finite
        return self.sign if self.infinite else self.finite - own


def _determined(
    values: Mapping[Key, int], marks: Mapping[Key, Mark], lines: Sequence[Line]
) -> set[Key]:
    """The hidden cells that the shown cells determine through the lines (each a linear
    equation: total - sum(parts) = 0): the pivots of a reduced row echelon form whose row holds
    nothing else.

    Exact arithmetic modulo the prime PRIME instead of fractions (ten times faster at 200
    teams): the coefficients of these equations are small integers, and a cell determined over
    the rationals is determined modulo a prime unless the prime divides a denominator of the
    elimination, which for a prime of 61 bits and tables of counts does not happen (the
    elimination of a table with its margins needs no division at all)."""
    hidden = {key for key, mark in marks.items() if mark is not Mark.SHOWN}
    if not hidden:
        return set()
    pivots: dict[Key, dict[Key, int]] = {}
    rows_with: dict[Key, set[Key]] = defaultdict(set)  # a free cell -> pivots whose rows hold it
    for total, parts in lines:
        row: dict[Key, int] = {}
        if total in hidden:
            row[total] = PRIME - 1
        for part in parts:
            if part in hidden:
                row[part] = (row.get(part, 0) + 1) % PRIME
        row = {k: v for k, v in row.items() if v}
        if not row:
            continue
        for key in [k for k in row if k in pivots]:
            factor = row.get(key)
            if not factor:
                continue
            for k, a in pivots[key].items():
                value = (row.get(k, 0) - factor * a) % PRIME
                if value:
                    row[k] = value
                else:
                    row.pop(k, None)
        if not row:
            continue
        pivot = next(iter(row))
        inverse = pow(row[pivot], -1, PRIME)
        row = {k: v * inverse % PRIME for k, v in row.items()}
        for other in list(rows_with.get(pivot, ())):
            other_row = pivots[other]
            factor = other_row.pop(pivot)
            for k, v in row.items():
                if k == pivot:
                    continue
                value = (other_row.get(k, 0) - factor * v) % PRIME
                if value:
                    if k not in other_row:
                        rows_with[k].add(other)
                    other_row[k] = value
                elif k in other_row:
                    del other_row[k]
                    rows_with[k].discard(other)
        rows_with.pop(pivot, None)
        pivots[pivot] = row
        for k in row:
            if k != pivot:
                rows_with[k].add(pivot)
    return {key for key, row in pivots.items() if len(row) == 1}


def _pinned_cells(
    values: Mapping[Key, int],
    marks: Mapping[Key, Mark],
    lines: Sequence[Line],
    lines_with: Mapping[Key, list[Line]],
) -> set[Key]:
    """The hidden cells whose bounds ("< 5": 1 to 4, "×": 5 or more, a shown cell: itself),
    carried over every line (a total is the sum of its parts) until nothing changes, leave one
    possible value."""
    hidden = {key for key, mark in marks.items() if mark is not Mark.SHOWN}
    if not hidden:
        return set()
    lo: dict[Key, float] = {}
    hi: dict[Key, float] = {}
    for key, mark in marks.items():
        if mark is Mark.SHOWN:
            lo[key] = hi[key] = values[key]
        else:
            lo[key], hi[key] = _bounds(mark)
    queue = deque(line for line in lines if line[0] in hidden or hidden.intersection(line[1]))
    queued = set(queue)
    visits = 0
    while queue and visits < 200 * len(lines):
        visits += 1
        line = queue.popleft()
        queued.discard(line)
        total, parts = line
        low_sum = sum(lo[p] for p in parts)
        finite_high = sum(hi[p] for p in parts if hi[p] != INFINITE)
        infinite = sum(1 for p in parts if hi[p] == INFINITE)
        changed: list[Key] = []
        new = (max(lo[total], low_sum), min(hi[total], INFINITE if infinite else finite_high))
        if new != (lo[total], hi[total]):
            lo[total], hi[total] = new
            changed.append(total)
        for part in parts:
            if marks[part] is Mark.SHOWN:
                continue
            own_infinite = hi[part] == INFINITE
            rest_hi = (
                INFINITE
                if infinite - own_infinite > 0
                else finite_high - (0 if own_infinite else hi[part])
            )
            rest_lo = low_sum - lo[part]
            new = (max(lo[part], lo[total] - rest_hi), min(hi[part], hi[total] - rest_lo))
            if new != (lo[part], hi[part]):
                lo[part], hi[part] = new
                changed.append(part)
        for key in changed:
            for other in lines_with[key]:
                if other not in queued:
                    queued.add(other)
                    queue.append(other)
    return {key for key in hidden if lo[key] >= hi[key]}


def _next_to(
    key: Key,
    values: Mapping[Key, int],
    marks: Mapping[Key, Mark],
    lines_with: Mapping[Key, list[Line]],
) -> Key | None:
    """The cell to hide so that `key` can no longer be worked out: the smallest shown part of
    a line it is in, else of a line one of that line's hidden cells is in, and so on outwards
    (the lines that work it out); a shown total where no part is left."""
    seen_lines: set[Line] = set()
    seen_keys = {key}
    frontier = [key]
    while frontier:
        parts: list[Key] = []
        totals: list[Key] = []
        further: list[Key] = []
        for cell in frontier:
            for line in lines_with[cell]:
                if line in seen_lines:
                    continue
                seen_lines.add(line)
                total, line_parts = line
                if marks[total] is Mark.SHOWN:
                    totals.append(total)
                for part in (total, *line_parts):
                    if marks[part] is not Mark.SHOWN and part not in seen_keys:
                        seen_keys.add(part)
                        further.append(part)
                parts += [p for p in line_parts if values[p] > 0 and marks[p] is Mark.SHOWN]
        found = _smallest(parts, values) or _smallest(totals, values)
        if found is not None:
            return found
        frontier = further
    return None
