"""The figures of one quarter as a reader may see them: every count, mean and share of
figures.py, shown or marked ("< 5", "×"), for all groups together and per group (a case lead
of the team, or a team). One protected table per report: a filter shows a row of it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from flask_babel import format_decimal

from wijkteam.outcomes.figures import COUNT, MEAN, SHARE, TABLES
from wijkteam.outcomes.periods import Quarter
from wijkteam.outcomes.queries import By, Counts, root_of
from wijkteam.outcomes.suppression import (
    ALL,
    Group,
    Key,
    Mark,
    lines_of,
    protect,
    with_totals,
)

SMALL_TEXT = "< 5"
HIDDEN_TEXT = "×"


@dataclass(frozen=True)
class Figure:
    """One number as shown: `value` is None when it is hidden or there is nothing to show (a
    mean over no families)."""

    key: str
    value: float | None
    mark: Mark
    percent: bool = False
    digits: int = 0

    @property
    def shown(self) -> bool:
        return self.mark is Mark.SHOWN and self.value is not None

    @property
    def bar(self) -> float | None:
        """The length of its bar in a chart: none for a hidden number."""
        return self.value if self.shown else None

    def text(self) -> str:
        """As the page shows it, in the page's language ("12", "34,5%", "< 5", "×", "—")."""
        if self.mark is Mark.SMALL:
            return SMALL_TEXT
        if self.mark is Mark.HIDDEN:
            return HIDDEN_TEXT
        if self.value is None:
            return "—"
        pattern = "#,##0" + ("." + "0" * self.digits if self.digits else "")
        text = format_decimal(round(self.value, self.digits), format=pattern)
        return f"{text}%" if self.percent else text

    def plain(self) -> str:
        """As the CSV files hold it ("12", "34.5", "< 5", "×", "" for nothing to show)."""
        if self.mark is Mark.SMALL:
            return SMALL_TEXT
        if self.mark is Mark.HIDDEN:
            return HIDDEN_TEXT
        if self.value is None:
            return ""
        return f"{self.value:.{self.digits}f}"


class Report:
    """The protected figures of one quarter for one reader's scope (a team per case lead, or
    the teams)."""

    def __init__(
        self,
        quarter: Quarter,
        by: By,
        counts: Counts,
        names: dict[int, str],
        marks: dict[Key, Mark] | None = None,
    ) -> None:
        """`marks`: as protect() made them for these counts before (a snapshot), else made
        now."""
        self.quarter = quarter
        self.by = by
        self.names = names
        self.groups: list[int] = sorted(counts.groups, key=lambda g: (names.get(g, "").lower(), g))
        self.values = with_totals(counts.values, COUNT, self.groups)
        self.sums: dict[tuple[str, Group], float] = {
            (key, group): counts.sums.get((key, group), 0.0)
            for key in MEAN
            for group in self.groups
        }
        for key in MEAN:
            self.sums[(key, ALL)] = sum(self.sums[(key, g)] for g in self.groups)
        if marks is None:
            tables = [(t.total, t.parts) for t in TABLES]
            marks = protect(self.values, lines_of(tables, self.groups))
        self.marks = marks

    def name(self, group: Group) -> str:
        return self.names.get(group, "") if isinstance(group, int) else ""

    def count(self, key: str, group: Group = ALL) -> Figure:
        cell = (key, group)
        value = self.values.get(cell, 0)
        return Figure(key, float(value), self.marks.get(cell, Mark.SHOWN))

    def mean(self, key: str, group: Group = ALL) -> Figure:
        mean = MEAN[key]
        families = sum(self.values.get((b, group), 0) for b in mean.basis)
        if not self._all_shown(mean.basis, group):
            return Figure(key, None, self._hidden_mark(mean.basis[0], group))
        if families == 0:
            return Figure(key, None, Mark.SHOWN, mean.percent, mean.digits)
        value = self.sums[(key, group)] / families
        return Figure(
            key, value * 100 if mean.percent else value, Mark.SHOWN, mean.percent, mean.digits
        )

    def share(self, key: str, group: Group = ALL) -> Figure:
        share = SHARE[key]
        if not self._all_shown(share.denominator, group):
            return Figure(key, None, self._hidden_mark(share.denominator[0], group))
        below = sum(self.values.get((k, group), 0) for k in share.denominator)
        if below == 0:
            return Figure(key, None, Mark.SHOWN, True, 1)
        above = sum(self.values.get((k, group), 0) for k in share.numerator)
        return Figure(key, 100 * above / below, Mark.SHOWN, True, 1)

    def figure(self, key: str, group: Group = ALL) -> Figure:
        """A count, mean or share by its key (the monitor's columns)."""
        if key in COUNT:
            return self.count(key, group)
        if key in MEAN:
            return self.mean(key, group)
        return self.share(key, group)

    def _all_shown(self, keys: tuple[str, ...], group: Group) -> bool:
        return all(self.marks.get((k, group), Mark.SHOWN) is Mark.SHOWN for k in keys)

    def _hidden_mark(self, key: str, group: Group) -> Mark:
        """A hidden mean or share says "< 5" when its whole group of cases (the professional's
        or team's cases closed, or in care) is fewer than 5 families, else "×": it tells no more
        than the counts already show."""
        population = root_of(next(t.total for t in TABLES if key in t.parts))
        return Mark.SMALL if self.marks.get((population, group)) is Mark.SMALL else Mark.HIDDEN

    def view(self, group: Group = ALL) -> View:
        return View(self, group)

    @cached_property
    def has_groups(self) -> bool:
        return bool(self.groups)


@dataclass(frozen=True)
class View:
    """The report as one filter shows it: all groups together, or one group's row."""

    report: Report
    group: Group

    def count(self, key: str) -> Figure:
        return self.report.count(key, self.group)

    def mean(self, key: str) -> Figure:
        return self.report.mean(key, self.group)

    def share(self, key: str) -> Figure:
        return self.report.share(key, self.group)

    def figure(self, key: str) -> Figure:
        return self.report.figure(key, self.group)
