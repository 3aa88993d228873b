"""Admins manage teams and accounts; nobody else can."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.conftest import form_version
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import Role, Team, User
from wijkteam.auth.services import update_user
from wijkteam.core.db import db
from wijkteam.core.errors import FieldError

LINK_RE = re.compile(r">http://localhost(/password/link/[^<]+)</textarea>")


def user_form(world, **values: str) -> dict[str, str]:
    data = {
        "display_name": "Nieuwe Collega",
        "email": "nieuw@test.example",
        "role": "professional",
        "team_id": str(world.noord),
        "active": "y",
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


def test_admin_creates_an_account_without_a_password_and_gets_a_link(
    client, other_client, world, app
):
    client.login("admin@test.example")
    resp = client.submit("/admin/users/new", user_form(world), page="/admin/users/new")
    assert resp.status_code == 200
    link = LINK_RE.search(resp.get_data(as_text=True)).group(1)
    with app.app_context():
        user = db.scalar(select(User).where(User.email == "nieuw@test.example"))
        assert user.role == Role.PROFESSIONAL and user.team_id == world.noord
        assert user.password_hash is None  # nobody, the admin included, knows a password
    # The new colleague chooses a password with the link, then logs in with it.
    page = other_client.get(link)
    assert page.status_code == 200
    chosen = "regenjas-fietsbel-zonnebloem"
    resp = other_client.submit(link, {"password": chosen, "password_again": chosen}, page=link)
    assert resp.status_code == 302
    assert other_client.login("nieuw@test.example", chosen).status_code == 302


def test_account_form_bad_input(client, world, app):
    client.login("admin@test.example")
    client.english()
    page = "/admin/users/new"
    resp = client.submit(page, user_form(world, email="geen-adres"), page=page)
    assert resp.status_code == 422
    assert "This is not a valid e-mail address." in resp.get_data(as_text=True)
    resp = client.submit(page, user_form(world, email="PRO.noord@test.example"), page=page)
    assert resp.status_code == 422
    assert "There is already an account with this e-mail address." in resp.get_data(as_text=True)
    resp = client.submit(page, user_form(world, team_id=""), page=page)
    assert resp.status_code == 422
    assert "only admins and analysts can be without a team" in resp.get_data(as_text=True)
    resp = client.submit(page, user_form(world, role="superuser"), page=page)
    assert resp.status_code == 422
    assert "Nieuwe Collega" in resp.get_data(as_text=True)  # typing kept
    resp = client.submit(page, user_form(world, team_id="999999"), page=page)
    assert resp.status_code == 422
    with app.app_context():
        assert db.scalar(select(User).where(User.email == "geen-adres")) is None


def test_admin_creates_an_analyst_without_a_team(client, world, app):
    """An analyst (issue 20) reads the outcomes of all teams: no team, and none can be given."""
    client.login("admin@test.example")
    client.english()
    page = "/admin/users/new"
    assert '<option value="analyst">Analyst</option>' in client.get(page).get_data(as_text=True)
    resp = client.submit(page, user_form(world, role="analyst"), page=page)
    assert resp.status_code == 422
    assert "An analyst sees the outcomes of all teams" in resp.get_data(as_text=True)
    resp = client.submit(page, user_form(world, role="analyst", team_id=""), page=page)
    assert resp.status_code == 200
    with app.app_context():
        user = db.scalar(select(User).where(User.email == "nieuw@test.example"))
        assert (user.role, user.team_id) == (Role.ANALYST, None)


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
            version=v,
        ),
        page=page,
    )
    assert resp.status_code == 302
    # Changing team ends the session; after logging in again the old team's case is gone.
    assert other_client.get(f"/cases/{case_id}").status_code == 302
    other_client.login("pro2.noord@test.example")
    assert other_client.get(f"/cases/{case_id}").status_code == 404


def own_form(world, v: str, **values: str) -> dict[str, str]:
    return {"display_name": "Admin", "email": "admin@test.example", "version": v, **values}


def test_an_admin_cannot_give_himself_a_team(client, world, app):
    """The attack of the report: an admin without a team posts his own account with a team,
    logs in again and reads a case. The team (and role, active, second reviewer) stays."""
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("admin@test.example")
    page = f"/admin/users/{world.admin}/edit"
    html = client.get(page).get_data(as_text=True)
    assert 'name="team_id"' not in html and 'name="role"' not in html
    v = form_version(html)
    resp = client.submit(
        page,
        own_form(
            world, v, team_id=str(world.noord), role="teamlead", second_reviewer="y", active=""
        ),
        page=page,
    )
    assert resp.status_code == 302  # name and e-mail saved; nothing else was in the form
    with app.app_context():
        me = db.get(User, world.admin)
        assert (me.team_id, me.role, me.active, me.second_reviewer) == (
            None,
            Role.ADMIN,
            True,
            False,
        )
    client.logout()
    client.login("admin@test.example")
    assert client.get(f"/cases/{case_id}").status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [("team_id", "noord"), ("role", Role.TEAMLEAD), ("active", False), ("second_reviewer", True)],
)
def test_the_service_refuses_an_admin_changing_his_own_access(world, app, ctx, field, value):
    me = db.get(User, world.admin_noord)
    if value == "noord":
        value = None  # admin.noord is in team Noord: leaving it is a change too
    with pytest.raises(FieldError) as refused:
        update_user(me, me, expected_version=me.version, **{field: value})
    assert refused.value.field == field
    db.rollback()


def test_admin_cannot_deactivate_himself(client, world, app):
    client.login("admin@test.example")
    page = f"/admin/users/{world.admin}/edit"
    v = form_version(client.get(page).get_data(as_text=True))
    client.submit(page, own_form(world, v, active=""), page=page)
    with app.app_context():
        assert db.get(User, world.admin).active is True


def test_access_changes_are_audited_with_old_and_new_values_and_listed(
    client, other_client, world, app
):
    client.login("admin@test.example")
    page = f"/admin/users/{world.pro2_noord}/edit"
    v = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(
        page,
        user_form(
            world,
            display_name="Pro2 Noord",
            email="pro2.noord@test.example",
            role="teamlead",
            team_id=str(world.zuid),
            second_reviewer="y",
            version=v,
        ),
        page=page,
    )
    assert resp.status_code == 302
    with app.app_context():
        row = db.scalar(select(AuditEvent).where(AuditEvent.action == "user.update"))
        assert row.user_id == world.admin and row.object_id == world.pro2_noord
        assert "role: professional -> teamlead" in row.detail
        assert f"team_id: #{world.noord} Team Noord -> #{world.zuid} Team Zuid" in row.detail
        assert "second_reviewer: no -> yes" in row.detail
    # The other admin sees it on the changes page, newest first.
    other_client.login("admin.noord@test.example")
    html = other_client.get("/admin/changes").get_data(as_text=True)
    assert "role: professional -&gt; teamlead" in html
    assert html.index("role: professional") < html.index("pro2.noord@test.example; role")


def test_the_changes_page_is_paged(client, world, app):
    client.login("admin@test.example")
    assert client.get("/admin/changes?page=2").status_code == 200
    assert client.get("/admin/changes?page=-5").status_code == 200
    client.logout()
    client.login("lead.noord@test.example")
    assert client.get("/admin/changes").status_code == 403


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
    strong = "regenjas-fietsbel-zonnebloem"
    args = ["create-user", "--email", "eerste@test.example", "--name", "Eerste Beheerder"]
    result = app.test_cli_runner().invoke(args=[*args, "--password", strong])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.scalar(select(User.role).where(User.email == "eerste@test.example")) == Role.ADMIN
    again = app.test_cli_runner().invoke(args=[*args, "--password", strong])
    assert again.exit_code != 0


def test_cli_creates_an_analyst_without_a_team(app, world):
    strong = "regenjas-fietsbel-zonnebloem"
    args = ["create-user", "--email", "analist@test.example", "--name", "Analist"]
    result = app.test_cli_runner().invoke(args=[*args, "--role", "analyst", "--password", strong])
    assert result.exit_code == 0, result.output
    with_team = [*args[:2], "analist2@test.example", *args[3:], "--team", "Team Noord"]
    result = app.test_cli_runner().invoke(
        args=[*with_team, "--role", "analyst", "--password", strong]
    )
    assert result.exit_code != 0
    with app.app_context():
        assert db.scalar(select(User.role).where(User.email == "analist@test.example")) == (
            Role.ANALYST
        )


@pytest.mark.parametrize("weak", ["welkom123456", "password1234", "aaaaaaaaaaaa"])
def test_cli_create_user_applies_the_password_policy(app, weak):
    args = ["create-user", "--email", "zwak@test.example", "--name", "Zwak", "--password", weak]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    with app.app_context():
        assert db.scalar(select(User).where(User.email == "zwak@test.example")) is None


def test_the_teams_come_a_page_at_a_time_with_their_accounts(client, world, app, monkeypatch):
    """Issue 21: every list that can grow is paged: the admin's teams by name, each with its
    number of active accounts, in as many queries for many teams as for few."""
    from tests.test_queries import count_queries
    from wijkteam.admin import views

    monkeypatch.setattr(views, "PAGE_SIZE_TEAMS", 2)
    client.login("admin@test.example")

    def selects() -> int:
        client.get("/admin/teams")
        with count_queries(app) as counter:
            assert client.get("/admin/teams").status_code == 200
        return counter["selects"]

    few = selects()
    with app.app_context():
        db.add_all(Team(name=f"Team A{i}", area="") for i in range(3))
        db.commit()
        active = {
            team_id: str(
                db.scalar(
                    select(func.count(User.id)).where(
                        User.team_id == team_id, User.active.is_(True)
                    )
                )
            )
            for team_id in (world.noord, world.zuid)
        }
    assert selects() == few
    assert all(int(n) > 0 for n in active.values())

    def rows(url: str) -> list[tuple[str, str]]:
        html = client.get(url).get_data(as_text=True)
        row = r'/edit">([^<]+)</a>.*?</td>\s*<td>[^<]*</td>\s*<td>(\d+)</td>'
        return re.findall(row, html, re.S)

    assert rows("/admin/teams") == [("Team A0", "0"), ("Team A1", "0")]
    assert rows("/admin/teams?page=2") == [("Team A2", "0"), ("Team Noord", active[world.noord])]
    assert rows("/admin/teams?page=3") == [("Team Zuid", active[world.zuid])]
    assert rows("/admin/teams?page=99999999999999999999") == rows("/admin/teams?page=3")
