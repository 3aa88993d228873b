"""Matching people (issue 18, point 8): a professional's own profile, the team's caseload norm,
what a team lead sees when choosing a case lead, and the caseload against the norm."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select

from tests.conftest import form_version
from tests.factories.cases import person
from tests.test_queries import count_queries
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import Role, Team, User
from wijkteam.core.db import db

PROFILE = "/account/profile"


def _profile(client, **values: str):
    data = {
        "languages": "Twi, Engels",
        "background": "Ghanese kerken in Zuidoost",
        "expertise": "Schulden, opvoeding van pubers",
        "version": form_version(client.get(PROFILE).get_data(as_text=True)),
        **values,
    }
    return client.submit(PROFILE, data, page=PROFILE)


def test_a_professional_fills_in_their_own_profile(client, world, app):
    client.login("pro.noord@test.example")
    resp = _profile(client)
    assert resp.status_code == 302, unescape(resp.get_data(as_text=True))[-2000:]
    with app.app_context():
        user = db.get(User, world.pro_noord)
        assert user.languages == ["Twi", "Engels"]
        assert user.background == "Ghanese kerken in Zuidoost"
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "user.profile"))
        assert event.user_id == world.pro_noord and event.object_id == world.pro_noord
        assert "Twi" not in (event.detail or "")  # which fields, not what they say
    html = unescape(client.get(PROFILE).get_data(as_text=True))
    assert 'value="Twi, Engels"' in html


def test_no_right_is_gained_through_the_profile(client, world, app):
    client.login("pro.noord@test.example")
    resp = _profile(
        client,
        role="admin",
        team_id=str(world.zuid),
        active="",
        second_reviewer="y",
        email="baas@test.example",
        display_name="De Baas",
        work_percent="10",
    )
    assert resp.status_code == 302
    with app.app_context():
        user = db.get(User, world.pro_noord)
        assert (user.role, user.team_id, user.active, user.second_reviewer) == (
            Role.PROFESSIONAL,
            world.noord,
            True,
            False,
        )
        assert user.email == "pro.noord@test.example" and user.work_percent == 100
        assert user.languages == ["Twi", "Engels"]


def test_profile_bad_input_and_conflict_keep_the_text(client, world, app):
    client.login("pro.noord@test.example")
    client.english()
    many = ", ".join(f"Taal{i}" for i in range(11))
    resp = _profile(client, languages=many, expertise="Rouwverwerking")
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "Name at most 10 languages." in html and "Rouwverwerking" in html
    stale = form_version(client.get(PROFILE).get_data(as_text=True))
    assert _profile(client).status_code == 302
    resp = _profile(client, version=stale, expertise="Rouwverwerking")
    assert resp.status_code == 409
    assert "Rouwverwerking" in resp.get_data(as_text=True)


def _settings(client, team_id: int | None, members: dict[int, str] | None = None, **values: str):
    page = f"/admin/teams/{team_id}/settings" if team_id else "/team/settings"
    html = client.get(page).get_data(as_text=True)
    data = {"caseload_norm": "10", "version": form_version(html), **values}
    for i, (user_id, percent) in enumerate((members or {}).items()):
        data[f"members-{i}-user_id"] = str(user_id)
        data[f"members-{i}-work_percent"] = percent
    return client.submit(page, data, page=page)


def test_the_team_lead_sets_the_norm_and_part_time_shares(client, world, app):
    client.login("lead.noord@test.example")
    resp = _settings(client, None, {world.pro2_noord: "50"}, caseload_norm="12")
    assert resp.status_code == 302, unescape(resp.get_data(as_text=True))[-2000:]
    with app.app_context():
        assert db.get(Team, world.noord).caseload_norm == 12
        assert db.get(User, world.pro2_noord).work_percent == 50
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "team.settings"))
        assert "caseload_norm: (empty) -> 12" in event.detail or "None -> 12" in event.detail
        assert f"work_percent #{world.pro2_noord}: 100 -> 50" in event.detail


def test_team_settings_refuse_bad_numbers_and_other_teams_people(client, world, app):
    client.login("lead.noord@test.example")
    client.english()
    resp = _settings(client, None, caseload_norm="0")
    assert resp.status_code == 422
    assert "Fill in a number from 1 to 100." in unescape(resp.get_data(as_text=True))
    resp = _settings(client, None, {world.pro_noord: "150"})
    assert resp.status_code == 422
    resp = _settings(client, None, {world.pro_zuid: "10"})
    assert resp.status_code == 422
    assert "Choose from the people offered." in unescape(resp.get_data(as_text=True))
    with app.app_context():
        assert db.get(Team, world.noord).caseload_norm is None
        assert db.get(User, world.pro_zuid).work_percent == 100


def test_who_may_open_the_team_settings(client, world, app):
    client.login("pro.noord@test.example")
    assert client.get("/team/settings").status_code == 403
    assert client.get(f"/admin/teams/{world.noord}/settings").status_code == 403
    client.logout()
    client.login("lead.zuid@test.example")  # their own team only
    assert client.get(f"/admin/teams/{world.noord}/settings").status_code == 403
    assert "Team Zuid" in client.get("/team/settings").get_data(as_text=True)
    client.logout()
    client.login("admin@test.example")
    assert client.get("/team/settings").status_code == 403  # no team of their own
    assert client.get("/admin/teams/999/settings").status_code == 404
    assert _settings(client, world.zuid, caseload_norm="15").status_code == 302
    with app.app_context():
        assert db.get(Team, world.zuid).caseload_norm == 15
    # Admins see a profile on the account page (read-only; the person fills it in).
    html = client.get(f"/admin/users/{world.pro_noord}/edit").get_data(as_text=True)
    assert "My profile" in html or "Mijn profiel" in html


def _with_profile(app, user_id: int, languages: list[str], expertise: str = "") -> None:
    with app.app_context():
        user = db.get(User, user_id)
        user.languages, user.expertise = languages, expertise
        db.commit()


def test_the_team_lead_sees_who_fits_when_choosing_a_case_lead(client, other_client, world, app):
    _with_profile(app, world.pro2_noord, ["Twi", "Engels"], "Schulden")
    family = [person("Akosua", "Mensah", languages=("Twi",))]
    case_id = world.case(world.pro_noord, name="Mensah", members=family)
    client.login("lead.noord@test.example")
    client.english()
    html = unescape(client.get(f"/cases/{case_id}/lead").get_data(as_text=True))
    assert "Who fits this family?" in html and "The family speaks: Twi." in html
    assert "<strong>Twi</strong>" in html and "Schulden" in html
    assert ">Pro2 Noord (Twi, Engels)</option>" in html
    # The case lead hands over without seeing colleagues' profiles.
    other_client.login("pro.noord@test.example")
    page = other_client.get(f"/cases/{case_id}/lead").get_data(as_text=True)
    assert "Schulden" not in page and "(Twi, Engels)" not in page
    # Registering a family: the team lead sees the colleagues' profiles too.
    assert "Schulden" in client.get("/cases/new").get_data(as_text=True)


def test_the_dashboard_shows_caseload_against_the_norm(client, world, app):
    with app.app_context():
        db.get(Team, world.noord).caseload_norm = 2
        db.get(User, world.pro2_noord).work_percent = 50  # norm 1
        db.commit()
    for name in ("Een", "Twee", "Drie"):
        world.case(world.pro_noord, name=name)
    world.case(world.pro2_noord, name="Vier")
    client.login("lead.noord@test.example")
    client.english()
    html = client.get("/dashboard").get_data(as_text=True)
    assert "The team's norm: 2 families per full-time professional." in html
    row = html.split("<td>Pro Noord</td>")[1].split("</tr>")[0]
    assert "3 of 2" in row and "above the norm" in row
    row = html.split("<td>Pro2 Noord <small>(50%)</small></td>")[1].split("</tr>")[0]
    assert "1 of 1" in row and "above the norm" not in row


def test_dashboard_queries_stay_the_same_with_a_norm_and_profiles(client, world, app):
    with app.app_context():
        db.get(Team, world.noord).caseload_norm = 10
        db.commit()
    world.case(world.pro_noord, name="Eerste")
    client.login("lead.noord@test.example")
    client.get("/dashboard")
    with count_queries(app) as few:
        client.get("/dashboard")
    for i in range(8):
        world.case(world.pro2_noord if i % 2 else world.pro_noord, name=f"Gezin{i}")
    _with_profile(app, world.pro_noord, ["Arabisch"], "Opvoeding")
    with count_queries(app) as many:
        html = client.get("/dashboard").get_data(as_text=True)
    assert "5 van 10" in html  # Dutch, the default
    assert many["n"] == few["n"]
