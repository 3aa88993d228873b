"""Sign-off round trip: an agreed plan version and a safety decision go to the team lead, who
approves or sends back with a comment; the professional sees what waits and what came back."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.plans.conftest import PlanUI
from wijkteam.db import db
from wijkteam.signoff.models import Review, ReviewKind, ReviewStatus

VERSION_RE = re.compile(r'name="version" type="hidden" value="(\d+)"')


def agree_plan(client, case_id: int) -> None:
    plan = PlanUI(client, case_id)
    plan.start()
    plan.add_goal()
    page = f"/cases/{case_id}/plan/finalise"
    version = VERSION_RE.search(client.get(page).get_data(as_text=True)).group(1)
    assert (
        client.submit(
            page,
            {
                "agreed_on": "2026-03-01",
                "agreed_how": "in_person",
                "member_ids": "1",
                "version": version,
            },
            page=page,
        ).status_code
        == 302
    )


def test_plan_version_sign_off_round_trip(client, other_client, world, app, plan_case):
    client.login("pro.noord@test.example")
    agree_plan(client, plan_case)
    with app.app_context():
        review = db.scalar(select(Review))
        assert (review.kind, review.ref_id, review.status) == (
            ReviewKind.PLAN_VERSION,
            1,
            ReviewStatus.WAITING,
        )
        review_id = review.id
    client.english()
    assert "Waiting for sign-off" in client.get("/dashboard").get_data(as_text=True)
    other_client.login("lead.noord@test.example")
    other_client.english()
    board = other_client.get("/dashboard").get_data(as_text=True)
    assert "Waiting for your sign-off" in board and f"/reviews/{review_id}" in board
    page = f"/reviews/{review_id}"
    resp = other_client.submit(page, {"decision": "return", "comment": ""}, page=page)
    assert resp.status_code == 422
    assert "Write what needs another look." in resp.get_data(as_text=True)
    version = VERSION_RE.search(other_client.get(page).get_data(as_text=True)).group(1)
    resp = other_client.submit(
        page,
        {"decision": "return", "version": version, "comment": "Graag het netwerk meer betrekken."},
        page=page,
    )
    assert resp.status_code == 302
    mine = client.get("/dashboard").get_data(as_text=True)
    assert "Came back from the team lead" in mine
    assert "Graag het netwerk meer betrekken." in mine
    # Decided once; a professional cannot decide.
    assert (
        other_client.submit(
            page, {"decision": "approve", "version": version}, page=page
        ).status_code
        == 403
    )
    assert client.submit(
        page, {"decision": "approve", "version": version}, page=page
    ).status_code in (403, 409)


def test_safety_decision_goes_to_sign_off_and_is_approved(
    client, other_client, world, app, plan_case
):
    from tests.safety.test_safety import STEP_OK, open_concern, step

    client.login("pro.noord@test.example")
    url = open_concern(client, f"/cases/{plan_case}/safety")
    for n in range(1, 6):
        assert step(client, url, n, **STEP_OK[n]).status_code == 302
    with app.app_context():
        review = db.scalar(select(Review).where(Review.kind == ReviewKind.SAFETY_DECISION))
        review_id = review.id
    other_client.login("lead.noord@test.example")
    page = f"/reviews/{review_id}"
    version = VERSION_RE.search(other_client.get(page).get_data(as_text=True)).group(1)
    assert (
        other_client.submit(
            page, {"decision": "approve", "version": version}, page=page
        ).status_code
        == 302
    )
    with app.app_context():
        review = db.get(Review, review_id)
        assert review.status == ReviewStatus.APPROVED and review.decided_by_id == world.lead_noord


def test_reviews_are_scoped_to_the_team(client, other_client, world, app, plan_case):
    client.login("pro.noord@test.example")
    agree_plan(client, plan_case)
    with app.app_context():
        review_id = db.scalar(select(Review.id))
    other_client.login("lead.zuid@test.example")
    assert other_client.get(f"/reviews/{review_id}").status_code == 404
    assert f"/reviews/{review_id}" not in other_client.get("/dashboard").get_data(as_text=True)
    other_client.logout()
    other_client.login("pro2.noord@test.example")  # a colleague, not the one who asked
    assert other_client.get(f"/reviews/{review_id}").status_code == 403
