"""discussion items index per meeting and status

Revision ID: e364f3ab2e89
Revises: 4c1e0a7d9b21
Create Date: 2026-11-23 00:34:41.831257
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e364f3ab2e89"
down_revision: str | None = "4c1e0a7d9b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("discussion_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_discussion_items_discussion_id_status", ["discussion_id", "status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("discussion_items", schema=None) as batch_op:
        batch_op.drop_index("ix_discussion_items_discussion_id_status")
