"""audit_events.case_id without a foreign key, so the audit trail outlives a purged case

Revision ID: 4c1e0a7d9b21
Revises: 1d4c54d7c060
Create Date: 2026-11-22 22:30:00

Closed cases are purged 20 years after their last change (wijkteam/ops/retention.py); their audit
trail is kept as the proof of what happened. The column and its index stay; only the foreign key
goes. Downgrading puts the foreign key back, which fails while the trail names purged cases.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4c1e0a7d9b21"
down_revision: str | None = "1d4c54d7c060"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint("fk_audit_events_case_id_cases", type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_foreign_key("fk_audit_events_case_id_cases", "cases", ["case_id"], ["id"])
