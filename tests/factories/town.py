"""Both teams with a whole case file each: what the fuzzing and the security walks visit.

Team Zuid's file is built first and its rows remembered, then team Noord's, whose URLs are
walked; a walk fills a URL from one team's file (its viewpoint: a user of team Noord asks for
Noord's objects, an outsider of team Zuid asks for Noord's too)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from tests.factories import app_api as api
from tests.factories.care import password_link
from tests.factories.people import World
from tests.factories.team_file import build_team_file
from tests.factories.urls import Resolved, resolve

# Tables that any request writes (the audit trail, sessions, failed logins) and the accounts.
NOT_A_TEAMS_ROWS = {
    "audit_events",
    "audit_chain_heads",
    "auth_sessions",
    "login_throttles",
    "users",
    "teams",
}


def team_rows(app: Flask) -> dict[str, set[str]]:
    """Every row (as text) of the tables that hold a team's file."""
    with app.app_context():
        return {
            table.name: {repr(tuple(row)) for row in api.db.execute(select(table))}
            for table in api.Base.metadata.sorted_tables
            if table.name not in NOT_A_TEAMS_ROWS
        }


@dataclass
class Town:
    """The people (`world`), team Noord's file and team Zuid's (ids by team file key)."""

    world: World
    noord: dict[str, Any]
    zuid: dict[str, Any]
    zuid_rows: dict[str, set[str]]

    @property
    def app(self) -> Flask:
        return self.world.app

    def resolve(
        self, rule: Rule | str, of: str = "noord", extra: dict[str, Any] | None = None
    ) -> Resolved:
        """The rule (or endpoint) filled with the objects of team `of` (see tests/factories/
        urls.py), with the page that shows its form."""
        return resolve(self.app, rule, getattr(self, of), extra)

    def url(self, rule: Rule | str, of: str = "noord") -> str:
        return self.resolve(rule, of).url

    @property
    def foreign_ids(self) -> list[int]:
        """Ids of team Zuid's objects: what a user of team Noord must never reach."""
        return sorted({v for v in self.zuid.values() if isinstance(v, int)})

    def assert_other_team_untouched(self) -> None:
        """Nothing done in team Noord changed a row of team Zuid's file."""
        now = team_rows(self.app)
        for table, rows in self.zuid_rows.items():
            changed = rows - now[table]
            assert not changed, f"team Zuid's rows in {table} changed: {sorted(changed)[:3]}"

    def copy(self, world: World) -> Town:
        """The same town for another test (own dicts, so that a test may add to them)."""
        return dataclasses.replace(self, world=world, noord=dict(self.noord), zuid=dict(self.zuid))


def build_town(world: World) -> Town:
    """Team Zuid's file (remembered row by row), then team Noord's, through the services."""
    app = world.app
    zuid = build_team_file(app, world.pro_zuid, world.lead_zuid, "Zuidhuis")
    zuid["user_id"] = world.pro_zuid
    rows = team_rows(app)
    noord = build_team_file(app, world.pro_noord, world.lead_noord, "Bakker")
    noord["user_id"] = world.pro2_noord
    with app.test_request_context():
        noord["token"] = password_link(world.pro2_noord)
        api.db.commit()
    return Town(world=world, noord=noord, zuid=zuid, zuid_rows=rows)
