"""waiting reviews index: the requests still waiting for sign-off, by case (issue 21)

Revision ID: bac0ffee0020
Revises: b9c0ffee0019
Create Date: 2026-12-09 08:00:00

A partial index only (rows whose status is 'waiting'); nothing else changes. The dashboards
read the waiting requests of one team's cases; without it PostgreSQL read every waiting
request of every team.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "bac0ffee0020"
down_revision: str | None = "b9c0ffee0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text("status = 'waiting'")


def upgrade() -> None:
    op.create_index(
        "ix_reviews_waiting_case_id",
        "reviews",
        ["case_id"],
        postgresql_where=WAITING,
        sqlite_where=WAITING,
    )


def downgrade() -> None:
    op.drop_index("ix_reviews_waiting_case_id", table_name="reviews")
