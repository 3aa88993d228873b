"""audit log: a hash chain over every row (tamper evidence)

Revision ID: a3c0ffee0003
Revises: a2c0ffee0002
Create Date: 2026-12-01 21:00:00

Every audit row gets its place in the chain (chain_seq) and a hash over the previous row's hash
and its own content (row_hash); audit_chain_heads holds the end of the chain. Rows that exist
already are chained here in id order. The hash below is a frozen copy of
wijkteam/audit/chain.py (format "wijkteam-audit-v1"; migrations do not import app code): the
two must stay identical, which tests/audit/test_chain.py checks by verifying a backfilled log.
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "a3c0ffee0003"
down_revision: str | None = "a2c0ffee0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
CONTENT = (
    "chain_seq",
    "id",
    "at",
    "user_id",
    "case_id",
    "action",
    "object_type",
    "object_id",
    "fields",
    "detail",
    "ip",
)
BATCH = 2000

audit_events = sa.table(
    "audit_events",
    sa.column("id", sa.BigInteger()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("user_id", sa.Integer()),
    sa.column("case_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("object_type", sa.String()),
    sa.column("object_id", sa.Integer()),
    sa.column("fields", sa.JSON()),
    sa.column("detail", sa.String()),
    sa.column("ip", sa.String()),
    sa.column("chain_seq", sa.BigInteger()),
    sa.column("row_hash", sa.String()),
)


def _row_hash(previous: str, values: dict[str, Any]) -> str:
    doc: list[Any] = ["wijkteam-audit-v1"]
    for name in CONTENT:
        value = values[name]
        if name == "at":
            at: datetime = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
            value = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        elif name == "fields":
            value = list(value or [])
        doc.append(value)
    data = json.dumps(doc, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return hashlib.sha256(previous.encode("ascii") + b"\n" + data).hexdigest()


def upgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    op.create_table(
        "audit_chain_heads",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_heads_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_heads")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))

    # Chain the rows there are, in id order, batch by batch.
    if postgresql:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
    columns = [audit_events.c[name] for name in CONTENT if name != "chain_seq"]
    seq, previous, after = 0, GENESIS, None
    while True:
        stmt = sa.select(*columns).order_by(audit_events.c.id).limit(BATCH)
        if after is not None:
            stmt = stmt.where(audit_events.c.id > after)
        rows = bind.execute(stmt).mappings().all()
        if not rows:
            break
        updates = []
        for row in rows:
            seq += 1
            previous = _row_hash(previous, {**row, "chain_seq": seq})
            updates.append({"b_id": row["id"], "b_seq": seq, "b_hash": previous})
        bind.execute(
            audit_events.update()
            .where(audit_events.c.id == sa.bindparam("b_id"))
            .values(chain_seq=sa.bindparam("b_seq"), row_hash=sa.bindparam("b_hash")),
            updates,
        )
        after = rows[-1]["id"]
    if postgresql:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")
    op.execute(
        sa.text("INSERT INTO audit_chain_heads (id, seq, hash) VALUES (1, :seq, :hash)").bindparams(
            seq=seq, hash=previous
        )
    )

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("chain_seq", existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column("row_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_events_chain_seq"), ["chain_seq"])


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_events_chain_seq"), type_="unique")
        batch_op.drop_column("row_hash")
        batch_op.drop_column("chain_seq")
    op.drop_table("audit_chain_heads")
