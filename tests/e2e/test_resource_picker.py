"""The search next to a resource choice in the browser (issue 21; wijkteam/static/picker.js):
typing narrows the choices without posting the form, Enter in the search does not save it
(Enter in another field does),
the chosen resource stays when the search changes, and the form saves the one found. Without
the script Enter searches while new words wait in the search, and saves once they are
searched. The page with the search has no serious accessibility violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.conftest import assert_accessible, markup_only
from tests.e2e.test_journeys import login
from tests.plans.conftest import PlanUI
from tests.resources.test_picker import catalogue  # noqa: F401 - the fixture
from wijkteam.core.db import db
from wijkteam.plans.models import Action

PRO = "pro.noord@test.example"


@pytest.fixture
def action_page(client, plan_case, catalogue) -> str:  # noqa: F811 - the fixture
    client.login(PRO)
    plan = PlanUI(client, plan_case)
    plan.start()
    goal_id = plan.goal_id(plan.add_goal())
    return f"{plan.base}/goals/{goal_id}/actions/new"


def choices(page) -> list[str]:
    return page.eval_on_selector_all(
        "#resource_id option", "os => os.map(o => o.textContent).filter(t => t !== '—')"
    )


def test_typing_narrows_the_choices_and_the_form_saves_the_one_found(
    page,
    live_server,
    app,
    action_page,
    catalogue,  # noqa: F811 - the fixture
):
    login(page, live_server, PRO)
    page.goto(live_server + action_page)
    assert choices(page) == ["Anker", "Buurtgezinnen", "Cafe 100% Taal"]
    assert "meer voorzieningen" in page.inner_text("#resource_id-found")
    # the form's hidden first button (Enter saves) takes no room and is not seen
    expect(page.locator("button.enter-saves")).to_be_hidden()
    page.fill("#text", "Elke dinsdag samen eten.")
    page.fill("#resource_id-q", "fiets")
    expect(page.locator("#resource_id option")).to_have_count(2)
    assert choices(page) == ["Fietsmaatjes"]
    assert page.inner_text("#resource_id-found").strip() == ""
    page.select_option("#resource_id", str(catalogue["Fietsmaatjes"]))
    # another search keeps the chosen one; Enter searches and does not post the form
    page.evaluate("window.notPosted = true")  # gone if the page were loaded again
    page.fill("#resource_id-q", "zzz")
    page.press("#resource_id-q", "Enter")
    expect(page.locator("#resource_id-found")).to_contain_text("Geen voorziening")
    assert choices(page) == ["Fietsmaatjes"]
    assert page.evaluate("window.notPosted === true")
    # Enter in another field saves the form (the browser would take the search button, the
    # first of the form)
    page.press("#owner_name", "Enter")
    page.wait_for_url(re.compile(r".*/plan/goals/\d+$"))
    with app.app_context():
        saved = db.scalar(select(Action))
        assert saved.text == "Elke dinsdag samen eten."
        assert saved.resource_id == catalogue["Fietsmaatjes"]


def test_without_the_script_enter_searches_new_words_then_saves(
    browser,
    live_server,
    app,
    action_page,
    catalogue,  # noqa: F811 - the fixture
):
    """The browser's own Enter (implicit submission) without the script: it presses the
    form's first submit button, the hidden one before the search button (enter_saves)."""
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, live_server, PRO)
        page.goto(live_server + action_page)
        page.fill("#text", "Elke dinsdag samen eten.")
        page.fill("#resource_id-q", "fiets")
        page.press("#resource_id-q", "Enter")  # the form comes back with what was found
        expect(page.locator("#resource_id-q")).to_have_value("fiets")
        assert choices(page) == ["Fietsmaatjes"]
        assert page.input_value("#text") == "Elke dinsdag samen eten."
        with app.app_context():
            assert db.scalar(select(Action)) is None
        page.select_option("#resource_id", str(catalogue["Fietsmaatjes"]))
        page.press("#owner_name", "Enter")  # the words are searched: Enter saves
        page.wait_for_url(re.compile(r".*/plan/goals/\d+$"))
        with app.app_context():
            saved = db.scalar(select(Action))
            assert saved.text == "Elke dinsdag samen eten."
            assert saved.resource_id == catalogue["Fietsmaatjes"]
    finally:
        context.close()


@markup_only
def test_the_form_with_the_search_is_accessible(browser, live_server, axe_js, action_page):
    context = browser.new_context(locale="nl-NL", bypass_csp=True)
    try:
        page = context.new_page()
        login(page, live_server, PRO)
        page.goto(live_server + action_page)
        assert page.is_visible("#resource_id-q")
        assert_accessible(page, axe_js, "action form with the resource search")
    finally:
        context.close()
