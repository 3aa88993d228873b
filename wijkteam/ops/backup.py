"""Back up and restore the whole database.

SQLite: SQLite's online backup API copies a consistent snapshot while the app keeps running (a
plain file copy of a live database in WAL mode can miss committed pages or catch half a write).
The backup is a single self-contained SQLite file.

PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore --clean --if-exists --no-owner`
in one transaction. The binaries are found on PATH; the password goes to them through the
PGPASSWORD environment variable, never on the command line (where `ps` would show it).

Both kinds of backup carry the Alembic revision of the schema they were made at (the
alembic_version table). A restore checks it against the migrations of the code that restores.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, make_url

from wijkteam import migrate

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
PG_TIMEOUT_SECONDS = 6 * 60 * 60


class BackupError(Exception):
    """Something the operator has to fix; the message says what."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    revision: str
    size: int


@dataclass(frozen=True)
class RestoreResult:
    revision: str
    # True when the backup is older than this code: `flask db upgrade` must run before use.
    needs_upgrade: bool


def dialect_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups are made for SQLite and PostgreSQL only, not {name}.")
    return name


def default_backup_path(url: str, directory: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    suffix = ".sqlite3" if dialect_of(url) == "sqlite" else ".pgdump"
    return directory / f"wijkteam-{stamp}{suffix}"


def backup(url: str, dest: Path, *, force: bool = False) -> BackupResult:
    """Write a backup of the database at `url` to `dest` (refuses to overwrite without force)."""
    dest = Path(dest)
    if dest.exists() and not force:
        raise BackupError(f"{dest} exists already; choose another name or use --force.")
    dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if dialect_of(url) == "sqlite":
        revision = _sqlite_backup(sqlite_path(url), dest)
    else:
        revision = _pg_backup(url, dest)
    return BackupResult(path=dest, revision=revision, size=dest.stat().st_size)


def restore(url: str, source: Path, *, force: bool = False) -> RestoreResult:
    """Replace the database at `url` by the backup in `source`.

    Refuses when the database holds tables and `force` is not given, when the backup does not
    match the database kind, and when the backup was made by a newer version of the code.
    Stop the app (all workers) first: a restore replaces everything under it."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    dialect = dialect_of(url)
    kind = backup_kind(source)
    if kind != dialect:
        raise BackupError(
            f"{source} is a {kind or 'unknown kind of'} backup; the database is {dialect}."
        )
    revision = backup_revision(source)
    needs_upgrade = check_revision(url, revision)
    if dialect == "sqlite":
        _sqlite_restore(source, sqlite_path(url), force=force)
    else:
        _pg_restore(url, source, revision, force=force)
    return RestoreResult(revision=revision, needs_upgrade=needs_upgrade)


def backup_kind(path: Path) -> str | None:
    with open(path, "rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


def backup_revision(path: Path) -> str:
    """The Alembic revision stored in a backup file."""
    kind = backup_kind(path)
    if kind == "sqlite":
        with _sqlite_connect(path) as conn:
            try:
                rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            except sqlite3.DatabaseError:
                rows = []
    elif kind == "postgresql":
        rows = _pg_dump_revision(path)
    else:
        raise BackupError(f"{path} is not a wijkteam backup (neither SQLite nor pg_dump).")
    if len(rows) != 1:
        raise BackupError(f"{path} has no Alembic revision; it is not a wijkteam backup.")
    return str(rows[0][0])


def check_revision(url: str, revision: str) -> bool:
    """Whether the code knows `revision`; True when it is older than the code's head."""
    script = ScriptDirectory.from_config(migrate.alembic_config(url))
    heads = set(script.get_heads())
    if revision in heads:
        return False
    known = {rev.revision for rev in script.walk_revisions()}
    if revision in known:
        return True
    raise BackupError(
        f"The backup is at schema revision {revision}, which this version of wijkteam does not "
        f"know (it goes up to {', '.join(sorted(heads))}). It was made by a newer version: "
        "restore it with that version."
    )


# --- SQLite ----------------------------------------------------------------------------------


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"Cannot back up or restore the SQLite database {database!r}.")
    return Path(database)


@contextlib.contextmanager
def _sqlite_connect(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path, timeout=30)
    try:
        yield conn
    finally:
        conn.close()


def _sqlite_check(conn: sqlite3.Connection, what: Path) -> None:
    result = conn.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        raise BackupError(f"{what} failed SQLite's integrity check: {result[:5]}")


def _sqlite_copy(source: Path, dest_dir: Path) -> Path:
    """Copy `source` (live or not) into a new temporary file in `dest_dir`; returns its path."""
    fd, tmp_name = tempfile.mkstemp(prefix=".wijkteam-", suffix=".tmp", dir=dest_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with _sqlite_connect(source) as src, _sqlite_connect(tmp) as dst:
            src.backup(dst)  # one step: a consistent snapshot, writers may go on meanwhile
            # One self-contained file: no -wal/-shm next to the backup.
            dst.execute("PRAGMA journal_mode=DELETE")
            _sqlite_check(dst, source)
        _fsync(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _sqlite_backup(source: Path, dest: Path) -> str:
    if not source.is_file():
        raise BackupError(f"The database file {source} does not exist.")
    tmp = _sqlite_copy(source, dest.parent)
    try:
        revision = backup_revision(tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync(dest.parent)
    return revision


def _sqlite_has_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with _sqlite_connect(path) as conn:
        return (
            conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0
        )


def _sqlite_restore(source: Path, target: Path, *, force: bool) -> None:
    if not force and _sqlite_has_tables(target):
        raise BackupError(
            f"{target} holds a database already; restoring replaces all of it. "
            "Use --force to go ahead."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _sqlite_copy(source, target.parent)
    try:
        if target.exists():
            # Fold the target's write-ahead log into its file and empty it, so that no stale
            # log is replayed onto the restored file.
            with _sqlite_connect(target) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    _fsync(target.parent)


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir() else os.O_RDONLY
    try:
        fd = os.open(path, flags)
    except OSError:  # e.g. directories on Windows
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- PostgreSQL ------------------------------------------------------------------------------


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it.

    `postgresql+psycopg://user:secret@host/db?sslmode=require` becomes
    `postgresql://user@host/db?sslmode=require` with PGPASSWORD=secret."""
    parsed = make_url(url)
    env: dict[str, str] = {}
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    plain = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return plain.render_as_string(hide_password=False), env


def pg_binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools of the server's "
            "major version (Debian: apt-get install postgresql-client)."
        )
    return path


def pg_command(url: str, tool: str, *args: str) -> tuple[list[str], dict[str, str]]:
    """The argv and environment to run a PostgreSQL client tool against `url`."""
    target, secret = libpq_target(url)
    env = {**os.environ, **secret}
    return [pg_binary(tool), f"--dbname={target}", *args], env


def _run(argv: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 - fixed binaries, no shell
        argv,
        env=env,
        capture_output=True,
        text=True,
        timeout=PG_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}):\n{result.stderr.strip()}")
    return result


def _pg_backup(url: str, dest: Path) -> str:
    fd, tmp_name = tempfile.mkstemp(prefix=".wijkteam-", suffix=".tmp", dir=dest.parent)
    os.close(fd)  # pg_dump truncates the file and keeps its 0600 mode
    tmp = Path(tmp_name)
    try:
        argv, env = pg_command(url, "pg_dump", "--format=custom", "--no-password", f"--file={tmp}")
        _run(argv, env, "pg_dump")
        _fsync(tmp)
        revision = backup_revision(tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync(dest.parent)
    return revision


COPY_RE = re.compile(r"^COPY [\w.\"]*alembic_version \(version_num\) FROM stdin;$")


def _pg_dump_revision(path: Path) -> list[tuple[str]]:
    """Read the alembic_version rows out of a custom-format dump (no database needed)."""
    argv = [
        pg_binary("pg_restore"),
        "--data-only",
        "--table=alembic_version",
        "--file=-",
        str(path),
    ]
    result = _run(argv, dict(os.environ), "pg_restore (reading the backup)")
    rows: list[tuple[str]] = []
    lines = iter(result.stdout.splitlines())
    for line in lines:
        if COPY_RE.match(line):
            for row in lines:
                if row == "\\.":
                    break
                rows.append((row,))
            break
    return rows


def _pg_state(url: str) -> tuple[bool, str | None]:
    """Whether the database holds tables, and its Alembic revision (if any)."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            revision = None
            if "alembic_version" in tables:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return bool(tables), revision
    finally:
        engine.dispose()


def _pg_restore(url: str, source: Path, revision: str, *, force: bool) -> None:
    has_tables, current = _pg_state(url)
    if has_tables and not force:
        raise BackupError(
            "The database holds tables already; restoring replaces all of them. "
            "Use --force to go ahead."
        )
    if has_tables and current != revision:
        # --clean drops only what is in the backup: tables of a later schema would stay behind
        # and a later `flask db upgrade` would trip over them.
        raise BackupError(
            f"The database is at schema revision {current}, the backup at {revision}. Restore "
            "into an empty database (createdb) instead, then point WIJKTEAM_DATABASE_URL at it."
        )
    argv, env = pg_command(
        url,
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        str(source),
    )
    _run(argv, env, "pg_restore")
