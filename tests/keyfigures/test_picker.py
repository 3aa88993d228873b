"""Choosing one of the team's key figures in a form (issue 21: a list that can grow;
wijkteam/keyfigures/picker.py): the way in of a case, a new case, a network member. The forms
offer the chosen key figure and the first OFFERED, a search finds the others (by name or
organisation), never another team's; the forms read as much for many key figures (each with
an organisation from the catalogue) as for one."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.conftest import form_version
from tests.factories import app_api as api
from tests.factories import care
from tests.test_queries import count_queries
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.keyfigures.models import KeyFigure
from wijkteam.web import picker

NAMES = ["Meneer Bakr", "Meneer Diallo", "Mevrouw Addo", "Mevrouw Chen", "Mevrouw Eze"]  # by name


@pytest.fixture
def figures(app, world, monkeypatch) -> dict[str, int]:
    """Five key figures of team Noord (three are offered; Chen's organisation is a catalogue
    entry), one of team Zuid whose name matches every search."""
    monkeypatch.setattr(picker, "OFFERED", 3)
    with app.test_request_context():
        noord = db.get(api.User, world.pro_noord)
        church = care.resource(noord, "Moskee Al Nour")
        ids = {name: care.key_figure(noord, name, organisation="").id for name in NAMES}
        db.get(KeyFigure, ids["Mevrouw Chen"]).resource_id = church.id
        zuid = db.get(api.User, world.pro_zuid)
        ids["zuid"] = care.key_figure(zuid, "Mevrouw Meneer Zuid Nour").id
        db.commit()
    return ids


def offered(html: str) -> list[int]:
    found = re.search(r'<select[^>]*name="key_figure_id"[^>]*>(.*?)</select>', html, re.S)
    assert found
    return [int(v) for v in re.findall(r'value="(\d+)"', found.group(1))]


def test_the_way_in_form_offers_the_chosen_and_finds_the_others(app, client, world, figures):
    case_id = world.case(world.pro_noord, name="Ingang")
    client.login("pro.noord@test.example")
    client.english()
    url = f"/cases/{case_id}/way-in"
    html = unescape(client.get(url).get_data(as_text=True))
    assert offered(html) == [figures[n] for n in NAMES[:3]]
    assert "More key figures match than are shown." in html
    # search by the organisation's name, keeping what was typed; nothing saved
    data = {
        "way_in": "intermediary",
        "way_in_detail": "via de moskee",
        "key_figure_id_q": "nour",
        "refine": "key_figure_id",
        "version": form_version(html),
    }
    html = unescape(client.submit(url, data, page=url).get_data(as_text=True))
    assert offered(html) == [figures["Mevrouw Chen"]] and "via de moskee" in html
    assert "Mevrouw Chen (Moskee Al Nour)" in html
    with app.app_context():
        assert db.get(Case, case_id).way_in is None
    # one beyond the first three is saved, and chosen when the form comes back
    data.pop("refine")
    data["key_figure_id"] = str(figures["Mevrouw Eze"])
    resp = client.submit(url, data, page=url)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    html = client.get(url).get_data(as_text=True)
    assert offered(html) == [figures["Mevrouw Eze"], *[figures[n] for n in NAMES[:3]]]
    assert f'<option selected value="{figures["Mevrouw Eze"]}">' in html
    # another team's key figure is refused in the form
    data["key_figure_id"] = str(figures["zuid"])
    data["version"] = form_version(html)
    resp = client.submit(url, data, page=url)
    assert resp.status_code == 422 and "Choose one of the options offered." in resp.get_data(
        as_text=True
    )


def test_the_key_figure_options_are_the_own_teams(client, figures):
    client.login("pro.noord@test.example")
    answer = client.get("/key-figures/options?q=nour").get_json()
    assert answer == {
        "options": [{"id": figures["Mevrouw Chen"], "label": "Mevrouw Chen (Moskee Al Nour)"}],
        "more": False,
    }
    answer = client.get("/key-figures/options?q=meneer").get_json()
    assert [o["id"] for o in answer["options"]] == [
        figures["Meneer Bakr"],
        figures["Meneer Diallo"],
    ]
    assert client.get("/key-figures/options").get_json()["more"] is True
    client.logout()
    client.login("pro.zuid@test.example")
    answer = client.get("/key-figures/options?q=mevrouw").get_json()
    assert [o["id"] for o in answer["options"]] == [figures["zuid"]]


def test_the_forms_read_as_much_for_many_key_figures_as_for_one(app, client, world):
    """The choices were KeyFigure objects whose organisation was read one by one: a query per
    key figure linked to the catalogue."""
    case_id = world.case(world.pro_noord, name="Tellen")
    client.login("pro.noord@test.example")
    pages = [
        f"/cases/{case_id}/way-in",
        "/cases/new",
        f"/cases/{case_id}/network/new",
    ]

    def selects() -> list[int]:
        counts = []
        for page in pages:
            client.get(page)
            with count_queries(app) as counter:
                assert client.get(page).status_code == 200, page
            counts.append(counter["selects"])
        return counts

    def add(n: int, start: int) -> None:
        with app.test_request_context():
            noord = db.get(api.User, world.pro_noord)
            for i in range(start, start + n):
                place = care.resource(noord, f"Vereniging {i:03d}")
                care.key_figure(noord, f"Sleutelfiguur {i:03d}", resource_id=place.id)
            db.commit()

    add(1, 0)
    few = selects()
    add(picker.OFFERED + 5, 1)
    assert selects() == few
    html = client.get(pages[0]).get_data(as_text=True)
    assert len(re.findall(r">Sleutelfiguur \d{3} \(Vereniging \d{3}\)<", html)) == picker.OFFERED
