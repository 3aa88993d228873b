"""The family plan through HTTP: start, goals, actions, versions, and what must never happen."""

from __future__ import annotations

from sqlalchemy import func, select

from wijkteam.audit.history import Revision
from wijkteam.audit.models import AuditEvent
from wijkteam.core.db import db
from wijkteam.plans.models import Goal, GoalStatus, LadderEntry, Plan, PlanVersion, RegieEntry


def test_plan_page_offers_to_start(ui, client):
    html = client.get(ui.base).get_data(as_text=True)
    assert f'action="{ui.base}/start"' in html


def test_start_plan_records_ladder_and_regie(ui, client, app, world):
    assert ui.start().status_code == 302
    with app.app_context():
        plan = db.scalar(select(Plan))
        assert plan.case_id == ui.case_id
        entry = db.scalar(select(LadderEntry))
        assert (int(entry.level), entry.recorded_by_id) == (3, world.pro_noord)
        assert db.scalar(select(RegieEntry)).regie.value == "shared"
    client.english()
    html = client.get(ui.base).get_data(as_text=True)
    assert "3. Consulting" in html
    assert "Shared regie" in html
    # The case page shows the current level and its timeline.
    html = client.get(f"/cases/{ui.case_id}").get_data(as_text=True)
    assert "3. Consulting" in html and 'class="ladder-timeline"' in html


def test_start_plan_bad_input(ui, client, app):
    client.english()
    resp = ui.start(level_reason="", started_on="2025-01-01", evaluation_on="2024-01-01")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Write why this level fits now." in html
    assert "Samen met moeder." in html  # typed text kept
    resp = ui.start(started_on="2025-01-01")  # before the case opened (2026-01-05)
    assert resp.status_code == 422
    assert "The plan cannot start before the case was opened." in resp.get_data(as_text=True)
    resp = ui.start(evaluation_on="2026-01-20")
    assert "The evaluation date must come after the start of the plan." in resp.get_data(
        as_text=True
    )
    resp = ui.start(level="9")
    assert resp.status_code == 422
    with app.app_context():
        assert db.scalar(select(func.count(Plan.id))) == 0


def test_starting_twice_is_refused(ui, client, app):
    ui.start()
    assert ui.start().status_code == 403
    with app.app_context():
        assert db.scalar(select(func.count(Plan.id))) == 1


def test_goal_in_family_words_with_internal_reservations_kept_apart(ui, client, app):
    ui.start()
    resp = ui.add_goal(
        "Wij willen samen eten zonder telefoon.",
        reservations="Pluspunten en minpunten neutraal genoemd; gezin koos dit.",
        member_ids="1",
    )
    goal_id = ui.goal_id(resp)
    html = client.get(f"{ui.base}/goals/{goal_id}").get_data(as_text=True)
    words = html.split('<blockquote class="family-words">')[1].split("</blockquote>")[0]
    assert "Wij willen samen eten zonder telefoon." in words
    assert "neutraal genoemd" not in words
    internal = html.split('<div class="internal-note">')[1].split("</div>")[0]
    assert "neutraal genoemd" in internal
    with app.app_context():
        goal = db.get(Goal, goal_id)
        assert [m.first_name for m in goal.members] == ["Lisa"]
        assert goal.status == GoalStatus.ACTIVE


def test_goal_bad_input(ui, client, app):
    ui.start()
    client.english()
    resp = ui.add_goal("", why_it_matters="Omdat het belangrijk is.")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Write the goal as the family says it." in html
    assert "Omdat het belangrijk is." in html
    # A person from another family (tampered checkbox value) is refused.
    resp = ui.add_goal("Iets", member_ids="999")
    assert resp.status_code == 422
    with app.app_context():
        assert db.scalar(select(func.count(Goal.id))) == 0


def test_changing_a_goal_keeps_the_earlier_words(ui, client, app):
    ui.start()
    goal_id = ui.goal_id(ui.add_goal("Eerste woorden van het gezin."))
    page = f"{ui.base}/goals/{goal_id}/edit"
    resp = client.submit(
        page, {"text": "Nieuwe woorden van het gezin.", "version": ui.version_of(page)}, page=page
    )
    assert resp.status_code == 302
    html = client.get(f"{ui.base}/goals/{goal_id}").get_data(as_text=True)
    assert "Nieuwe woorden van het gezin." in html
    assert "Eerste woorden van het gezin." in html  # in the history section
    with app.app_context():
        revision = db.scalar(select(Revision).where(Revision.table_name == "goals"))
        assert revision.old["text"] == "Eerste woorden van het gezin."


def test_goal_edit_conflict_keeps_text(ui, client, other_client, app, world):
    ui.start()
    goal_id = ui.goal_id(ui.add_goal("Origineel."))
    page = f"{ui.base}/goals/{goal_id}/edit"
    other_client.login("pro2.noord@test.example")
    version = ui.version_of(page)
    assert (
        other_client.submit(
            page, {"text": "Collega was eerst.", "version": version}, page=page
        ).status_code
        == 302
    )
    resp = client.submit(page, {"text": "Mijn versie van het doel.", "version": version}, page=page)
    assert resp.status_code == 409
    html = resp.get_data(as_text=True)
    assert "Mijn versie van het doel." in html and "Collega was eerst." in html
    with app.app_context():
        assert db.get(Goal, goal_id).text == "Collega was eerst."


def test_goal_status_with_date_and_why(ui, client, app):
    ui.start()
    goal_id = ui.goal_id(ui.add_goal())
    page = f"{ui.base}/goals/{goal_id}/status"
    v = ui.version_of(page)
    client.english()
    resp = client.submit(
        page,
        {"status": "achieved", "status_on": "2026-06-01", "status_reason": "", "version": v},
        page=page,
    )
    assert resp.status_code == 422 and "Write a word on why." in resp.get_data(as_text=True)
    resp = client.submit(
        page,
        {
            "status": "achieved",
            "status_on": "2026-06-01",
            "status_reason": "Het lukt elke ochtend!",
            "version": v,
        },
        page=page,
    )
    assert resp.status_code == 302
    with app.app_context():
        goal = db.get(Goal, goal_id)
        assert goal.status == GoalStatus.ACHIEVED and goal.status_reason == "Het lukt elke ochtend!"
    assert "Achieved" in client.get(ui.base).get_data(as_text=True)


def action_data(**values: str) -> dict[str, str]:
    data = {
        "text": "Oma haalt Noah op woensdag op.",
        "owner_kind": "network",
        "owner_name": "Oma Ria",
        "due_on": "2026-03-01",
        "status": "planned",
    }
    data.update(values)
    return data


def test_actions_with_owners(ui, client, app):
    ui.start()
    goal_id = ui.goal_id(ui.add_goal())
    page = f"{ui.base}/goals/{goal_id}/actions/new"
    assert client.submit(page, action_data(), page=page).status_code == 302
    assert (
        client.submit(
            page,
            action_data(
                text="Lisa belt school.",
                owner_kind="family",
                owner_member_id="1",
                owner_name="ignored",
            ),
            page=page,
        ).status_code
        == 302
    )
    assert (
        client.submit(
            page,
            action_data(text="Opvoedcursus.", owner_kind="professional", owner_name="CJG"),
            page=page,
        ).status_code
        == 302
    )
    html = client.get(f"{ui.base}/goals/{goal_id}").get_data(as_text=True)
    assert "Oma Ria" in html and "Lisa" in html and "CJG" in html
    assert "ignored" not in html


def test_action_bad_input(ui, client, app):
    ui.start()  # plan starts 2026-02-01
    goal_id = ui.goal_id(ui.add_goal())
    page = f"{ui.base}/goals/{goal_id}/actions/new"
    client.english()
    resp = client.submit(page, action_data(owner_name=""), page=page)
    assert resp.status_code == 422 and "Who does it? Write a name." in resp.get_data(as_text=True)
    resp = client.submit(page, action_data(due_on="2026-01-15"), page=page)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "The due date cannot be before the plan started." in html
    assert "Oma haalt Noah op woensdag op." in html
    resp = client.submit(page, action_data(owner_kind="family", owner_member_id="999"), page=page)
    assert resp.status_code == 422
    resp = client.submit(page, action_data(owner_kind="boss"), page=page)
    assert resp.status_code == 422


def test_plan_start_cannot_move_past_an_action(ui, client, app):
    ui.start()
    goal_id = ui.goal_id(ui.add_goal())
    page = f"{ui.base}/goals/{goal_id}/actions/new"
    client.submit(page, action_data(due_on="2026-03-01"), page=page)
    edit = f"{ui.base}/edit"
    resp = client.submit(
        edit,
        {"started_on": "2026-04-01", "evaluation_on": "", "version": ui.version_of(edit)},
        page=edit,
    )
    assert resp.status_code == 422


def test_finalise_freezes_a_version_and_the_draft_continues(ui, client, app):
    ui.start()
    goal_id = ui.goal_id(ui.add_goal("Versie-een-doel.", reservations="Intern voorbehoud."))
    page = f"{ui.base}/finalise"
    client.english()
    resp = client.submit(
        page,
        {
            "agreed_on": "2026-03-01",
            "agreed_how": "signed_printout",
            "explained_how": "together",
            "version": ui.version_of(page),
        },
        page=page,
    )
    assert resp.status_code == 422
    assert "Who in the family agreed?" in resp.get_data(as_text=True)
    resp = client.submit(
        page,
        {
            "agreed_on": "2026-03-01",
            "agreed_how": "signed_printout",
            "explained_how": "together",
            "member_ids": "1",
            "version": ui.version_of(page),
        },
        page=page,
    )
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/plan/versions/1")
    html = client.get(f"{ui.base}/versions/1").get_data(as_text=True)
    assert "Versie-een-doel." in html and "Lisa Bakker" in html
    assert "Intern voorbehoud." not in html  # internal reservations are never in a version
    # Continue in the draft: version 1 does not change.
    edit = f"{ui.base}/goals/{goal_id}/edit"
    client.submit(edit, {"text": "Aangepast doel.", "version": ui.version_of(edit)}, page=edit)
    assert "Versie-een-doel." in client.get(f"{ui.base}/versions/1").get_data(as_text=True)
    overview = client.get(ui.base).get_data(as_text=True)
    assert "Draft: changed since then." in overview
    with app.app_context():
        version = db.scalar(select(PlanVersion))
        assert version.agreed_by == ["Lisa Bakker"]
        assert version.snapshot["goals"][0]["text"] == "Versie-een-doel."
    # A second agreement makes version 2; version 1 stays visible.
    resp = client.submit(
        page,
        {
            "agreed_on": "2026-04-01",
            "agreed_how": "in_person",
            "explained_how": "together",
            "member_ids": ["1"],
            "version": ui.version_of(page),
        },
        page=page,
    )
    assert resp.headers["Location"].endswith("/plan/versions/2")
    assert client.get(f"{ui.base}/versions/1").status_code == 200
    assert client.get(f"{ui.base}/versions/9").status_code == 404


def test_finalise_needs_a_goal_and_a_fresh_version(ui, client, other_client, app):
    ui.start()
    page = f"{ui.base}/finalise"
    client.english()
    resp = ui.agree()
    assert resp.status_code == 422
    assert "Add at least one goal before agreeing the plan." in resp.get_data(as_text=True)
    ui.add_goal()
    stale = ui.version_of(page)
    other_client.login("pro2.noord@test.example")
    assert (
        other_client.submit(
            page,
            {
                "agreed_on": "2026-03-01",
                "agreed_how": "in_person",
                "explained_how": "together",
                "member_ids": "1",
                "version": stale,
            },
            page=page,
        ).status_code
        == 302
    )
    resp = client.submit(
        page,
        {
            "agreed_on": "2026-03-02",
            "agreed_how": "in_person",
            "explained_how": "together",
            "member_ids": "1",
            "note": "Mijn notitie",
            "version": stale,
        },
        page=page,
    )
    assert resp.status_code == 409
    assert "Mijn notitie" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.scalar(select(func.count(PlanVersion.id))) == 1


def test_plan_changes_are_audited(ui, client, app):
    ui.start()
    ui.add_goal()
    with app.app_context():
        actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.case_id == ui.case_id)))
    assert {"plan.create", "goal.create", "case.view"} <= actions


def test_closed_case_plan_is_read_only(ui, client, app, world):
    ui.start()
    goal_id = ui.goal_id(ui.add_goal())
    close = f"/cases/{ui.case_id}/close"
    client.submit(
        close,
        {
            "close_reason": "goals_reached",
            "ended_by": "together",
            "closed_on": "2026-11-01",
            "goals-0-goal_id": str(goal_id),
            "goals-0-result": "reached",
            "version": ui.version_of(close),
        },
        page=close,
    )
    assert client.get(ui.base).status_code == 200
    assert client.get(f"{ui.base}/goals/{goal_id}").status_code == 200
    assert client.get(f"{ui.base}/goals/new").status_code == 403
    assert client.get(f"{ui.base}/ladder").status_code == 403
    assert client.get(f"{ui.base}/goals/{goal_id}/scores/new").status_code == 403


def test_the_version_page_writes_its_dates_as_every_page_does(ui, client, app):
    """An agreed version keeps its dates as ISO text; its page showed them so ("2026-02-01")
    where every other page writes "1 feb. 2026". Now in the page's language, and an action's
    date as the plan page writes it ("uiterlijk ...")."""
    import re
    from datetime import date

    from tests.factories import cases as c
    from wijkteam.auth.models import User
    from wijkteam.cases.models import Case

    ui.start()  # started on 2026-02-01, evaluation on 2026-12-01
    goal_id = ui.goal_id(ui.add_goal("Doel met een datum."))
    with app.test_request_context():
        goal = db.get(Goal, goal_id)
        case = db.get(Case, db.get(Plan, goal.plan_id).case_id)
        user = db.scalar(select(User).where(User.email == "pro.noord@test.example"))
        c.action(user, case, goal, "Een afspraak met een datum.", due_on=date(2026, 3, 15))
        db.commit()
    resp = ui.agree()
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]

    def text(html: str) -> str:
        body = html.split("<main", 1)[1]
        return " ".join(re.sub(r"<[^>]+>", " ", body).split())

    dutch = text(client.get(f"{ui.base}/versions/1").get_data(as_text=True))
    assert "Gestart 1 feb 2026 Evaluatie 1 dec 2026" in dutch, dutch
    assert "Een afspraak met een datum." in dutch and "uiterlijk 15 mrt 2026" in dutch, dutch
    assert not re.search(r"\d{4}-\d{2}-\d{2}", dutch), dutch
    client.english()
    english = text(client.get(f"{ui.base}/versions/1").get_data(as_text=True))
    assert "Started Feb 1, 2026 Evaluation Dec 1, 2026" in english, english
    assert "by Mar 15, 2026" in english and not re.search(r"\d{4}-\d{2}-\d{2}", english)
