"""The purge itself: remove what a plan lists, one transaction per family, with audit rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Table, delete, tuple_
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from wijkteam.audit.services import record
from wijkteam.core.db import Base, db
from wijkteam.ops.retention.describe import describe_counts
from wijkteam.ops.retention.due import PurgePlan, PurgeUnit
from wijkteam.ops.retention.rows import PK
from wijkteam.ops.retention.schema import chunks


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
            _delete_rows(session, ordered, unit.rows)
            _record_purge(plan.years, unit)
            session.commit()
        except DBAPIError as error:
            session.rollback()
            outcome.failed.append((unit.family_id, str(error.orig).strip().splitlines()[0]))
            continue
        outcome.purged.extend(c.case_id for c in unit.cases)
        if unit.family_removed:
            outcome.families.append(unit.family_id)
    return outcome


def _delete_rows(session: Session, ordered: list[Table], rows: dict[str, set[PK]]) -> None:
    """SQL DELETE by primary key, table by table in the order given."""
    for table in ordered:
        pks = sorted(rows.get(table.name, ()))
        if not pks:
            continue
        pk_columns = list(table.primary_key.columns)
        for chunk in chunks(pks):
            if len(pk_columns) == 1:
                condition = pk_columns[0].in_([pk[0] for pk in chunk])
            else:
                condition = tuple_(*pk_columns).in_(list(chunk))
            session.execute(delete(table).where(condition))


def _record_purge(years: int, unit: PurgeUnit) -> None:
    """A "case.purge" audit row per case, and a "family.purge" one when the family goes."""
    for case in unit.cases:
        event = record(
            None,
            "case.purge",
            case_id=case.case_id,
            fields=[f"{t}:{n}" for t, n in case.counts.items()],
            detail=(
                f"Retention period of {years} years passed: closed "
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
