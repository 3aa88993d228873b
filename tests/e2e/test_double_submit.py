"""Two clicks on "save" on a slow connection save once (issue 17): the button is disabled while
the form is on its way, and the server would refuse a second POST of the same form anyway."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.e2e.test_journeys import login
from tests.plans.conftest import PlanUI
from wijkteam.core.db import db
from wijkteam.notes.models import Note, NoteStatus
from wijkteam.plans.models import Goal

LATENCY_MS = 1500  # a VPN or a mobile connection


def _double_click_slowly(page, selector: str, url_part: str) -> list:
    """Click the button twice, 0.4 s apart, while the POST is held back; then let it go.
    Returns the POSTs the browser sent."""
    held: list = []

    def hold(route) -> None:
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(f"**{url_part}", hold)
    button = page.locator(selector)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(400)
    page.mouse.click(x, y)
    page.wait_for_timeout(LATENCY_MS - 400)
    for route in held:
        try:
            route.continue_()
        except Exception:  # noqa: BLE001, S110 - a POST the browser gave up on itself
            pass
    return held


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_double_click_on_save_makes_one_goal(page, live_server, world, client, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    PlanUI(client, case_id).start()
    login(page, live_server, "pro.noord@test.example")
    page.goto(f"{live_server}/cases/{case_id}/plan/goals/new")
    page.fill("#text", "Wij willen 's ochtends zonder ruzie de deur uit.")
    sent = _double_click_slowly(page, "button[type=submit].primary", "/plan/goals/new")
    page.wait_for_url(re.compile(rf"/cases/{case_id}/plan/goals/\d+$"))
    assert len(sent) == 1
    assert _count(app, Goal) == 1


def test_double_click_on_finish_makes_one_finished_note(page, live_server, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    login(page, live_server, "pro.noord@test.example")
    page.goto(f"{live_server}/cases/{case_id}/notes/new")
    page.fill("#question", "Lisa wil dat de ochtenden rustiger gaan.")
    sent = _double_click_slowly(page, "[name=finalise]", "/notes/new")
    page.wait_for_url(re.compile(rf"/cases/{case_id}/notes/\d+$"))
    assert len(sent) == 1
    assert _count(app, Note, Note.status == NoteStatus.FINAL) == 1
    assert _count(app, Note) == 1
