"""Backups: a round trip brings back every row of every table; restores refuse what they should.

Runs on the test database (SQLite, or PostgreSQL with WIJKTEAM_TEST_DATABASE_URL); PostgreSQL
restores into that same database."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update

from tests.ops.support import snapshot
from wijkteam import create_app
from wijkteam.audit.services import record
from wijkteam.auth.services import create_team
from wijkteam.cases.models import Family
from wijkteam.cli import SEED_FILE
from wijkteam.core.config import TestConfig
from wijkteam.core.db import db, get_engine
from wijkteam.notes.models import NotePart
from wijkteam.ops import backup
from wijkteam.plans.models import PlanStrength
from wijkteam.seed import load_seed


def dialect(app) -> str:
    with app.app_context():
        return get_engine().dialect.name


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_round_trip_brings_back_every_table(app, tmp_path):
    with app.app_context():
        load_seed(SEED_FILE)
        db.commit()
    before = snapshot(app)
    assert sum(len(rows) for rows in before.values()) > 1000
    dest = tmp_path / "backup"
    made = run(app, "backup", str(dest))
    assert made.exit_code == 0, made.output
    assert dest.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only

    # After the backup: change, add and remove rows (the note parts also feed the search index;
    # strengths on a plan's paper name some of them).
    with app.test_request_context():
        db.execute(update(Family).values(name="Veranderd"))
        db.execute(delete(PlanStrength))
        db.execute(delete(NotePart))
        create_team(None, name="Team Later")
        record(None, "case.view", case_id=1)
        db.commit()
    assert snapshot(app) != before

    refused = run(app, "restore", str(dest))
    assert refused.exit_code != 0
    assert "--force" in refused.output
    restored = run(app, "restore", "--force", str(dest))
    assert restored.exit_code == 0, restored.output
    assert "flask db upgrade" not in restored.output

    after = snapshot(app)
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], f"{table} differs after the restore"

    # The restored database works: new rows get new ids, the search index and guards are back.
    with app.test_request_context():
        team = create_team(None, name="Team Na Herstel")
        db.commit()
        assert team.id > max(row[0] for row in before["teams"])
    with app.app_context(), get_engine().begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(
                text(
                    "INSERT INTO note_parts_fts(note_parts_fts, rank) VALUES('integrity-check', 1)"
                )
            )
            hits = conn.execute(text("SELECT count(*) FROM note_parts_fts")).scalar()
            assert hits == len(before["note_parts"])
        else:
            triggers = conn.execute(
                text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass")
            ).scalars()
            assert "audit_events_append_only" in list(triggers)
    if dialect(app) == "postgresql":
        with (
            app.app_context(),
            pytest.raises(Exception, match="append-only"),
            get_engine().begin() as conn,
        ):
            conn.execute(text("DELETE FROM audit_events"))


def test_backup_into_a_folder_gets_a_dated_name_and_never_overwrites(app, world, tmp_path):
    made = run(app, "backup", f"{tmp_path / 'new'}/")  # a folder still to be made
    assert made.exit_code == 0, made.output
    (path,) = (tmp_path / "new").iterdir()
    existing = tmp_path / "existing"
    existing.mkdir()
    assert run(app, "backup", str(existing)).exit_code == 0
    assert [p.suffix for p in existing.iterdir()] == [path.suffix]
    suffix = ".sqlite3" if dialect(app) == "sqlite" else ".pgdump"
    assert path.name.startswith("wijkteam-") and path.suffix == suffix
    assert backup.backup_revision(path) in made.output

    taken = tmp_path / "taken"
    taken.write_text("keep me")
    again = run(app, "backup", str(taken))
    assert again.exit_code != 0
    assert "exists already" in again.output
    assert taken.read_text() == "keep me"
    forced = run(app, "backup", "--force", str(taken))
    assert forced.exit_code == 0, forced.output
    assert backup.backup_kind(taken) == dialect(app)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".wijkteam-")]  # no temp files


def test_revisions_are_checked(app):
    url = app.config["DATABASE_URL"]
    with app.app_context():
        head = db.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert backup.check_revision(url, head) is False
    assert backup.check_revision(url, "daed3442f3a3") is True  # older: upgrade after restoring
    with pytest.raises(backup.BackupError, match="newer version"):
        backup.check_revision(url, "feedfacecafe")


def test_a_backup_of_the_other_kind_or_no_backup_is_refused(app, tmp_path):
    other = tmp_path / "other"
    if dialect(app) == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
    else:
        other.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    refused = run(app, "restore", "--force", str(other))
    assert refused.exit_code != 0
    assert f"the database is {dialect(app)}" in refused.output
    junk = tmp_path / "junk"
    junk.write_text("hello")
    refused = run(app, "restore", "--force", str(junk))
    assert refused.exit_code != 0
    assert "unknown kind of backup" in refused.output


def test_postgresql_password_goes_through_the_environment(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: f"/usr/bin/{name}")
    argv, env = backup.pg_command(
        "postgresql+psycopg://wijkteam:s%40cret@db.internal:5433/wijkteam?sslmode=require",
        "pg_dump",
        "--format=custom",
    )
    assert argv == [
        "/usr/bin/pg_dump",
        "--dbname=postgresql://wijkteam@db.internal:5433/wijkteam?sslmode=require",
        "--format=custom",
    ]
    assert not any("s@cret" in a or "s%40cret" in a for a in argv)
    assert env["PGPASSWORD"] == "s@cret"
    _argv, env = backup.pg_command("postgresql+psycopg://postgres@localhost/x", "pg_restore")
    assert env.get("PGPASSWORD") == os.environ.get("PGPASSWORD")


def test_missing_postgresql_tools_are_named(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match="pg_dump was not found.*postgresql-client"):
        backup.pg_command("postgresql+psycopg://postgres@localhost/x", "pg_dump")


# --- SQLite only ------------------------------------------------------------------------------


def sqlite_only(app) -> None:
    if dialect(app) != "sqlite":
        pytest.skip("SQLite file handling")


def sql(path: Path, statement: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(statement).fetchall()
        conn.commit()
        return rows


def other_app(tmp_path: Path):
    return create_app(TestConfig, DATABASE_URL=f"sqlite:///{tmp_path / 'other.sqlite3'}")


def test_sqlite_backup_takes_committed_data_while_a_writer_is_busy(app, world, tmp_path):
    sqlite_only(app)
    path = backup.sqlite_path(app.config["DATABASE_URL"])
    writer = sqlite3.connect(path, timeout=1)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO teams (name, area, active, created_at, updated_at, version) "
            "VALUES ('Team Half', '', 1, '2026-01-01', '2026-01-01', 1)"
        )
        result = backup.backup(app.config["DATABASE_URL"], tmp_path / "b.sqlite3")
    finally:
        writer.rollback()
        writer.close()
    with closing(sqlite3.connect(result.path)) as copy:
        names = {r[0] for r in copy.execute("SELECT name FROM teams")}
        mode = copy.execute("PRAGMA journal_mode").fetchone()[0]
    assert names == {"Team Noord", "Team Zuid"}
    assert mode == "delete"  # one self-contained file
    assert not Path(f"{result.path}-wal").exists()


def test_sqlite_restore_of_an_older_backup_asks_for_an_upgrade(app, world, tmp_path):
    sqlite_only(app)
    made = backup.backup(app.config["DATABASE_URL"], tmp_path / "old.sqlite3")
    sql(made.path, "UPDATE alembic_version SET version_num = 'daed3442f3a3'")
    other = other_app(tmp_path)
    try:
        restored = other.test_cli_runner().invoke(args=["restore", str(made.path)])
        assert restored.exit_code == 0, restored.output
        assert "run `flask db upgrade`" in restored.output
        assert sql(tmp_path / "other.sqlite3", "SELECT count(*) FROM teams") == [(2,)]
    finally:
        with other.app_context():
            get_engine().dispose()


def test_sqlite_restore_refuses_a_backup_from_a_newer_version(app, world, tmp_path):
    sqlite_only(app)
    made = backup.backup(app.config["DATABASE_URL"], tmp_path / "new.sqlite3")
    sql(made.path, "UPDATE alembic_version SET version_num = 'feedfacecafe'")
    target = tmp_path / "other.sqlite3"
    with pytest.raises(backup.BackupError, match="newer version"):
        backup.restore(f"sqlite:///{target}", made.path)
    assert not target.exists()


def test_sqlite_restore_never_replays_the_old_write_ahead_log(app, world, tmp_path):
    """A crash can leave a -wal file next to the database; it must not land on the restore."""
    sqlite_only(app)
    made = backup.backup(app.config["DATABASE_URL"], tmp_path / "b.sqlite3")
    target = tmp_path / "other.sqlite3"
    wal = Path(f"{target}-wal")
    with closing(sqlite3.connect(target)) as live:
        live.execute("PRAGMA journal_mode=WAL")
        live.execute("PRAGMA wal_autocheckpoint=0")
        live.execute("CREATE TABLE scratch (x)")
        live.execute("INSERT INTO scratch VALUES (1)")
        live.commit()
        shutil.copy(wal, tmp_path / "left-behind-wal")
    with pytest.raises(backup.BackupError, match="--force"):
        backup.restore(f"sqlite:///{target}", made.path)

    shutil.copy(tmp_path / "left-behind-wal", wal)  # as after a crash
    assert wal.stat().st_size > 0
    backup.restore(f"sqlite:///{target}", made.path, force=True)

    assert not wal.exists()
    sql(target, "PRAGMA journal_mode=WAL")  # as the app does on connecting
    tables = sql(target, "SELECT name FROM sqlite_master WHERE type='table'")
    assert ("scratch",) not in tables and ("teams",) in tables
    assert sql(target, "PRAGMA integrity_check") == [("ok",)]
    assert sql(target, "SELECT name FROM teams ORDER BY id") == [("Team Noord",), ("Team Zuid",)]


# --- PostgreSQL only --------------------------------------------------------------------------


def test_postgresql_restore_refuses_over_a_database_at_another_revision(app, world, tmp_path):
    if dialect(app) != "postgresql":
        pytest.skip("PostgreSQL restores")
    made = backup.backup(app.config["DATABASE_URL"], tmp_path / "b.pgdump")
    with app.app_context():
        head = db.execute(text("SELECT version_num FROM alembic_version")).scalar()
        db.execute(text("UPDATE alembic_version SET version_num = 'daed3442f3a3'"))
        db.commit()
    try:
        refused = run(app, "restore", "--force", str(made.path))
        assert refused.exit_code != 0
        assert "Restore into an empty database" in refused.output
    finally:
        with app.app_context():
            db.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
            db.commit()
