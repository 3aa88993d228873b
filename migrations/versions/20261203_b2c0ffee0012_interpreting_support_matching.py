"""interpreters (never a child), more kinds of support, matching profiles and the caseload norm
(issue 18, points 3, 7 and 8)

Revision ID: b2c0ffee0012
Revises: b1c0ffee0011
Create Date: 2026-12-03 08:00:00
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b2c0ffee0012"
down_revision: str | None = "b1c0ffee0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables that record who interpreted, and the interpreter columns each of them lacks so far.
INTERPRETED = {
    "notes": (),
    "plan_versions": ("interpreter_name",),
    "network_meetings": ("interpreter_name", "interpreter_language"),
    "meldcode_steps": ("interpreter_name", "interpreter_language"),
}
REFERENCES = (
    ("interpreter_member_id", "family_members"),
    ("interpreter_network_member_id", "network_members"),
)
SUPPORT_KINDS = ("social_control", "intergenerational", "role_model")
ASKED_STATUSES = ("asked", "said_yes", "said_no")


def _add_reference(table: str, column: str, target: str) -> None:
    """A nullable column referring to `target`. Plain ADD COLUMN on both databases: on SQLite
    with the reference in the column itself (no table copy: these tables are referred to by
    others), on PostgreSQL as a named constraint."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {target} (id)")
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(_fk_name(table, column, target), table, target, [column], ["id"])


def _fk_name(table: str, column: str, target: str) -> str:
    """The models' naming convention, shortened the way SQLAlchemy shortens a name longer than
    PostgreSQL's 63 characters (55 of them, "_" and the last 4 of its md5)."""
    name = f"fk_{table}_{column}_{target}"
    if len(name) <= 63:
        return name
    return f"{name[:55]}_{hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[-4:]}"


def upgrade() -> None:
    # 3. Who interpreted: a name and language (plan versions had the language only), an adult of
    # the family or someone of the network, and whether a professional interpreter was offered.
    # Earlier records keep what they had; nothing in them names a person unambiguously.
    for table, text_columns in INTERPRETED.items():
        for column in text_columns:
            length = 200 if column == "interpreter_name" else 80
            op.add_column(
                table,
                sa.Column(column, sa.String(length=length), server_default="", nullable=False),
            )
        for column, target in REFERENCES:
            _add_reference(table, column, target)
        op.add_column(
            table, sa.Column("professional_interpreter_offered", sa.Boolean(), nullable=True)
        )

    # 7. More kinds of support, and "asked, but said no" with its date.
    for kind in SUPPORT_KINDS:
        op.add_column(
            "network_members",
            sa.Column(f"supports_{kind}", sa.Boolean(), server_default=sa.false(), nullable=False),
        )
    op.add_column(
        "network_members",
        sa.Column(
            "asked_status",
            sa.Enum(
                *ASKED_STATUSES,
                name="asked_status",
                native_enum=False,
                create_constraint=False,
                length=8,
            ),
            nullable=True,
        ),
    )
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot add a constraint in place
        op.create_check_constraint(
            "ck_network_members_asked_status",
            "network_members",
            sa.column("asked_status").in_(ASKED_STATUSES),
        )
    op.add_column("network_members", sa.Column("asked_on", sa.Date(), nullable=True))
    op.add_column(
        "network_members", sa.Column("asked_for", sa.Text(), server_default="", nullable=False)
    )

    # 8. Matching: a professional's own profile and part-time share; the team's caseload norm.
    op.add_column("users", sa.Column("languages", sa.JSON(), server_default="[]", nullable=False))
    op.add_column("users", sa.Column("background", sa.Text(), server_default="", nullable=False))
    op.add_column("users", sa.Column("expertise", sa.Text(), server_default="", nullable=False))
    op.add_column(
        "users", sa.Column("work_percent", sa.Integer(), server_default="100", nullable=False)
    )
    op.add_column("teams", sa.Column("caseload_norm", sa.Integer(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): no copy of tables others refer to.
    op.drop_column("teams", "caseload_norm")
    for column in ("work_percent", "expertise", "background", "languages"):
        op.drop_column("users", column)
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("ck_network_members_asked_status", "network_members", type_="check")
    for column in ("asked_for", "asked_on", "asked_status"):
        op.drop_column("network_members", column)
    for kind in reversed(SUPPORT_KINDS):
        op.drop_column("network_members", f"supports_{kind}")
    for table, text_columns in INTERPRETED.items():
        op.drop_column(table, "professional_interpreter_offered")
        for column, _target in reversed(REFERENCES):
            op.drop_column(table, column)  # its reference (SQLite) or constraint goes with it
        for column in reversed(text_columns):
            op.drop_column(table, column)
