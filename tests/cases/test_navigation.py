"""The case's own navigation (issue 17): every page of a case shows the same sections with its
own marked, and "Write a note" is one click away for whoever may change the case (two from
the case list), also on "my week"."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from tests.factories import app_api as api
from tests.factories import cases as c
from tests.factories.app_api import db
from wijkteam.cases.models import Case
from wijkteam.core import clock

CASE_NAV = re.compile(
    r'<div class="case-nav">\s*<nav aria-label="([^"]+)">(.*?)</nav>(.*?)</div>', re.S
)
LINK = re.compile(r'<a href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a>')
WRITE_NOTE = re.compile(r'<a class="button[^"]*write-note" href="([^"]+)">')
# The section a page belongs to, as the path after /cases/<id> of the section's page: by
# blueprint, and the exceptions by endpoint. Every other page of a case is the overview's.
BY_BLUEPRINT = {
    "plans": "/plan",
    "notes": "/notes",
    "network": "/network",
    "safety": "/safety",
    "resources": "/referrals",
}
BY_ENDPOINT = {"notes.case_timeline": "/timeline", "printout.new_plan": "/plan"}
SECTIONS = ("", "/plan", "/notes", "/network", "/safety", "/timeline", "/referrals")
# Pages about a case whose URL names another object (an item brought to the case discussion).
CASE_PAGES_WITHOUT_CASE_ID = {"discussions.item", "discussions.outcome"}
NOT_A_PAGE = {"printout.download"}


def case_nav(html: str) -> tuple[str, list[tuple[str, str]], str | None]:
    """The navigation's label, its links (href, aria-current) and the "Write a note" link."""
    found = CASE_NAV.findall(html)
    assert len(found) == 1, f"{len(found)} case navigations on the page"
    label, links, after = found[0]
    write = WRITE_NOTE.search(after)
    return (
        label,
        [(href, current) for href, current, _text in LINK.findall(links)],
        (write.group(1) if write else None),
    )


def case_pages(app) -> list:
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods
            and rule.endpoint not in NOT_A_PAGE
            and ("case_id" in rule.arguments or rule.endpoint in CASE_PAGES_WITHOUT_CASE_ID)
        ),
        key=lambda rule: rule.endpoint,
    )


def test_every_page_of_a_case_shows_the_navigation_with_its_section_marked(app, world, town):
    readers = {}
    for who in ("lead_noord", "pro_noord"):  # the team lead sees most; the author her draft
        readers[who] = app.test_client()
        readers[who].login(world.email(getattr(world, who)))
    rules = case_pages(app)
    assert len(rules) >= 55, "the walk must see every page of a case"
    for rule in rules:
        resolved = town.resolve(rule)
        responses = (client.get(resolved.url) for client in readers.values())
        resp = next((r for r in responses if r.status_code == 200), None)
        assert resp is not None, f"no reader got {resolved.url}"
        html = resp.get_data(as_text=True)
        case_id = resolved.values.get("case_id", town.noord["case_id"])
        label, links, _write = case_nav(html)
        assert label == "Onderdelen van de casus", rule.endpoint
        base = f"/cases/{case_id}"
        assert [href for href, _ in links] == [base + s for s in SECTIONS], rule.endpoint
        blueprint = rule.endpoint.split(".")[0]
        expected = base + BY_ENDPOINT.get(rule.endpoint, BY_BLUEPRINT.get(blueprint, ""))
        marked = [(href, current) for href, current in links if current]
        own_page = "page" if resolved.url == expected else "true"
        assert marked == [(expected, own_page)], (rule.endpoint, marked)


def test_the_navigation_names_the_sections_in_dutch_and_english(client, world, plan_case):
    client.login("pro.noord@test.example")
    html = client.get(f"/cases/{plan_case}").get_data(as_text=True)
    links = LINK.findall(CASE_NAV.findall(html)[0][1])
    assert [text for _href, _current, text in links] == [
        "Overzicht",
        "Gezinsplan",
        "Gespreksverslagen",
        "Netwerk",
        "Veiligheid",
        "Tijdlijn",
        "Verwijzingen",
    ]
    assert links[0][:2] == (f"/cases/{plan_case}", "page")
    client.english()
    html = client.get(f"/cases/{plan_case}/safety").get_data(as_text=True)
    label, _links, _write = case_nav(html)
    assert label == "Parts of the case"
    assert f'<a href="/cases/{plan_case}/safety" aria-current="page">Safety</a>' in html
    # The case page no longer hides the sections in the plan's card.
    case_page = client.get(f"/cases/{plan_case}").get_data(as_text=True)
    assert case_page.count(f'href="/cases/{plan_case}/network"') == 1


def test_write_a_note_on_the_case_and_plan_pages_only_for_who_may_change_the_case(
    app, client, world, plan_case
):
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(Case, plan_case)
        c.start_plan(pro, case)
        db.commit()
    client.login("pro.noord@test.example")
    new_note = f"/cases/{plan_case}/notes/new"
    for page in (f"/cases/{plan_case}", f"/cases/{plan_case}/plan", f"/cases/{plan_case}/notes"):
        html = client.get(page).get_data(as_text=True)
        assert case_nav(html)[2] == new_note, page
        assert ">Verslag schrijven</a>" in html, page
    # On the note form itself the navigation stays, without a link that would drop the text.
    assert case_nav(client.get(new_note).get_data(as_text=True))[2] is None

    with app.test_request_context():
        c.close(db.get(api.User, world.pro_noord), db.get(Case, plan_case))
        db.commit()
    for page in (f"/cases/{plan_case}", f"/cases/{plan_case}/plan"):
        html = client.get(page).get_data(as_text=True)
        assert case_nav(html)[2] is None, f"{page}: a closed case is read-only"
        assert "Verslag schrijven" not in html, page
        assert f'href="{new_note}"' not in html, page


def test_a_note_is_two_clicks_from_the_case_list(client, world, plan_case):
    client.login("pro.noord@test.example")
    cases = client.get("/cases").get_data(as_text=True)
    assert f'href="/cases/{plan_case}"' in cases  # click 1: the family
    write = case_nav(client.get(f"/cases/{plan_case}").get_data(as_text=True))[2]
    assert write is not None  # click 2: "Verslag schrijven"
    resp = client.get(write)
    assert resp.status_code == 200
    assert 'name="finalise"' in resp.get_data(as_text=True)


def _needs_attention(app, *case_ids: int) -> None:
    """No contact for 60 days: the cases show up on the dashboard."""
    with app.app_context():
        db.execute(
            update(Case)
            .where(Case.id.in_(case_ids))
            .values(opened_on=clock.today() - timedelta(days=60))
        )
        db.commit()


def test_my_week_has_write_a_note_on_each_case_the_user_works_on(app, client, world):
    led = world.case(world.pro_noord, name="Zelfgeleid")
    shared = world.case(world.pro2_noord, name="Gedeeld", duo_id=world.pro_noord)
    colleagues = world.case(world.pro2_noord, name="Vancollega")
    leads_own = world.case(world.lead_noord, name="Vandeleider")
    _needs_attention(app, led, shared, colleagues, leads_own)

    client.login("pro.noord@test.example")
    week = client.get("/dashboard").get_data(as_text=True)
    for case_id in (led, shared):
        assert f'class="button write-note" href="/cases/{case_id}/notes/new"' in week, case_id
    assert "Vancollega" not in week  # not hers: not in her week at all

    lead = app.test_client()
    lead.login("lead.noord@test.example")
    team = lead.get("/dashboard").get_data(as_text=True)
    assert "Zelfgeleid" in team and "Vancollega" in team  # the team lead sees every row...
    buttons = WRITE_NOTE.findall(team)
    # ...with the button only on the case she works on herself.
    assert buttons == [f"/cases/{leads_own}/notes/new"]
    assert re.search(r"Verslag schrijven<span class=\"visually-hidden\"> · Gezin Vandeleider", team)
