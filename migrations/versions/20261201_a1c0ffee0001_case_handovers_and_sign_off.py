"""case hand-overs, second reviewers for sign-off, typed text bound to its user

Revision ID: a1c0ffee0001
Revises: e364f3ab2e89
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1c0ffee0001"
down_revision: str | None = "e364f3ab2e89"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("second_reviewer", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "case_handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("from_lead_id", sa.Integer(), nullable=False),
        sa.Column("to_lead_id", sa.Integer(), nullable=False),
        sa.Column("from_duo_id", sa.Integer(), nullable=True),
        sa.Column("to_duo_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_handovers_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_case_handovers_team_id_teams")
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["users.id"], name=op.f("fk_case_handovers_changed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["from_lead_id"], ["users.id"], name=op.f("fk_case_handovers_from_lead_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["to_lead_id"], ["users.id"], name=op.f("fk_case_handovers_to_lead_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["from_duo_id"], ["users.id"], name=op.f("fk_case_handovers_from_duo_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["to_duo_id"], ["users.id"], name=op.f("fk_case_handovers_to_duo_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_handovers")),
    )
    with op.batch_alter_table("case_handovers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_handovers_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_case_handovers_team_id_at", ["team_id", "at"], unique=False)
    with op.batch_alter_table("safety_concerns", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("file_withheld_reason", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("file_withheld_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("file_withheld_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_safety_concerns_file_withheld_by_id_users"),
            "users",
            ["file_withheld_by_id"],
            ["id"],
        )
    # Kept texts were not bound to a user before: they cannot be given back safely. They live
    # for a day at most, so dropping them loses nothing that matters.
    op.execute("DELETE FROM form_rescues")
    with op.batch_alter_table("form_rescues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=False))
        batch_op.create_index(batch_op.f("ix_form_rescues_user_id"), ["user_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_form_rescues_user_id_users"), "users", ["user_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("safety_concerns", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_safety_concerns_file_withheld_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("file_withheld_on")
        batch_op.drop_column("file_withheld_by_id")
        batch_op.drop_column("file_withheld_reason")
    op.drop_table("case_handovers")
    with op.batch_alter_table("form_rescues", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_form_rescues_user_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_form_rescues_user_id"))
        batch_op.drop_column("user_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("second_reviewer")
