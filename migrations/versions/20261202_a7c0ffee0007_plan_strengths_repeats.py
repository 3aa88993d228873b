"""strengths chosen for the family's paper, actions that repeat, the interpreter of an agreement

Revision ID: a7c0ffee0007
Revises: a5c0ffee0005
Create Date: 2026-12-02 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c0ffee0007"
down_revision: str | None = "a5c0ffee0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_strengths",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note_part_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(note_part_id IS NOT NULL AND text IS NULL) "
            "OR (note_part_id IS NULL AND text IS NOT NULL)",
            name=op.f("ck_plan_strengths_note_part_or_text"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_strengths_plan_id_plans")
        ),
        sa.ForeignKeyConstraint(
            ["note_part_id"],
            ["note_parts.id"],
            name=op.f("fk_plan_strengths_note_part_id_note_parts"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_plan_strengths_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"], ["users.id"], name=op.f("fk_plan_strengths_removed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_strengths")),
    )
    with op.batch_alter_table("plan_strengths", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_strengths_plan_id"), ["plan_id"], unique=False)
    # Every action so far was done once.
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "repeats",
                sa.Enum(
                    "once",
                    "daily",
                    "weekly",
                    "monthly",
                    name="repeats",
                    native_enum=False,
                    create_constraint=True,
                ),
                server_default="once",
                nullable=False,
            )
        )
    with op.batch_alter_table("plan_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "interpreter_language", sa.String(length=80), server_default="", nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_versions", schema=None) as batch_op:
        batch_op.drop_column("interpreter_language")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_actions_repeats"), type_="check")
        batch_op.drop_column("repeats")
    with op.batch_alter_table("plan_strengths", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_strengths_plan_id"))
    op.drop_table("plan_strengths")
