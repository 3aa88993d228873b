"""case discussions

Revision ID: 1d4c54d7c060
Revises: e9ca25f0f18b
Create Date: 2026-11-22 22:10:25.334744
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1d4c54d7c060"
down_revision: str | None = "e9ca25f0f18b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_discussions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("chair_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chair_id"], ["users.id"], name=op.f("fk_case_discussions_chair_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_case_discussions_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_discussions")),
    )
    with op.batch_alter_table("case_discussions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_case_discussions_team_id_held_on", ["team_id", "held_on"], unique=False
        )

    op.create_table(
        "case_discussion_attendees",
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["discussion_id"],
            ["case_discussions.id"],
            name=op.f("fk_case_discussion_attendees_discussion_id_case_discussions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_case_discussion_attendees_user_id_users")
        ),
        sa.PrimaryKeyConstraint(
            "discussion_id", "user_id", name=op.f("pk_case_discussion_attendees")
        ),
    )
    op.create_table(
        "case_discussion_guests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["discussion_id"],
            ["case_discussions.id"],
            name=op.f("fk_case_discussion_guests_discussion_id_case_discussions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_discussion_guests")),
    )
    with op.batch_alter_table("case_discussion_guests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_discussion_guests_discussion_id"), ["discussion_id"], unique=False
        )

    op.create_table(
        "discussion_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("tried", sa.Text(), nullable=False),
        sa.Column(
            "need",
            sa.Enum(
                "advice",
                "decision",
                "second_look",
                "duo",
                name="discussion_need",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "on_agenda",
                "discussed",
                "withdrawn",
                name="discussion_item_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("discussion_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("postponed_times", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_discussion_items_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["discussion_id"],
            ["case_discussions.id"],
            name=op.f("fk_discussion_items_discussion_id_case_discussions"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_discussion_items_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_discussion_items_submitted_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_items")),
    )
    with op.batch_alter_table("discussion_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_discussion_items_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_discussion_items_discussion_id"), ["discussion_id"], unique=False
        )
        batch_op.create_index(
            "ix_discussion_items_status_case_id", ["status", "case_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_discussion_items_submitted_by_id"), ["submitted_by_id"], unique=False
        )

    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_tasks_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_tasks_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["discussion_items.id"], name=op.f("fk_tasks_item_id_discussion_items")
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_tasks_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tasks_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_item_id"), ["item_id"], unique=False)
        batch_op.create_index("ix_tasks_owner_id_done_on", ["owner_id", "done_on"], unique=False)

    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("discussion_item_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_actions_discussion_item_id_discussion_items"),
            "discussion_items",
            ["discussion_item_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_actions_discussion_item_id_discussion_items"), type_="foreignkey"
        )
        batch_op.drop_column("discussion_item_id")

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_owner_id_done_on")
        batch_op.drop_index(batch_op.f("ix_tasks_item_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_case_id"))

    op.drop_table("tasks")
    with op.batch_alter_table("discussion_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discussion_items_submitted_by_id"))
        batch_op.drop_index("ix_discussion_items_status_case_id")
        batch_op.drop_index(batch_op.f("ix_discussion_items_discussion_id"))
        batch_op.drop_index(batch_op.f("ix_discussion_items_case_id"))

    op.drop_table("discussion_items")
    with op.batch_alter_table("case_discussion_guests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_discussion_guests_discussion_id"))

    op.drop_table("case_discussion_guests")
    op.drop_table("case_discussion_attendees")
    with op.batch_alter_table("case_discussions", schema=None) as batch_op:
        batch_op.drop_index("ix_case_discussions_team_id_held_on")

    op.drop_table("case_discussions")
