"""Contact details and rights on the family's paper: set by admins on the team and account forms
(issue 16, point 9), checked, kept when wrong, and audited old -> new."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from tests.conftest import form_version
from wijkteam.audit.history import revisions_of
from wijkteam.audit.models import AuditEvent
from wijkteam.audit.services import MAX_DETAIL
from wijkteam.auth.models import TEAM_CONTACT_FIELDS, Team, User
from wijkteam.auth.services import update_team
from wijkteam.core.db import db
from wijkteam.printout.languages import CODES

CONTACT = {
    "phone": "+31 (0)6-00000301",
    "email": "noord@wijkteam.example",
    "reachable": "maandag tot en met vrijdag, 9.00 tot 17.00 uur",
    "complaints": "De klachtenfunctionaris van de gemeente: 06-00000391, "
    "klachten@nieuwstad.example",
    "client_support": "Cliëntondersteuning Naast Je: 06-00000392, gratis.",
    "youth_rights": "AKJ regio Noord: 06-00000394",
    "veilig_thuis": "Veilig Thuis regio Noord: 06-00000395, dag en nacht",
}


def team_page(client, team_id: int) -> tuple[str, str]:
    page = f"/admin/teams/{team_id}/edit"
    return page, form_version(client.get(page).get_data(as_text=True))


def team_form(v: str, **values: str) -> dict[str, object]:
    """What the browser sends: every print language stays ticked, as the page shows them."""
    every = [code for code in CODES if code != "nl"]
    return {
        "name": "Team Noord",
        "area": "",
        "active": "y",
        "version": v,
        "print_languages": every,
        **values,
    }


def user_form(world, v: str, **values: str) -> dict[str, str]:
    return {
        "display_name": "Pro2 Noord",
        "email": "pro2.noord@test.example",
        "role": "professional",
        "team_id": str(world.noord),
        "active": "y",
        "version": v,
        **values,
    }


def test_team_contact_details_round_trip_and_audit(client, other_client, world, app):
    client.login("admin@test.example")
    page, v = team_page(client, world.noord)
    resp = client.submit(page, team_form(v, **CONTACT), page=page)
    assert resp.status_code == 302
    with app.app_context():
        team = db.get(Team, world.noord)
        assert {n: getattr(team, n) for n in TEAM_CONTACT_FIELDS} == CONTACT
        row = db.scalar(select(AuditEvent).where(AuditEvent.action == "team.update"))
        assert row.user_id == world.admin and row.object_id == world.noord
        assert set(row.fields) == set(TEAM_CONTACT_FIELDS)
        assert "phone: (empty) -> +31 (0)6-00000301" in row.detail
        assert "veilig_thuis: (empty) -> Veilig Thuis regio Noord" in row.detail
    html = client.get(page).get_data(as_text=True)
    for value in CONTACT.values():
        assert str(escape(value)) in html
    # Changed again: old -> new, listed for the other admin.
    page, v = team_page(client, world.noord)
    resp = client.submit(page, team_form(v, **{**CONTACT, "phone": "06-00000309"}), page=page)
    assert resp.status_code == 302
    other_client.login("admin.noord@test.example")
    changes = other_client.get("/admin/changes").get_data(as_text=True)
    assert "phone: +31 (0)6-00000301 -&gt; 06-00000309" in changes


def test_a_new_team_with_contact_details(client, world, app):
    client.login("admin@test.example")
    page = "/admin/teams/new"
    data = {"name": "Team West", "area": "West", **CONTACT}
    assert client.submit(page, data, page=page).status_code == 302
    with app.app_context():
        team = db.scalar(select(Team).where(Team.name == "Team West"))
        assert team.phone == CONTACT["phone"] and team.veilig_thuis == CONTACT["veilig_thuis"]
        row = db.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "team.create", AuditEvent.object_id == team.id
            )
        )
        assert row.detail.startswith("Team West; phone: +31 (0)6-00000301; email: noord@")


PHONE_MESSAGE = "Use only digits, spaces, +, - and brackets, for example 020 555 0101."
TOO_LONG = "Field cannot be longer than"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "bel maar", PHONE_MESSAGE),
        ("phone", "020 555 0101 of 06-00000301", PHONE_MESSAGE),
        ("phone", "٠٢٠ ٥٥٥ ٠١٠١", PHONE_MESSAGE),  # Arabic-Indic digits are not dialled
        ("phone", "+()-", PHONE_MESSAGE),  # no digit at all
        ("phone", "06<script>1</script>", PHONE_MESSAGE),
        ("phone", "0" * 41, TOO_LONG),
        ("phone", "1" * 20_000 + "x", PHONE_MESSAGE),  # checked in linear time
        ("email", "geen-adres", "This is not a valid e-mail address."),
        ("email", "team@" + "a" * 250 + ".example", TOO_LONG),
        ("reachable", "x" * 201, TOO_LONG),
        ("complaints", "klacht " * 150 + "!", TOO_LONG),
        ("client_support", "y" * 1001, TOO_LONG),
        ("youth_rights", "z" * 1001, TOO_LONG),
        ("veilig_thuis", "v" * 201, TOO_LONG),
    ],
)
def test_team_contact_details_are_checked_and_typed_text_kept(
    client, world, app, field, value, message
):
    client.login("admin@test.example")
    client.english()
    page, v = team_page(client, world.noord)
    typed = {**CONTACT, field: value}
    resp = client.submit(page, team_form(v, **typed), page=page)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert message in html
    for name in TEAM_CONTACT_FIELDS:  # everything typed is still in the form
        assert str(escape(typed[name])) in html, name
    with app.app_context():
        team = db.get(Team, world.noord)
        assert all(getattr(team, n) == "" for n in TEAM_CONTACT_FIELDS)
        assert db.scalar(select(AuditEvent).where(AuditEvent.action == "team.update")) is None


def test_contact_details_with_odd_characters_are_saved_as_typed(client, world, app):
    """Control characters are dropped (as everywhere); other text, markup included, is kept
    as text and shown escaped."""
    client.login("admin@test.example")
    page, v = team_page(client, world.noord)
    odd = {
        "complaints": "Klacht?\x00 Bel <b>06-00000391</b> & mail ‘klachten@nieuwstad.example’",
        "reachable": "ma–vr 9.00–17.00 uur 🙂",
    }
    assert client.submit(page, team_form(v, **odd), page=page).status_code == 302
    with app.app_context():
        team = db.get(Team, world.noord)
        assert team.complaints == odd["complaints"].replace("\x00", "")
        assert team.reachable == odd["reachable"]
    html = client.get(page).get_data(as_text=True)
    assert "<b>06-00000391</b>" not in html
    assert "&lt;b&gt;06-00000391&lt;/b&gt;" in html


def test_the_team_form_shows_the_defaults_in_the_page_language(client, world):
    client.login("admin@test.example")
    page = f"/admin/teams/{world.noord}/edit"
    html = client.get(page).get_data(as_text=True)
    assert "Veilig Thuis: 0800-2000, gratis, dag en nacht" in html
    assert "Contactgegevens en rechten op het papier voor het gezin" in html
    client.english()
    html = client.get(page).get_data(as_text=True)
    assert "Left empty, the paper says: Veilig Thuis: 0800-2000, free, day and night" in html
    assert "Left empty, the paper says: AKJ, phone \u2066088 555 1000\u2069, www.akj.nl" in html
    assert "Contact details and rights on the family" in html


def test_a_long_text_change_keeps_every_field_in_the_audit_detail(world, app, ctx):
    admin = db.get(User, world.admin)
    team = db.get(Team, world.noord)
    first = {"complaints": "a" * 1000, "client_support": "b" * 1000}
    update_team(admin, team, expected_version=team.version, **first)
    db.commit()
    second = {"complaints": "c" * 1000, "client_support": "d" * 1000, "phone": "06-00000301"}
    update_team(admin, team, expected_version=team.version, **second)
    db.commit()
    row = db.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "team.update")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).one()
    assert len(row.detail) <= MAX_DETAIL
    assert "complaints: aaa" in row.detail and "…" in row.detail
    assert "client_support: bbb" in row.detail
    assert "phone: (empty) -> 06-00000301" in row.detail
    # The earlier values are kept whole in the team's history.
    assert revisions_of(team)[0].old["complaints"] == "a" * 1000


def test_account_phone_and_working_days_round_trip_and_audit(client, world, app):
    client.login("admin@test.example")
    page = f"/admin/users/{world.pro2_noord}/edit"
    v = form_version(client.get(page).get_data(as_text=True))
    data = user_form(world, v, phone="06-00000312", reachable="ma, di en do")
    assert client.submit(page, data, page=page).status_code == 302
    with app.app_context():
        user = db.get(User, world.pro2_noord)
        assert (user.phone, user.reachable) == ("06-00000312", "ma, di en do")
        row = db.scalar(select(AuditEvent).where(AuditEvent.action == "user.update"))
        assert row.user_id == world.admin and row.object_id == world.pro2_noord
        assert set(row.fields) == {"phone", "reachable"}
        assert row.detail == "phone: (empty) -> 06-00000312; reachable: (empty) -> ma, di en do"
    html = client.get(page).get_data(as_text=True)
    assert 'value="06-00000312"' in html and 'value="ma, di en do"' in html


def test_a_new_account_with_phone_and_working_days(client, world, app):
    client.login("admin@test.example")
    page = "/admin/users/new"
    data = user_form(world, "", email="nieuw@test.example", phone="06-00000315")
    data |= {"reachable": "wo en do", "display_name": "Nieuwe Collega"}
    data.pop("version")
    assert client.submit(page, data, page=page).status_code == 200  # the invitation link
    with app.app_context():
        user = db.scalar(select(User).where(User.email == "nieuw@test.example"))
        assert (user.phone, user.reachable) == ("06-00000315", "wo en do")
        row = db.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "user.create", AuditEvent.object_id == user.id
            )
        )
        assert "phone: 06-00000315; reachable: wo en do" in row.detail


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "06-0000031x", PHONE_MESSAGE),
        ("phone", "1" * 41, TOO_LONG),
        ("reachable", "ma " * 70 + "!", TOO_LONG),
    ],
)
def test_account_contact_details_are_checked_and_typed_text_kept(
    client, world, app, field, value, message
):
    client.login("admin@test.example")
    client.english()
    page = f"/admin/users/{world.pro2_noord}/edit"
    v = form_version(client.get(page).get_data(as_text=True))
    typed = {"phone": "06-00000312", "reachable": "ma, di en do", field: value}
    resp = client.submit(page, user_form(world, v, **typed), page=page)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert message in html
    assert str(escape(typed["phone"])) in html and str(escape(typed["reachable"])) in html
    with app.app_context():
        user = db.get(User, world.pro2_noord)
        assert (user.phone, user.reachable) == ("", "")


def test_an_admin_sets_his_own_phone(client, world, app):
    """Phone and working days decide no access: they are on an admin's own account form."""
    client.login("admin.noord@test.example")
    page = f"/admin/users/{world.admin_noord}/edit"
    v = form_version(client.get(page).get_data(as_text=True))
    data = {
        "display_name": "Admin Noord",
        "email": "admin.noord@test.example",
        "phone": "06-00000316",
        "reachable": "ma tot en met vr",
        "version": v,
    }
    assert client.submit(page, data, page=page).status_code == 302
    with app.app_context():
        me = db.get(User, world.admin_noord)
        assert (me.phone, me.reachable) == ("06-00000316", "ma tot en met vr")
        assert me.team_id == world.noord


@pytest.mark.parametrize("who", ["pro.noord@test.example", "lead.noord@test.example"])
def test_only_admins_change_contact_details(client, world, app, who):
    """A professional or team lead cannot set the team's or their own phone: the admin pages
    answer 403 to the page and to a post, and nothing changes."""
    client.login(who)
    me = world.pro_noord if who.startswith("pro.") else world.lead_noord
    token = client.csrf_token("/cases")
    team_page_ = f"/admin/teams/{world.noord}/edit"
    own_page = f"/admin/users/{me}/edit"
    for url, data in (
        (team_page_, team_form("1", **CONTACT)),
        (own_page, user_form(world, "1", phone="06-00000399", reachable="altijd")),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 403, url
    with app.app_context():
        assert db.get(Team, world.noord).phone == ""
        assert (db.get(User, me).phone, db.get(User, me).reachable) == ("", "")
