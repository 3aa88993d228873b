"""A key figure is one person across families, but what one family allowed stays with it: from
family A's case nothing shows of family B's relation to the same key figure (issue 18)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.factories import app_api as api
from tests.factories import care
from tests.factories import cases as c
from wijkteam.keyfigures.models import KeyFigure
from wijkteam.keyfigures.queries import loads
from wijkteam.network.models import NetworkMember

# Texts only family B's relation holds: none may show anywhere in family A's case.
B_SECRETS = (
    "Bosmanfamilie",
    "Helpt bij de aanvraag van de toeslag",
    "Niets over de schulden",
    "Brengt Kofi naar de voetbal",
)


@pytest.fixture
def two_families(app, world):
    """Families A (pro.noord leads) and B (pro2.noord leads) helped by one key figure."""
    with app.test_request_context():
        pro = api.db.get(api.User, world.pro_noord)
        pro2 = api.db.get(api.User, world.pro2_noord)
        resource = care.resource(pro, "Kerkgemeenschap Het Licht")
        key_figure = care.key_figure(pro, "Mevrouw Addo", resource_id=resource.id)
        a = c.register(pro, "Asantefamilie")
        b = c.register(pro2, "Bosmanfamilie")
        a_member = care.key_figure_member(
            pro,
            a,
            key_figure,
            informal_roles=["confidant", "guide_to_services"],
            role_does="Gaat mee naar het eerste gesprek.",
            role_does_not="Tolkt niet.",
            role_agreed_on=date(2026, 3, 1),
            confidentiality_agreed=True,
            confidentiality_on=date(2026, 3, 1),
        )
        b_member = care.key_figure_member(
            pro2,
            b,
            key_figure,
            informal_roles=["informal_helper"],
            role_does="Helpt bij de aanvraag van de toeslag.",
            role_does_not="Niets over de schulden.",
            role_agreed_on=date(2026, 3, 2),
            may_contact=True,
            consent_on=date(2026, 3, 2),
            may_be_told="Alleen over school.",
        )
        a_plan = c.start_plan(pro, a)
        a_goal = c.goal(pro, a, a_plan)
        c.action(pro, a, a_goal, "Gaat mee naar de huisarts.", helper_id=a_member.id)
        b_plan = c.start_plan(pro2, b)
        b_goal = c.goal(pro2, b, b_plan)
        for text in ("Brengt Kofi naar de voetbal.", "Belt school."):
            c.action(pro2, b, b_goal, text, helper_id=b_member.id)
        api.db.commit()
        return {
            "a": a.id,
            "b": b.id,
            "a_member": a_member.id,
            "b_member": b_member.id,
            "key_figure": key_figure.id,
            "resource": resource.id,
        }


def _no_b(text: str, where: str) -> None:
    for secret in B_SECRETS:
        assert secret not in text, f"{where} shows family B's {secret!r}"


def test_load_is_counted_across_families(app, two_families):
    with app.app_context():
        key_figure = api.db.get(KeyFigure, two_families["key_figure"])
        load = loads(key_figure.team_id, [key_figure.id])[key_figure.id]
    assert (load.families, load.open_actions) == (2, 3)


def test_family_a_sees_a_number_and_its_own_relation_only(client, two_families):
    """The load on A's case is a number without names; 'asked too much' counts across
    families (1 open action here, 3 in all)."""
    client.english()
    client.login("pro.noord@test.example")
    base = f"/cases/{two_families['a']}/network"
    page = client.get(f"{base}/{two_families['a_member']}").get_data(as_text=True)
    assert "Helps 2 families of the team" in page
    assert "3 open actions in all" in page
    assert "Gaat mee naar het eerste gesprek." in page
    assert "Agreed to keep what they hear confidential" in page
    assert "has many open actions" in page  # across families
    _no_b(page, "A's network member page")
    index = client.get(base).get_data(as_text=True)
    assert "Possibly asked too much" in index
    for url in (
        base,
        f"{base}?on=2026-03-01",
        f"{base}/{two_families['a_member']}/edit",
        f"/cases/{two_families['a']}",
        f"/cases/{two_families['a']}/plan",
        f"/cases/{two_families['a']}/timeline",
        f"/cases/{two_families['a']}/way-in",
    ):
        resp = client.get(url)
        assert resp.status_code == 200, url
        _no_b(resp.get_data(as_text=True), url)


def test_family_b_ids_under_family_a_answer_404(client, two_families):
    client.login("pro.noord@test.example")
    a, b_member = two_families["a"], two_families["b_member"]
    for url in (f"/cases/{a}/network/{b_member}", f"/cases/{a}/network/{b_member}/edit"):
        assert client.get(url).status_code == 404, url


def test_key_figure_page_names_only_the_families_you_work_with(client, two_families):
    client.english()
    client.login("pro.noord@test.example")
    url = f"/key-figures/{two_families['key_figure']}"
    page = client.get(url).get_data(as_text=True)
    assert "Asantefamilie" in page
    assert "And 1 other family of the team, whose case you do not work on." in page
    assert "2 families with an open case" in page
    _no_b(page, "the key figure page")
    _no_b(client.get("/key-figures").get_data(as_text=True), "the key figure list")
    # The team lead watches the whole team: every family by name.
    client.logout()
    client.login("lead.noord@test.example")
    lead_page = client.get(url).get_data(as_text=True)
    assert "Asantefamilie" in lead_page and "Bosmanfamilie" in lead_page


def test_search_export_and_catalogue_hold_no_relation(client, two_families):
    client.login("pro.noord@test.example")
    for url in (
        "/search?q=toeslag",
        "/search?q=Addo",
        "/resources/export.csv",
        f"/resources/{two_families['resource']}",
    ):
        resp = client.get(url)
        assert resp.status_code == 200, url
        _no_b(resp.get_data(as_text=True), url)


def test_family_a_file_and_paper_hold_no_other_family_nor_load(app, two_families):
    from wijkteam.printout.family_file import family_file
    from wijkteam.printout.plan_paper import plan_paper

    with app.test_request_context():
        case = api.db.get(api.Case, two_families["a"])
        made = json.dumps(family_file(case), ensure_ascii=False, default=str)
        paper = json.dumps(plan_paper(case, {}), ensure_ascii=False, default=str)
    for text, where in ((made, "the family's file"), (paper, "Ons plan")):
        _no_b(text, where)
        assert "families" not in text and "Mevrouw Addo" in made, where
    assert "Tolkt niet." in made  # the family's own role agreement is theirs to read


def test_another_team_sees_nothing(client, two_families):
    client.login("pro.zuid@test.example")
    key_figure = two_families["key_figure"]
    for url in (f"/key-figures/{key_figure}", f"/key-figures/{key_figure}/edit"):
        assert client.get(url).status_code == 404, url
    listing = client.get("/key-figures").get_data(as_text=True)
    assert "Mevrouw Addo" not in listing
    assert client.get(f"/cases/{two_families['a']}/network").status_code == 404


def test_a_key_figure_of_another_team_cannot_be_linked(client, app, world, two_families):
    with app.test_request_context():
        zuid = api.db.get(api.User, world.pro_zuid)
        theirs = care.key_figure(zuid, "Meneer Zuid").id
        api.db.commit()
    client.english()
    client.login("pro.noord@test.example")
    base = f"/cases/{two_families['a']}/network"
    resp = client.submit(
        f"{base}/new",
        {
            "name": "Meneer Zuid",
            "kind": "informal_worker",
            "closeness": "middle",
            "quality": "supportive",
            "key_figure_id": str(theirs),
            "relation": "kent de familie van de moskee",
        },
        page=f"{base}/new",
    )
    assert resp.status_code == 422
    assert "kent de familie van de moskee" in resp.get_data(as_text=True)
    with app.app_context():
        assert api.db.query(NetworkMember).filter_by(key_figure_id=theirs).count() == 0


def test_a_key_figures_families_come_a_page_at_a_time(app, client, world, monkeypatch):
    """Issue 21: a school's or a mosque's contact can help hundreds of the team's families. The
    page names them a page at a time (oldest case first, each family once), in as many
    queries for many as for few; the ones you do not work on stay a number, on every page,
    and a page past the end shows the last one."""
    from tests.test_queries import count_queries

    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)  # the app is shared by the session
    with app.test_request_context():
        pro = api.db.get(api.User, world.pro_noord)
        pro2 = api.db.get(api.User, world.pro2_noord)
        key_figure = care.key_figure(pro, "Meester Bakker")
        mine, theirs = [], []
        for i, (lead, names) in enumerate(((pro, mine), (pro2, theirs), (pro, mine))):
            case = c.register(lead, f"Paginafamilie{i}")
            care.key_figure_member(lead, case, key_figure)
            names.append(case.id)
        api.db.commit()
        key_figure_id = key_figure.id
    client.english()
    client.login("pro.noord@test.example")
    url = f"/key-figures/{key_figure_id}"

    def selects(page: str) -> int:
        client.get(page)
        with count_queries(app) as counter:
            assert client.get(page).status_code == 200
        return counter["selects"]

    few = selects(url)
    with app.test_request_context():
        pro = api.db.get(api.User, world.pro_noord)
        key_figure = api.db.get(KeyFigure, key_figure_id)
        for i in range(3, 6):
            case = c.register(pro, f"Paginafamilie{i}")
            care.key_figure_member(pro, case, key_figure)
            # a second member of the same family linked to the key figure: the family once
            if i == 3:
                care.key_figure_member(pro, case, key_figure)
            mine.append(case.id)
        api.db.commit()
    assert selects(url) == few

    def named(page: str) -> list[int]:
        html = client.get(page).get_data(as_text=True)
        assert "And 1 other family of the team, whose case you do not work on." in html
        assert "6 families with an open case" in html
        return [case_id for case_id in mine + theirs if f"/cases/{case_id}/network/" in html]

    assert named(url) == mine[:2]
    assert named(f"{url}?page=2") == mine[2:4]
    assert named(f"{url}?page=3") == mine[4:]
    for past in ("99", "99999999999999999999"):  # past the end: the last page
        assert named(f"{url}?page={past}") == mine[4:]
    for odd in ("0", "-3", "abc"):
        assert named(f"{url}?page={odd}") == mine[:2]
    page1 = client.get(url).get_data(as_text=True)
    assert "Page 1 of 3" in page1 and "?page=2" in page1
    # The team lead names all six: three pages of two.
    client.logout()
    client.login("lead.noord@test.example")
    lead_page = client.get(f"{url}?page=3").get_data(as_text=True)
    assert "Page 3 of 3" in lead_page and "other famil" not in lead_page
