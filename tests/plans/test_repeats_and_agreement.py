"""Actions that repeat, what a version's snapshot holds per action, the interpreter of an
agreement, and the ladder texts that go on the family's paper (issue 16, points 2-4)."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from sqlalchemy import select, update

from tests.conftest import form_version
from tests.factories import app_api as api
from tests.factories import cases as c
from tests.factories.care import bring_in, discussion, follow_up_in_plan
from wijkteam.core.db import db
from wijkteam.plans.models import Action, PlanVersion, Repeats


@pytest.fixture
def goal_id(ui):
    ui.start()
    return ui.goal_id(ui.add_goal())


def action_form(**values: str) -> dict[str, str]:
    data = {
        "text": "Oma haalt Noah op woensdag op.",
        "owner_kind": "family",
        "owner_member_id": "",
        "network_member_id": "",
        "owner_name": "",
        "due_on": "",
        "repeats": "weekly",
        "status": "planned",
        "resource_id": "",
    }
    return {**data, **values}


def test_an_action_repeats_and_the_form_keeps_it(ui, client, app, goal_id):
    client.english()
    page = f"{ui.base}/goals/{goal_id}/actions/new"
    html = client.get(page).get_data(as_text=True)
    assert 'name="repeats"' in html and "Every week" in html
    resp = client.submit(page, action_form(), page=page)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    with app.app_context():
        action = db.scalar(select(Action))
        assert action.repeats == Repeats.WEEKLY
        action_id = action.id
    edit = f"{ui.base}/actions/{action_id}/edit"
    html = client.get(edit).get_data(as_text=True)
    assert '<option selected value="weekly">' in html
    data = action_form(repeats="monthly", version=ui.version_of(edit))
    assert client.submit(edit, data, page=edit).status_code == 302
    with app.app_context():
        assert db.get(Action, action_id).repeats == Repeats.MONTHLY
    assert "Every month" in client.get(f"{ui.base}/goals/{goal_id}").get_data(as_text=True)
    assert "Every month" in client.get(ui.base).get_data(as_text=True)
    resp = client.submit(edit, action_form(repeats="hourly"), page=edit)
    assert resp.status_code == 422


def test_an_action_without_repeats_is_done_once(app, world, plan_case):
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, plan_case)
        goal = c.goal(user, case, c.start_plan(user, case))
        assert c.action(user, case, goal).repeats == Repeats.ONCE


def test_the_snapshot_names_each_action_with_its_id_repeats_and_origin(app, world, plan_case):
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        lead = db.get(api.User, world.lead_noord)
        case = db.get(api.Case, plan_case)
        plan = c.start_plan(user, case)
        goal = c.goal(user, case, plan)
        own = c.action(user, case, goal, repeats=Repeats.DAILY)
        # A follow-up of a case discussion becomes an action of the plan.
        c.fresh(plan)
        item = bring_in(user, case, "Hoe verder?")
        discussion(lead, date(2026, 3, 10), [user.id, lead.id], [item])
        follow_up_in_plan(lead, item, goal.id, "Huisarts bellen.", owner_user_id=user.id)
        team_action = db.scalar(select(Action).where(Action.discussion_item_id == item.id))
        version = c.agree(user, case, plan, [c.members_of(case)[0].id])
        actions = {a["id"]: a for a in version.snapshot["goals"][0]["actions"]}
        assert actions[own.id]["repeats"] == "daily"
        assert actions[own.id]["from_team"] is False
        assert actions[team_action.id]["from_team"] is True
        assert actions[team_action.id]["repeats"] == "once"
        assert {"id", "repeats", "from_team", "text", "owner", "status"} <= set(actions[own.id])
        db.commit()


def agree(client, base: str, **values: str):
    page = f"{base}/finalise"
    data = {
        "agreed_on": "2026-03-04",
        "agreed_how": "in_person",
        "explained_how": "together",
        "member_ids": "1",
        "note": "",
        "version": form_version(client.get(page).get_data(as_text=True)),
        **values,
    }
    return client.submit(page, data, page=page)


def test_the_interpreter_of_an_agreement_is_kept_and_shown(ui, client, app, goal_id):
    client.english()
    html = client.get(f"{ui.base}/finalise").get_data(as_text=True)
    assert 'name="interpreter_language"' in html and "Language of the interpreter" in html
    with_interpreter = {"explained_how": "interpreter", "interpreter_name": "Tolk Mensah"}
    resp = agree(client, ui.base, **with_interpreter, interpreter_language="x" * 81)
    assert resp.status_code == 422
    resp = agree(client, ui.base, **with_interpreter, interpreter_language="  Twi ")
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    with app.app_context():
        assert db.scalar(select(PlanVersion)).interpreter_language == "Twi"
    html = client.get(f"{ui.base}/versions/1").get_data(as_text=True)
    assert "Agreed with an interpreter in Twi." in html


def test_a_version_without_an_interpreter_says_nothing_of_one(ui, client, goal_id):
    client.english()
    assert agree(client, ui.base).status_code == 302
    assert "interpreter" not in client.get(f"{ui.base}/versions/1").get_data(as_text=True)


def test_an_old_snapshot_without_the_new_keys_still_shows(ui, client, app, goal_id):
    client.english()
    page = f"{ui.base}/goals/{goal_id}/actions/new"
    client.submit(page, action_form(repeats="once"), page=page)
    assert agree(client, ui.base).status_code == 302
    # As a version agreed before issue 16 stored it: no id, repeats or from_team per action.
    with app.app_context():
        version = db.scalar(select(PlanVersion))
        old = dict(version.snapshot)
        old["goals"] = [
            {
                **g,
                "actions": [
                    {k: v for k, v in a.items() if k not in ("id", "repeats", "from_team")}
                    for a in g["actions"]
                ],
            }
            for g in old["goals"]
        ]
        db.execute(update(PlanVersion).where(PlanVersion.id == version.id).values(snapshot=old))
        db.commit()
    resp = client.get(f"{ui.base}/versions/1")
    assert resp.status_code == 200
    assert "Oma haalt Noah op woensdag op." in resp.get_data(as_text=True)
    # Keys it never had are no change: the plan is not marked as changed since.
    assert "Draft: changed since then." not in client.get(ui.base).get_data(as_text=True)
    # A real change still is.
    edit_page = f"{ui.base}/goals/{goal_id}/actions/new"
    client.submit(edit_page, action_form(text="Nieuwe actie."), page=edit_page)
    assert "Draft: changed since then." in client.get(ui.base).get_data(as_text=True)


def test_the_ladder_form_says_its_texts_go_on_the_familys_paper(ui, client, goal_id):
    client.english()
    html = unescape(client.get(f"{ui.base}/ladder").get_data(as_text=True))
    assert html.count("This goes on the family's paper: write it so they can read it") == 2


def test_the_latest_score_reads_family_then_professional(app, client, world, plan_case):
    """ "gezin 6· professional 5" (issue 17): the two scores with a spaced separator."""
    import re

    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, plan_case)
        plan = c.start_plan(user, case)
        c.score(user, case, c.goal(user, case, plan))
        db.commit()
    client.login("pro.noord@test.example")
    page = client.get(f"/cases/{plan_case}/plan").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "gezin 4 · professional 3" in text
