"""Quarters: the only periods of the outcome figures (docs/outcomes.md, "The period")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_KEY = re.compile(r"^(\d{4})-Q([1-4])$")
FIRST_YEAR = 2000


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str | None) -> Quarter | None:
        """`2026-Q3`; None for anything else (or a year before 2000)."""
        match = _KEY.match((text or "").strip())
        if match is None or int(match.group(1)) < FIRST_YEAR:
            return None
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def from_dates(cls, start: str | None, end: str | None) -> Quarter | None:
        """The quarter whose first and last day these are (ISO dates); else None."""
        try:
            first, last = date.fromisoformat(start or ""), date.fromisoformat(end or "")
        except ValueError:
            return None
        if first.year < FIRST_YEAR:
            return None
        quarter = cls.of(first)
        return quarter if (quarter.start, quarter.end) == (first, last) else None

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def ended(self, today: date) -> bool:
        return self.end < today

    def __str__(self) -> str:
        return self.key


def recent(last: Quarter, count: int = 8) -> list[Quarter]:
    """`last` and the quarters before it, newest first."""
    found = [last]
    while len(found) < count:
        found.append(found[-1].previous())
    return found
