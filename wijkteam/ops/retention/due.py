"""What is due: the purge plan, built from the database without changing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wijkteam.cases.models import Case, CaseStatus, Family
from wijkteam.core.db import db, utc_now
from wijkteam.ops.retention.rows import PK, Found, latest_change, walk
from wijkteam.ops.retention.schema import chunks, family_owned_tables

RETENTION_YEARS = 20


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


@dataclass
class CasePurge:
    case_id: int
    family_id: int
    closed_on: date | None
    last_change: datetime
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class PurgeUnit:
    """The due cases of one family, removed in one transaction (with the family when no other
    case of it is left)."""

    family_id: int
    cases: list[CasePurge]
    family_removed: bool
    family_counts: dict[str, int]
    rows: dict[str, set[PK]]


@dataclass
class PurgePlan:
    now: datetime
    cutoff: datetime
    years: int
    units: list[PurgeUnit]
    # Closed before the cutoff but changed since: (case id, last change).
    held_back: list[tuple[int, datetime]]
    # No case left, but the family's own data changed since the cutoff: (family id, change).
    families_held_back: list[tuple[int, datetime]]

    @property
    def cases(self) -> list[CasePurge]:
        return [case for unit in self.units for case in unit.cases]

    def totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for unit in self.units:
            for table, pks in unit.rows.items():
                totals[table] = totals.get(table, 0) + len(pks)
        return totals


@dataclass
class _Scan:
    """What plan_purge found, for building its units."""

    case_rows: Found
    family_rows: Found
    closed_on: dict[int, date | None]
    last_change: dict[int, datetime]


def plan_purge(*, now: datetime | None = None, years: int = RETENTION_YEARS) -> PurgePlan:
    """What a purge would remove now (in the app's database session). Reads only."""
    session = db
    now = now or utc_now()
    cutoff = years_before(now, years)
    family_of, closed_on = _candidates(session, cutoff)
    case_rows = walk(session, "cases", family_of)
    last_change = _last_changes(case_rows, closed_on)
    due = {case_id for case_id, moment in last_change.items() if moment < cutoff}
    held_back = sorted((c, m) for c, m in last_change.items() if c not in due)

    # Families lose their own data (members, network) once no case of theirs is left, and
    # that data, too, has not changed since the cutoff.
    all_cases_of = _cases_of_families(session, {family_of[c] for c in due})
    leaving, family_rows, families_held_back = _leaving_families(session, all_cases_of, due, cutoff)

    scan = _Scan(case_rows, family_rows, closed_on, last_change)
    units = []
    for family_id in sorted(all_cases_of):
        unit_cases = sorted(c for c in all_cases_of[family_id] if c in due)
        family_removed = family_id in leaving
        if unit_cases or family_removed:
            units.append(_unit(scan, family_id, unit_cases, family_removed))
    return PurgePlan(
        now=now,
        cutoff=cutoff,
        years=years,
        units=units,
        held_back=held_back,
        families_held_back=families_held_back,
    )


def _candidates(
    session: Session, cutoff: datetime
) -> tuple[dict[int, int], dict[int, date | None]]:
    """Cases closed (and their row last updated) before the cutoff: their family and their
    closing day, by case id."""
    candidates = session.execute(
        select(Case.id, Case.family_id, Case.closed_on)
        .where(
            Case.status == CaseStatus.CLOSED,
            Case.updated_at < cutoff,
            or_(Case.closed_on.is_(None), Case.closed_on < cutoff.date()),
        )
        .order_by(Case.id)
    ).all()
    family_of = {c.id: c.family_id for c in candidates}
    closed_on = {c.id: c.closed_on for c in candidates}
    return family_of, closed_on


def _last_changes(case_rows: Found, closed_on: dict[int, date | None]) -> dict[int, datetime]:
    """Per case: the latest change in its file, or the end of its closing day if later."""
    case_latest = latest_change(case_rows)
    last_change: dict[int, datetime] = {}
    for case_id, closed in closed_on.items():
        moments = [case_latest[case_id]]
        if closed is not None:  # the whole closing day counts
            moments.append(datetime.combine(closed, time.max, UTC))
        last_change[case_id] = max(moments)
    return last_change


def _cases_of_families(session: Session, family_ids: set[int]) -> dict[int, set[int]]:
    """Every case of these families by family, and every family without a case (no cases)."""
    all_cases_of: dict[int, set[int]] = {}
    for chunk in chunks(sorted(family_ids)):
        for case_id, family_id in session.execute(
            select(Case.id, Case.family_id).where(Case.family_id.in_(chunk))
        ):
            all_cases_of.setdefault(family_id, set()).add(case_id)
    caseless = session.scalars(
        select(Family.id).where(~select(Case.id).where(Case.family_id == Family.id).exists())
    ).all()
    for family_id in caseless:
        all_cases_of[family_id] = set()
    return all_cases_of


def _leaving_families(
    session: Session, all_cases_of: dict[int, set[int]], due: set[int], cutoff: datetime
) -> tuple[set[int], Found, list[tuple[int, datetime]]]:
    """The families whose every case is due and whose own data has not changed since the
    cutoff, the rows that hang off them, and those held back by a later change."""
    leaving = {f for f, cases in all_cases_of.items() if cases <= due}
    family_rows = walk(session, "families", leaving, stop={"cases"})
    family_latest = latest_change(family_rows, family_owned_tables())
    held_back = sorted(
        (f, family_latest[f]) for f in leaving if family_latest.get(f, cutoff) >= cutoff
    )
    leaving -= {f for f, _m in held_back}
    return leaving, family_rows, held_back


def _count_new(rows: dict[str, set[PK]], counted: set[tuple[str, PK]]) -> dict[str, int]:
    """Per table, how many of `rows` are not counted yet (for an earlier case of the same
    family); marks them counted."""
    counts: dict[str, int] = {}
    for table, pks in rows.items():
        mine = {(table, pk) for pk in pks} - counted
        counted |= mine
        if mine:
            counts[table] = len(mine)
    return counts


def _unit(scan: _Scan, family_id: int, case_ids: list[int], family_removed: bool) -> PurgeUnit:
    """One family's due cases (and its own rows when it goes too), each row counted once."""
    rows = scan.case_rows.of_roots(set(case_ids))
    counted: set[tuple[str, PK]] = set()
    purges = []
    for case_id in case_ids:
        purges.append(
            CasePurge(
                case_id=case_id,
                family_id=family_id,
                closed_on=scan.closed_on[case_id],
                last_change=scan.last_change[case_id],
                counts=_count_new(scan.case_rows.of_roots({case_id}), counted),
            )
        )
    family_counts: dict[str, int] = {}
    if family_removed:
        own_rows = scan.family_rows.of_roots({family_id})
        family_counts = _count_new(own_rows, counted)
        for table, pks in own_rows.items():
            rows.setdefault(table, set()).update(pks)
    return PurgeUnit(
        family_id=family_id,
        cases=purges,
        family_removed=family_removed,
        family_counts=family_counts,
        rows=rows,
    )
