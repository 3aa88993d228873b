"""`load_seed`: teams, accounts, catalogues, families and case discussions, in that order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from sqlalchemy import select

from wijkteam.auth.models import TEAM_CONTACT_FIELDS, Role, Team, User
from wijkteam.auth.services import create_team, create_user
from wijkteam.auth.services.profiles import update_profile, update_team_settings
from wijkteam.core.db import db, get_engine, update_statistics
from wijkteam.seed.discussions import load_discussions
from wijkteam.seed.families import load_family
from wijkteam.seed.history import load_history
from wijkteam.seed.network import load_key_figures
from wijkteam.seed.resources import load_catalogue
from wijkteam.seed.summary import SeedSummary


class SeedRefused(RuntimeError):
    """Demo data (with its published password) never goes into a production database."""


def load_seed(path: Path, *, history: bool = False) -> SeedSummary:
    """Create what is missing; what exists (same team name, e-mail, family member) is kept.
    With `history` (`flask seed` does this), also the closed families of the last quarters
    that the outcome overview counts (history.py; `history: per_team` in the YAML).
    Refused in production: the demo accounts' password is in the README."""
    if current_app.config["ENV_NAME"] == "production":
        raise SeedRefused(
            "Demo data is for development only: flask seed is refused with "
            "WIJKTEAM_ENV=production (the demo accounts' password is public)."
        )
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    summary = SeedSummary(password=spec["password"])
    teams = _load_teams(spec["teams"], summary)
    users = _load_users(spec["users"], spec["password"], teams, summary)
    _load_team_settings(spec["teams"], spec["users"], teams, users)
    catalogues = {
        name: load_catalogue(_team_lead(teams[name], users), entries, summary)
        for name, entries in spec.get("resources", {}).items()
    }
    key_figures = {
        name: load_key_figures(_team_lead(teams[name], users), entries, catalogues.get(name, {}))
        for name, entries in spec.get("key_figures", {}).items()
    }
    for f in spec["families"]:
        team = teams[f["team"]]
        family = load_family(
            team, users, catalogues.get(f["team"], {}), f, key_figures.get(f["team"], {})
        )
        if family is None:
            summary.skipped["families"] += 1
        else:
            summary.created["families"] += 1
    if history:
        for team in teams.values():
            made, there = load_history(
                team,
                users,
                catalogues.get(team.name, {}),
                spec.get("history", {}).get("per_team", 0),
            )
            summary.created["families"] += made
            summary.skipped["families"] += there
    for spec_team in spec.get("case_discussions", []):
        team = teams[spec_team["team"]]
        made = load_discussions(_team_lead(team, users), team, users, spec_team)
        summary.created["case discussions"] += made
        summary.skipped["case discussions"] += len(spec_team.get("meetings", [])) - made
    db.commit()
    update_statistics(get_engine())  # the planner's statistics of the new rows (SQLite)
    return summary


def _load_teams(specs: list[dict[str, Any]], summary: SeedSummary) -> dict[str, Team]:
    """The teams by name, with their contact details for the family's paper."""
    teams: dict[str, Team] = {}
    for t in specs:
        team = db.scalar(select(Team).where(Team.name == t["name"]))
        if team is None:
            contact = {name: t.get(name, "") for name in TEAM_CONTACT_FIELDS}
            team = create_team(None, name=t["name"], area=t.get("area", ""), **contact)
            summary.created["teams"] += 1
        else:
            summary.skipped["teams"] += 1
        teams[t["name"]] = team
    return teams


def _load_users(
    specs: list[dict[str, Any]], password: str, teams: dict[str, Team], summary: SeedSummary
) -> dict[str, User]:
    """The accounts by e-mail, all with the demo password; each one is listed as a login."""
    users: dict[str, User] = {}
    for u in specs:
        user = db.scalar(select(User).where(User.email == u["email"]))
        team_name = u.get("team")
        if user is None:
            user = create_user(
                None,
                email=u["email"],
                display_name=u["name"],
                password=password,
                role=Role(u["role"]),
                team_id=teams[team_name].id if team_name else None,
                second_reviewer=bool(u.get("second_reviewer", False)),
                phone=u.get("phone", ""),
                reachable=u.get("reachable", ""),
            )
            if any(u.get(k) for k in ("languages", "background", "expertise")):
                # The professional's own choice in the real tool: the demo fills it in.
                update_profile(
                    user,
                    expected_version=user.version,
                    languages=list(u.get("languages", [])),
                    background=u.get("background", ""),
                    expertise=u.get("expertise", ""),
                )
            summary.created["users"] += 1
        else:
            summary.skipped["users"] += 1
        users[u["email"]] = user
        summary.logins.append((u["email"], u["role"], team_name or "-"))
    return users


def _load_team_settings(
    team_specs: list[dict[str, Any]],
    user_specs: list[dict[str, Any]],
    teams: dict[str, Team],
    users: dict[str, User],
) -> None:
    """Each team's caseload norm and its members' part of a full-time job, set by the team lead
    (issue 18); a team that has a norm already is kept as it is."""
    for t in team_specs:
        team = teams[t["name"]]
        if t.get("caseload_norm") is None or team.caseload_norm is not None:
            continue
        percent = {
            users[u["email"]].id: u["work_percent"]
            for u in user_specs
            if u.get("team") == t["name"] and "work_percent" in u
        }
        update_team_settings(
            _team_lead(team, users),
            team,
            expected_version=team.version,
            caseload_norm=t["caseload_norm"],
            work_percent=percent,
        )


def _team_lead(team: Team, users: dict[str, User]) -> User:
    """The team lead keeps the team's catalogue and plans its case discussions in the demo."""
    return next(u for u in users.values() if u.team_id == team.id and u.role == Role.TEAMLEAD)
