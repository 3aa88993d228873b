"""a second text in the family's language for a goal, an action or "one point higher"
(issue 19)

Revision ID: b5c0ffee0015
Revises: b4c0ffee0014
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b5c0ffee0015"
down_revision: str | None = "b4c0ffee0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SECOND_TEXT_OF = ("goal", "action", "score")
WRITTEN_HOW = ("with_interpreter", "by_family", "by_professional")


def upgrade() -> None:
    # A new table: CREATE TABLE with its constraints works the same on SQLite and PostgreSQL.
    op.create_table(
        "second_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column(
            "object_type",
            sa.Enum(
                *SECOND_TEXT_OF,
                name="second_text_of",
                native_enum=False,
                create_constraint=True,
                length=6,
            ),
            nullable=False,
        ),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column(
            "written_how",
            sa.Enum(
                *WRITTEN_HOW,
                name="written_how",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("lang <> 'nl'", name=op.f("ck_second_texts_not_dutch")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_second_texts_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_second_texts_goal_id_goals")
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"], ["users.id"], name=op.f("fk_second_texts_written_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_second_texts")),
        sa.UniqueConstraint(
            "object_type", "object_id", "lang", name=op.f("uq_second_texts_object_type")
        ),
    )
    op.create_index(op.f("ix_second_texts_case_id"), "second_texts", ["case_id"], unique=False)
    op.create_index(op.f("ix_second_texts_goal_id"), "second_texts", ["goal_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_second_texts_goal_id"), table_name="second_texts")
    op.drop_index(op.f("ix_second_texts_case_id"), table_name="second_texts")
    op.drop_table("second_texts")
