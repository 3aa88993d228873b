"""What one plan may hold, so that no printout of it can take a worker for minutes: goals,
open actions per goal and per plan, all actions, and the length of the texts the family reads.
Every way in is bounded (the plan's forms, a network meeting's agreements, a note's next steps,
a case discussion's follow-ups), with a message on the form at the limit."""

from __future__ import annotations

from datetime import UTC, datetime
from html import unescape

import pytest
from sqlalchemy import func, insert, select

from tests.conftest import form_version
from tests.plans.conftest import PlanUI
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.errors import FieldError
from wijkteam.plans import services as plans
from wijkteam.plans.models import Action, ActionStatus, Goal, GoalStatus, OwnerKind, Plan


@pytest.fixture
def ui(client, plan_case):
    client.login("pro.noord@test.example")
    client.english()
    plan = PlanUI(client, plan_case)
    plan.start()
    return plan


def plan_id(app, case_id: int) -> int:
    with app.app_context():
        return db.scalar(select(Plan.id).where(Plan.case_id == case_id))


def bulk_goals(app, case_id: int, n: int) -> list[int]:
    """n goals at once (a test of the limit need not add them one by one)."""
    now = datetime.now(UTC)
    pid = plan_id(app, case_id)
    with app.app_context():
        db.execute(
            insert(Goal),
            [
                {
                    "plan_id": pid,
                    "position": i + 1,
                    "text": f"Doel {i}",
                    "status": GoalStatus.ACTIVE,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(n)
            ],
        )
        db.commit()
        return list(db.scalars(select(Goal.id).where(Goal.plan_id == pid).order_by(Goal.id)))


def bulk_actions(app, goal_id: int, n: int, status=ActionStatus.PLANNED) -> None:
    now = datetime.now(UTC)
    with app.app_context():
        db.execute(
            insert(Action),
            [
                {
                    "goal_id": goal_id,
                    "text": f"Actie {i}",
                    "owner_kind": OwnerKind.FAMILY,
                    "status": status,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(n)
            ],
        )
        db.commit()


def add_action(client, case_id: int, goal_id: int, text: str = "Oma belt.", status="planned"):
    page = f"/cases/{case_id}/plan/goals/{goal_id}/actions/new"
    return client.submit(page, {"text": text, "owner_kind": "family", "status": status}, page=page)


def count_actions(app) -> int:
    with app.app_context():
        return db.scalar(select(func.count(Action.id)))


def test_a_plan_holds_at_most_25_goals(app, client, plan_case, ui):
    bulk_goals(app, plan_case, plans.MAX_GOALS - 1)
    assert ui.add_goal("Het laatste doel dat past.").status_code == 302
    resp = ui.add_goal("Eén doel te veel.")
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "This plan already has 25 goals, the most one plan can hold." in html
    assert "Eén doel te veel." in html  # what was typed stays in the form


def test_a_goal_holds_at_most_20_open_actions(app, client, plan_case, ui):
    goal = ui.goal_id(ui.add_goal())
    bulk_actions(app, goal, plans.MAX_OPEN_ACTIONS_PER_GOAL - 1)
    bulk_actions(app, goal, 30, ActionStatus.DONE)  # done ones do not count here
    assert add_action(client, plan_case, goal).status_code == 302
    resp = add_action(client, plan_case, goal, "Nog eentje.")
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "This goal already has 20 open actions" in html and "Nog eentje." in html
    # A done action may still be written down.
    assert add_action(client, plan_case, goal, "Al gedaan.", "done").status_code == 302


def test_a_plan_holds_at_most_100_open_actions(app, client, plan_case, ui):
    goals = bulk_goals(app, plan_case, 6)
    for goal in goals[:5]:
        bulk_actions(app, goal, 20)
    assert count_actions(app) == plans.MAX_OPEN_ACTIONS_PER_PLAN
    resp = add_action(client, plan_case, goals[5])
    assert resp.status_code == 422
    assert "This plan already has 100 open actions" in unescape(resp.get_data(as_text=True))


def test_reopening_a_done_action_counts_too(app, client, plan_case, ui):
    goal = ui.goal_id(ui.add_goal())
    bulk_actions(app, goal, 1, ActionStatus.DONE)
    bulk_actions(app, goal, plans.MAX_OPEN_ACTIONS_PER_GOAL)
    with app.app_context():
        done = db.scalar(select(Action.id).where(Action.status == ActionStatus.DONE))
    page = f"/cases/{plan_case}/plan/actions/{done}/edit"
    version = form_version(client.get(page).get_data(as_text=True))
    resp = client.submit(
        page,
        {"text": "Actie 0", "owner_kind": "family", "status": "doing", "version": version},
        page=page,
    )
    assert resp.status_code == 422
    assert "This goal already has 20 open actions" in unescape(resp.get_data(as_text=True))


def test_a_plan_holds_at_most_500_actions_in_all(app, client, plan_case, ui):
    goals = bulk_goals(app, plan_case, 2)
    bulk_actions(app, goals[0], plans.MAX_ACTIONS_PER_PLAN, ActionStatus.DONE)
    for status in ("planned", "done"):
        resp = add_action(client, plan_case, goals[1], status=status)
        assert resp.status_code == 422, status
        assert "This plan already has 500 actions in all" in unescape(resp.get_data(as_text=True))
    assert count_actions(app) == plans.MAX_ACTIONS_PER_PLAN


def test_texts_the_family_reads_have_a_length_limit(app, client, plan_case, ui):
    resp = ui.add_goal("x" * 1001)
    assert resp.status_code == 422
    assert "Write at most 1000 characters." in resp.get_data(as_text=True)
    goal = ui.goal_id(ui.add_goal("x" * 1000))
    resp = add_action(client, plan_case, goal, "y" * 1001)
    assert resp.status_code == 422
    assert "Write at most 1000 characters." in resp.get_data(as_text=True)
    assert count_actions(app) == 0
    # The professional's own reservations are never printed: they keep the longer limit.
    resp = ui.add_goal("Kort doel.", reservations="z" * 4000)
    assert resp.status_code == 302


def test_services_hold_the_length_limit_for_every_way_in(app, plan_case, ui, world):
    """A meeting's agreement row or a seed file goes through the same service."""
    with app.test_request_context():
        case = db.get(Case, plan_case)
        user = db.get(User, world.pro_noord)
        plan = db.scalar(select(Plan).where(Plan.case_id == plan_case))
        with pytest.raises(FieldError) as refused:
            plans.add_goal(user, case, plan, {"text": "a", "first_step": "b" * 1001})
        assert refused.value.field == "first_step"
        goal = plans.add_goal(user, case, plan, {"text": "a"})
        with pytest.raises(FieldError) as refused:
            plans.add_agreed_action(
                user,
                case,
                goal,
                {"text": "c" * 1001, "owner_kind": OwnerKind.FAMILY},
                field="agreements",
            )
        assert refused.value.field == "text"
        db.rollback()


def test_a_network_meeting_cannot_overfill_the_plan(app, client, plan_case, ui):
    goal = ui.goal_id(ui.add_goal())
    bulk_actions(app, goal, plans.MAX_OPEN_ACTIONS_PER_GOAL - 1)
    page = f"/cases/{plan_case}/network/meetings/new"
    resp = client.submit(
        page,
        {
            "held_on": "2026-04-01",
            "kind": "informal",
            "organised_by": "family",
            "family_member_ids": "1",
            "summary": "Samen gegeten.",
            **{
                f"agreements-{i}-{k}": v
                for i in range(2)
                for k, v in (("text", f"Afspraak {i}"), ("goal_id", str(goal)), ("owner", "family"))
            },
        },
        page=page,
    )
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "This goal already has 20 open actions" in html
    assert "Afspraak 1" in html  # the agreements typed stay in the form
    assert count_actions(app) == plans.MAX_OPEN_ACTIONS_PER_GOAL - 1  # nothing half-saved


def test_a_note_cannot_overfill_the_plan(app, client, plan_case, ui):
    goal = ui.goal_id(ui.add_goal())
    bulk_actions(app, goal, plans.MAX_OPEN_ACTIONS_PER_GOAL)
    page = f"/cases/{plan_case}/notes/new"
    resp = client.submit(
        page,
        {
            "contact_on": "2026-03-10",
            "kind": "home_visit",
            "family_member_ids": "1",
            "question": "Lisa wil rust.",
            "finalise": "y",
            "steps-0-text": "Lisa legt de kleren klaar.",
            "steps-0-goal_id": str(goal),
            "steps-0-owner": "family-1",
        },
        page=page,
    )
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "This goal already has 20 open actions" in html and "Lisa wil rust." in html
    assert count_actions(app) == plans.MAX_OPEN_ACTIONS_PER_GOAL


def test_a_case_discussion_cannot_overfill_the_plan(app, plan_case, ui, world):
    """The follow-ups of a case discussion become actions through the same rule; the refusal
    names the form's follow-up rows."""
    from wijkteam.discussions import services as discussions
    from wijkteam.discussions.models import Need

    goal = ui.goal_id(ui.add_goal())
    bulk_actions(app, goal, plans.MAX_OPEN_ACTIONS_PER_GOAL)
    with app.test_request_context():
        case = db.get(Case, plan_case)
        pro, lead = db.get(User, world.pro_noord), db.get(User, world.lead_noord)
        item = discussions.submit_item(pro, case, question="Hoe?", tried="Veel.", need=Need.ADVICE)
        discussions.plan_discussion(
            lead,
            held_on=clock.today(),
            starts_at=None,
            location="",
            attendee_ids=[world.lead_noord],
            guests=[],
            item_ids=[item.id],
        )
        db.flush()
        db.refresh(item)
        with pytest.raises(FieldError) as refused:
            discussions.record_outcome(
                lead,
                item,
                expected_version=item.version,
                summary="Besproken.",
                advice="",
                decisions="",
                follow_ups=[
                    {
                        "text": "Vader belt de school.",
                        "goal_id": goal,
                        "owner_kind": OwnerKind.FAMILY,
                        "due_on": None,
                    }
                ],
            )
        assert refused.value.field == "follow_ups"
        assert "20 open acties" in str(refused.value.message)  # Dutch by default
        db.rollback()
