"""Admins manage teams and accounts; nobody else can."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import form_version
from wijkteam.auth.models import Role, Team, User
from wijkteam.db import db


def user_form(world, **values: str) -> dict[str, str]:
    data = {
        "display_name": "Nieuwe Collega",
        "email": "nieuw@test.example",
        "role": "professional",
        "team_id": str(world.noord),
        "active": "y",
        "password": "een-lang-wachtwoord",
    }
    data.update(values)
    return data


def test_only_admins_reach_admin_pages(client, world):
    client.login("lead.noord@test.example")
    for url in ("/admin/users", "/admin/teams", "/admin/users/new", "/admin/teams/new"):
        assert client.get(url).status_code == 403, url
    client.logout()
    client.login("admin@test.example")
    for url in ("/admin/users", "/admin/teams", "/admin/users/new", "/admin/teams/new"):
        assert client.get(url).status_code == 200, url


def test_admin_creates_an_account_that_can_log_in(client, other_client, world, app):
    client.login("admin@test.example")
    resp = client.submit("/admin/users/new", user_form(world), page="/admin/users/new")
    assert resp.status_code == 302
    with app.app_context():
        user = db.scalar(select(User).where(User.email == "nieuw@test.example"))
        assert user.role == Role.PROFESSIONAL and user.team_id == world.noord
    assert other_client.login("nieuw@test.example", "een-lang-wachtwoord").status_code == 302


def test_account_form_bad_input(client, world, app):
    client.login("admin@test.example")
    client.english()
    page = "/admin/users/new"
    resp = client.submit(page, user_form(world, email="geen-adres"), page=page)
    assert resp.status_code == 422
    assert "This is not a valid e-mail address." in resp.get_data(as_text=True)
    resp = client.submit(page, user_form(world, password="kort"), page=page)
    assert resp.status_code == 422 and "Use at least 12 characters." in resp.get_data(as_text=True)
    resp = client.submit(page, user_form(world, email="PRO.noord@test.example"), page=page)
    assert resp.status_code == 422
    assert "There is already an account with this e-mail address." in resp.get_data(as_text=True)
    resp = client.submit(page, user_form(world, team_id=""), page=page)
    assert resp.status_code == 422
    assert "only admins can be without a team" in resp.get_data(as_text=True)
    resp = client.submit(page, user_form(world, role="superuser"), page=page)
    assert resp.status_code == 422
    assert "Nieuwe Collega" in resp.get_data(as_text=True)  # typing kept
    with app.app_context():
        assert db.scalar(select(User).where(User.email == "geen-adres")) is None


def test_admin_moves_a_user_to_another_team_and_access_follows(client, other_client, world):
    case_id = world.case(world.pro_noord, name="Bakker")
    other_client.login("pro2.noord@test.example")
    assert other_client.get(f"/cases/{case_id}").status_code == 200
    client.login("admin@test.example")
    page = f"/admin/users/{world.pro2_noord}/edit"
    v = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(
        page,
        user_form(
            world,
            display_name="Pro2 Noord",
            email="pro2.noord@test.example",
            team_id=str(world.zuid),
            password="",
            version=v,
        ),
        page=page,
    )
    assert resp.status_code == 302
    # Changing team ends the session; after logging in again the old team's case is gone.
    assert other_client.get(f"/cases/{case_id}").status_code == 302
    other_client.login("pro2.noord@test.example")
    assert other_client.get(f"/cases/{case_id}").status_code == 404


def test_admin_cannot_lock_themselves_out(client, world, app):
    client.login("admin@test.example")
    page = f"/admin/users/{world.admin}/edit"
    v = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(
        page,
        user_form(
            world,
            display_name="Admin",
            email="admin@test.example",
            role="admin",
            team_id="",
            password="",
            version=v,
            active="",
        ),
        page=page,
    )
    assert resp.status_code == 422
    with app.app_context():
        assert db.get(User, world.admin).active is True


def test_teams_create_rename_and_conflict(client, other_client, world, app):
    client.login("admin@test.example")
    resp = client.submit(
        "/admin/teams/new", {"name": "Team West", "area": "West"}, page="/admin/teams/new"
    )
    assert resp.status_code == 302
    client.english()
    resp = client.submit("/admin/teams/new", {"name": "Team West"}, page="/admin/teams/new")
    assert resp.status_code == 422
    assert "There is already a team with this name." in resp.get_data(as_text=True)
    with app.app_context():
        west = db.scalar(select(Team).where(Team.name == "Team West")).id
    page = f"/admin/teams/{west}/edit"
    other_client.login("admin.noord@test.example")
    v = form_version(client.get(page).get_data(as_text=True))
    assert (
        other_client.submit(
            page, {"name": "Team West-Oost", "area": "West", "active": "y", "version": v}, page=page
        ).status_code
        == 302
    )
    resp = client.submit(
        page, {"name": "Team Westkwartier", "area": "West", "active": "y", "version": v}, page=page
    )
    assert resp.status_code == 409
    assert "Team Westkwartier" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.get(Team, west).name == "Team West-Oost"


def test_account_list_is_paginated(client, world, app):
    client.login("admin@test.example")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "pro.noord@test.example" in html
    assert client.get("/admin/users?page=99").status_code == 200


def test_cli_create_user(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "eerste@test.example",
            "--name",
            "Eerste Beheerder",
            "--password",
            "een-lang-wachtwoord",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.scalar(select(User.role).where(User.email == "eerste@test.example")) == Role.ADMIN
    again = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "eerste@test.example",
            "--name",
            "X",
            "--password",
            "een-lang-wachtwoord",
        ]
    )
    assert again.exit_code != 0
