"""Helpers for network tests."""

from __future__ import annotations

import pytest

from tests.conftest import form_version


class NetworkUI:
    def __init__(self, client, case_id: int) -> None:
        self.client = client
        self.case_id = case_id
        self.base = f"/cases/{case_id}/network"

    def add(self, name: str = "Oma Ria", **values: str):
        data = {
            "name": name,
            "kind": "family",
            "closeness": "close",
            "quality": "supportive",
            "relation": "moeder van Lisa",
            "supports_practical": "y",
        }
        data.update(values)
        return self.client.submit(f"{self.base}/new", data, page=f"{self.base}/new")

    def member_id(self, resp) -> int:
        assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
        return int(resp.headers["Location"].rsplit("/", 1)[1])

    def version_of(self, page: str) -> str:
        return form_version(self.client.get(page).get_data(as_text=True))


@pytest.fixture
def net(client, plan_case):
    client.login("pro.noord@test.example")
    return NetworkUI(client, plan_case)
