"""search on SQLite: an FTS5 index over note parts, kept in step by triggers

Revision ID: 95ac381a0eee
Revises: 9b0bcc0e298d
Create Date: 2026-11-22 21:00:10.956992
"""

from collections.abc import Sequence

from alembic import op

revision: str = "95ac381a0eee"
down_revision: str | None = "9b0bcc0e298d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# SQLite only (PostgreSQL has its GIN full-text indexes from the notes migration). The FTS5
# table is external-content: it stores only the index, the text stays in note_parts.
TRIGGERS = {
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


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE note_parts_fts USING fts5("
        "text, content='note_parts', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("INSERT INTO note_parts_fts(note_parts_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS note_parts_fts")
