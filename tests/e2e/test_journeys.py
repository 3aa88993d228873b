"""The foundation's main journeys in a real browser."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD


def login(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/cases")


def test_register_a_family_in_the_browser(page, live_server, world):
    login(page, live_server, "pro.noord@test.example")
    page.click("text=Gezin aanmelden")
    page.fill("#name", "Asante")
    page.fill("#question_for_help", "Wij willen hulp bij de post en de formulieren.")
    page.fill("#members-0-first_name", "Kwame")
    page.fill("#members-0-last_name", "Asante")
    page.fill("#members-0-date_of_birth", "1980-05-17")  # the browser's date picker
    page.fill("#members-0-languages", "Twi, Engels (een beetje)")
    # Add a row without losing what was typed (a server round trip, no JavaScript).
    page.click("#add_member")
    assert page.input_value("#members-0-first_name") == "Kwame"
    assert page.input_value("#question_for_help").startswith("Wij willen hulp")
    page.fill("#members-2-first_name", "Akua")
    page.fill("#members-2-last_name", "Asante")
    page.select_option("#members-2-role", "child")
    page.select_option("#members-2-custody", "both_parents")
    page.click("#submit")
    page.wait_for_url(f"{live_server}/cases/*")
    body = page.inner_text("main")
    assert "Gezin Asante" in body
    assert "Wij willen hulp bij de post en de formulieren." in body
    assert "Kwame Asante" in body and "Akua Asante" in body
    assert "17 mei 1980" in body


def test_language_switch_and_logout(page, live_server, world):
    login(page, live_server, "pro.noord@test.example")
    page.click("button[value=en]")
    assert page.get_attribute("html", "lang") == "en"
    assert "Cases" in page.inner_text("h1")
    page.click("text=Log out")
    page.wait_for_url(f"{live_server}/login")
    page.goto(f"{live_server}/cases")
    assert "/login" in page.url


def test_conflict_page_in_two_browsers(page, second_page, live_server, world):
    case_id = world.case(world.pro_noord, name="Bakker")
    login(page, live_server, "pro.noord@test.example")
    login(second_page, live_server, "pro2.noord@test.example")
    url = f"{live_server}/cases/{case_id}/family/edit"
    page.goto(url)
    second_page.goto(url)
    page.fill("#context", "Eerst opgeslagen door collega A.")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server}/cases/{case_id}")
    second_page.fill("#context", "Een lang verhaal van collega B dat niet verloren mag gaan.")
    second_page.click("button[type=submit].primary")
    assert second_page.locator(".conflict").is_visible()
    assert second_page.input_value("#context") == (
        "Een lang verhaal van collega B dat niet verloren mag gaan."
    )
    assert "Eerst opgeslagen door collega A." in second_page.inner_text(".conflict")


def test_plan_journey_in_the_browser(page, live_server, world):
    case_id = world.case(world.pro_noord, name="Bakker")
    login(page, live_server, "pro.noord@test.example")
    page.goto(f"{live_server}/cases/{case_id}")
    page.click(f"a[href='/cases/{case_id}/plan']")
    page.fill("#started_on", "2026-02-01")
    page.select_option("#level", "3")
    page.fill("#level_reason", "Moeder denkt mee.")
    page.fill("#regie_reason", "Samen.")
    page.click("form[action$='/plan/start'] button[type=submit]")
    page.wait_for_url(f"{live_server}/cases/{case_id}/plan")
    page.click(f"a[href='/cases/{case_id}/plan/goals/new']")
    page.fill("#text", "Wij willen rustige ochtenden.")
    page.check("#member_ids-0")
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/plan/goals/\d+$"))
    goal_url = page.url
    for day, score in (("2026-02-10", "3"), ("2026-03-10", "5")):
        page.click("a[href$='/scores/new']")
        page.fill("#scored_on", day)
        page.fill("#family_score", score)
        page.fill("#one_point_higher", "Als de kleren klaarliggen.")
        page.click("button[type=submit].primary")
        page.wait_for_url(goal_url)
    assert page.locator("svg.chart circle.series-family").count() == 2
    # An action owned by a network member: the owner fields follow the chosen kind.
    page.click("a[href$='/actions/new']")
    page.fill("#text", "Buurvrouw brengt Noah op dinsdag naar school.")
    page.check("#owner_kind-1")
    page.fill("#owner_name", "Buurvrouw Ans")
    page.click("button[type=submit].primary")
    page.wait_for_url(goal_url)
    assert "Buurvrouw Ans" in page.inner_text("main")
    # Up the ladder.
    page.goto(f"{live_server}/cases/{case_id}/plan/ladder")
    page.select_option("#level", "5")
    page.fill("#reason", "We maken het plan nu samen.")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server}/cases/{case_id}/plan")
    assert page.locator(".ladder-timeline li").count() == 2


def test_network_journey_in_the_browser(page, live_server, world, client):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    from tests.plans.conftest import PlanUI

    plan = PlanUI(client, case_id)
    plan.start()
    plan.add_goal("Wij willen hulp bij het halen en brengen.")
    login(page, live_server, "pro.noord@test.example")
    page.goto(f"{live_server}/cases/{case_id}/network")
    page.click(f"a[href='/cases/{case_id}/network/new']")
    page.fill("#name", "Buurvrouw Ans")
    page.select_option("#kind", "neighbour")
    page.check("#supports_practical")
    page.check("#closeness-0")
    page.check("#quality-1")  # strained
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/network/\d+$"))
    page.goto(f"{live_server}/cases/{case_id}/network")
    assert page.locator("svg.ecomap line.line-strained").count() == 1
    assert page.locator("svg.ecomap g.no-consent").count() == 1
    # A meeting whose agreement becomes an action for Ans.
    page.click(f"a[href='/cases/{case_id}/network/meetings/new']")
    page.check("#family_member_ids-0")
    page.check("#network_member_ids-0")
    page.fill("#agreed", "Ans brengt Ada op dinsdag.")
    page.fill("#agreements-0-text", "Ans brengt Ada op dinsdag naar de sport.")
    page.select_option("#agreements-0-goal_id", index=1)
    page.select_option("#agreements-0-owner", label="Buurvrouw Ans")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/network/meetings/\d+$"))
    assert "Ans brengt Ada op dinsdag naar de sport." in page.inner_text("main")
    page.goto(f"{live_server}/cases/{case_id}/network")
    page.click("table.network a:has-text('Buurvrouw Ans')")
    assert "Ans brengt Ada op dinsdag naar de sport." in page.inner_text("main")


def test_note_text_survives_a_session_timeout_in_the_browser(page, live_server, world, app):
    from sqlalchemy import update

    from wijkteam.auth.models import AuthSession
    from wijkteam.core.db import db, utc_now

    case_id = world.case(world.pro_noord, name="Bakker")
    login(page, live_server, "pro.noord@test.example")
    page.goto(f"{live_server}/cases/{case_id}/notes/new")
    text = "Lisa vertelde dat het fietsen naar school nu bijna elke dag lukt."
    page.fill("#question", text)
    page.fill("#strengths", "Lisa is trots op Noah.")
    with app.app_context():  # the session ends while she is still typing
        db.execute(update(AuthSession).values(revoked_at=utc_now()))
        db.commit()
    page.click("#save_draft")
    page.wait_for_url(re.compile(r".*/login.*"))
    page.fill("#email", "pro.noord@test.example")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server}/cases/{case_id}/notes/new")
    assert page.input_value("#question") == text
    assert page.input_value("#strengths") == "Lisa is trots op Noah."
    page.click("#save_draft")
    page.wait_for_url(re.compile(r".*/notes/\d+$"))
    assert text in page.inner_text("main")
