"""the way out: case closings with aftercare, who stays involved; network meeting follow-ups
(issue 18)

Revision ID: b1c0ffee0011
Revises: b3c0ffee0013
Create Date: 2026-12-03 08:00:00

Cases closed before this revision get a closing with the participation ladder level and regie
read from their plan's last entries (the values that held when they closed: a closed case's
plan no longer changes); their aftercare and "how to come back" stay empty (they were never
recorded: the closing letter then says what it said before). Nothing else changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b1c0ffee0011"
down_revision: str | None = "b3c0ffee0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGIE = ("own", "shared", "taken_over")


def upgrade() -> None:
    op.create_table(
        "case_closings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("ladder_level", sa.Integer(), nullable=True),
        sa.Column(
            "regie",
            sa.Enum(*REGIE, name="closing_regie", native_enum=False, create_constraint=True),
            nullable=True,
        ),
        sa.Column("aftercare_agreement", sa.Text(), nullable=False),
        sa.Column("come_back", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ladder_level IS NULL OR ladder_level BETWEEN 1 AND 6",
            name=op.f("ck_case_closings_ladder_level_1_6"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_closings_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_case_closings_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_closings")),
        sa.UniqueConstraint("case_id", name=op.f("uq_case_closings_case_id")),
    )
    op.create_table(
        "aftercare_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("network_member_id", sa.Integer(), nullable=True),
        sa.Column("resource_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(network_member_id IS NULL) <> (resource_id IS NULL)",
            name=op.f("ck_aftercare_contacts_network_member_or_resource"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_aftercare_contacts_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["network_member_id"],
            ["network_members.id"],
            name=op.f("fk_aftercare_contacts_network_member_id_network_members"),
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_aftercare_contacts_resource_id_resources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aftercare_contacts")),
    )
    op.create_index("ix_aftercare_contacts_case_id", "aftercare_contacts", ["case_id"])
    # Plain ADD COLUMNs: no table copy (network_meetings is referenced by other tables).
    op.add_column("network_meetings", sa.Column("follow_up_on", sa.Date(), nullable=True))
    op.add_column("network_meetings", sa.Column("followed_up_on", sa.Date(), nullable=True))
    op.add_column(
        "network_meetings",
        sa.Column("follow_up_note", sa.Text(), server_default="", nullable=False),
    )
    _closings_of_closed_cases()


def _closings_of_closed_cases() -> None:
    """A closing for every case closed before this revision, with the ladder level and regie of
    its plan's last entries (by date, then id, as the plan reads them), or none without."""
    op.execute(
        "INSERT INTO case_closings "
        "(case_id, ladder_level, regie, aftercare_agreement, come_back, recorded_by_id, "
        "created_at) "
        "SELECT cases.id, "
        "(SELECT le.level FROM ladder_entries le JOIN plans p ON p.id = le.plan_id "
        "WHERE p.case_id = cases.id ORDER BY le.changed_on DESC, le.id DESC LIMIT 1), "
        "(SELECT re.regie FROM regie_entries re JOIN plans p ON p.id = re.plan_id "
        "WHERE p.case_id = cases.id ORDER BY re.changed_on DESC, re.id DESC LIMIT 1), "
        "'', '', NULL, cases.updated_at FROM cases WHERE cases.status = 'closed'"
    )


def downgrade() -> None:
    op.drop_column("network_meetings", "follow_up_note")  # SQLite 3.35+ drops in place
    op.drop_column("network_meetings", "followed_up_on")
    op.drop_column("network_meetings", "follow_up_on")
    op.drop_index("ix_aftercare_contacts_case_id", table_name="aftercare_contacts")
    op.drop_table("aftercare_contacts")
    op.drop_table("case_closings")
