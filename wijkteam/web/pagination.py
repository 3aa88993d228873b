"""Limit/offset pagination for list pages (large lists are never loaded whole)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass
class Pagination(Generic[T]):
    """One page of a list: its items, and where it stands among the pages."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class Shown(Generic[T]):
    """A page of a list without counting it: its items, and whether more follow (read as one
    row more than the page: `Shown.of`)."""

    items: list[T]
    page: int
    more: bool

    @classmethod
    def of(cls, rows: list[T], per_page: int, page: int = 1) -> Shown[T]:
        """The page of `rows`, read with one row more than `per_page`."""
        return cls(items=rows[:per_page], page=page, more=len(rows) > per_page)

    @classmethod
    def none(cls, page: int = 1) -> Shown[T]:
        return cls(items=[], page=page, more=False)


def page_number(page: int, total: int, per_page: int) -> int:
    """The page to show for a page number from a URL: the first for zero or less, the last for
    one past the end (any number fits in ?page=, but an offset past 2**63 breaks the query)."""
    return min(max(1, page), max(1, -(-total // per_page)))


def paginate(session: Session, stmt: Select[Any], page: int, per_page: int) -> Pagination[Any]:
    """One COUNT and one page query, whatever the size of the list."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = page_number(page, total, per_page)
    items = list(session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique())
    return Pagination(items=items, page=page, per_page=per_page, total=total)
