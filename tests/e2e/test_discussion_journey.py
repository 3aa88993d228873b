"""Case discussion in a real browser: a professional brings a case in, the team lead plans the
meeting with it on the agenda, the outcome's follow-up becomes a task on the professional's week."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.test_journeys import login
from wijkteam.core import clock


def test_case_discussion_from_question_to_task(page, second_page, live_server, world):
    case_id = world.case(world.pro_noord, name="Visser")

    login(page, live_server, "pro.noord@test.example")
    page.goto(f"{live_server}/cases/{case_id}")
    page.click("text=Inbrengen in het casusoverleg")
    page.fill("#question", "Hoe krijgen we de oma van Visser erbij?")
    page.fill("#tried", "Samen een netwerkkaart gemaakt.")
    page.check("#need-0")
    page.click("#submit")
    page.wait_for_url(f"{live_server}/discussion-items/*")
    assert "De casus staat op de lijst voor het casusoverleg." in page.inner_text("main")

    lead = second_page
    login(lead, live_server, "lead.noord@test.example")
    lead.goto(f"{live_server}/discussions/new")
    lead.fill("#held_on", clock.today().isoformat())
    lead.fill("#guests-0-name", "Gast Voorbeeld")
    lead.fill("#guests-0-role", "jeugdarts")
    lead.check("text=Visser: Hoe krijgen we de oma van Visser erbij?")
    lead.click("#submit")
    lead.wait_for_url(f"{live_server}/discussions/*")
    agenda = lead.inner_text("#agenda")
    assert "Gezin Visser" in agenda and "Hoe krijgen we de oma van Visser erbij?" in agenda
    assert "Gast Voorbeeld (jeugdarts)" in lead.inner_text("main")

    lead.click("text=Uitkomst noteren")
    lead.fill("#decisions", "Oma wordt uitgenodigd voor het netwerkberaad.")
    lead.fill("#follow_ups-0-text", "Oma bellen samen met moeder.")
    lead.select_option("#follow_ups-0-owner", label="Pro Noord")
    lead.fill("#follow_ups-0-due_on", (clock.today() + timedelta(days=5)).isoformat())
    lead.click("#submit")
    lead.wait_for_url(f"{live_server}/discussion-items/*")
    assert "Oma bellen samen met moeder." in lead.inner_text("main")

    page.goto(f"{live_server}/dashboard")
    tasks = page.inner_text("#tasks-heading >> xpath=..")
    assert "Oma bellen samen met moeder." in tasks
    page.click("#tasks-heading >> xpath=.. >> button:has-text('Klaar')")
    page.wait_for_url(f"{live_server}/dashboard*")
    assert "De taak is klaar." in page.inner_text("main")
    page.goto(f"{live_server}/cases/{case_id}/timeline")
    timeline = page.inner_text("main")
    assert "Besproken in het casusoverleg\nOma wordt uitgenodigd" in timeline
