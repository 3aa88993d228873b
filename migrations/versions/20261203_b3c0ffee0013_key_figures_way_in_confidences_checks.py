"""key figures across families, the way in, confidences passed on, "we stay responsible" checks

Issue 18. A team-level record of a key figure (key_figures), linked from each family's network
member; several informal roles per network member, a role agreement and confidentiality; the
way in on the case; the confidence behind a safety signal; who checks an action a volunteer
does, and when.

Data: every network member's one informal role becomes the first of its roles; every network
member of kind informal worker whose family is known to exactly one team gets a key figure of
that team (one per name and organisation, where the organisation is named), linked to the
catalogue entry of that name where exactly one matches. Nothing is removed.

Revision ID: b3c0ffee0013
Revises: a9c0ffee0009
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "b3c0ffee0013"
down_revision: str | None = "a9c0ffee0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _add_reference(table: str, column: str, target: str) -> None:
    """A nullable id column with a foreign key, and its index, without a table copy: SQLite
    takes the reference in ADD COLUMN itself (ALTER ... ADD CONSTRAINT it does not know)."""
    name = f"fk_{table}_{column}_{target}"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
            f"CONSTRAINT {name} REFERENCES {target} (id)"
        )
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, target, [column], ["id"])
    op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    op.create_table(
        "key_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "key_figure",
                "confidant",
                "volunteer",
                name="key_figure_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("resource_id", sa.Integer(), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_key_figures_team_id_teams")
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"], ["resources.id"], name=op.f("fk_key_figures_resource_id_resources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_figures")),
    )
    op.create_index("ix_key_figures_team_id_name", "key_figures", ["team_id", "name"])
    op.create_index(op.f("ix_key_figures_resource_id"), "key_figures", ["resource_id"])

    # Plain ADD COLUMNs: no table copy (these tables are referenced by others).
    nm = "network_members"
    op.add_column(nm, sa.Column("informal_roles", sa.JSON(), server_default="[]", nullable=False))
    _add_reference(nm, "key_figure_id", "key_figures")
    op.add_column(nm, sa.Column("role_does", sa.Text(), server_default="", nullable=False))
    op.add_column(nm, sa.Column("role_does_not", sa.Text(), server_default="", nullable=False))
    op.add_column(nm, sa.Column("role_agreed_on", sa.Date(), nullable=True))
    op.add_column(nm, sa.Column("confidentiality_agreed", sa.Boolean(), nullable=True))
    op.add_column(nm, sa.Column("confidentiality_on", sa.Date(), nullable=True))

    op.add_column(
        "cases",
        sa.Column(
            "way_in",
            sa.Enum(
                "self",
                "school",
                "gp",
                "veilig_thuis",
                "other_organisation",
                "intermediary",
                name="way_in",
                native_enum=False,
                # Added below where the database can (SQLite cannot add a CHECK to a table
                # without copying it; there the model's enum checks the values).
                create_constraint=False,
            ),
            nullable=True,
        ),
    )
    if op.get_bind().dialect.name != "sqlite":
        op.create_check_constraint(
            "ck_cases_way_in",
            "cases",
            "way_in IN ('self', 'school', 'gp', 'veilig_thuis', 'other_organisation', "
            "'intermediary')",
        )
    op.add_column(
        "cases",
        sa.Column("way_in_detail", sa.String(length=300), server_default="", nullable=False),
    )
    _add_reference("cases", "way_in_network_member_id", "network_members")
    for name in ("groundwork", "first_contact", "worded_question", "goes_along"):
        op.add_column(
            "cases",
            sa.Column(f"via_{name}", sa.Boolean(), server_default=sa.false(), nullable=False),
        )

    sig = "safety_signals"
    _add_reference(sig, "confided_by_id", nm)
    op.add_column(
        sig, sa.Column("confidence_agreement", sa.Text(), server_default="", nullable=False)
    )
    op.add_column(sig, sa.Column("confidence_agreed_on", sa.Date(), nullable=True))
    op.add_column(
        sig,
        sa.Column("parents_told_duty", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        sig,
        sa.Column("confider_may_be_named", sa.Boolean(), server_default=sa.false(), nullable=False),
    )

    _add_reference("actions", "check_by_id", "users")
    op.add_column("actions", sa.Column("check_on", sa.Date(), nullable=True))
    op.add_column("actions", sa.Column("last_checked_on", sa.Date(), nullable=True))

    _migrate_data()


def _migrate_data() -> None:
    conn = op.get_bind()
    members = sa.table(
        "network_members",
        sa.column("id", sa.Integer()),
        sa.column("family_id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("informal_role", sa.String()),
        sa.column("informal_roles", sa.JSON()),
        sa.column("organisation", sa.String()),
        sa.column("phone", sa.String()),
        sa.column("email", sa.String()),
        sa.column("languages", sa.JSON()),
        sa.column("key_figure_id", sa.Integer()),
    )
    cases = sa.table(
        "cases", sa.column("family_id", sa.Integer()), sa.column("team_id", sa.Integer())
    )
    resources = sa.table(
        "resources",
        sa.column("id", sa.Integer()),
        sa.column("team_id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("archived_on", sa.Date()),
    )
    key_figures = sa.table(
        "key_figures",
        sa.column("id", sa.Integer()),
        sa.column("team_id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("resource_id", sa.Integer()),
        sa.column("organisation", sa.String()),
        sa.column("phone", sa.String()),
        sa.column("email", sa.String()),
        sa.column("languages", sa.JSON()),
        sa.column("notes", sa.Text()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("version", sa.Integer()),
    )
    for member_id, role in conn.execute(
        sa.select(members.c.id, members.c.informal_role).where(members.c.informal_role.is_not(None))
    ):
        conn.execute(
            members.update().where(members.c.id == member_id).values(informal_roles=[role])
        )

    teams: dict[int, set[int]] = {}
    for family_id, team_id in conn.execute(sa.select(cases.c.family_id, cases.c.team_id)):
        teams.setdefault(family_id, set()).add(team_id)
    catalogue: dict[tuple[int, str], list[int]] = {}
    for resource_id, team_id, name in conn.execute(
        sa.select(resources.c.id, resources.c.team_id, resources.c.name).where(
            resources.c.archived_on.is_(None)
        )
    ):
        catalogue.setdefault((team_id, name.strip().lower()), []).append(resource_id)

    made: dict[tuple[int, str, str], int] = {}
    now = datetime.now(UTC)
    rows = conn.execute(
        sa.select(
            members.c.id,
            members.c.family_id,
            members.c.name,
            members.c.organisation,
            members.c.phone,
            members.c.email,
            members.c.languages,
        )
        .where(members.c.kind == "informal_worker")
        .order_by(members.c.id)
    ).all()
    for member_id, family_id, name, organisation, phone, email, languages in rows:
        family_teams = teams.get(family_id, set())
        if len(family_teams) != 1:
            continue  # which team's record this would be is not clear: left as it is
        (team_id,) = family_teams
        org = (organisation or "").strip()
        key = (team_id, name.strip().lower(), org.lower())
        key_figure_id = made.get(key) if org else None
        if key_figure_id is None:
            matches = catalogue.get((team_id, org.lower()), []) if org else []
            resource_id = matches[0] if len(matches) == 1 else None
            key_figure_id = conn.execute(
                key_figures.insert()
                .values(
                    team_id=team_id,
                    name=name.strip(),
                    kind="key_figure",
                    resource_id=resource_id,
                    organisation="" if resource_id is not None else org,
                    phone=phone or "",
                    email=email or "",
                    languages=languages or [],
                    notes="",
                    created_at=now,
                    updated_at=now,
                    version=1,
                )
                .returning(key_figures.c.id)
            ).scalar_one()
            made[key] = key_figure_id
        conn.execute(
            members.update().where(members.c.id == member_id).values(key_figure_id=key_figure_id)
        )


def _drop_reference(table: str, column: str, target: str) -> None:
    op.drop_index(f"ix_{table}_{column}", table_name=table)
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(f"fk_{table}_{column}_{target}", table, type_="foreignkey")
    op.drop_column(table, column)  # SQLite 3.35+ drops a column in place


def downgrade() -> None:
    for column in ("last_checked_on", "check_on"):
        op.drop_column("actions", column)
    _drop_reference("actions", "check_by_id", "users")
    for column in (
        "confider_may_be_named",
        "parents_told_duty",
        "confidence_agreed_on",
        "confidence_agreement",
    ):
        op.drop_column("safety_signals", column)
    _drop_reference("safety_signals", "confided_by_id", "network_members")
    for column in (
        "via_goes_along",
        "via_worded_question",
        "via_first_contact",
        "via_groundwork",
        "way_in_detail",
    ):
        op.drop_column("cases", column)
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("ck_cases_way_in", "cases", type_="check")
    op.drop_column("cases", "way_in")
    _drop_reference("cases", "way_in_network_member_id", "network_members")
    for column in (
        "confidentiality_on",
        "confidentiality_agreed",
        "role_agreed_on",
        "role_does_not",
        "role_does",
        "informal_roles",
    ):
        op.drop_column("network_members", column)
    _drop_reference("network_members", "key_figure_id", "key_figures")
    op.drop_index(op.f("ix_key_figures_resource_id"), table_name="key_figures")
    op.drop_index("ix_key_figures_team_id_name", table_name="key_figures")
    op.drop_table("key_figures")
