"""the print languages a team offers for the family's paper (issue 19)

Revision ID: b6c0ffee0016
Revises: b5c0ffee0015
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b6c0ffee0016"
down_revision: str | None = "b5c0ffee0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: NULL means every print language, so existing teams offer them all.
    op.add_column("teams", sa.Column("print_languages", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): no copy of a table others refer to.
    op.drop_column("teams", "print_languages")
