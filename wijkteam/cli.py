"""flask commands: db (migrations), seed, create-user."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from wijkteam import migrate

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "demo.yaml"


def init_app(app: Flask) -> None:
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
    def seed(path: Path) -> None:
        """Load fictional demo data (safe to run twice)."""
        from wijkteam.seed import load_seed

        summary = load_seed(path)
        click.echo(summary.report())

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option(
        "--role", type=click.Choice(["professional", "teamlead", "admin"]), default="admin"
    )
    @click.option("--team", "team_name", default=None, help="Team name (not needed for admins).")
    @click.password_option()
    def create_user(email: str, name: str, role: str, team_name: str | None, password: str) -> None:
        """Create an account, e.g. the first admin of a new installation."""
        from sqlalchemy import select

        from wijkteam.auth.models import Role, Team
        from wijkteam.auth.services import create_user as create
        from wijkteam.db import db
        from wijkteam.errors import FieldError

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
