"""the analyst role: someone who reads the outcome figures across teams and nothing else
(issue 20, part B)

Revision ID: b8c0ffee0018
Revises: b7c0ffee0017
Create Date: 2026-12-07 08:00:00

`users.role` is a non-native enum with a CHECK constraint (`ck_users_role`, made by the
foundation migration); "analyst" is added to the values it allows.

On PostgreSQL the constraint is dropped and made again. SQLite cannot change a constraint in
place, and copying `users` (batch mode) would drop the table that nearly every other table
refers to, which its foreign keys refuse; so the table's own CREATE statement in sqlite_master
gets the wider list, the documented way for a change that leaves every existing row valid
(https://www.sqlite.org/lang_altertable.html, "making other kinds of table schema changes"),
with the schema version moved on so that every connection reads it again.

Downgrading turns analysts into inactive professionals without a team (they can no longer
log in and see nothing), then narrows the list again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b8c0ffee0018"
down_revision: str | None = "b7c0ffee0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("professional", "teamlead", "admin")
AFTER = (*BEFORE, "analyst")
CONSTRAINT = "ck_users_role"


def _in_list(values: Sequence[str]) -> str:
    """The CHECK as the foundation migration wrote it on SQLite."""
    return "role IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _allow(old: Sequence[str], new: Sequence[str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(op.f(CONSTRAINT), "users", type_="check")
        op.create_check_constraint(op.f(CONSTRAINT), "users", sa.column("role").in_(new))
        return
    where = "type = 'table' AND name = 'users'"
    sql = bind.execute(sa.text(f"SELECT sql FROM sqlite_master WHERE {where}")).scalar()  # noqa: S608
    if not sql or _in_list(old) not in sql:
        raise RuntimeError(f"users has no CHECK {_in_list(old)!r}: {sql!r}")
    version = bind.execute(sa.text("PRAGMA schema_version")).scalar() or 0
    bind.execute(sa.text("PRAGMA writable_schema = ON"))
    bind.execute(
        sa.text(f"UPDATE sqlite_master SET sql = :sql WHERE {where}"),  # noqa: S608
        {"sql": sql.replace(_in_list(old), _in_list(new))},
    )
    bind.execute(sa.text(f"PRAGMA schema_version = {int(version) + 1}"))
    bind.execute(sa.text("PRAGMA writable_schema = OFF"))
    problems = bind.execute(sa.text("PRAGMA quick_check")).scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"SQLite schema check after changing users: {problems}")


def upgrade() -> None:
    _allow(BEFORE, AFTER)


def downgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE users SET role = 'professional', team_id = NULL, active = :no "
            "WHERE role = 'analyst'"
        ).bindparams(no=False)
    )
    _allow(AFTER, BEFORE)
