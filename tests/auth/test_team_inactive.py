"""An inactive team: its members lose all access to case files at once, their sessions end, they
cannot log in until moved to an active team or the team is made active again; its cases stay."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from tests.conftest import form_version
from wijkteam.auth.models import AuthSession, Team, User
from wijkteam.auth.services import update_team, update_user
from wijkteam.cases.models import Case
from wijkteam.cases.queries import visible_cases
from wijkteam.core.db import db
from wijkteam.core.errors import FieldError
from wijkteam.core.permissions import can_view_case, in_team


def set_team_active(app, team_id: int, active: bool) -> None:
    """Behind the app's back (as a database change would): no session is ended by this."""
    with app.app_context():
        db.execute(update(Team).where(Team.id == team_id).values(active=active))
        db.commit()


def deactivate_through_admin(client, world, team_id: int, name: str):
    client.login("admin@test.example")
    page = f"/admin/teams/{team_id}/edit"
    v = form_version(client.get(page).get_data(as_text=True))
    return client.submit(page, {"name": name, "area": "", "version": v}, page=page)


def test_a_live_session_of_an_inactive_team_reaches_no_case_list_or_search(app, world, client):
    """The attacker's view: a member with a live session whose team became inactive tries the
    case, the list and search. Even when the change missed the session (made in the database),
    the session is dead at the next request."""
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    assert client.get(f"/cases/{case_id}").status_code == 200
    set_team_active(app, world.noord, False)
    for url in (f"/cases/{case_id}", "/cases?scope=team", "/search?q=Bakker", "/dashboard"):
        resp = client.get(url)
        assert resp.status_code == 302, url
        assert "/login" in resp.headers["Location"], url
    resp = client.post(f"/cases/{case_id}/close", data={"close_reason": "moved"})
    assert resp.status_code in (302, 303, 400)
    with app.app_context():
        assert db.get(Case, case_id).status != "closed"


def test_making_a_team_inactive_ends_its_members_sessions(app, world, client, other_client):
    other_client.login("pro.noord@test.example")
    assert other_client.get("/cases").status_code == 200
    assert deactivate_through_admin(client, world, world.noord, "Team Noord").status_code == 422
    # admin.noord is in the team: he is moved first (no admin locks himself out)
    with app.app_context():
        db.execute(update(User).where(User.id == world.admin_noord).values(team_id=None))
        db.commit()
    assert deactivate_through_admin(client, world, world.noord, "Team Noord").status_code == 302
    assert other_client.get("/cases").status_code == 302
    with app.app_context():
        team_members = select(User.id).where(User.team_id == world.noord)
        live = db.scalar(
            select(func.count(AuthSession.id)).where(
                AuthSession.user_id.in_(team_members), AuthSession.revoked_at.is_(None)
            )
        )
        assert live == 0
        assert db.scalar(select(func.count(Case.id))) == db.scalar(select(func.count(Case.id)))


def test_a_member_of_an_inactive_team_cannot_log_in_until_moved_or_reactivated(app, world, client):
    set_team_active(app, world.noord, False)
    client.english()
    resp = client.login("pro.noord@test.example")
    assert resp.status_code == 403
    assert "Your team is no longer active" in resp.get_data(as_text=True)
    # A wrong password gets the usual answer: the message tells nothing to a guesser.
    assert client.login("pro.noord@test.example", "wrong-password-xyz").status_code == 401
    set_team_active(app, world.noord, True)
    assert client.login("pro.noord@test.example").status_code == 302


def test_moving_a_member_to_an_active_team_lets_them_in_again(app, world, client, other_client):
    set_team_active(app, world.noord, False)
    client.login("admin@test.example")
    page = f"/admin/users/{world.pro_noord}/edit"
    html = client.get(page).get_data(as_text=True)
    assert "Team Noord" in html  # the account's own (inactive) team is still shown
    v = form_version(html)
    data = {
        "display_name": "Pro Noord",
        "email": "pro.noord@test.example",
        "role": "professional",
        "team_id": str(world.zuid),
        "active": "y",
        "version": v,
    }
    assert client.submit(page, data, page=page).status_code == 302
    assert other_client.login("pro.noord@test.example").status_code == 302


def test_inactive_teams_are_not_offered_and_nobody_is_moved_into_one(app, world, client):
    set_team_active(app, world.zuid, False)
    client.login("admin@test.example")
    html = client.get("/admin/users/new").get_data(as_text=True)
    assert f'value="{world.noord}"' in html
    assert f'value="{world.zuid}"' not in html
    page = "/admin/users/new"
    data = {
        "display_name": "Nieuw",
        "email": "nieuw@test.example",
        "role": "professional",
        "team_id": str(world.zuid),
    }
    assert client.submit(page, data, page=page).status_code == 422
    with app.test_request_context():
        actor = db.get(User, world.admin)
        user = db.get(User, world.pro_noord)
        with pytest.raises(FieldError):
            update_user(actor, user, expected_version=user.version, team_id=world.zuid)
        db.rollback()


def test_the_rule_itself_refuses_an_inactive_team(app, world, ctx):
    """in_team and visible_cases, at the depth of the rule: whatever page asks."""
    case_id = world.case(world.pro_noord, name="Bakker")
    user = db.get(User, world.pro_noord)
    case = db.get(Case, case_id)
    assert in_team(user, world.noord) and can_view_case(user, case)
    assert db.scalar(visible_cases(user).with_only_columns(func.count(Case.id))) == 1
    db.execute(update(Team).where(Team.id == world.noord).values(active=False))
    db.expire_all()
    assert not in_team(user, world.noord)
    assert not can_view_case(user, case)
    assert db.scalars(visible_cases(user)).all() == []


def test_team_changes_are_audited_with_old_and_new(app, world, ctx):
    from wijkteam.audit.models import AuditEvent

    actor = db.get(User, world.admin)
    team = db.get(Team, world.zuid)
    update_team(actor, team, expected_version=team.version, name="Team Zuid", active=False)
    db.commit()
    row = db.scalar(select(AuditEvent).where(AuditEvent.action == "team.update"))
    assert row.detail == "active: yes -> no"
    assert row.user_id == world.admin
