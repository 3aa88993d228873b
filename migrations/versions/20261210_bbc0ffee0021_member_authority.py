"""member authority: who of the adults holds parental authority (gezag, or guardianship)

Revision ID: bbc0ffee0021
Revises: bac0ffee0020
Create Date: 2026-12-10 08:00:00

A nullable column: None (every existing member) follows the role, as
FamilyMember.holds_authority reads it: a parent holds authority, another carer (a
grandparent, a step-parent) does not unless the team records it. Until now every other carer
counted as a parent with authority: read the parents' parts of the notes and signed the
family's paper as one of them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "bbc0ffee0021"
down_revision: str | None = "bac0ffee0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column without a default: a plain ALTER TABLE on SQLite and PostgreSQL alike.
    op.add_column("family_members", sa.Column("authority", sa.Boolean(), nullable=True))


def downgrade() -> None:
    # Not batch mode: rebuilding family_members on SQLite trips the foreign keys that point at
    # it. SQLite drops a plain column itself since 3.35, PostgreSQL always could.
    op.execute("ALTER TABLE family_members DROP COLUMN authority")
