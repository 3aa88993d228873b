"""Choosing a resource in a form when the catalogue is large (issue 21: a list that can grow;
wijkteam/resources/picker.py): the forms offer the chosen resources and the first OFFERED of
the catalogue, a search finds the others, with or without a script; never another team's
resource, never an archived one; the same number of queries for a large catalogue."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.conftest import form_version
from tests.factories import app_api as api
from tests.factories import care
from tests.plans.conftest import PlanUI
from tests.test_queries import count_queries
from wijkteam.closing.models import AftercareContact
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.plans.models import Action
from wijkteam.resources.models import Resource
from wijkteam.web import picker

NAMES = ["Anker", "Buurtgezinnen", "Cafe 100% Taal", "Doe Mee", "Eetclub", "Fietsmaatjes"]


@pytest.fixture
def catalogue(app, world, monkeypatch) -> dict[str, int]:
    """Six resources of team Noord (three are offered), one archived, one of team Zuid with
    a name that matches every search."""
    monkeypatch.setattr(picker, "OFFERED", 3)
    with app.test_request_context():
        noord = db.get(api.User, world.pro_noord)
        ids = {
            name: care.resource(noord, name, contact_name=f"Contact {name}").id for name in NAMES
        }
        archived = care.resource(noord, "Archief Eetclub")
        archived.archived_on = clock.today()
        ids["archived"] = archived.id
        zuid = db.get(api.User, world.pro_zuid)
        ids["zuid"] = care.resource(zuid, "Anker Eetclub Fietsmaatjes Zuid").id
        db.commit()
    return ids


@pytest.fixture
def ui(client, plan_case):
    client.login("pro.noord@test.example")
    client.english()
    return PlanUI(client, plan_case)


def offered(html: str, field: str = "resource_id") -> list[int]:
    """The resource ids a select offers (in order, without the blank one)."""
    select_html = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', html, re.S)
    assert select_html, field
    return [int(v) for v in re.findall(r'value="(\d+)"', select_html.group(1))]


def action(resource_id: object = "", **values: str) -> dict[str, object]:
    return {
        "text": "Naar de eetclub op dinsdag.",
        "owner_kind": "family",
        "repeats": "weekly",
        "status": "planned",
        "resource_id": resource_id,
        **values,
    }


def test_the_action_form_offers_the_first_resources_and_finds_the_others(ui, app, catalogue):
    ui.start()
    goal = ui.goal_id(ui.add_goal())
    page = f"{ui.base}/goals/{goal}/actions/new"
    html = unescape(ui.client.get(page).get_data(as_text=True))
    first = [catalogue[n] for n in NAMES[:3]]
    assert offered(html) == first
    assert "More resources match than are shown. Type more of the name." in html
    assert 'name="resource_id_q"' in html and 'name="refine" value="resource_id"' in html

    # The search button: the form again with all that was typed, what matches, nothing saved.
    typed = action(text="Elke dinsdag samen eten.", resource_id_q="fiets", refine="resource_id")
    resp = ui.client.submit(page, typed, page=page)
    assert resp.status_code == 200
    html = unescape(resp.get_data(as_text=True))
    assert offered(html) == [catalogue["Fietsmaatjes"]]
    assert "Elke dinsdag samen eten." in html and 'value="fiets"' in html
    assert "error" not in html.split("<main", 1)[1].split("</h1>", 1)[0]  # no error summary
    # by the contact's name too, and % taken as it is
    for words, found in (("contact doe", ["Doe Mee"]), ("100%", ["Cafe 100% Taal"])):
        data = action(resource_id_q=words, refine="resource_id")
        html = ui.client.submit(page, data, page=page).get_data(as_text=True)
        assert offered(html) == [catalogue[n] for n in found], words
    data = action(resource_id_q="niemand", refine="resource_id")
    html = ui.client.submit(page, data, page=page).get_data(as_text=True)
    assert offered(html) == [] and "No resource matches these words." in html
    with app.app_context():
        assert db.scalar(select(func.count()).select_from(Action)) == 0

    # A resource beyond the first ones is saved, and offered (chosen) when the form comes back.
    resp = ui.client.submit(page, action(catalogue["Fietsmaatjes"]), page=page)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    with app.app_context():
        saved = db.scalar(select(Action))
        assert saved.resource_id == catalogue["Fietsmaatjes"]
        edit = f"{ui.base}/actions/{saved.id}/edit"
    html = ui.client.get(edit).get_data(as_text=True)
    assert offered(html) == [catalogue["Fietsmaatjes"], *first]
    assert f'<option selected value="{catalogue["Fietsmaatjes"]}">' in html
    # the next action's form offers the resource the plan already works with first
    html = ui.client.get(page).get_data(as_text=True)
    assert offered(html) == [catalogue["Fietsmaatjes"], *first]
    assert f'<option selected value="{catalogue["Fietsmaatjes"]}">' not in html
    # a search keeps the chosen one
    data = action(catalogue["Fietsmaatjes"], resource_id_q="anker", refine="resource_id")
    data["version"] = form_version(html)
    html = ui.client.submit(edit, data, page=edit).get_data(as_text=True)
    assert offered(html) == [catalogue["Fietsmaatjes"], catalogue["Anker"]]


@pytest.mark.parametrize("which", ["zuid", "archived", "99999999999999999999", "x"])
def test_another_teams_or_an_archived_resource_is_refused_in_the_form(ui, app, catalogue, which):
    ui.start()
    goal = ui.goal_id(ui.add_goal())
    page = f"{ui.base}/goals/{goal}/actions/new"
    posted = catalogue.get(which, which)
    resp = ui.client.submit(page, action(posted, text="Blijft staan."), page=page)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Blijft staan." in html and 'class="errors"' in html
    assert catalogue["zuid"] not in offered(html) and catalogue["archived"] not in offered(html)
    with app.app_context():
        assert db.scalar(select(func.count()).select_from(Action)) == 0


def test_the_options_answer_reads_only_the_own_teams_active_catalogue(client, app, catalogue):
    client.login("pro.noord@test.example")
    answer = client.get("/resources/options?label=name&q=eetclub").get_json()
    assert answer == {"options": [{"id": catalogue["Eetclub"], "label": "Eetclub"}], "more": False}
    answer = client.get("/resources/options?label=contact&q=").get_json()
    assert [o["id"] for o in answer["options"]] == [catalogue[n] for n in NAMES[:3]]
    assert answer["options"][0]["label"] == "Anker (Contact Anker)" and answer["more"] is True
    for q in ("zuid", "archief", "%", "_", "\\", "x" * 500, "\x00"):
        answer = client.get("/resources/options", query_string={"q": q}).get_json()
        ids = {o["id"] for o in answer["options"]}
        assert catalogue["zuid"] not in ids and catalogue["archived"] not in ids, q
    assert client.get("/resources/options?q=%25").get_json()["options"] == [
        {"id": catalogue["Cafe 100% Taal"], "label": "Cafe 100% Taal"}
    ]
    # team Zuid sees its own only
    client.logout()
    client.login("pro.zuid@test.example")
    answer = client.get("/resources/options?q=anker").get_json()
    assert [o["id"] for o in answer["options"]] == [catalogue["zuid"]]
    client.logout()
    resp = client.get("/resources/options?q=anker")
    assert resp.status_code in (302, 401) and b"Anker" not in resp.data


def test_the_forms_read_as_much_for_a_large_catalogue_as_for_a_small_one(ui, app, world):
    ui.start()
    goal = ui.goal_id(ui.add_goal())
    pages = [
        f"{ui.base}/goals/{goal}/actions/new",
        f"/cases/{ui.case_id}/close",
        f"/cases/{ui.case_id}/referrals/new",
        "/key-figures/new",
    ]

    def selects() -> list[int]:
        counts = []
        for page in pages:
            ui.client.get(page)
            with count_queries(app) as counter:
                assert ui.client.get(page).status_code == 200, page
            counts.append(counter["selects"])
        return counts

    with app.test_request_context():
        noord = db.get(api.User, world.pro_noord)
        care.resource(noord, "Eerste")
        db.commit()
    few = selects()
    with app.test_request_context():
        noord = db.get(api.User, world.pro_noord)
        for i in range(picker.OFFERED + 20):
            care.resource(noord, f"Voorziening {i:03d}")
        db.commit()
    assert selects() == few
    for page in pages:
        html = ui.client.get(page).get_data(as_text=True)
        shown = len(re.findall(r">Voorziening \d{3}", html))
        assert shown == picker.OFFERED - 1, page  # and "Eerste", which sorts first
        assert "More resources match than are shown." in html, page


def test_the_closing_form_keeps_the_services_ticked_beyond_the_first(client, app, world, catalogue):
    case_id = world.case(world.pro_noord, name="Sluit")
    client.login("pro.noord@test.example")
    client.english()
    page = f"/cases/{case_id}/close"
    html = client.get(page).get_data(as_text=True)
    boxes = re.findall(r'name="resource_ids"[^>]*value="(\d+)"', html)
    assert [int(b) for b in boxes] == [catalogue[n] for n in NAMES[:3]]
    version = form_version(html)
    data = {
        "close_reason": "goals_reached",
        "ended_by": "together",
        "closed_on": clock.today().isoformat(),
        "close_note": "Het gaat goed.",
        "version": version,
        "resource_ids": [str(catalogue["Eetclub"]), str(catalogue["Anker"])],
        "resource_ids_q": "fiets",
        "refine": "resource_ids",
    }
    html = client.submit(page, data, page=page).get_data(as_text=True)
    boxes = re.findall(r'name="resource_ids"[^>]*value="(\d+)"', html)
    # the ticked ones first (by name), then what the search found
    assert [int(b) for b in boxes] == [
        catalogue["Anker"],
        catalogue["Eetclub"],
        catalogue["Fietsmaatjes"],
    ]
    assert html.count("checked") >= 2 and "Het gaat goed." in html
    data.pop("refine")
    data["resource_ids"].append(str(catalogue["Fietsmaatjes"]))
    resp = client.submit(page, data, page=page)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    with app.app_context():
        kept = db.scalars(
            select(Resource.name)
            .join(AftercareContact, AftercareContact.resource_id == Resource.id)
            .where(AftercareContact.case_id == case_id)
            .order_by(Resource.name)
        ).all()
    assert kept == ["Anker", "Eetclub", "Fietsmaatjes"]


@pytest.mark.parametrize(
    "words", ["\x00", "%", "_", "\\", "x" * 5000, "\u202eevil", "' OR 1=1 --", "<script>"]
)
def test_a_search_with_odd_words_shows_the_form_again(ui, catalogue, words):
    ui.start()
    goal = ui.goal_id(ui.add_goal())
    page = f"{ui.base}/goals/{goal}/actions/new"
    data = action(text="Blijft staan.", resource_id_q=words, refine="resource_id")
    resp = ui.client.submit(page, data, page=page)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Blijft staan." in html and "<script>" not in html.split("</head>", 1)[1]
    assert catalogue["zuid"] not in offered(html)


def test_the_options_answers_are_for_team_members_only(client, world, analyst):
    """An admin without a team, and an analyst (outcome figures only), read no catalogue and
    no key figures; not logged in, nobody does."""
    for email in ("admin@test.example", "analyst@test.example"):
        client.login(email)
        for url in ("/resources/options?q=a", "/key-figures/options?q=a"):
            resp = client.get(url)
            assert resp.status_code in (403, 404), (email, url)
            assert resp.get_json(silent=True) is None or "options" not in resp.get_json()
        client.logout()
    for url in ("/resources/options?q=a", "/key-figures/options?q=a"):
        assert client.get(url).status_code in (302, 401)


def test_the_cases_own_services_come_first_not_ticked(client, app, world, catalogue):
    """Closing asks which services stay involved: the ones the case was referred to (or that
    an action of its plan goes to) are offered first, whatever their place in the catalogue,
    and not ticked for the professional."""
    case_id = world.case(world.pro_noord, name="Eigen")
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, case_id)
        care.referral(pro, case, catalogue["Fietsmaatjes"])
        db.commit()
    client.login("pro.noord@test.example")
    html = client.get(f"/cases/{case_id}/close").get_data(as_text=True)
    boxes = re.findall(r'<input([^>]*name="resource_ids"[^>]*)>', html)
    values = [int(re.search(r'value="(\d+)"', b).group(1)) for b in boxes]
    assert values == [catalogue["Fietsmaatjes"], *(catalogue[n] for n in NAMES[:3])]
    assert not any("checked" in b for b in boxes)
    # another case's referral does not count
    other = world.case(world.pro_noord, name="Ander")
    html = client.get(f"/cases/{other}/close").get_data(as_text=True)
    values = [int(v) for v in re.findall(r'name="resource_ids"[^>]*value="(\d+)"', html)]
    assert values == [catalogue[n] for n in NAMES[:3]]


def test_a_post_with_thousands_of_ticks_is_refused_in_the_form(app, client, world, catalogue):
    """A hand-made POST of the closing form with 40,000 resource ids: the form again with a
    message, never a server error, and no statement with thousands of values (SQLite is
    often built to take at most 32,766): the picker reads at most CHOSEN_MAX chosen ones."""
    from sqlalchemy import event

    from wijkteam.core.db import get_engine

    case_id = world.case(world.pro_noord, name="Veelvinkjes")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/close"
    html = client.get(page).get_data(as_text=True)
    data = {
        "close_reason": "goals_reached",
        "ended_by": "together",
        "closed_on": clock.today().isoformat(),
        "close_note": "Blijft staan.",
        "version": form_version(html),
        "resource_ids": [str(catalogue["Anker"]), *(str(i) for i in range(10_000, 50_000))],
    }
    most = [0]

    def count(_conn, _cursor, _statement, params, _context, _many):
        most[0] = max(most[0], len(params) if params is not None else 0)

    with app.app_context():
        engine = get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        resp = client.submit(page, data, page=page)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert resp.status_code == 422
    assert "Blijft staan." in resp.get_data(as_text=True)
    # the chosen ids stand three times in the picker's statement (to select, find and order)
    assert 0 < most[0] <= 3 * picker.CHOSEN_MAX + 20


def test_the_search_button_does_not_go_round_the_csrf_check(ui, app, catalogue):
    """The search button shows the form again without saving; posted from another site (no
    token, or a wrong one) it is refused like any POST: the posted words are not shown back,
    nothing is saved."""
    ui.start()
    goal = ui.goal_id(ui.add_goal())
    page = f"{ui.base}/goals/{goal}/actions/new"
    data = action(text="Van een andere site.", resource_id_q="fiets", refine="resource_id")
    for token in ({}, {"csrf_token": "vervalst"}):
        resp = ui.client.post(page, data={**data, **token})
        assert resp.status_code in (400, 403), resp.status_code
        assert "Van een andere site." not in resp.get_data(as_text=True)
    with app.app_context():
        assert db.scalar(select(func.count()).select_from(Action)) == 0


def test_enter_saves_unless_new_words_wait_in_the_search(ui, app, catalogue):
    """Enter in a field posts the form's hidden first button ("enter"; the macro enter_saves
    comes before the search button). It saves, as in any form, unless the search holds words
    that its choices do not show yet (typed without the script and not searched): then it
    searches, so that nothing is saved with a choice the user has not seen."""
    ui.start()
    goal = ui.goal_id(ui.add_goal())
    page = f"{ui.base}/goals/{goal}/actions/new"
    html = ui.client.get(page).get_data(as_text=True)
    form = html[html.rindex("<form", 0, html.index('name="resource_id"')) :]
    assert form[form.index("<button") :].startswith(
        '<button type="submit" class="enter-saves" hidden'
    )
    assert html.index('name="enter"') < html.index('name="refine"')
    assert 'name="resource_id_q_shown" value=""' in html

    # new words in the search, not yet searched: Enter searches, nothing is saved
    typed = action(text="Samen fietsen.", resource_id_q="fiets", resource_id_q_shown="", enter="1")
    resp = ui.client.submit(page, typed, page=page)
    assert resp.status_code == 200
    html = unescape(resp.get_data(as_text=True))
    assert offered(html) == [catalogue["Fietsmaatjes"]]
    assert "Samen fietsen." in html and 'name="resource_id_q_shown" value="fiets"' in html
    with app.app_context():
        assert db.scalar(select(func.count()).select_from(Action)) == 0

    # the words are the ones shown (spaces aside): Enter saves the choice made among them
    chosen = action(
        catalogue["Fietsmaatjes"],
        text="Samen fietsen.",
        resource_id_q=" fiets ",
        resource_id_q_shown="fiets",
        enter="1",
    )
    resp = ui.client.submit(page, chosen, page=page)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    # no search field at all (a form of up to OFFERED entries): Enter saves
    resp = ui.client.submit(page, action(text="Zonder zoeken.", enter="1"), page=page)
    assert resp.status_code == 302
    # the form's own button with new words in the search: saves what was chosen, as before
    clicked = action(text="Met de knop.", resource_id_q="anker", resource_id_q_shown="")
    assert ui.client.submit(page, clicked, page=page).status_code == 302
    with app.app_context():
        texts = {a.text: a.resource_id for a in db.scalars(select(Action))}
    assert texts == {
        "Samen fietsen.": catalogue["Fietsmaatjes"],
        "Zonder zoeken.": None,
        "Met de knop.": None,
    }
