"""notes.origin_form_id: the form instance that started a draft (autosave, issue 17)

Revision ID: a9c0ffee0009
Revises: a8c0ffee0008
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a9c0ffee0009"
down_revision: str | None = "a8c0ffee0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN and an index: no table copy (notes is referenced by other tables).
    op.add_column("notes", sa.Column("origin_form_id", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_notes_author_id_origin_form_id", "notes", ["author_id", "origin_form_id"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_notes_author_id_origin_form_id", table_name="notes")
    op.drop_column("notes", "origin_form_id")  # SQLite 3.35+ drops a column in place
