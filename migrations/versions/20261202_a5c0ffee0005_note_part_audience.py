"""note parts: an audience (who of the family may read it) instead of "internal"

Revision ID: a5c0ffee0005
Revises: a6c0ffee0006
Create Date: 2026-12-02 21:00:00

Each note part gets `audience` (team, family, parents, member, member_and_parents) and, for
the two audiences of one family member, `audience_member_id`. Existing parts keep what they
were: internal -> "team", else "family". Downgrading maps "team" back to internal and every
other audience to shareable (a part for one member becomes the family's: the old schema cannot
say more).

On SQLite the table is copied (batch mode), which drops the triggers that keep the search index
(note_parts_fts, search migration) in step; they are made again here, and the index rebuilt.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a5c0ffee0005"
down_revision: str | None = "a6c0ffee0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUDIENCES = ("team", "family", "parents", "member", "member_and_parents")
AUDIENCE_MEMBER_CHECK = (
    "(audience IN ('member', 'member_and_parents') AND audience_member_id IS NOT NULL)"
    " OR (audience NOT IN ('member', 'member_and_parents')"
    " AND audience_member_id IS NULL)"
)

# A frozen copy of the search migration's triggers (95ac381a0eee; migrations import no code).
FTS_TRIGGERS = {
    "note_parts_fts_insert": (
        "AFTER INSERT ON note_parts BEGIN "
        "INSERT INTO note_parts_fts(rowid, text) VALUES (new.id, new.text); END"
    ),
    "note_parts_fts_delete": (
        "AFTER DELETE ON note_parts BEGIN "
        "INSERT INTO note_parts_fts(note_parts_fts, rowid, text) "
        "VALUES ('delete', old.id, old.text); END"
    ),
    "note_parts_fts_update": (
        "AFTER UPDATE OF text ON note_parts BEGIN "
        "INSERT INTO note_parts_fts(note_parts_fts, rowid, text) "
        "VALUES ('delete', old.id, old.text); "
        "INSERT INTO note_parts_fts(rowid, text) VALUES (new.id, new.text); END"
    ),
}


def _audience_type() -> sa.Enum:
    return sa.Enum(*AUDIENCES, name="note_audience", native_enum=False, create_constraint=True)


def _renew_search_triggers() -> None:
    """SQLite: the triggers of the search index again (a copied table loses its triggers)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, body in FTS_TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("INSERT INTO note_parts_fts(note_parts_fts) VALUES ('rebuild')")


def upgrade() -> None:
    with op.batch_alter_table("note_parts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audience", _audience_type(), nullable=True))
        batch_op.add_column(sa.Column("audience_member_id", sa.Integer(), nullable=True))
    op.execute("UPDATE note_parts SET audience = CASE WHEN internal THEN 'team' ELSE 'family' END")
    with op.batch_alter_table("note_parts", schema=None) as batch_op:
        batch_op.alter_column("audience", existing_type=_audience_type(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_note_parts_audience_member_id_family_members"),
            "family_members",
            ["audience_member_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_note_parts_audience_member"), AUDIENCE_MEMBER_CHECK
        )
        batch_op.drop_column("internal")
    _renew_search_triggers()


def downgrade() -> None:
    with op.batch_alter_table("note_parts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("internal", sa.Boolean(), nullable=True))
    op.execute("UPDATE note_parts SET internal = (audience = 'team')")
    with op.batch_alter_table("note_parts", schema=None) as batch_op:
        batch_op.alter_column("internal", existing_type=sa.Boolean(), nullable=False)
        batch_op.drop_constraint(batch_op.f("ck_note_parts_audience_member"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_note_parts_note_audience"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_note_parts_audience_member_id_family_members"), type_="foreignkey"
        )
        batch_op.drop_column("audience_member_id")
        batch_op.drop_column("audience")
    _renew_search_triggers()
