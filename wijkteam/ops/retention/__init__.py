"""Retention: a closed case file is kept 20 years after its last change, then purged.

The Jeugdwet (art. 7.3.8) asks youth-care files to be kept for 20 years; after that they should
go. `flask purge-closed-cases` shows what is due (a dry run, the default) and removes it with
--apply. What counts as the "last change" and what is removed is described in
docs/backup-and-retention.md; in short:

- A case is due when it is closed and the latest timestamp of the case, of every row that hangs
  off it (found by walking foreign keys) and of the revisions of those rows lies before the
  cutoff. The audit log is left out: reading a file (or printing it) is not a change and must
  not keep it alive forever.
- The family's own data (family, members, network, social ladder) goes when no case of the
  family is left and it has not changed since the cutoff either.
- Removal finds the rows to delete generically, by walking the foreign keys in Base.metadata
  from the case (and from the family when it goes too). A new table that refers to cases,
  directly or through other tables, is covered without changes here.
- The audit trail is kept: it proves what happened, and audit_events.case_id is deliberately not
  a foreign key, so it survives the case. Each purged case gets one "case.purge" audit row with
  the number of rows removed per table.
- Rows of append-only models (db.AppendOnly: ladder entries, plan versions, revisions, ...) are
  removed too. The guard in db.py inspects ORM objects marked deleted; the purge deletes with
  SQL DELETE statements built from the table metadata, which that guard never sees. This module is
  the only place that deletes append-only rows, and only for files past their retention period.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKeyConstraint, Table, delete, or_, select, tuple_
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from wijkteam.audit.history import Revision
from wijkteam.audit.services import record
from wijkteam.cases.models import Case, CaseStatus, Family
from wijkteam.core.db import Base, db, utc_now

RETENTION_YEARS = 20
# Tables whose rows stay when a case is purged (they must not have a foreign key to it).
KEPT_TABLES = frozenset({"audit_events"})
CHUNK = 500

PK = tuple[Any, ...]


# --- The schema, as a graph of foreign keys ----------------------------------------------------


def _tables() -> dict[str, Table]:
    import wijkteam.models  # noqa: F401 - every model in Base.metadata

    return dict(Base.metadata.tables)


def _children(table_name: str) -> list[tuple[Table, ForeignKeyConstraint]]:
    """The tables (and the foreign keys) whose rows point at rows of `table_name`."""
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name in KEPT_TABLES:
            continue
        for fk in table.foreign_key_constraints:
            if fk.referred_table.name == table_name:
                if len(fk.columns) != 1:
                    raise NotImplementedError(
                        f"{table.name}: composite foreign keys are not handled by the purge"
                    )
                found.append((table, fk))
    return found


def reachable_tables(start: str, stop: Iterable[str] = ()) -> set[str]:
    """Tables whose rows can hang off rows of `start` (including `start`), not passing `stop`."""
    _tables()
    stop = set(stop)
    seen = {start}
    queue = deque([start])
    while queue:
        name = queue.popleft()
        for child, _fk in _children(name):
            if child.name not in seen and child.name not in stop:
                seen.add(child.name)
                queue.append(child.name)
    return seen


def family_owned_tables() -> set[str]:
    """Tables that belong to a family rather than to one of its cases (family, members, ...)."""
    return reachable_tables("families", stop={"cases"}) - reachable_tables("cases")


def _timestamp_columns(table: Table) -> list[Column[Any]]:
    """Columns holding a moment something was written (not dates like a due date)."""
    found = []
    for column in table.columns:
        type_ = column.type
        if isinstance(type_, TypeDecorator):
            type_ = type_.impl_instance
        if isinstance(type_, DateTime):
            found.append(column)
    return found


def _needed_columns(table: Table) -> list[Column[Any]]:
    names: dict[str, Column[Any]] = {c.name: c for c in table.primary_key.columns}
    for fk in table.foreign_key_constraints:
        for column in fk.columns:
            names[column.name] = column
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_key_constraints:
            if fk.referred_table is table:
                for element in fk.elements:
                    names[element.column.name] = element.column
    for column in _timestamp_columns(table):
        names[column.name] = column
    return list(names.values())


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


# --- Finding the rows -------------------------------------------------------------------------


@dataclass
class Found:
    """Rows reached from some root rows: per table, primary key -> (roots, column values)."""

    rows: dict[str, dict[PK, tuple[frozenset[int], dict[str, Any]]]] = field(default_factory=dict)

    def add(self, table: str, pk: PK, roots: frozenset[int], data: dict[str, Any]) -> bool:
        """Record a row; True when it is new or reached from new roots."""
        by_pk = self.rows.setdefault(table, {})
        existing = by_pk.get(pk)
        if existing is None:
            by_pk[pk] = (roots, data)
            return True
        if roots <= existing[0]:
            return False
        by_pk[pk] = (existing[0] | roots, existing[1])
        return True

    def of_roots(self, roots: set[int]) -> dict[str, set[PK]]:
        return {
            table: pks
            for table, by_pk in self.rows.items()
            if (pks := {pk for pk, (r, _d) in by_pk.items() if r & roots})
        }


def walk(session: Session, root_table: str, ids: Iterable[int], stop: Iterable[str] = ()) -> Found:
    """Every row that hangs off the rows `ids` of `root_table` through foreign keys (any depth),
    each with the root ids it hangs off; `stop` tables are not entered. Also the revisions
    (history.py) of every row found."""
    tables = _tables()
    stop = set(stop)
    found = Found()
    root = tables[root_table]
    (root_pk,) = root.primary_key.columns
    new: set[PK] = set()
    for chunk in _chunks(sorted(set(ids))):
        for row in session.execute(
            select(*_needed_columns(root)).where(root_pk.in_(chunk))
        ).mappings():
            pk = (row[root_pk.name],)
            if found.add(root_table, pk, frozenset(pk), dict(row)):
                new.add(pk)
    queue: deque[tuple[str, set[PK]]] = deque([(root_table, new)] if new else [])
    while queue:
        parent_name, parent_pks = queue.popleft()
        parent_rows = found.rows[parent_name]
        for child, fk in _children(parent_name):
            if child.name in stop:
                continue
            (column,) = fk.columns
            referred = fk.elements[0].column.name
            by_value: dict[Any, set[int]] = {}
            for pk in parent_pks:
                roots, data = parent_rows[pk]
                if data[referred] is not None:
                    by_value.setdefault(data[referred], set()).update(roots)
            pk_columns = list(child.primary_key.columns)
            grown: set[PK] = set()
            for chunk in _chunks(list(by_value)):
                query = select(*_needed_columns(child)).where(column.in_(chunk))
                for row in session.execute(query).mappings():
                    pk = tuple(row[c.name] for c in pk_columns)
                    if found.add(child.name, pk, frozenset(by_value[row[column.name]]), dict(row)):
                        grown.add(pk)
            if grown:
                queue.append((child.name, grown))
    _add_revisions(session, found)
    return found


def _add_revisions(session: Session, found: Found) -> None:
    """Revisions name their row by table and id (no foreign key): find them that way too."""
    revisions: Table = Revision.__table__  # type: ignore[assignment]
    for table_name, by_pk in list(found.rows.items()):
        if table_name == revisions.name:
            continue
        pk_columns = list(_tables()[table_name].primary_key.columns)
        if len(pk_columns) != 1:
            continue
        roots_of = {pk[0]: roots for pk, (roots, _data) in by_pk.items()}
        for chunk in _chunks(list(roots_of)):
            columns = {c.name: c for c in _needed_columns(revisions)}
            columns["row_id"] = revisions.c.row_id
            query = select(*columns.values()).where(
                revisions.c.table_name == table_name, revisions.c.row_id.in_(chunk)
            )
            for row in session.execute(query).mappings():
                found.add(revisions.name, (row["id"],), roots_of[row["row_id"]], dict(row))


def latest_change(found: Found, tables: set[str] | None = None) -> dict[int, datetime]:
    """Per root: the latest timestamp among the rows found (optionally only in `tables`)."""
    latest: dict[int, datetime] = {}
    all_tables = _tables()
    for table_name, by_pk in found.rows.items():
        if tables is not None and table_name not in tables:
            continue
        columns = [c.name for c in _timestamp_columns(all_tables[table_name])]
        for roots, data in by_pk.values():
            moments = [data[c] for c in columns if data[c] is not None]
            if not moments:
                continue
            moment = max(moments)
            for root in roots:
                if root not in latest or latest[root] < moment:
                    latest[root] = moment
    return latest


# --- The plan ---------------------------------------------------------------------------------


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


def plan_purge(*, now: datetime | None = None, years: int = RETENTION_YEARS) -> PurgePlan:
    """What a purge would remove now (in the app's database session). Reads only."""
    session = db
    now = now or utc_now()
    cutoff = years_before(now, years)
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
    case_rows = walk(session, "cases", family_of)
    case_latest = latest_change(case_rows)
    last_change: dict[int, datetime] = {}
    for case_id in family_of:
        moments = [case_latest[case_id]]
        if closed_on[case_id] is not None:  # the whole closing day counts
            moments.append(datetime.combine(closed_on[case_id], time.max, UTC))
        last_change[case_id] = max(moments)
    due = {case_id for case_id, moment in last_change.items() if moment < cutoff}
    held_back = sorted((c, m) for c, m in last_change.items() if c not in due)

    # Families lose their own data (members, network) once no case of theirs is left, and
    # that data, too, has not changed since the cutoff.
    all_cases_of: dict[int, set[int]] = {}
    for chunk in _chunks(sorted({family_of[c] for c in due})):
        for case_id, family_id in session.execute(
            select(Case.id, Case.family_id).where(Case.family_id.in_(chunk))
        ):
            all_cases_of.setdefault(family_id, set()).add(case_id)
    caseless = session.scalars(
        select(Family.id).where(~select(Case.id).where(Case.family_id == Family.id).exists())
    ).all()
    for family_id in caseless:
        all_cases_of[family_id] = set()
    leaving = {f for f, cases in all_cases_of.items() if cases <= due}
    family_rows = walk(session, "families", leaving, stop={"cases"})
    family_latest = latest_change(family_rows, family_owned_tables())
    families_held_back = sorted(
        (f, family_latest[f]) for f in leaving if family_latest.get(f, cutoff) >= cutoff
    )
    leaving -= {f for f, _m in families_held_back}

    units = []
    for family_id in sorted(all_cases_of):
        unit_cases = sorted(c for c in all_cases_of[family_id] if c in due)
        family_removed = family_id in leaving
        if not unit_cases and not family_removed:
            continue
        rows = case_rows.of_roots(set(unit_cases))
        counted: set[tuple[str, PK]] = set()
        purges = []
        for case_id in unit_cases:
            counts: dict[str, int] = {}
            for table, pks in case_rows.of_roots({case_id}).items():
                mine = {(table, pk) for pk in pks} - counted
                counted |= mine
                if mine:
                    counts[table] = len(mine)
            purges.append(
                CasePurge(
                    case_id=case_id,
                    family_id=family_id,
                    closed_on=closed_on[case_id],
                    last_change=last_change[case_id],
                    counts=counts,
                )
            )
        family_counts: dict[str, int] = {}
        if family_removed:
            for table, pks in family_rows.of_roots({family_id}).items():
                mine = {(table, pk) for pk in pks} - counted
                counted |= mine
                rows.setdefault(table, set()).update(pks)
                if mine:
                    family_counts[table] = len(mine)
        units.append(
            PurgeUnit(
                family_id=family_id,
                cases=purges,
                family_removed=family_removed,
                family_counts=family_counts,
                rows=rows,
            )
        )
    return PurgePlan(
        now=now,
        cutoff=cutoff,
        years=years,
        units=units,
        held_back=held_back,
        families_held_back=families_held_back,
    )


# --- Removing ---------------------------------------------------------------------------------


def describe_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{table} {n}" for table, n in sorted(counts.items()))


@dataclass
class PurgeOutcome:
    purged: list[int] = field(default_factory=list)
    families: list[int] = field(default_factory=list)
    # (family id, error) for units that could not be removed (rolled back, nothing lost).
    failed: list[tuple[int, str]] = field(default_factory=list)


def apply_purge(plan: PurgePlan) -> PurgeOutcome:
    """Remove what `plan` lists, one transaction per family, each with its audit rows."""
    session = db
    outcome = PurgeOutcome()
    ordered = list(reversed(Base.metadata.sorted_tables))  # children before parents
    for unit in plan.units:
        try:
            for table in ordered:
                pks = sorted(unit.rows.get(table.name, ()))
                if not pks:
                    continue
                pk_columns = list(table.primary_key.columns)
                for chunk in _chunks(pks):
                    if len(pk_columns) == 1:
                        condition = pk_columns[0].in_([pk[0] for pk in chunk])
                    else:
                        condition = tuple_(*pk_columns).in_(list(chunk))
                    session.execute(delete(table).where(condition))
            for case in unit.cases:
                event = record(
                    None,
                    "case.purge",
                    case_id=case.case_id,
                    fields=[f"{t}:{n}" for t, n in case.counts.items()],
                    detail=(
                        f"Retention period of {plan.years} years passed: closed "
                        f"{case.closed_on}, last change {case.last_change:%Y-%m-%d}; "
                        f"{case.total} rows removed ({describe_counts(case.counts)})"
                    ),
                )
                event.object_type, event.object_id = "Case", case.case_id
            if unit.family_removed:
                event = record(
                    None,
                    "family.purge",
                    fields=[f"{t}:{n}" for t, n in unit.family_counts.items()],
                    detail=(
                        f"No case left after the retention purge of case(s) "
                        f"{', '.join(str(c.case_id) for c in unit.cases)}; "
                        f"{describe_counts(unit.family_counts)}"
                    ),
                )
                event.object_type, event.object_id = "Family", unit.family_id
            session.commit()
        except DBAPIError as error:
            session.rollback()
            outcome.failed.append((unit.family_id, str(error.orig).strip().splitlines()[0]))
            continue
        outcome.purged.extend(c.case_id for c in unit.cases)
        if unit.family_removed:
            outcome.families.append(unit.family_id)
    return outcome


def report(plan: PurgePlan) -> list[str]:
    """The plan as lines of text: case and family ids and counts only, never names."""
    lines = [
        f"Closed case files are kept {plan.years} years after their last change: "
        f"due are those last changed before {plan.cutoff:%Y-%m-%d}."
    ]
    if not plan.units:
        lines.append("Nothing is due.")
    held = dict(plan.families_held_back)
    for unit in plan.units:
        for case in unit.cases:
            lines.append(
                f"Case {case.case_id} (family {case.family_id}): closed {case.closed_on}, "
                f"last change {case.last_change:%Y-%m-%d}, {case.total} rows"
            )
            lines.append(f"    {describe_counts(case.counts)}")
        if unit.family_removed:
            lines.append(
                f"Family {unit.family_id}: no case left, removed too, "
                f"{sum(unit.family_counts.values())} rows"
            )
            lines.append(f"    {describe_counts(unit.family_counts)}")
        elif unit.family_id in held:
            lines.append(
                f"Family {unit.family_id}: no case left, but its own data changed on "
                f"{held[unit.family_id]:%Y-%m-%d}, so it is kept for now"
            )
        else:
            lines.append(f"Family {unit.family_id}: kept (it has other cases)")
    if plan.held_back:
        lines.append(
            "Closed before the cutoff but changed since, so kept for now: "
            + ", ".join(f"case {c} (last change {m:%Y-%m-%d})" for c, m in plan.held_back)
        )
    totals = plan.totals()
    families = sum(1 for u in plan.units if u.family_removed)
    lines.append(
        f"Total: {len(plan.cases)} case(s), {families} family(ies), {sum(totals.values())} rows."
    )
    return lines
