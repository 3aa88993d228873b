"""notes: conversation notes with parts, addenda, form rescues; search index; audit detail

Revision ID: 9b0bcc0e298d
Revises: fc65ed5c0f37
Create Date: 2026-11-22 20:42:56.346955
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9b0bcc0e298d"
down_revision: str | None = "fc65ed5c0f37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_rescues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_rescues")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_form_rescues_token_hash")),
    )
    with op.batch_alter_table("form_rescues", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_form_rescues_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("contact_on", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "home_visit",
                "phone",
                "video",
                "office",
                "meeting",
                "other",
                name="contact_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("interpreter_name", sa.String(length=200), nullable=False),
        sa.Column("interpreter_language", sa.String(length=80), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft", "final", name="note_status", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pending", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_notes_author_id_users")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_notes_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notes_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "ix_notes_case_id_contact_on", ["case_id", "contact_on"], unique=False
        )

    op.create_table(
        "note_addenda",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_note_addenda_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_note_addenda_note_id_notes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_addenda")),
    )
    with op.batch_alter_table("note_addenda", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_addenda_note_id"), ["note_id"], unique=False)

    op.create_table(
        "note_colleagues",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_note_colleagues_note_id_notes")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_note_colleagues_user_id_users")
        ),
        sa.PrimaryKeyConstraint("note_id", "user_id", name=op.f("pk_note_colleagues")),
    )
    op.create_table(
        "note_family_members",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["family_members.id"],
            name=op.f("fk_note_family_members_member_id_family_members"),
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_note_family_members_note_id_notes")
        ),
        sa.PrimaryKeyConstraint("note_id", "member_id", name=op.f("pk_note_family_members")),
    )
    op.create_table(
        "note_network_members",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("network_member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_member_id"],
            ["network_members.id"],
            name=op.f("fk_note_network_members_network_member_id_network_members"),
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_note_network_members_note_id_notes")
        ),
        sa.PrimaryKeyConstraint(
            "note_id", "network_member_id", name=op.f("pk_note_network_members")
        ),
    )
    op.create_table(
        "note_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "question",
                "strengths",
                "exceptions",
                "future",
                "compliments",
                "agreements",
                "free_text",
                name="part_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_note_parts_note_id_notes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_parts")),
        sa.UniqueConstraint("note_id", "kind", name=op.f("uq_note_parts_note_id")),
    )
    with op.batch_alter_table("note_parts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_parts_note_id"), ["note_id"], unique=False)

    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_actions_note_id_notes"), "notes", ["note_id"], ["id"]
        )

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("detail", sa.String(length=500), nullable=False))

    with op.batch_alter_table("scale_scores", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_scale_scores_note_id_notes"), "notes", ["note_id"], ["id"]
        )

    # Full-text search over note parts and goals on PostgreSQL (Dutch stemming). Not in the
    # models: SQLite has no to_tsvector; migrations/env.py and the model check skip these names.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_note_parts_fts ON note_parts USING gin (to_tsvector('dutch', text))"
        )
        op.execute("CREATE INDEX ix_goals_fts ON goals USING gin (to_tsvector('dutch', text))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_note_parts_fts")
        op.execute("DROP INDEX IF EXISTS ix_goals_fts")
    with op.batch_alter_table("scale_scores", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_scale_scores_note_id_notes"), type_="foreignkey")
        batch_op.drop_column("note_id")

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("detail")

    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_actions_note_id_notes"), type_="foreignkey")
        batch_op.drop_column("note_id")

    with op.batch_alter_table("note_parts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_parts_note_id"))

    op.drop_table("note_parts")
    op.drop_table("note_network_members")
    op.drop_table("note_family_members")
    op.drop_table("note_colleagues")
    with op.batch_alter_table("note_addenda", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_addenda_note_id"))

    op.drop_table("note_addenda")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index("ix_notes_case_id_contact_on")
        batch_op.drop_index(batch_op.f("ix_notes_author_id"))

    op.drop_table("notes")
    with op.batch_alter_table("form_rescues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_rescues_created_at"))

    op.drop_table("form_rescues")
