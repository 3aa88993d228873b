"""plans: goals, actions, scores, ladders, regie, successes, versions; revisions (history)

Revision ID: 5b2a610a02f2
Revises: daed3442f3a3
Create Date: 2026-11-22 20:04:10.426505
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b2a610a02f2"
down_revision: str | None = "daed3442f3a3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "social_ladder_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "level BETWEEN 1 AND 6", name=op.f("ck_social_ladder_entries_level_1_6")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["family_members.id"],
            name=op.f("fk_social_ladder_entries_member_id_family_members"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_social_ladder_entries_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_ladder_entries")),
    )
    with op.batch_alter_table("social_ladder_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_social_ladder_entries_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("evaluation_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_plans_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("case_id", name=op.f("uq_plans_case_id")),
    )
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("old", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_revisions_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["users.id"], name=op.f("fk_revisions_changed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
    )
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revisions_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_revisions_table_name_row_id", ["table_name", "row_id"], unique=False
        )

    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("why_it_matters", sa.Text(), nullable=False),
        sa.Column("first_step", sa.Text(), nullable=False),
        sa.Column("reservations", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "achieved",
                "changed",
                "dropped",
                name="goal_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("status_on", sa.Date(), nullable=True),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_goals_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goals_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "ladder_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("climb_back", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 6", name=op.f("ck_ladder_entries_level_1_6")),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_ladder_entries_plan_id_plans")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_ladder_entries_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ladder_entries")),
    )
    with op.batch_alter_table("ladder_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ladder_entries_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column(
            "agreed_how",
            sa.Enum(
                "in_person",
                "by_phone",
                "signed_printout",
                name="agreed_how",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("agreed_by", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("finalised_by_id", sa.Integer(), nullable=False),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finalised_by_id"], ["users.id"], name=op.f("fk_plan_versions_finalised_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_versions_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
    )
    with op.batch_alter_table("plan_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_versions_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "regie_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column(
            "regie",
            sa.Enum(
                "own",
                "shared",
                "taken_over",
                name="regie",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_regie_entries_plan_id_plans")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_regie_entries_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regie_entries")),
    )
    with op.batch_alter_table("regie_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_regie_entries_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "owner_kind",
            sa.Enum(
                "family",
                "network",
                "professional",
                name="owner_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("owner_member_id", sa.Integer(), nullable=True),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "doing",
                "done",
                "stopped",
                name="action_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["goals.id"], name=op.f("fk_actions_goal_id_goals")),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["family_members.id"],
            name=op.f("fk_actions_owner_member_id_family_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actions_goal_id"), ["goal_id"], unique=False)

    op.create_table(
        "goal_members",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_members_goal_id_goals")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["family_members.id"],
            name=op.f("fk_goal_members_member_id_family_members"),
        ),
        sa.PrimaryKeyConstraint("goal_id", "member_id", name=op.f("pk_goal_members")),
    )
    op.create_table(
        "scale_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("scored_on", sa.Date(), nullable=False),
        sa.Column("family_score", sa.Integer(), nullable=True),
        sa.Column("professional_score", sa.Integer(), nullable=True),
        sa.Column("one_point_higher", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "family_score IS NULL OR family_score BETWEEN 0 AND 10",
            name=op.f("ck_scale_scores_family_0_10"),
        ),
        sa.CheckConstraint(
            "professional_score IS NULL OR professional_score BETWEEN 0 AND 10",
            name=op.f("ck_scale_scores_professional_0_10"),
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_scale_scores_goal_id_goals")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_scale_scores_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scale_scores")),
    )
    with op.batch_alter_table("scale_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scale_scores_goal_id"), ["goal_id"], unique=False)

    op.create_table(
        "successes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["goals.id"], name=op.f("fk_successes_goal_id_goals")),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_successes_plan_id_plans")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_successes_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_successes")),
    )
    with op.batch_alter_table("successes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_successes_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("successes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_successes_plan_id"))

    op.drop_table("successes")
    with op.batch_alter_table("scale_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scale_scores_goal_id"))

    op.drop_table("scale_scores")
    op.drop_table("goal_members")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actions_goal_id"))

    op.drop_table("actions")
    with op.batch_alter_table("regie_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regie_entries_plan_id"))

    op.drop_table("regie_entries")
    with op.batch_alter_table("plan_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_versions_plan_id"))

    op.drop_table("plan_versions")
    with op.batch_alter_table("ladder_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ladder_entries_plan_id"))

    op.drop_table("ladder_entries")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goals_plan_id"))

    op.drop_table("goals")
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.drop_index("ix_revisions_table_name_row_id")
        batch_op.drop_index(batch_op.f("ix_revisions_case_id"))

    op.drop_table("revisions")
    op.drop_table("plans")
    with op.batch_alter_table("social_ladder_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_social_ladder_entries_member_id"))

    op.drop_table("social_ladder_entries")
