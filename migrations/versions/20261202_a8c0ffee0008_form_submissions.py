"""form submissions: a form instance is saved once (issue 17)

Revision ID: a8c0ffee0008
Revises: a7c0ffee0007
Create Date: 2026-12-02 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a8c0ffee0008"
down_revision: str | None = "a7c0ffee0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_form_submissions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submissions")),
        sa.UniqueConstraint("user_id", "form_id", name=op.f("uq_form_submissions_user_id")),
    )
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_form_submissions_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_submissions_created_at"))
    op.drop_table("form_submissions")
