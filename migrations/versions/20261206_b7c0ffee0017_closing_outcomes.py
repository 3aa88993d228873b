"""what a closing records about outcomes: how the support ended, each goal's result and the
family's satisfaction answers (issue 20)

Revision ID: b7c0ffee0017
Revises: b6c0ffee0016
Create Date: 2026-12-06 08:00:00

Closings recorded before this revision keep ended_by NULL (nobody was asked who ended the
support) and have no goal outcomes: outcome counts leave them out rather than guess.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7c0ffee0017"
down_revision: str | None = "b6c0ffee0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENDED_BY = ("together", "family", "team")
GOAL_RESULT = ("reached", "partly", "not_reached")
SATISFACTION_HOW = ("family_alone", "with_professional", "by_phone")


def upgrade() -> None:
    # Plain ADD COLUMN, no table copy; SQLite cannot add a constraint in place, so there the
    # model's values are checked by the app only.
    op.add_column(
        "case_closings",
        sa.Column(
            "ended_by",
            sa.Enum(
                *ENDED_BY,
                name="closing_ended_by",
                native_enum=False,
                create_constraint=False,
                length=8,
            ),
            nullable=True,
        ),
    )
    if op.get_bind().dialect.name != "sqlite":
        op.create_check_constraint(
            "ck_case_closings_closing_ended_by",
            "case_closings",
            sa.column("ended_by").in_(ENDED_BY),
        )
    op.create_table(
        "goal_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column(
            "result",
            sa.Enum(*GOAL_RESULT, name="goal_result", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("last_score", sa.Integer(), nullable=True),
        sa.Column("family_words", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_goal_outcomes_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_outcomes_goal_id_goals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_outcomes")),
        sa.UniqueConstraint("goal_id", name=op.f("uq_goal_outcomes_goal_id")),
    )
    op.create_index(op.f("ix_goal_outcomes_case_id"), "goal_outcomes", ["case_id"])
    op.create_table(
        "satisfaction_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column(
            "how",
            sa.Enum(
                *SATISFACTION_HOW,
                name="satisfaction_how",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("who_name", sa.String(length=200), nullable=False),
        sa.Column("heard", sa.Integer(), nullable=True),
        sa.Column("own_say", sa.Integer(), nullable=True),
        sa.Column("better_now", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "heard IS NULL OR heard BETWEEN 1 AND 5",
            name=op.f("ck_satisfaction_answers_heard_1_5"),
        ),
        sa.CheckConstraint(
            "own_say IS NULL OR own_say BETWEEN 1 AND 5",
            name=op.f("ck_satisfaction_answers_own_say_1_5"),
        ),
        sa.CheckConstraint(
            "better_now IS NULL OR better_now BETWEEN 1 AND 5",
            name=op.f("ck_satisfaction_answers_better_now_1_5"),
        ),
        sa.CheckConstraint(
            "rating IS NULL OR rating BETWEEN 1 AND 10",
            name=op.f("ck_satisfaction_answers_rating_1_10"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_satisfaction_answers_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["family_members.id"],
            name=op.f("fk_satisfaction_answers_member_id_family_members"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_satisfaction_answers_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_satisfaction_answers")),
    )
    op.create_index(op.f("ix_satisfaction_answers_case_id"), "satisfaction_answers", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_satisfaction_answers_case_id"), table_name="satisfaction_answers")
    op.drop_table("satisfaction_answers")
    op.drop_index(op.f("ix_goal_outcomes_case_id"), table_name="goal_outcomes")
    op.drop_table("goal_outcomes")
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): no copy of the table.
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("ck_case_closings_closing_ended_by", "case_closings", type_="check")
    op.drop_column("case_closings", "ended_by")
