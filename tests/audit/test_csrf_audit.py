"""A form refused by the CSRF check is audited for a logged-in user (one row per refused
request, naming the case); a request with an ended session or none writes nothing, however
many arrive (an anonymous client must not be able to fill the log)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from tests.conftest import audit_rows_after, last_audit_id
from wijkteam.auth.models import AuthSession
from wijkteam.core.db import db, utc_now


def test_a_logged_in_users_refused_form_leaves_one_row(app, client, world):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    for token in (None, "made-up-token"):
        before = last_audit_id(app)
        data = {"name": "Anders", **({"csrf_token": token} if token else {})}
        resp = client.post(f"/cases/{case_id}/family/edit", data=data)
        assert resp.status_code == 400
        rows = audit_rows_after(app, before)
        assert [(r.action, r.user_id, r.case_id) for r in rows] == [
            ("csrf.refused", world.pro_noord, case_id)
        ], token
        where = f"400 POST /cases/{case_id}/family/edit (cases.edit_family)"
        assert rows[0].detail.startswith(where)
        assert "CSRF" in rows[0].detail


def test_a_refused_long_form_is_audited_and_still_kept(app, client, world):
    """A long form keeps the typed text (the rescue) and is audited as well."""
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    before = last_audit_id(app)
    resp = client.post(f"/cases/{case_id}/notes/new", data={"question": "Mijn tekst."})
    assert resp.status_code < 500
    rows = audit_rows_after(app, before)
    assert [(r.action, r.case_id) for r in rows if r.action == "csrf.refused"] == [
        ("csrf.refused", case_id)
    ]


def test_another_teams_case_is_named_for_its_team_lead(app, client, world):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.zuid@test.example")
    before = last_audit_id(app)
    assert client.post(f"/cases/{case_id}/family/edit", data={"name": "x"}).status_code == 400
    rows = audit_rows_after(app, before)
    assert [(r.action, r.user_id, r.case_id) for r in rows] == [
        ("csrf.refused", world.pro_zuid, case_id)
    ]
    client.logout()
    client.login("lead.noord@test.example")
    client.english()
    trail = client.get(f"/cases/{case_id}/audit").get_data(as_text=True)
    assert "Sent a form that was refused (security code missing or wrong)" in trail


def test_no_row_without_a_live_session(app, client, other_client, world):
    case_id = world.case(world.pro_noord, name="Bakker")
    before = last_audit_id(app)
    long_text = "x" * 50_000
    for _ in range(20):  # anonymous: no cookie at all
        other_client.post(f"/cases/{case_id}/notes/new", data={"question": long_text})
        other_client.post("/cases/900001/notes/new", data={"question": long_text})
        other_client.post("/login", data={"email": "a@b.example", "password": "x"})
    assert audit_rows_after(app, before) == []

    # An ended session (idle time passed): the cookie names a user, but the request could have
    # come from any page that makes the browser post here.
    client.login("pro.noord@test.example")
    with app.app_context():
        db.execute(update(AuthSession).values(last_seen_at=utc_now() - timedelta(hours=2)))
        db.commit()
    before = last_audit_id(app)
    for _ in range(5):
        resp = client.post(f"/cases/{case_id}/family/edit", data={"name": "x"})
        assert resp.status_code < 500
    assert [r.action for r in audit_rows_after(app, before)] == []
