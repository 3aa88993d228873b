"""who to call and the family's rights: contact details of teams and professionals

Revision ID: a6c0ffee0006
Revises: a4c0ffee0004
Create Date: 2026-12-02 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a6c0ffee0006"
down_revision: str | None = "a4c0ffee0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty by default, so existing teams and accounts stay valid: the family's paper says its
    # defaults for what is empty (wijkteam/printout/contact_sheet.py).
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phone", sa.String(length=40), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("email", sa.String(length=254), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("reachable", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("complaints", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("client_support", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("youth_rights", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("veilig_thuis", sa.String(length=200), server_default="", nullable=False)
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phone", sa.String(length=40), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("reachable", sa.String(length=200), server_default="", nullable=False)
        )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of `users` would drop the
    # table that every case, note and audit row refers to, which SQLite refuses with data in it.
    for column in ("reachable", "phone"):
        op.drop_column("users", column)
    for column in (
        "veilig_thuis",
        "youth_rights",
        "client_support",
        "complaints",
        "reachable",
        "email",
        "phone",
    ):
        op.drop_column("teams", column)
