"""how the plan was explained at agreement: read together, with an interpreter, or read aloud
by someone the family chose (issue 19)

Revision ID: b4c0ffee0014
Revises: b2c0ffee0012
Create Date: 2026-12-04 08:00:00
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b4c0ffee0014"
down_revision: str | None = "b2c0ffee0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXPLAINED_HOW = ("together", "interpreter", "reader")
REFERENCES = (
    ("reader_member_id", "family_members"),
    ("reader_network_member_id", "network_members"),
)


def _add_reference(table: str, column: str, target: str) -> None:
    """A nullable column referring to `target`. Plain ADD COLUMN on both databases: on SQLite
    with the reference in the column itself (no table copy: plan_versions is append-only and
    referred to), on PostgreSQL as a named constraint."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {target} (id)")
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(_fk_name(table, column, target), table, target, [column], ["id"])


def _fk_name(table: str, column: str, target: str) -> str:
    """The models' naming convention, shortened the way SQLAlchemy shortens a name longer than
    PostgreSQL's 63 characters (55 of them, "_" and the last 4 of its md5)."""
    name = f"fk_{table}_{column}_{target}"
    if len(name) <= 63:
        return name
    return f"{name[:55]}_{hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[-4:]}"


def upgrade() -> None:
    # Versions agreed before keep NULL: nobody recorded how their plan was explained.
    op.add_column(
        "plan_versions",
        sa.Column(
            "explained_how",
            sa.Enum(
                *EXPLAINED_HOW,
                name="explained_how",
                native_enum=False,
                create_constraint=False,
                length=11,
            ),
            nullable=True,
        ),
    )
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot add a constraint in place
        op.create_check_constraint(
            "ck_plan_versions_explained_how",
            "plan_versions",
            sa.column("explained_how").in_(EXPLAINED_HOW),
        )
    op.add_column(
        "plan_versions",
        sa.Column("reader_name", sa.String(length=200), server_default="", nullable=False),
    )
    for column, target in REFERENCES:
        _add_reference("plan_versions", column, target)


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): no copy of tables others refer to.
    for column, _target in reversed(REFERENCES):
        op.drop_column("plan_versions", column)  # its reference (SQLite) or constraint goes with it
    op.drop_column("plan_versions", "reader_name")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("ck_plan_versions_explained_how", "plan_versions", type_="check")
    op.drop_column("plan_versions", "explained_how")
