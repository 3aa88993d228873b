"""printouts rendered by a background worker

Revision ID: a4c0ffee0004
Revises: a3c0ffee0003
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "a4c0ffee0004"
down_revision: str | None = "a3c0ffee0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
