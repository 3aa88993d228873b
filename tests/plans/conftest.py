"""Helpers for plan tests: a case with a started plan, posted through the UI."""

from __future__ import annotations

import pytest

from tests.conftest import form_version


class PlanUI:
    """Drive the plan pages as the logged-in professional."""

    def __init__(self, client, case_id: int) -> None:
        self.client = client
        self.case_id = case_id
        self.base = f"/cases/{case_id}/plan"

    def start(self, **values: str):
        data = {
            "started_on": "2026-02-01",
            "evaluation_on": "2026-12-01",
            "level": "3",
            "level_reason": "Ouders denken mee, wij beslissen nog.",
            "regie": "shared",
            "regie_reason": "Samen met moeder.",
        }
        data.update(values)
        return self.client.submit(f"{self.base}/start", data, page=self.base)

    def add_goal(self, text: str = "Wij willen 's ochtends zonder ruzie de deur uit.", **values):
        data = {
            "text": text,
            "why_it_matters": "Dan begint de dag goed.",
            "first_step": "Kleren de avond ervoor klaarleggen.",
        }
        data.update(values)
        page = f"{self.base}/goals/new"
        return self.client.submit(page, data, page=page)

    def goal_id(self, resp) -> int:
        assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
        return int(resp.headers["Location"].rsplit("/", 1)[1])

    def add_score(self, goal_id: int, **values: str):
        page = f"{self.base}/goals/{goal_id}/scores/new"
        return self.client.submit(page, values, page=page)

    def agree(self, **values: str):
        """The family agrees to the plan (in person, read together, the first member)."""
        page = f"{self.base}/finalise"
        data = {
            "agreed_on": "2026-03-01",
            "agreed_how": "in_person",
            "explained_how": "together",
            "member_ids": "1",
            "version": self.version_of(page),
            **values,
        }
        return self.client.submit(page, data, page=page)

    def version_of(self, page: str) -> str:
        return form_version(self.client.get(page).get_data(as_text=True))


@pytest.fixture
def ui(client, plan_case):
    client.login("pro.noord@test.example")
    return PlanUI(client, plan_case)
