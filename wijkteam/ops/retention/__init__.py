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
  SQL DELETE statements built from the table metadata, which that guard never sees. This package
  is the only place that deletes append-only rows, and only for files past their retention period.

The package: schema.py (the foreign-key graph), rows.py (finding the rows and their latest
change), due.py (RETENTION_YEARS and the purge plan: what is due), purge.py (removing it, with
the audit rows) and describe.py (the plan as text). cli.py's `flask purge-closed-cases` calls
plan_purge, report and apply_purge.
"""

from wijkteam.ops.retention.describe import describe_counts, report
from wijkteam.ops.retention.due import (
    RETENTION_YEARS,
    CasePurge,
    PurgePlan,
    PurgeUnit,
    plan_purge,
    years_before,
)
from wijkteam.ops.retention.purge import PurgeOutcome, apply_purge
from wijkteam.ops.retention.rows import PK, Found, latest_change, walk
from wijkteam.ops.retention.schema import (
    CHUNK,
    KEPT_TABLES,
    family_owned_tables,
    reachable_tables,
)

__all__ = [
    "CHUNK",
    "KEPT_TABLES",
    "PK",
    "RETENTION_YEARS",
    "CasePurge",
    "Found",
    "PurgeOutcome",
    "PurgePlan",
    "PurgeUnit",
    "apply_purge",
    "describe_counts",
    "family_owned_tables",
    "latest_change",
    "plan_purge",
    "reachable_tables",
    "report",
    "walk",
    "years_before",
]
