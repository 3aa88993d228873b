"""outcome snapshots: the analysts' figures of a quarter across all teams, worked out by the
job worker (issue 20)

Revision ID: b9c0ffee0019
Revises: b8c0ffee0018
Create Date: 2026-12-08 08:00:00

A new table only; nothing else changes. Downgrading drops it (the snapshots are worked out
again from the case files).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b9c0ffee0019"
down_revision: str | None = "b8c0ffee0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outcome_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_snapshots")),
        sa.UniqueConstraint("quarter", "scope", name=op.f("uq_outcome_snapshots_quarter")),
    )


def downgrade() -> None:
    op.drop_table("outcome_snapshots")
