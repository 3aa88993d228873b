"""Teams and people: the two teams with their accounts that nearly every test starts from."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from tests.factories import app_api as api
from tests.factories.cases import register

PASSWORD = "correct-horse-battery"

# (attribute, e-mail, role, team attribute or None)
ACCOUNTS = (
    ("lead_noord", "lead.noord@test.example", "teamlead", "noord"),
    ("pro_noord", "pro.noord@test.example", "professional", "noord"),
    ("pro2_noord", "pro2.noord@test.example", "professional", "noord"),
    ("lead_zuid", "lead.zuid@test.example", "teamlead", "zuid"),
    ("pro_zuid", "pro.zuid@test.example", "professional", "zuid"),
    ("admin", "admin@test.example", "admin", None),
    ("admin_noord", "admin.noord@test.example", "admin", "noord"),
)


def make_team(name: str) -> Any:
    """A team (inside a request context; the caller commits)."""
    return api.create_team(None, name=name)


def make_user(
    email: str, role: str, team_id: int | None, *, password: str = PASSWORD, name: str = ""
) -> Any:
    """An active account with a password (inside a request context; the caller commits)."""
    return api.create_user(
        None,
        email=email,
        display_name=name or email.split("@")[0].replace(".", " ").title(),
        password=password,
        role=api.Role(role),
        team_id=team_id,
    )


class World:
    """Team Noord and Team Zuid with their people, built through the services; ids kept.

    ``World(app)`` builds them; ``World(app, ids)`` names rows that are already there (the
    suite builds them once and puts the rows back for every test, see tests/conftest.py)."""

    noord: int
    zuid: int
    lead_noord: int
    pro_noord: int
    pro2_noord: int
    lead_zuid: int
    pro_zuid: int
    admin: int
    admin_noord: int

    def __init__(self, app: Flask, ids: dict[str, int] | None = None) -> None:
        self.app = app
        if ids is None:
            ids = self._build()
        self.ids = dict(ids)
        for name, value in ids.items():
            setattr(self, name, value)

    def _build(self) -> dict[str, int]:
        with self.app.test_request_context():
            ids = {
                "noord": make_team("Team Noord").id,
                "zuid": make_team("Team Zuid").id,
            }
            for attribute, email, role, team in ACCOUNTS:
                ids[attribute] = make_user(email, role, ids[team] if team else None).id
            api.db.commit()
        return ids

    def email(self, user_id: int) -> str:
        with self.app.app_context():
            return api.db.get(api.User, user_id).email

    def case(
        self,
        lead_id: int,
        name: str = "Testgezin",
        duo_id: int | None = None,
        members: list[dict[str, Any]] | None = None,
    ) -> int:
        """Register a family with a case as `lead_id` and return the case id."""
        with self.app.test_request_context():
            case = register(api.db.get(api.User, lead_id), name, members=members, duo_id=duo_id)
            api.db.commit()
            return case.id

    def handover(
        self, case_id: int, *, hours_ago: int, reason: str, from_duo_id: int | None = None
    ) -> None:
        """A hand-over of a case of Team Noord, recorded by its team lead `hours_ago`: the case
        lead stays pro_noord; `from_duo_id`, the duo colleague it had before (none after)."""
        with self.app.app_context():
            api.db.add(
                api.CaseHandover(
                    case_id=case_id,
                    team_id=self.noord,
                    at=api.utc_now() - timedelta(hours=hours_ago),
                    changed_by_id=self.lead_noord,
                    from_lead_id=self.pro_noord,
                    to_lead_id=self.pro_noord,
                    from_duo_id=from_duo_id,
                    reason=reason,
                )
            )
            api.db.commit()

    def get(self, model: type[Any], obj_id: int) -> Any:
        with self.app.app_context():
            obj = api.db.get(model, obj_id)
            api.db.expunge_all()
            return obj

    def team(self, team_id: int) -> Any:
        return self.get(api.Team, team_id)

    def case_obj(self, case_id: int) -> Any:
        return self.get(api.Case, case_id)
