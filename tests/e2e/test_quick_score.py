"""The family's score in two clicks on the plan page (issue 17, part 1), in the browser: click a
number, click save, the score shows; with the keyboard alone (Tab into the group, arrows between
the numbers, a visible ring on the number); on a phone without sideways scrolling."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.e2e.conftest import markup_only
from tests.e2e.test_journeys import login
from tests.e2e.test_keyboard import tab_to
from tests.plans.conftest import PlanUI
from wijkteam.core.db import db
from wijkteam.plans.models import ScaleScore

PRO = "pro.noord@test.example"
GOAL = "Wij willen 's ochtends zonder ruzie de deur uit."


@pytest.fixture
def plan_page(client, plan_case) -> tuple[str, int]:
    """The plan of a case with one goal; (the plan page's path, the goal's id)."""
    client.login(PRO)
    plan = PlanUI(client, plan_case)
    plan.start()
    goal_id = plan.goal_id(plan.add_goal(GOAL))
    return plan.base, goal_id


def family_scores(app) -> list[int | None]:
    with app.app_context():
        return [s.family_score for s in db.scalars(select(ScaleScore))]


def test_click_a_number_and_save(page, live_server, app, plan_page):
    base, goal_id = plan_page
    login(page, live_server, PRO)
    page.goto(live_server + base)
    group = page.get_by_role("group", name=re.compile("Score van het gezin vandaag voor: Wij"))
    group.get_by_text("7", exact=True).click()  # click 1: the number
    assert page.is_checked(f"#score-{goal_id}-7")
    group.get_by_role("button", name="Opslaan").click()  # click 2: save
    page.wait_for_url(re.compile(rf".*{base}#goal-{goal_id}$"))
    assert "De score is opgeslagen." in page.inner_text("main")
    assert "gezin 7" in page.inner_text(f"#goal-{goal_id}")
    assert family_scores(app) == [7]


def test_a_double_click_on_save_saves_once(page, live_server, app, plan_page):
    base, goal_id = plan_page
    login(page, live_server, PRO)
    page.goto(live_server + base)
    page.click(f"label[for=score-{goal_id}-5]")
    page.dblclick(f"#goal-{goal_id} .quick-score button[type=submit]")
    page.wait_for_url(re.compile(rf".*{base}#goal-{goal_id}$"))
    page.wait_for_load_state()
    assert family_scores(app) == [5]


@markup_only
def test_the_numbers_are_reached_with_the_keyboard(page, live_server, app, plan_page):
    base, goal_id = plan_page
    login(page, live_server, PRO)
    page.goto(live_server + base)
    info = tab_to(page, f"#score-{goal_id}-0")  # Tab reaches the group at its first number
    assert info["tag"] == "input"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.id") == f"score-{goal_id}-3"
    assert page.is_checked(f"#score-{goal_id}-3")
    # The number with focus shows a ring, not only the (unseen) radio button.
    ring = page.eval_on_selector(
        f"label[for=score-{goal_id}-3]",
        "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }",
    )
    assert ring[0] == "solid" and float(ring[1].rstrip("px")) >= 2, ring
    # One more Tab leaves the group for the save button; Enter saves.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Opslaan"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*{base}#goal-{goal_id}$"))
    assert family_scores(app) == [3]


@markup_only
def test_the_score_row_fits_a_phone(browser, live_server, plan_page):
    base, goal_id = plan_page
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        login(page, live_server, PRO)
        page.goto(live_server + base)
        sizes = page.evaluate(
            """() => ({
                scroll: document.documentElement.scrollWidth,
                client: document.documentElement.clientWidth,
                row: document.querySelector('.score-row').getBoundingClientRect().right,
                ten: document.querySelector('label[for$="-10"]').getBoundingClientRect().width,
            })"""
        )
        assert sizes["scroll"] <= sizes["client"], sizes
        assert sizes["row"] <= sizes["client"], sizes
        assert sizes["ten"] >= 24, sizes  # a number is still big enough to tap
        page.tap(f"label[for=score-{goal_id}-9]")
        assert page.is_checked(f"#score-{goal_id}-9")
    finally:
        context.close()
