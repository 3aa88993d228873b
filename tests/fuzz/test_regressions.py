"""Bugs the fuzzing found, each as a plain test with the input that broke it."""

from __future__ import annotations

import pytest

from tests.fuzz.conftest import LEAD


@pytest.fixture
def noord(files):
    return files.noord


def test_agenda_change_with_a_version_that_is_no_number(client, noord):
    """version=1.5 on an agenda form: the error messages are lazy strings and joining them
    for the flash message was a TypeError (500)."""
    client.login(LEAD)
    page = f"/discussions/{noord['discussion_id']}"
    for url, extra in (
        (f"{page}/agenda", {"item_ids": str(noord["item_waiting"])}),
        (f"{page}/items/{noord['item_id']}/move", {"direction": "down"}),
    ):
        resp = client.submit(url, {"version": "1.5", **extra}, page=page)
        assert resp.status_code == 302, url
        html = client.get(resp.headers["Location"]).get_data(as_text=True)
        assert "Dit formulier is buiten de app aangepast." in html, url
