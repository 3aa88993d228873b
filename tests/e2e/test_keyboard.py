"""Keyboard only: the skip link, a visible focus indicator on everything Tab reaches, and a
whole journey (log in, open a case, add a goal) with Tab, Enter, Space and typing."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD
from tests.e2e.conftest import markup_only
from tests.e2e.test_journeys import login
from tests.plans.conftest import PlanUI

PRO = "pro.noord@test.example"

FOCUSED = """() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    return {
        tag: e.tagName.toLowerCase(), id: e.id, cls: e.className || '',
        href: e.getAttribute('href') || '', text: (e.innerText || e.value || '').slice(0, 60),
        outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
        boxShadow: s.boxShadow, inMain: !!e.closest('main'),
        visible: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
            && r.left < innerWidth && r.top < innerHeight,
    };
}"""


def focus_indicator_problem(info: dict) -> str | None:
    """None when the focused element shows a clear focus indicator, else what is wrong."""
    outline = info["outlineStyle"] not in ("none", "") and info["outlineWidth"] >= 2
    shadow = info["boxShadow"] not in ("none", "")
    if not info["visible"]:
        return f"focused {info} is not on screen"
    if not (outline or shadow):
        return f"focused {info} has no visible focus indicator"
    return None


def tab(page) -> dict:
    """Press Tab; the element that gets focus must show it (past the last one: the body)."""
    page.keyboard.press("Tab")
    info = page.evaluate(FOCUSED)
    if info["tag"] != "body":
        problem = focus_indicator_problem(info)
        assert problem is None, problem
    return info


def tab_to(page, selector: str, limit: int = 120) -> dict:
    """Press Tab until the element matching `selector` has focus; every stop must show focus."""
    for _ in range(limit):
        info = tab(page)
        if page.evaluate("(sel) => document.activeElement.matches(sel)", selector):
            return info
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def test_skip_link_goes_past_the_menu(page, live_server, world):
    login(page, live_server, PRO)
    first = tab(page)
    assert "skip-link" in first["cls"], first
    assert first["href"] == "#main"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*#main$"))  # the fragment is set after the key press
    after = tab(page)
    assert after["inMain"], f"after the skip link, Tab went to {after} instead of into <main>"


@markup_only
def test_every_stop_shows_focus_on_rich_pages(page, live_server, client, plan_case):
    client.login(PRO)
    plan = PlanUI(client, plan_case)
    plan.start()
    goal_id = plan.goal_id(plan.add_goal("Wij willen rustige ochtenden."))
    plan.add_score(goal_id, scored_on="2026-02-10", family_score="4")
    login(page, live_server, PRO)
    c = f"/cases/{plan_case}"
    for url in (
        c,
        f"{c}/plan",
        f"{c}/plan/goals/{goal_id}",
        f"{c}/plan/goals/{goal_id}/actions/new",
        f"{c}/network/new",
        f"{c}/notes/new",
        f"{c}/safety/new",
    ):
        page.goto(live_server + url)
        seen = []
        for _ in range(250):
            info = tab(page)  # asserts the indicator
            if info["tag"] == "body":
                break  # past the last element
            seen.append((info["tag"], info["id"], info["href"], info["text"]))
        assert len(seen) > 5, (url, seen)


def test_keyboard_only_journey(page, live_server, client, plan_case):
    client.login(PRO)
    assert PlanUI(client, plan_case).start().status_code == 302
    page.goto(f"{live_server}/login")
    # Log in: the e-mail field has focus from the start. The browser moves focus to an
    # autofocus field at its next rendering step, which may come just after the load event, so
    # wait for it (this fails with a timeout when the field never gets focus).
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'email'")
    assert page.evaluate(FOCUSED)["id"] == "email"
    page.keyboard.type(PRO)
    assert tab(page)["id"] == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/cases")
    # Open the family's case from the list.
    tab_to(page, f"main a[href='/cases/{plan_case}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/cases/{plan_case}")
    # To the plan, and a new goal.
    tab_to(page, f"main a[href='/cases/{plan_case}/plan']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/cases/{plan_case}/plan")
    tab_to(page, f"main a[href='/cases/{plan_case}/plan/goals/new']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/cases/{plan_case}/plan/goals/new")
    tab_to(page, "#text")
    page.keyboard.type("Noah fietst zelf naar school.")
    tab_to(page, "#member_ids-1")  # Noah
    page.keyboard.press("Space")
    assert page.is_checked("#member_ids-1")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/cases/{plan_case}/plan/goals/\d+$"))
    body = page.inner_text("main")
    assert "Noah fietst zelf naar school." in body
    assert "Noah Bakker" in page.inner_text("main dl.facts")  # Space ticked the box


def test_a_note_is_two_keyboard_clicks_from_the_case_list(page, live_server, plan_case, world):
    """Case list -> the family -> "Verslag schrijven" (issue 17), past the case's navigation:
    every stop on the way shows the focus ring, the current section's too."""
    login(page, live_server, PRO)
    tab_to(page, f"main a[href='/cases/{plan_case}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/cases/{plan_case}")
    current = tab_to(page, ".case-nav a[aria-current=page]")
    assert current["href"] == f"/cases/{plan_case}", current
    for href in ("/plan", "/notes", "/network", "/safety", "/timeline", "/referrals"):
        assert tab(page)["href"] == f"/cases/{plan_case}{href}"  # in order, no trap
    write = tab(page)
    assert "write-note" in write["cls"] and write["text"] == "Verslag schrijven", write
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/cases/{plan_case}/notes/new")
