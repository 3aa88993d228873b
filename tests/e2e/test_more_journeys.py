"""The rest of the main journeys in a real browser (the Content-Security-Policy stays on):
a note with a scaling score, a goal with an action for someone from the network, a safety
concern that moves the ladder, and the family's printout as a download."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from tests.e2e.test_journeys import login
from tests.plans.conftest import PlanUI

PRO = "pro.noord@test.example"


def started_plan(client, case_id: int, goal: str, **goal_values: str) -> int:
    """A started plan with one goal, made through the UI by pro.noord; returns the goal id."""
    client.login(PRO)
    plan = PlanUI(client, case_id)
    assert plan.start().status_code == 302
    return plan.goal_id(plan.add_goal(goal, **goal_values))


def test_note_with_a_scaling_score(page, live_server, client, plan_case):
    goal_id = started_plan(client, plan_case, "Wij willen rustige ochtenden.")
    login(page, live_server, PRO)
    page.goto(f"{live_server}/cases/{plan_case}")
    page.click(f"a[href='/cases/{plan_case}/notes']")
    page.click(f"a[href='/cases/{plan_case}/notes/new']")
    page.check("#family_member_ids-0")
    page.fill("#question", "Lisa wil dat de ochtenden rustiger gaan.")
    page.fill("#strengths", "Noah kleedt zich nu zelf aan.")
    # The plan's goal is asked as a scaling question on the note.
    assert "Wij willen rustige ochtenden." in page.inner_text("main form")
    page.fill("#scores-0-family_score", "6")
    page.fill("#scores-0-professional_score", "5")
    page.fill("#scores-0-one_point_higher", "Als de tassen de avond ervoor klaarstaan.")
    page.fill("#steps-0-text", "Lisa zet de tassen 's avonds bij de deur.")
    page.select_option("#steps-0-goal_id", index=1)
    page.select_option("#steps-0-owner", label="Lisa Bakker")
    page.click("#finalise")
    page.wait_for_url(re.compile(rf".*/cases/{plan_case}/notes/\d+$"))
    assert "Lisa wil dat de ochtenden rustiger gaan." in page.inner_text("main")
    # Finishing the note made the score part of the goal: one point on each line of the chart.
    page.goto(f"{live_server}/cases/{plan_case}/plan/goals/{goal_id}")
    assert page.locator("svg.chart circle.series-family").count() == 1
    assert page.locator("svg.chart circle.series-professional").count() == 1
    body = page.inner_text("main")
    assert "Als de tassen de avond ervoor klaarstaan." in body
    assert "Lisa zet de tassen 's avonds bij de deur." in body  # the next step became an action


def test_goal_and_action_for_a_network_member(page, live_server, client, plan_case):
    client.login(PRO)
    assert PlanUI(client, plan_case).start().status_code == 302
    new_person = f"/cases/{plan_case}/network/new"
    added = client.submit(
        new_person,
        {"name": "Oma Ria", "kind": "family", "closeness": "close", "quality": "supportive"},
        page=new_person,
    )
    assert added.status_code == 302, added.get_data(as_text=True)[:2000]
    person_url = added.headers["Location"]

    login(page, live_server, PRO)
    page.goto(f"{live_server}/cases/{plan_case}/plan")
    page.click(f"a[href='/cases/{plan_case}/plan/goals/new']")
    page.fill("#text", "Noah gaat met plezier naar school.")
    page.check("#member_ids-1")  # Noah
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/plan/goals/\d+$"))
    goal_url = page.url
    assert "Noah gaat met plezier naar school." in page.inner_text("main")
    page.click("a[href$='/actions/new']")
    page.fill("#text", "Oma Ria haalt Noah op woensdag op.")
    page.check("#owner_kind-1")  # someone from the network
    page.select_option("#network_member_id", label="Oma Ria")
    page.click("button[type=submit].primary")
    page.wait_for_url(goal_url)
    assert "Oma Ria" in page.inner_text("main")
    # The action shows on Oma Ria's own page in the network.
    page.goto(live_server + person_url if person_url.startswith("/") else person_url)
    assert "Oma Ria haalt Noah op woensdag op." in page.inner_text("main")


def test_safety_concern_moves_the_ladder(page, second_page, live_server, client, plan_case):
    started_plan(client, plan_case, "Wij willen rustige ochtenden.")
    login(page, live_server, PRO)
    page.goto(f"{live_server}/cases/{plan_case}")
    page.click(f"a[href='/cases/{plan_case}/safety']")
    page.click(f"a[href='/cases/{plan_case}/safety/new']")
    page.fill("#title", "Noah vertelt over harde ruzies thuis.")
    page.check("#child_ids-0")
    page.fill("#observed_on", "2026-03-02")
    page.fill("#description", "Noah zei op school dat hij bang is als papa en mama schreeuwen.")
    page.fill("#source", "Juf Petra van de basisschool")
    page.select_option("#level", "2")
    page.fill("#change_reason", "Er is zorg om de veiligheid; wij beslissen nu meer.")
    page.fill("#climb_back", "Als er drie weken geen harde ruzies zijn.")
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(rf".*/cases/{plan_case}/safety/\d+$"))
    concern_url = page.url
    body = page.inner_text("main")
    assert "Noah vertelt over harde ruzies thuis." in body
    assert "Juf Petra van de basisschool" in body
    # Meldcode step 1: the next step to take is offered from the concern page.
    page.click("a[href$='/steps/1']")
    page.fill("#outcome", "Signalen in kaart gebracht met de juf.")
    page.click("button[type=submit].primary")
    page.wait_for_url(concern_url)
    assert "Signalen in kaart gebracht met de juf." in page.inner_text("main")
    # The ladder went down, with the concern as the reason and the way back written down.
    page.goto(f"{live_server}/cases/{plan_case}/plan")
    assert page.locator(".ladder-timeline li").count() == 2
    ladder = page.inner_text(".ladder-timeline")
    assert "Als er drie weken geen harde ruzies zijn." in ladder
    # The team lead sees the open concern in the team's overview.
    login(second_page, live_server, "lead.noord@test.example")
    second_page.goto(f"{live_server}/safety")
    second_page.click("a:has-text('Noah vertelt over harde ruzies thuis.')")
    second_page.wait_for_url(concern_url)


def test_download_the_family_printout(page, live_server, client, plan_case):
    started_plan(
        client,
        plan_case,
        "Wij willen rustige ochtenden.",
        reservations="GEHEIM-VOORBEHOUD: alleen voor het team.",
    )
    login(page, live_server, PRO)
    page.goto(f"{live_server}/cases/{plan_case}/plan")
    # Asking for the printout is a form (who it is for, the version, the language: a POST); it
    # is made by the queue (at once in tests) and its page offers the download.
    page.click(f"a[href='/cases/{plan_case}/printouts/plan']")
    page.wait_for_url(re.compile(rf".*/cases/{plan_case}/printouts/plan$"))
    assert (
        page.locator("select[name=reader] option:checked")
        .inner_text()
        .startswith("De ouders met gezag")
    )
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/cases/{plan_case}/printouts/\d+$"))
    assert "Je afdruk is klaar." in page.inner_text("main")
    with page.expect_download() as download_info:
        page.click("a[href$='/download']")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        data = fh.read()
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(text.split())
    assert "Wij willen rustige ochtenden." in flat
    assert "Lisa en Noah" in flat  # the family, by their own first names
    assert "GEHEIM-VOORBEHOUD" not in flat  # the professional's reservation stays internal
    # The printout stays in "my printouts", with its download, for who asked.
    page.goto(f"{live_server}/printouts")
    assert page.locator("main a[href$='/download']").count() == 1
