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
