"""Plan pages run the same number of queries with 1 goal or many goals and scores."""

from __future__ import annotations

from tests.test_queries import count_queries


def fill(ui, client, goals: int, scores_per_goal: int) -> int:
    last = 0
    for g in range(goals):
        last = ui.goal_id(ui.add_goal(f"Doel {g}"))
        page = f"{ui.base}/goals/{last}/actions/new"
        client.submit(
            page, {"text": f"Actie {g}", "owner_kind": "family", "status": "planned"}, page=page
        )
        for s in range(scores_per_goal):
            ui.add_score(
                last,
                scored_on=f"2026-03-{s + 1:02d}",
                family_score=str(s % 11),
                professional_score=str((s + 1) % 11),
            )
    return last


def test_plan_and_goal_pages_do_not_grow_with_goals_or_scores(ui, client, app):
    ui.start()
    one = fill(ui, client, goals=1, scores_per_goal=1)
    client.get(ui.base)
    with count_queries(app) as small_plan:
        client.get(ui.base)
    with count_queries(app) as small_goal:
        client.get(f"{ui.base}/goals/{one}")
    many = fill(ui, client, goals=8, scores_per_goal=12)
    with count_queries(app) as big_plan:
        html = client.get(ui.base).get_data(as_text=True)
    with count_queries(app) as big_goal:
        client.get(f"{ui.base}/goals/{many}")
    assert "Doel 7" in html
    assert big_plan["n"] == small_plan["n"]
    assert big_goal["n"] == small_goal["n"]


def test_the_goal_page_reads_who_checks_each_action_with_the_actions(ui, client, app, world):
    """An action a volunteer does is checked by a colleague ("we stay responsible"); the goal
    page names them. Three actions checked by three colleagues: no query more than none."""
    from datetime import date

    from sqlalchemy import select

    from wijkteam.core.db import db
    from wijkteam.plans.models import Action

    ui.start()
    goal = fill(ui, client, goals=1, scores_per_goal=0)
    for n in (2, 3):
        page = f"{ui.base}/goals/{goal}/actions/new"
        client.submit(
            page, {"text": f"Actie {n}", "owner_kind": "family", "status": "planned"}, page=page
        )
    client.get(f"{ui.base}/goals/{goal}")
    with count_queries(app) as unchecked:
        client.get(f"{ui.base}/goals/{goal}")
    with app.app_context():
        actions = db.scalars(select(Action).where(Action.goal_id == goal)).all()
        assert len(actions) == 3
        for action, checker in zip(
            actions, (world.lead_noord, world.pro2_noord, world.admin_noord), strict=True
        ):
            action.check_by_id, action.check_on = checker, date(2030, 1, 1)
        db.commit()
    with count_queries(app) as checked:
        html = client.get(f"{ui.base}/goals/{goal}").get_data(as_text=True)
    assert html.count(" checkt uiterlijk ") == 3
    assert checked["n"] == unchecked["n"]


def test_the_plan_page_shows_each_goals_latest_score_voided_ones_left_out(ui, client, app):
    """The plan page reads only each goal's latest score (issue 21), and it is the latest of
    those not voided: a wrong entry struck out afterwards does not show as the latest."""
    from sqlalchemy import select

    from tests.factories import app_api as api
    from wijkteam.core.db import db
    from wijkteam.plans.models import ScaleScore

    ui.start()
    goal_id = fill(ui, client, goals=1, scores_per_goal=3)  # family 0, 1, 2 on March 1-3
    client.english()
    html = client.get(ui.base).get_data(as_text=True)
    assert "Latest score (Mar 3, 2026):" in html and "family 2" in html
    with app.test_request_context():
        newest = db.scalars(
            select(ScaleScore).where(ScaleScore.goal_id == goal_id).order_by(ScaleScore.id.desc())
        ).first()
        case = db.get(api.Case, ui.case_id)
        api.plans.void_score(
            db.get(api.User, newest.recorded_by_id),
            case,
            newest,
            expected_version=newest.version,
            reason="Verkeerd doel.",
        )
        db.commit()
    html = client.get(ui.base).get_data(as_text=True)
    assert "Latest score (Mar 2, 2026):" in html and "family 1" in html
    assert "family 2" not in html
