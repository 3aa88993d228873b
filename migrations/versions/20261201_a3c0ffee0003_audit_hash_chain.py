"""audit log: a hash chain over every row (tamper evidence)

Revision ID: a3c0ffee0003
Revises: a2c0ffee0002
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "a3c0ffee0003"
down_revision: str | None = "a2c0ffee0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
