"""A form is saved once (issue 17): a second POST of the same form instance (a double click on a
slow connection, a resent page) saves nothing and goes to the first one's result."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.cases.test_register import register_data
from tests.notes.test_notes import note_data
from tests.plans.conftest import PlanUI
from tests.plans.test_plan import action_data
from tests.safety.test_safety import open_data
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.network.models import NetworkMember
from wijkteam.notes.models import Note, NoteStatus
from wijkteam.plans.models import Action, Goal, SecondText
from wijkteam.safety.models import SafetyConcern
from wijkteam.submissions.models import FormSubmission

FORM_ID_RE = re.compile(r'name="form_id" type="hidden" value="([^"]+)"')
GOAL = {
    "text": "Wij willen 's ochtends zonder ruzie de deur uit.",
    "why_it_matters": "Dan begint de dag goed.",
    "first_step": "Kleren de avond ervoor klaarleggen.",
}
NETWORK_MEMBER = {
    "name": "Oma Ria",
    "kind": "family",
    "closeness": "close",
    "quality": "supportive",
    "relation": "moeder van Lisa",
    "supports_practical": "y",
}


def form_id_of(client, page: str) -> str:
    match = FORM_ID_RE.search(client.get(page).get_data(as_text=True))
    assert match, f"no form id on {page}"
    return match.group(1)


def twice(client, page: str, data: dict[str, str]):
    """Open the form once, send it twice: (first answer, second answer)."""
    data = {**data, "form_id": form_id_of(client, page)}
    first = client.submit(page, data, page=page)
    assert first.status_code == 302, unescape(first.get_data(as_text=True))[-2500:]
    second = client.submit(page, data, page=page)
    return first, second


def count(app, model, *where) -> int:
    with app.app_context():
        return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def assert_saved_once(client, first, second) -> None:
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    shown = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "Dit was al opgeslagen." in shown


@pytest.fixture
def plan(client, plan_case) -> PlanUI:
    client.login("pro.noord@test.example")
    ui = PlanUI(client, plan_case)
    ui.start()
    return ui


def test_new_goal_is_saved_once(client, app, plan):
    first, second = twice(client, f"{plan.base}/goals/new", GOAL)
    assert_saved_once(client, first, second)
    assert count(app, Goal) == 1


def test_new_action_is_saved_once(client, app, plan):
    goal_id = plan.goal_id(plan.add_goal())
    first, second = twice(client, f"{plan.base}/goals/{goal_id}/actions/new", action_data())
    assert_saved_once(client, first, second)
    assert count(app, Action) == 1


def test_new_note_and_finishing_a_note_are_saved_once(client, app, plan_case):
    client.login("pro.noord@test.example")
    page = f"/cases/{plan_case}/notes/new"
    first, second = twice(client, page, note_data())
    assert_saved_once(client, first, second)
    assert count(app, Note) == 1
    # Finishing (a new note finished at once, then a draft finished) is saved once too.
    first, second = twice(client, page, note_data(save_draft=None, finalise="y"))
    assert_saved_once(client, first, second)
    assert count(app, Note, Note.status == NoteStatus.FINAL) == 1
    draft = int(client.submit(page, note_data(), page=page).headers["Location"].rsplit("/", 1)[1])
    edit = f"/cases/{plan_case}/notes/{draft}/edit"
    html = client.get(edit).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d*)"', html).group(1)
    finish = {**note_data(save_draft=None, finalise="y"), "version": version}
    first, second = twice(client, edit, finish)
    assert_saved_once(client, first, second)
    assert count(app, Note, Note.status == NoteStatus.FINAL) == 2
    assert count(app, Note) == 3


def test_new_network_member_is_saved_once(client, app, plan_case):
    client.login("pro.noord@test.example")
    first, second = twice(client, f"/cases/{plan_case}/network/new", NETWORK_MEMBER)
    assert_saved_once(client, first, second)
    assert count(app, NetworkMember) == 1


def test_new_family_is_saved_once(client, app, world):
    client.login("pro.noord@test.example")
    before = count(app, Case)
    first, second = twice(client, "/cases/new", register_data(world))
    assert_saved_once(client, first, second)
    assert count(app, Case) == before + 1


def test_new_safety_concern_is_saved_once(client, app, plan_case):
    client.login("pro.noord@test.example")
    first, second = twice(client, f"/cases/{plan_case}/safety/new", open_data())
    assert_saved_once(client, first, second)
    assert count(app, SafetyConcern) == 1


def test_texts_in_the_familys_language_are_saved_once(client, app, plan):
    goal_id = plan.goal_id(plan.add_goal(GOAL["text"]))
    page = f"{plan.base}/goals/{goal_id}/second-language?lang=ar"
    row = {
        "rows-0-object_type": "goal",
        "rows-0-object_id": str(goal_id),
        "rows-0-version": "",
        "rows-0-dutch": GOAL["text"],
        "rows-0-text": "نريد أن نخرج من البيت صباحًا بدون شجار.",
        "written_how": "with_interpreter",
    }
    first, second = twice(client, page, row)
    assert_saved_once(client, first, second)
    assert count(app, SecondText) == 1


def test_closing_with_outcomes_and_satisfaction_answers_are_saved_once(client, app, world, plan):
    """Issue 20: the closing with each goal's result, and a person's satisfaction answers."""
    from wijkteam.closing.models import CaseClosing, GoalOutcome, SatisfactionAnswer

    goal_id = plan.goal_id(plan.add_goal())
    page = f"/cases/{plan.case_id}/close"
    closing = {
        "close_reason": "goals_reached",
        "ended_by": "together",
        "closed_on": "2026-11-01",
        "version": plan.version_of(page),
        "goals-0-goal_id": str(goal_id),
        "goals-0-result": "partly",
    }
    first, second = twice(client, page, closing)
    assert_saved_once(client, first, second)
    assert count(app, CaseClosing) == 1 and count(app, GoalOutcome) == 1
    page = f"/cases/{plan.case_id}/satisfaction"
    answers = {
        "answered_on": "2026-11-02",
        "who_name": "Lisa",
        "how": "family_alone",
        "rating": "8",
    }
    first, second = twice(client, page, answers)
    assert_saved_once(client, first, second)
    assert count(app, SatisfactionAnswer) == 1


def test_a_second_post_that_loses_the_race_is_not_saved(client, app, plan, monkeypatch):
    """The second POST checked before the first was committed: the unique constraint in the
    database (not the check) stops it, so this holds with several workers."""
    page = f"{plan.base}/goals/new"
    data = {**GOAL, "form_id": form_id_of(client, page)}
    first = client.submit(page, data, page=page)
    from wijkteam import submissions

    checks = []

    def not_yet_committed(*args):
        checks.append(args)
        return None

    # The check before the view finds nothing, as when the first POST was not committed yet.
    monkeypatch.setattr(submissions, "saved_target", not_yet_committed)
    second = client.submit(page, data, page=page)
    monkeypatch.undo()
    assert len(checks) == 1
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert count(app, Goal) == 1


def test_a_form_shown_again_keeps_its_id_and_a_new_form_gets_a_new_one(client, app, plan):
    page = f"{plan.base}/goals/new"
    form_id = form_id_of(client, page)
    assert form_id != form_id_of(client, page)
    refused = client.submit(page, {**GOAL, "text": "", "form_id": form_id}, page=page)
    assert refused.status_code == 422
    assert f'value="{form_id}"' in refused.get_data(as_text=True)
    assert count(app, FormSubmission) == 0
    saved = client.submit(page, {**GOAL, "form_id": form_id}, page=page)
    assert saved.status_code == 302
    assert count(app, Goal) == 1


def test_the_saved_result_is_only_for_the_same_user(client, other_client, app, plan):
    """Another user's POST with the same id (a copied page) is theirs, not a repeat."""
    page = f"{plan.base}/goals/new"
    data = {**GOAL, "form_id": form_id_of(client, page)}
    assert client.submit(page, data, page=page).status_code == 302
    other_client.login("pro2.noord@test.example")
    other = other_client.submit(page, data, page=page)
    assert other.status_code != 303


def test_posts_without_a_form_id_are_not_tracked(client, app, plan):
    page = f"{plan.base}/goals/new"
    assert client.submit(page, GOAL, page=page).status_code == 302
    assert client.submit(page, {**GOAL, "form_id": "<not ours>"}, page=page).status_code == 302
    assert count(app, Goal) == 2
    assert count(app, FormSubmission) == 0


def test_old_records_of_saved_forms_go_every_hour_and_not_on_a_save(client, app, plan):
    """The records are kept two days, then the worker's hourly task removes everyone's (issue
    21: a save no longer deletes its user's old records: a statement less on every POST)."""
    from datetime import timedelta

    from wijkteam.core.db import utc_now
    from wijkteam.jobs.queue import forget_submissions, huey
    from wijkteam.jobs.worker import run_forget_submissions
    from wijkteam.submissions import KEEP_FOR

    assert forget_submissions.task_class in huey._registry._periodic_tasks
    page = f"{plan.base}/goals/new"

    def save_a_goal() -> None:
        data = {**GOAL, "form_id": form_id_of(client, page)}
        assert client.submit(page, data, page=page).status_code == 302

    save_a_goal()
    with app.app_context():
        mine = db.scalars(select(FormSubmission)).one()
        user_id = mine.user_id
        old = utc_now() - KEEP_FOR - timedelta(minutes=1)
        recent = utc_now() - KEEP_FOR + timedelta(minutes=5)
        db.add_all(
            [
                FormSubmission(user_id=user_id, form_id="o" * 22, target="/", created_at=old),
                FormSubmission(user_id=user_id, form_id="r" * 22, target="/", created_at=recent),
            ]
        )
        db.commit()
    save_a_goal()  # saving another form leaves them as they are
    with app.app_context():
        assert db.scalar(select(func.count(FormSubmission.id))) == 4
    with app.app_context():  # the worker's app
        assert run_forget_submissions() == 1
        left = set(db.scalars(select(FormSubmission.form_id)))
        assert "o" * 22 not in left and "r" * 22 in left and len(left) == 3
        assert run_forget_submissions() == 0
