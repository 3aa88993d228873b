"""The case moves on from intake when the family agrees to its plan (issue 17, part 4): audited
old -> new like other case changes, said in the message, and a closed case is never reopened."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import app_api as api
from tests.factories import cases as c
from tests.plans.test_repeats_and_agreement import agree
from wijkteam.audit.models import AuditEvent
from wijkteam.cases.models import CaseStatus
from wijkteam.cases.services import move_on_agreement, update_case
from wijkteam.core.db import db
from wijkteam.core.errors import NotAllowed


def status_changes(case_id: int) -> list[AuditEvent]:
    return list(
        db.scalars(
            select(AuditEvent).where(
                AuditEvent.case_id == case_id,
                AuditEvent.action == "case.update",
                AuditEvent.detail.like("status:%"),
            )
        )
    )


def test_agreeing_a_plan_moves_a_case_at_intake_to_active(app, world, plan_case):
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, plan_case)
        assert case.status == CaseStatus.INTAKE
        plan = c.start_plan(user, case)
        c.goal(user, case, plan)
        c.agree(user, case, plan, [c.members_of(case)[0].id])
        assert case.status == CaseStatus.ACTIVE
        db.commit()  # audit rows are written at the commit
        (event,) = status_changes(case.id)
        assert event.fields == ["status"]
        assert event.detail == "status: intake -> active (plan version 1 agreed)"
        assert event.user_id == user.id
        # A second agreement leaves the active case as it is: no second status change.
        c.agree(user, case, plan, [c.members_of(case)[0].id])
        assert case.status == CaseStatus.ACTIVE
        db.commit()
        assert len(status_changes(case.id)) == 1


def test_a_closed_case_is_never_reopened(app, world, plan_case):
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, plan_case)
        plan = c.start_plan(user, case)
        c.goal(user, case, plan)
        c.close(user, case)
        assert move_on_agreement(user, case, 1) is None
        assert case.status == CaseStatus.CLOSED
        with pytest.raises(NotAllowed):  # a closed case's plan is not agreed at all
            c.agree(user, case, plan, [c.members_of(case)[0].id])
        assert case.status == CaseStatus.CLOSED
        db.rollback()
        assert status_changes(case.id) == []


def test_an_active_case_stays_active(app, world, plan_case):
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, plan_case)
        update_case(user, case, expected_version=case.version, data={"status": CaseStatus.ACTIVE})
        db.commit()
        assert move_on_agreement(user, case, 1) is None
        assert case.status == CaseStatus.ACTIVE
        db.commit()
        assert status_changes(case.id) == []


def test_the_professional_is_told_the_case_moved_on(ui, client, app):
    ui.start()
    ui.add_goal()
    client.english()
    resp = agree(client, ui.base)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "The agreed version is saved. The case is now &#39;Active&#39;." in html
    with app.app_context():
        assert db.get(api.Case, ui.case_id).status == CaseStatus.ACTIVE
        assert len(status_changes(ui.case_id)) == 1
    # The case page shows the new status; the next agreement says nothing of it.
    assert "Active" in client.get(f"/cases/{ui.case_id}").get_data(as_text=True)
    resp = agree(client, ui.base, agreed_on="2026-03-05")
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "The agreed version is saved. You can keep working on the next draft." in html
    assert "The case is now" not in html


def test_the_dutch_message_names_the_new_status(ui, client):
    ui.start()
    ui.add_goal()
    resp = agree(client, ui.base)
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "De casus staat nu op &#39;Lopend&#39;." in html
