"""safety: concerns, signals, Meldcode steps, Signs of Safety map, scale, conditions;
ladder and regie entries link to a concern

Revision ID: fc65ed5c0f37
Revises: df30b13a95d3
Create Date: 2026-11-22 20:33:07.240803
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "fc65ed5c0f37"
down_revision: str | None = "df30b13a95d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "safety_concerns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "being_handled",
                "closed",
                name="concern_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=False),
        sa.Column("regie_return", sa.Text(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_safety_concerns_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["users.id"], name=op.f("fk_safety_concerns_opened_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_concerns")),
    )
    with op.batch_alter_table("safety_concerns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_safety_concerns_case_id"), ["case_id"], unique=False)

    op.create_table(
        "meldcode_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("done_by_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("colleague", sa.String(length=200), nullable=False),
        sa.Column("veilig_thuis_consulted", sa.Boolean(), nullable=True),
        sa.Column("veilig_thuis_advice", sa.Text(), nullable=False),
        sa.Column("conversation_held", sa.Boolean(), nullable=True),
        sa.Column("talked_with", sa.String(length=300), nullable=False),
        sa.Column("acute_unsafety", sa.Boolean(), nullable=True),
        sa.Column("structural_unsafety", sa.Boolean(), nullable=True),
        sa.Column("can_organise_help", sa.Boolean(), nullable=True),
        sa.Column("family_cooperates", sa.Boolean(), nullable=True),
        sa.Column("safe_in_agreed_time", sa.Boolean(), nullable=True),
        sa.Column("organise_help", sa.Boolean(), nullable=True),
        sa.Column("report_to_veilig_thuis", sa.Boolean(), nullable=True),
        sa.Column("family_told", sa.Boolean(), nullable=True),
        sa.Column("why_not_told", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("step BETWEEN 1 AND 5", name=op.f("ck_meldcode_steps_step_1_5")),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["safety_concerns.id"],
            name=op.f("fk_meldcode_steps_concern_id_safety_concerns"),
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["users.id"], name=op.f("fk_meldcode_steps_done_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meldcode_steps")),
        sa.UniqueConstraint("concern_id", "step", name=op.f("uq_meldcode_steps_concern_id")),
    )
    with op.batch_alter_table("meldcode_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meldcode_steps_concern_id"), ["concern_id"], unique=False
        )

    op.create_table(
        "safety_concern_children",
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["safety_concerns.id"],
            name=op.f("fk_safety_concern_children_concern_id_safety_concerns"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["family_members.id"],
            name=op.f("fk_safety_concern_children_member_id_family_members"),
        ),
        sa.PrimaryKeyConstraint("concern_id", "member_id", name=op.f("pk_safety_concern_children")),
    )
    op.create_table(
        "safety_conditions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "not_reviewed",
                "kept",
                "partly",
                "not_kept",
                "ended",
                name="condition_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("shared_with_family", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["safety_concerns.id"],
            name=op.f("fk_safety_conditions_concern_id_safety_concerns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_conditions")),
    )
    with op.batch_alter_table("safety_conditions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_conditions_concern_id"), ["concern_id"], unique=False
        )

    op.create_table(
        "safety_maps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("harm", sa.Text(), nullable=False),
        sa.Column("danger_statement", sa.Text(), nullable=False),
        sa.Column("complicating_factors", sa.Text(), nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("existing_safety", sa.Text(), nullable=False),
        sa.Column("safety_goals", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["safety_concerns.id"],
            name=op.f("fk_safety_maps_concern_id_safety_concerns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_maps")),
        sa.UniqueConstraint("concern_id", name=op.f("uq_safety_maps_concern_id")),
    )
    op.create_table(
        "safety_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("scored_on", sa.Date(), nullable=False),
        sa.Column("professional_score", sa.Integer(), nullable=True),
        sa.Column("family_score", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "family_score IS NULL OR family_score BETWEEN 0 AND 10",
            name=op.f("ck_safety_scores_family_0_10"),
        ),
        sa.CheckConstraint(
            "professional_score IS NULL OR professional_score BETWEEN 0 AND 10",
            name=op.f("ck_safety_scores_professional_0_10"),
        ),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["safety_concerns.id"],
            name=op.f("fk_safety_scores_concern_id_safety_concerns"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_safety_scores_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_scores")),
    )
    with op.batch_alter_table("safety_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_scores_concern_id"), ["concern_id"], unique=False
        )

    op.create_table(
        "safety_signals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_confidential", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["safety_concerns.id"],
            name=op.f("fk_safety_signals_concern_id_safety_concerns"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_safety_signals_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_signals")),
    )
    with op.batch_alter_table("safety_signals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_signals_concern_id"), ["concern_id"], unique=False
        )

    with op.batch_alter_table("ladder_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("safety_concern_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_ladder_entries_safety_concern_id_safety_concerns"),
            "safety_concerns",
            ["safety_concern_id"],
            ["id"],
        )

    with op.batch_alter_table("regie_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("safety_concern_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_regie_entries_safety_concern_id_safety_concerns"),
            "safety_concerns",
            ["safety_concern_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("regie_entries", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_regie_entries_safety_concern_id_safety_concerns"), type_="foreignkey"
        )
        batch_op.drop_column("safety_concern_id")

    with op.batch_alter_table("ladder_entries", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_ladder_entries_safety_concern_id_safety_concerns"), type_="foreignkey"
        )
        batch_op.drop_column("safety_concern_id")

    with op.batch_alter_table("safety_signals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_signals_concern_id"))

    op.drop_table("safety_signals")
    with op.batch_alter_table("safety_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_scores_concern_id"))

    op.drop_table("safety_scores")
    op.drop_table("safety_maps")
    with op.batch_alter_table("safety_conditions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_conditions_concern_id"))

    op.drop_table("safety_conditions")
    op.drop_table("safety_concern_children")
    with op.batch_alter_table("meldcode_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meldcode_steps_concern_id"))

    op.drop_table("meldcode_steps")
    with op.batch_alter_table("safety_concerns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_concerns_case_id"))

    op.drop_table("safety_concerns")
