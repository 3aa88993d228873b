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
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("reachable")
        batch_op.drop_column("phone")
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("veilig_thuis")
        batch_op.drop_column("youth_rights")
        batch_op.drop_column("client_support")
        batch_op.drop_column("complaints")
        batch_op.drop_column("reachable")
        batch_op.drop_column("email")
        batch_op.drop_column("phone")
