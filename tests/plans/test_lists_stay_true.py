"""A row added by its parent's id shows in the parent's list already read in the same session
(wijkteam/core/db.py, `_expire_lists_of_new_rows_parents`). The services add children by id
(`Action(goal_id=goal.id)`); a list read before stayed as it was, so that whatever read it
afterwards in the same session (a version's snapshot, a count) missed the new row, unless
Python happened to free the parent in between. These tests hold every parent in memory."""

from __future__ import annotations

from datetime import date

from sqlalchemy import inspect

from tests.factories import app_api as api
from tests.factories import cases as c
from wijkteam.core.db import db
from wijkteam.plans.queries import load_plan
from wijkteam.plans.services.versions import snapshot


def test_actions_scores_and_plan_lists_added_by_id_show_at_once(app, world, plan_case):
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, plan_case)
        first = c.goal(user, case, c.fresh(c.start_plan(user, case)))
        db.commit()
        db.expunge_all()

        case = db.get(api.Case, plan_case)
        user = db.get(api.User, world.pro_noord)
        plan = load_plan(case)
        assert plan is not None
        goals = list(plan.goals)  # held: the session cannot forget them
        (goal,) = goals
        assert goal.id == first.id and goal.actions == [] and goal.scores == []
        assert not inspect(goal).unloaded & {"actions", "scores"}

        action = c.action(user, case, goal)
        score = c.score(user, case, goal)
        success = c.success(user, case, plan)
        assert goal.actions == [action]
        assert goal.scores == [score]
        assert success in plan.successes
        assert [a["id"] for a in snapshot(plan)["goals"][0]["actions"]] == [action.id]
        # a second goal added by the plan's id shows in the plan's goals too
        second = api.plans.add_goal(
            user,
            case,
            plan,
            {"text": "Wij willen samen eten.", "why_it_matters": "", "first_step": ""},
        )
        assert [g.id for g in plan.goals] == [goal.id, second.id]
        ladder = api.plans.change_ladder(
            user,
            case,
            plan,
            level=api.LadderLevel(4),
            changed_on=date(2026, 3, 3),
            reason="Zelf.",
            climb_back="",
        )
        assert plan.ladder[-1] is ladder
        db.rollback()


def test_a_list_not_read_is_not_read_by_adding(app, world, plan_case):
    """Nothing is read for a parent whose list was never loaded (nor for one not in the
    session): the flush only forgets lists that were read."""
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, plan_case)
        plan = c.start_plan(user, case)
        goal = c.goal(user, case, c.fresh(plan))
        db.commit()
        assert "actions" in inspect(goal).unloaded
        c.action(user, case, goal)
        db.flush()
        assert "actions" in inspect(goal).unloaded
        db.rollback()
