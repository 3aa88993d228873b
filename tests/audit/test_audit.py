"""Every view and change of a case file leaves an audit row; the log is append-only."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from tests.conftest import form_version
from wijkteam.audit.models import AuditEvent
from wijkteam.core.db import AppendOnlyViolation, db


def events(app, case_id: int | None = None) -> list[AuditEvent]:
    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        if case_id is not None:
            stmt = stmt.where(AuditEvent.case_id == case_id)
        rows = list(db.scalars(stmt))
        db.expunge_all()
        return rows


def test_viewing_a_case_is_logged_with_who(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro2.noord@test.example")
    before = len(events(app, case_id))
    client.get(f"/cases/{case_id}")
    rows = events(app, case_id)
    assert len(rows) == before + 1
    assert rows[-1].action == "case.view"
    assert rows[-1].user_id == world.pro2_noord
    assert rows[-1].ip == "127.0.0.1"


def test_registration_logs_family_case_and_members(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    actions = [e.action for e in events(app, case_id)]
    assert actions.count("case.create") == 1
    assert actions.count("family.create") == 1
    assert actions.count("member.create") == 1


def test_changes_are_logged_with_the_changed_fields(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/family/edit"
    v = form_version(client.get(page).get_data(as_text=True))
    client.submit(
        page,
        {
            "name": "Bakker",
            "address": "Nieuwe weg 2",
            "postcode": "9999 ZZ",
            "city": "Testdorp",
            "phone": "06-00000001",
            "context": "",
            "version": v,
        },
        page=page,
    )
    change = [e for e in events(app, case_id) if e.action == "family.update"]
    assert len(change) == 1
    assert change[0].fields == ["address", "phone"]
    assert change[0].user_id == world.pro_noord


def test_denied_cases_are_logged_as_attempts_not_as_views(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    before = len(events(app, case_id))
    client.login("pro.zuid@test.example")
    assert client.get(f"/cases/{case_id}").status_code == 404
    rows = events(app, case_id)
    assert [(e.action, e.user_id) for e in rows[before:]] == [("case.denied", world.pro_zuid)]
    assert client.get("/cases/999999").status_code == 404
    assert len(events(app, case_id)) == len(rows)  # a missing case names no case


def test_close_is_logged(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/close"
    v = form_version(client.get(page).get_data(as_text=True))
    client.submit(
        page,
        {"close_reason": "moved", "ended_by": "family", "closed_on": "2026-11-01", "version": v},
        page=page,
    )
    closing = [e for e in events(app, case_id) if e.action == "case.close"]
    assert len(closing) == 1
    assert "status" in closing[0].fields and "close_reason" in closing[0].fields
    outcomes = [e for e in events(app, case_id) if e.action == "case.outcomes"]
    assert [e.fields for e in outcomes] == [["ended_by"]]


def test_team_lead_reads_the_audit_trail(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro2.noord@test.example")
    client.get(f"/cases/{case_id}")
    assert client.get(f"/cases/{case_id}/audit").status_code == 403
    client.logout()
    client.login("lead.noord@test.example")
    client.english()
    html = client.get(f"/cases/{case_id}/audit").get_data(as_text=True)
    assert "Pro2 Noord" in html
    assert "Viewed the case" in html
    assert events(app, case_id)[-1].action == "audit.view"


def test_audit_rows_cannot_be_changed_through_the_app(app, world, ctx):
    world.case(world.pro_noord, name="Bakker")
    event = db.scalar(select(AuditEvent))
    event.action = "something else"
    with pytest.raises(AppendOnlyViolation):
        db.flush()
    db.rollback()
    event = db.scalar(select(AuditEvent))
    db.delete(event)
    with pytest.raises(AppendOnlyViolation):
        db.flush()
    db.rollback()


def test_postgresql_refuses_audit_updates_and_deletes(app, world, ctx):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("the database-level guard is PostgreSQL only")
    world.case(world.pro_noord, name="Bakker")
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(Exception, match="append-only"):
            db.execute(text(statement))
        db.rollback()


def test_edit_forms_showing_case_data_are_logged_as_views(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    client.login("pro.noord@test.example")
    for page in (
        f"/cases/{case_id}/edit",
        f"/cases/{case_id}/family/edit",
        f"/cases/{case_id}/close",
    ):
        before = len(events(app, case_id))
        assert client.get(page).status_code == 200
        rows = events(app, case_id)
        assert len(rows) == before + 1, page
        assert rows[-1].action == "case.view"
