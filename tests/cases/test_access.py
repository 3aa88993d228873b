"""Nobody sees a case outside their team: lists are filtered, every case URL answers 404."""

from __future__ import annotations

import re

import pytest

from wijkteam.cases.models import Case


def case_urls(app, case_id: int, member_id: int) -> list[tuple[str, list[str]]]:
    """Every URL rule of the app that takes a case id, filled in for this case."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "case_id" not in rule.arguments:
            continue
        values = {"case_id": case_id, "member_id": member_id}
        path = rule.rule
        for name in rule.arguments:
            # Other ids (goal, action, score, version) exist in team Noord's plan or not at all:
            # for a user of another team the case check must answer 404 before anything else.
            path = path.replace(f"<int:{name}>", str(values.get(name, 1)))
        methods = sorted(m for m in rule.methods if m in ("GET", "POST"))
        urls.append((path, methods))
    return urls


@pytest.fixture
def noord_case(world):
    return world.case(world.pro_noord, name="Noordgezin")


def _member_id(world, case_id):
    case: Case = world.case_obj(case_id)
    from wijkteam.cases.models import FamilyMember
    from wijkteam.core.db import db

    with world.app.app_context():
        return db.query(FamilyMember.id).filter_by(family_id=case.family_id).scalar()


def test_the_case_urls_are_enumerated(app, world, noord_case):
    urls = case_urls(app, noord_case, _member_id(world, noord_case))
    paths = {p for p, _ in urls}
    # A guard against this test silently checking nothing.
    assert len(urls) >= 7
    assert f"/cases/{noord_case}" in paths
    assert f"/cases/{noord_case}/audit" in paths


@pytest.mark.parametrize("who", ["pro_zuid", "lead_zuid", "admin"])
def test_every_case_url_is_404_outside_the_team(app, client, world, noord_case, who):
    client.login(world.email(getattr(world, who)))
    token = client.csrf_token("/login")
    before = world.case_obj(noord_case)
    for path, methods in case_urls(app, noord_case, _member_id(world, noord_case)):
        if "GET" in methods:
            assert client.get(path).status_code == 404, path
        if "POST" in methods:
            resp = client.post(
                path,
                data={
                    "csrf_token": token,
                    "name": "Hacked",
                    "question_for_help": "Hacked",
                    "version": "1",
                },
            )
            assert resp.status_code == 404, path
    after = world.case_obj(noord_case)
    assert after.version == before.version
    assert after.question_for_help == before.question_for_help


def test_missing_case_is_404_like_a_foreign_one(client, world, noord_case):
    client.login("pro.zuid@test.example")
    assert client.get("/cases/999999").status_code == 404
    foreign = client.get(f"/cases/{noord_case}")
    missing = client.get("/cases/999999")
    assert foreign.status_code == missing.status_code == 404

    # Same page, apart from the path in the language switch's "next" field and the security
    # codes (signed with the second they were made, so two requests may differ there).
    def page(resp, path: str) -> str:
        html = resp.get_data(as_text=True).replace(path, "/cases/X")
        return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', html)

    assert page(foreign, f"/cases/{noord_case}") == page(missing, "/cases/999999")


def test_member_of_another_family_is_404(client, world, noord_case):
    other = world.case(
        world.pro_noord,
        name="Anders",
        members=[
            {
                "first_name": "Bo",
                "last_name": "Anders",
                "date_of_birth": None,
                "role": "parent",
                "languages": [],
                "interpreter_needed": False,
                "interpreter_language": "",
                "custody": None,
            }
        ],
    )
    other_member = _member_id(world, other)
    client.login("pro.noord@test.example")
    assert client.get(f"/cases/{noord_case}/members/{other_member}/edit").status_code == 404


def test_list_shows_only_own_team(client, world, noord_case):
    world.case(world.pro_zuid, name="Zuidgezin")
    client.login("pro.zuid@test.example")
    html = client.get("/cases?scope=team&status=all").get_data(as_text=True)
    assert "Zuidgezin" in html
    assert "Noordgezin" not in html
    html = client.get("/cases?q=Noordgezin&scope=team&status=all").get_data(as_text=True)
    assert f'href="/cases/{noord_case}"' not in html


def test_professional_sees_own_cases_by_default_and_team_cases_on_request(
    client, world, noord_case
):
    world.case(world.pro2_noord, name="Collegagezin")
    client.login("pro.noord@test.example")
    mine = client.get("/cases").get_data(as_text=True)
    assert "Noordgezin" in mine
    assert "Collegagezin" not in mine
    team = client.get("/cases?scope=team").get_data(as_text=True)
    assert "Noordgezin" in team and "Collegagezin" in team
    # A team colleague's case opens: access is per team.
    case_id = world.case(world.pro2_noord, name="Nog een gezin")
    assert client.get(f"/cases/{case_id}").status_code == 200


def test_duo_colleague_sees_the_case_under_my_cases(client, world):
    world.case(world.pro2_noord, name="Duogezin", duo_id=world.pro_noord)
    client.login("pro.noord@test.example")
    assert "Duogezin" in client.get("/cases").get_data(as_text=True)


def test_team_lead_sees_all_cases_of_the_team_by_default(client, world, noord_case):
    world.case(world.pro2_noord, name="Collegagezin")
    client.login("lead.noord@test.example")
    html = client.get("/cases").get_data(as_text=True)
    assert "Noordgezin" in html and "Collegagezin" in html


def test_admin_without_team_reads_no_case_files(client, world, noord_case):
    client.login("admin@test.example")
    assert client.get(f"/cases/{noord_case}").status_code == 404
    html = client.get("/cases?scope=team&status=all").get_data(as_text=True)
    assert "Noordgezin" not in html
    assert client.get("/cases/new").status_code == 403


def test_admin_in_a_team_reads_that_teams_cases(client, world, noord_case):
    client.login("admin.noord@test.example")
    assert client.get(f"/cases/{noord_case}").status_code == 200
    assert "Noordgezin" in client.get("/cases?scope=team").get_data(as_text=True)


def test_list_is_paginated(client, world, app):
    per_page = app.config["PAGE_SIZE"]
    for i in range(per_page + 2):
        world.case(
            world.pro_noord,
            name=f"Gezin{i:03d}",
            members=[
                {
                    "first_name": "P",
                    "last_name": f"G{i}",
                    "date_of_birth": None,
                    "role": "parent",
                    "languages": [],
                    "interpreter_needed": False,
                    "interpreter_language": "",
                    "custody": None,
                }
            ],
        )
    client.login("pro.noord@test.example")
    first = client.get("/cases").get_data(as_text=True)
    assert "Gezin000" in first and f"Gezin{per_page:03d}" not in first
    second = client.get("/cases?page=2").get_data(as_text=True)
    assert f"Gezin{per_page:03d}" in second and "Gezin000" not in second
    assert client.get("/cases?page=abc").status_code == 200
