"""network: members with consent, meetings; actions owned by network members

Revision ID: df30b13a95d3
Revises: 5b2a610a02f2
Create Date: 2026-11-22 20:20:37.034068
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "df30b13a95d3"
down_revision: str | None = "5b2a610a02f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "network_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "family",
                "friend",
                "neighbour",
                "volunteer",
                "informal_worker",
                "professional",
                name="network_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("related_member_id", sa.Integer(), nullable=True),
        sa.Column("relation", sa.String(length=200), nullable=False),
        sa.Column("supports_emotional", sa.Boolean(), nullable=False),
        sa.Column("supports_practical", sa.Boolean(), nullable=False),
        sa.Column("supports_information", sa.Boolean(), nullable=False),
        sa.Column(
            "closeness",
            sa.Enum(
                "close",
                "middle",
                "far",
                name="closeness",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "quality",
            sa.Enum(
                "supportive",
                "strained",
                "unsafe",
                name="quality",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("gives_back", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column(
            "informal_role",
            sa.Enum(
                "confidant",
                "adviser",
                "mediator_parents_children",
                "social_broker",
                "informal_helper",
                "care_mediator",
                "cultural_interpreter",
                name="informal_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("may_contact", sa.Boolean(), nullable=True),
        sa.Column("may_be_told", sa.Text(), nullable=False),
        sa.Column("consent_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.Column("archive_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"], ["families.id"], name=op.f("fk_network_members_family_id_families")
        ),
        sa.ForeignKeyConstraint(
            ["related_member_id"],
            ["family_members.id"],
            name=op.f("fk_network_members_related_member_id_family_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_members")),
    )
    with op.batch_alter_table("network_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_members_family_id"), ["family_id"], unique=False
        )

    op.create_table(
        "network_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "informal",
                "family_group_conference",
                name="meeting_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "organised_by",
            sa.Enum(
                "family",
                "professional",
                name="organised_by",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("other_attendees", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("agreed", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_network_meetings_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_network_meetings_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_meetings")),
    )
    with op.batch_alter_table("network_meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_network_meetings_case_id"), ["case_id"], unique=False)

    op.create_table(
        "meeting_family_members",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("family_member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_member_id"],
            ["family_members.id"],
            name=op.f("fk_meeting_family_members_family_member_id_family_members"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["network_meetings.id"],
            name=op.f("fk_meeting_family_members_meeting_id_network_meetings"),
        ),
        sa.PrimaryKeyConstraint(
            "meeting_id", "family_member_id", name=op.f("pk_meeting_family_members")
        ),
    )
    op.create_table(
        "meeting_network_members",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("network_member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["network_meetings.id"],
            name=op.f("fk_meeting_network_members_meeting_id_network_meetings"),
        ),
        sa.ForeignKeyConstraint(
            ["network_member_id"],
            ["network_members.id"],
            name=op.f("fk_meeting_network_members_network_member_id_network_members"),
        ),
        sa.PrimaryKeyConstraint(
            "meeting_id", "network_member_id", name=op.f("pk_meeting_network_members")
        ),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("network_member_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_actions_network_member_id"), ["network_member_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_actions_meeting_id_network_meetings"),
            "network_meetings",
            ["meeting_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_actions_network_member_id_network_members"),
            "network_members",
            ["network_member_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_actions_network_member_id_network_members"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_actions_meeting_id_network_meetings"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_actions_network_member_id"))
        batch_op.drop_column("meeting_id")
        batch_op.drop_column("network_member_id")

    op.drop_table("meeting_network_members")
    op.drop_table("meeting_family_members")
    with op.batch_alter_table("network_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_meetings_case_id"))

    op.drop_table("network_meetings")
    with op.batch_alter_table("network_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_members_family_id"))

    op.drop_table("network_members")
