"""notes count index: a case's notes by status and author, for the timeline's count (issue 21)

Revision ID: bcc0ffee0022
Revises: bbc0ffee0021
Create Date: 2026-12-11 08:00:00

An index only; nothing else changes. The timeline counts the notes of a case that its reader
may see (final ones, and the reader's own drafts) for its paging; with this index SQLite and
PostgreSQL count them from the index, without reading each note.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "bcc0ffee0022"
down_revision: str | None = "bbc0ffee0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_notes_case_id_status_author_id", "notes", ["case_id", "status", "author_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_notes_case_id_status_author_id", table_name="notes")
