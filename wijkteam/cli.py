"""flask commands: db (migrations), seed, create-user, backup, restore, purge-closed-cases,
audit-verify."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask, current_app

from wijkteam import migrate

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "demo.yaml"


def init_app(app: Flask) -> None:
    _init_ops(app)
    _init_audit(app)

    @app.cli.group("db")
    def db_group() -> None:
        """Database schema (Alembic migrations)."""

    @db_group.command("upgrade")
    @click.argument("revision", default="head")
    def upgrade(revision: str) -> None:
        """Bring the schema up to REVISION (default: head)."""
        migrate.upgrade(current_app.config["DATABASE_URL"], revision)

    @db_group.command("downgrade")
    @click.argument("revision")
    def downgrade(revision: str) -> None:
        """Take the schema back to REVISION (e.g. -1 or base)."""
        migrate.downgrade(current_app.config["DATABASE_URL"], revision)

    @db_group.command("revision")
    @click.option("-m", "--message", required=True)
    def revision(message: str) -> None:
        """Write a new migration from the difference between models and database."""
        migrate.revision(current_app.config["DATABASE_URL"], message)

    @app.cli.command("seed")
    @click.option("--file", "path", type=click.Path(exists=True, path_type=Path), default=SEED_FILE)
    @click.option(
        "--history/--no-history",
        default=True,
        help="Also the closed families of the last quarters, for the outcome overview.",
    )
    def seed(path: Path, history: bool) -> None:
        """Load fictional demo data (safe to run twice)."""
        from wijkteam.seed import SeedRefused, load_seed

        try:
            summary = load_seed(path, history=history)
        except SeedRefused as error:
            raise click.ClickException(str(error)) from None
        click.echo(summary.report())

    @app.cli.command("analyze")
    def analyze() -> None:
        """Bring the query planner's statistics up to date (SQLite; the job worker does this
        every night)."""
        from wijkteam.core.db import get_engine, update_statistics

        click.echo(update_statistics(get_engine()))

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option(
        "--role",
        type=click.Choice(["professional", "teamlead", "admin", "analyst"]),
        default="admin",
    )
    @click.option(
        "--team", "team_name", default=None, help="Team name (none for admins and analysts)."
    )
    @click.password_option()
    def create_user(email: str, name: str, role: str, team_name: str | None, password: str) -> None:
        """Create an account, e.g. the first admin of a new installation. The password must
        pass the same check as any other (no common or breached passwords)."""
        from sqlalchemy import select

        from wijkteam.auth.models import Role, Team
        from wijkteam.auth.services import create_user as create
        from wijkteam.core.db import db
        from wijkteam.core.errors import FieldError

        team_id = None
        if team_name:
            team_id = db.scalar(select(Team.id).where(Team.name == team_name))
            if team_id is None:
                raise click.ClickException(f"No team called {team_name!r}.")
        try:
            create(
                None,
                email=email,
                display_name=name,
                password=password,
                role=Role(role),
                team_id=team_id,
            )
        except FieldError as error:
            raise click.ClickException(str(error.message)) from None
        db.commit()
        click.echo(f"Created {role} {email}.")


def _init_ops(app: Flask) -> None:
    """Backups, restores and the retention purge (wijkteam/ops, docs/backup-and-retention.md)."""

    @app.cli.command("backup")
    @click.argument("dest", required=False, type=click.Path())
    @click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
    def backup_command(dest: str | None, force: bool) -> None:
        """Back up the whole database to DEST: a file, or a folder (an existing one, or a name
        ending in /) for a dated file; default instance/backups/.

        Safe while the app runs. SQLite: a copy through SQLite's backup API. PostgreSQL:
        pg_dump --format=custom."""
        from wijkteam.ops import backup

        url = current_app.config["DATABASE_URL"]
        if dest is None:
            dest = str(Path(current_app.instance_path) / "backups") + "/"
        path = Path(dest)
        try:
            if dest.endswith(("/", os.sep)) or path.is_dir():
                path = backup.default_backup_path(url, path)
            result = backup.backup(url, path, force=force)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from None
        click.echo(
            f"Backup written to {result.path} ({result.size} bytes, revision {result.revision})."
        )

    @app.cli.command("restore")
    @click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Replace a database that holds data.")
    def restore_command(source: Path, force: bool) -> None:
        """Replace the database by the backup in SOURCE. Stop the app (all workers) first."""
        from wijkteam.core.db import get_engine
        from wijkteam.ops import backup

        url = current_app.config["DATABASE_URL"]
        get_engine().dispose()  # no pooled connection of ours may hold the old database
        try:
            result = backup.restore(url, source, force=force)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from None
        finally:
            get_engine().dispose()
        click.echo(f"Restored {source} (schema revision {result.revision}).")
        if result.needs_upgrade:
            click.echo(
                "The backup is from an older version of wijkteam: run `flask db upgrade` "
                "before starting the app."
            )
        click.echo(
            "Check the restored audit log with `flask audit-verify` (and compare its head with "
            "the one you noted down, if you keep one)."
        )

    @app.cli.command("purge-closed-cases")
    @click.option("--apply", "apply_", is_flag=True, help="Remove them (default: only show).")
    def purge_closed_cases(apply_: bool) -> None:
        """Remove closed case files 20 years after their last change (dry run by default)."""
        from wijkteam.core.db import db
        from wijkteam.ops import retention

        plan = retention.plan_purge()
        for line in retention.report(plan):
            click.echo(line)
        if not apply_:
            db.rollback()
            if plan.units:
                click.echo("Dry run: nothing was removed. Run again with --apply to remove.")
            return
        outcome = retention.apply_purge(plan)
        click.echo(
            f"Removed {len(outcome.purged)} case(s) and {len(outcome.families)} family(ies); "
            "each removal is in the audit log."
        )
        if outcome.failed:
            for family_id, error in outcome.failed:
                click.echo(f"Family {family_id}: not removed, rolled back: {error}", err=True)
            raise click.ClickException("Some cases could not be removed; see above.")


def _init_audit(app: Flask) -> None:
    """Checking the audit log's hash chain (wijkteam/audit/chain.py, docs/security.md)."""

    @app.cli.command("audit-verify")
    @click.option(
        "--anchor",
        "anchors",
        multiple=True,
        metavar="SEQ:HASH",
        help="A chain head printed by an earlier run: that row must still be in the chain.",
    )
    def audit_verify(anchors: tuple[str, ...]) -> None:
        """Check that no audit row was changed, deleted or added outside the app. Exits with
        status 1 and names the first broken link when the chain is broken."""
        from wijkteam.audit import chain
        from wijkteam.core.db import get_engine

        try:
            wanted = chain.anchors_from(anchors)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--anchor") from None
        verdict = chain.verify(get_engine(), wanted)
        if not verdict.ok:
            raise click.ClickException(
                f"The audit log is NOT intact ({verdict.rows} rows read). {verdict.problems[0]}"
            )
        if verdict.head_seq is None:
            click.echo("The audit log is empty: nothing to check.")
            return
        click.echo(
            f"The audit log is intact: {verdict.rows} rows, chain head "
            f"{verdict.head_seq}:{verdict.head_hash}"
        )
        click.echo("Note the chain head down elsewhere to check against it later (--anchor).")
