"""The dashboard: every signal (with dates moved back), scoping, and constant queries."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from tests.dashboard.signals import signals_by_hand
from tests.factories import app_api as api
from tests.factories import care
from tests.factories import cases as notes
from tests.plans.conftest import PlanUI
from tests.test_queries import count_queries, sqlite_plan, without_statistics
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.dashboard.queries import attention
from wijkteam.plans.models import LadderEntry, Plan
from wijkteam.safety.models import SafetyConcern

AGO_60 = clock.today() - timedelta(days=60)


def age_case(app, case_id: int, days: int = 60) -> None:
    with app.app_context():
        db.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(opened_on=clock.today() - timedelta(days=days))
        )
        db.commit()


def every_signal(client, app, plan_case: int) -> None:
    """pro.noord logged in, and the case given an overdue evaluation, no contact for months, a
    safety concern at step 1, a low ladder for months, no agreed plan and an overdue action."""
    client.login("pro.noord@test.example")
    plan = PlanUI(client, plan_case)
    plan.start(started_on="2026-02-01", evaluation_on="2026-03-01")
    goal_id = plan.goal_id(plan.add_goal())
    page = f"/cases/{plan_case}/plan/goals/{goal_id}/actions/new"
    client.submit(
        page,
        {"text": "Bellen", "owner_kind": "family", "status": "planned", "due_on": "2026-02-10"},
        page=page,
    )
    client.submit(
        f"/cases/{plan_case}/plan/ladder",
        {
            "level": "2",
            "changed_on": "2026-02-02",
            "reason": "Zorg.",
            "climb_back": "Afspraken nakomen.",
        },
        page=f"/cases/{plan_case}/plan/ladder",
    )
    client.submit(
        f"/cases/{plan_case}/safety/new",
        {
            "title": "Zorg",
            "opened_on": "2026-03-01",
            "child_ids": "2",
            "observed_on": "2026-03-01",
            "description": "Gezien.",
            "source": "School",
        },
        page=f"/cases/{plan_case}/safety/new",
    )
    age_case(app, plan_case, days=300)
    with app.app_context():  # the ladder stayed low for months
        db.execute(update(LadderEntry).values(changed_on=clock.today() - timedelta(days=120)))
        db.execute(update(Plan).values(evaluation_on=clock.today() - timedelta(days=1)))
        db.commit()


def test_each_signal_appears_with_a_link(client, world, app, plan_case):
    every_signal(client, app, plan_case)
    client.english()
    html = client.get("/dashboard").get_data(as_text=True)
    for text in (
        "The evaluation date",
        "No contact recorded since",
        "waits for step 1 of the Meldcode",
        "has had little say (level 2)",
        "No plan agreed with the family yet",
        "1 action is overdue",
    ):
        assert text in html, text
    assert f'href="/cases/{plan_case}/safety/1"' in html
    assert f'href="/cases/{plan_case}/notes/new"' in html


def test_a_case_in_good_shape_has_no_signals(client, world, app, plan_case):
    age_case(app, plan_case, days=3)  # opened three days ago
    client.login("pro.noord@test.example")
    client.english()
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Nothing needs attention right now." in html  # opened recently, nothing overdue


def test_scoping_my_week_and_team(client, other_client, world, app):
    mine = world.case(world.pro_noord, name="Mijngezin")
    colleague = world.case(world.pro2_noord, name="Collegagezin")
    other_team = world.case(world.pro_zuid, name="Zuidgezin")
    for case_id in (mine, colleague, other_team):
        age_case(app, case_id)
    client.login("pro.noord@test.example")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Mijngezin" in html and "Collegagezin" not in html and "Zuidgezin" not in html
    other_client.login("lead.noord@test.example")
    team = other_client.get("/dashboard").get_data(as_text=True)
    assert "Mijngezin" in team and "Collegagezin" in team and "Zuidgezin" not in team
    assert "Caseload" in team or "Werkvoorraad" in team
    client.logout()
    client.login("admin@test.example")
    assert client.get("/dashboard").status_code == 403


def test_caseload_counts(client, world, app):
    world.case(world.pro_noord, name="Een")
    world.case(world.pro_noord, name="Twee", duo_id=world.pro2_noord)
    client.login("lead.noord@test.example")
    client.english()
    html = client.get("/dashboard").get_data(as_text=True)
    row = html.split("<td>Pro Noord</td>")[1].split("</tr>")[0]
    assert row.count("<td>2</td>") == 1  # two open cases as lead
    duo = html.split("<td>Pro2 Noord</td>")[1].split("</tr>")[0]
    assert "<td>1</td>" in duo  # one as duo colleague


def test_caseload_counts_open_cases_as_lead_new_ones_and_as_duo(world, app):
    """Each person's row of the caseload: open cases as lead, the ones opened this month, and
    the open cases as duo; closed cases and other teams' cases count for no one."""
    from wijkteam.dashboard.queries import caseload

    old = world.case(world.pro_noord, name="Oud")
    age_case(app, old, days=400)
    new = world.case(world.pro_noord, name="Nieuw", duo_id=world.pro2_noord)
    age_case(app, new, days=0)
    closed = world.case(world.pro2_noord, name="Dicht", duo_id=world.pro_noord)
    world.case(world.pro_zuid, name="Zuid")
    with app.test_request_context():
        notes.close(db.get(User, world.pro2_noord), db.get(Case, closed))
        db.commit()
    with app.test_request_context():
        rows = {
            row.user.id: (row.open_cases, row.new_this_month, row.as_duo)
            for row in caseload(db.get(User, world.lead_noord))
        }
    assert rows[world.pro_noord] == (2, 1, 0)
    assert rows[world.pro2_noord] == (0, 0, 1)
    assert world.pro_zuid not in rows


def test_dashboard_queries_do_not_grow_with_the_team(client, world, app):
    client.login("lead.noord@test.example")
    age_case(app, world.case(world.pro_noord, name="Eerste"))
    client.get("/dashboard")
    with count_queries(app) as few:
        client.get("/dashboard")
    for i in range(15):
        age_case(
            app,
            world.case(
                world.pro2_noord if i % 2 else world.pro_noord,
                name=f"Gezin{i}",
                members=[
                    {
                        "first_name": "P",
                        "last_name": f"G{i}",
                        "date_of_birth": None,
                        "role": "parent",
                        "languages": [],
                        "interpreter_needed": False,
                        "interpreter_language": "",
                        "custody": None,
                    }
                ],
            ),
        )
    with count_queries(app) as many:
        html = client.get("/dashboard").get_data(as_text=True)
    assert "Gezin14" in html
    assert many["n"] == few["n"]


def test_attention_list_is_paged(client, world, app):
    """A big team gets the most urgent cases a page at a time, never the whole list at once."""
    for name in ("Aa", "Bb", "Cc"):
        world.case(world.pro_noord, name=name)  # opened in January: no contact, no plan
    with app.test_request_context():
        lead = db.get(User, world.lead_noord)
        first = attention(lead, mine=False, per_page=2)
        second = attention(lead, mine=False, per_page=2, page=2)
        beyond = attention(lead, mine=False, per_page=2, page=99)
        assert (first.total, first.pages) == (3, 2)
        assert [a.case.family_name for a in first.items] == ["Aa", "Bb"]
        assert [a.case.family_name for a in second.items] == ["Cc"]
        assert beyond.page == 2
    client.login("lead.noord@test.example")
    assert client.get("/dashboard?page=abc").status_code == 200


def _found(app, email: str) -> dict[int, list[tuple[str, object]]]:
    """The dashboard's signals for the user, and the same worked out by hand (must be equal)."""
    with app.app_context():
        user = db.scalar(select(User).where(User.email == email))
        got = {
            item.case.id: [(s.kind, s.detail) for s in item.signals]
            for item in attention(user, mine=False, per_page=1000).items
        }
        assert got == signals_by_hand(user, mine=False)
        return got


def test_signals_read_the_latest_ladder_entry_final_notes_and_steps_done(
    client, world, app, plan_case
):
    """The edge cases of the statement that finds every signal at once, against the rules
    worked out by hand: only the latest ladder entry counts, a draft note is no contact, a
    concern is signalled until its fifth Meldcode step."""
    every_signal(client, app, plan_case)
    kinds = [kind for kind, _ in _found(app, "pro.noord@test.example")[plan_case]]
    assert kinds == ["evaluation", "no_contact", "safety", "low_ladder", "not_agreed", "overdue"]

    # The family climbs to level 4: long ago too, but the latest entry is no longer low.
    resp = client.submit(
        f"/cases/{plan_case}/plan/ladder",
        {"level": "4", "changed_on": clock.today().isoformat(), "reason": "Ze beslissen mee."},
        page=f"/cases/{plan_case}/plan/ladder",
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        db.execute(update(LadderEntry).values(changed_on=clock.today() - timedelta(days=120)))
        db.commit()
    assert "low_ladder" not in dict(_found(app, "pro.noord@test.example")[plan_case])

    def done(*steps: tuple) -> dict[str, object]:
        """Do the steps as pro.noord (through the services), then the case's signals."""
        with app.test_request_context():
            pro, case = db.get(User, world.pro_noord), db.get(Case, plan_case)
            for step in steps:
                step[0](pro, case, *step[1:])
            db.commit()
        return dict(_found(app, "pro.noord@test.example")[plan_case])

    def concern(_pro, _case):
        return db.scalar(select(SafetyConcern).where(SafetyConcern.case_id == plan_case))

    def draft(pro, case):  # a draft of today: no contact yet
        notes.note(pro, case, finalise=False, on=clock.today())

    def visit(pro, case):
        notes.note(pro, case, on=clock.today() - timedelta(days=2))

    def steps_upto(upto):
        return lambda pro, case: care.meldcode(pro, case, concern(pro, case), upto=upto)

    def step_5(pro, case):
        data = {"done_on": care.STEPS_ON, **care.STEPS[5]}
        api.safety.record_step(pro, case, concern(pro, case), 5, expected_version=None, data=data)

    assert "no_contact" in done((draft,))
    assert "no_contact" not in done((visit,))
    safety_id = done()["safety"][0]
    assert done((steps_upto(4),))["safety"] == (safety_id, 5)
    assert "safety" not in done((step_5,))


def test_attention_sees_a_change_of_the_same_transaction_not_yet_flushed(world, app):
    """The signals are read through the session's connection, which does not flush the session
    by itself: a change made earlier in the same transaction still counts, as with the ORM."""
    from wijkteam.dashboard.queries import caseload

    case_id = world.case(world.pro_noord, name="Vers")  # opened long ago: no contact, no plan
    with app.test_request_context():
        lead = db.get(User, world.lead_noord)
        assert case_id in {item.case.id for item in attention(lead, mine=False).items}
        db.get(Case, case_id).opened_on = clock.today()  # not flushed
        assert case_id not in {item.case.id for item in attention(lead, mine=False).items}
        before = {row.user.id: row.new_this_month for row in caseload(lead)}[world.pro_noord]
        db.get(Case, case_id).opened_on = clock.today().replace(day=1) - timedelta(days=1)
        after = {row.user.id: row.new_this_month for row in caseload(lead)}[world.pro_noord]
        assert (before, after) == (1, 0)
        db.rollback()


def test_the_checks_you_do_are_what_the_plan_says(world, app):
    """`my_checks` (one statement of plain rows, issue 21) against the plan's own objects
    (`checks_by_hand`): only the user's own checks, of planned or doing actions of active goals
    of open cases, due within a week or overdue, oldest first, each named as the plan names
    who does it: the family member, the network member, or the name written in."""
    from dataclasses import astuple

    from tests.dashboard.signals import checks_by_hand
    from wijkteam.dashboard.queries import my_checks
    from wijkteam.plans.models import Action, ActionStatus, Goal, GoalStatus, OwnerKind

    today = clock.today()
    with app.test_request_context():
        lead, pro = db.get(User, world.lead_noord), db.get(User, world.pro_noord)
        case = notes.register(pro, "Visser")
        plan = notes.start_plan(pro, case)
        goal = notes.goal(pro, case, plan)
        other = notes.goal(pro, case, plan, "Wij willen vaker buiten spelen.")
        oma = notes.helper(pro, case)
        lisa = notes.members_of(case)[0]
        made = {
            name: notes.action(pro, case, on, f"Actie {name}.", helper_id=oma.id).id
            for name, on in (
                ("oma", goal),
                ("written", goal),
                ("family", goal),
                ("late", goal),
                ("mine", goal),
                ("done", goal),
                ("dropped goal", other),
                ("next month", goal),
            )
        }
        db.commit()
        checks = {  # who checks, on which day, and what is changed
            "oma": (lead, today - timedelta(days=3), {}),
            "written": (
                lead,
                today + timedelta(days=2),
                {
                    "owner_kind": OwnerKind.PROFESSIONAL,
                    "network_member_id": None,
                    "owner_name": "Buurtcoach Els",
                },
            ),
            "family": (
                lead,
                today,
                {
                    "owner_kind": OwnerKind.FAMILY,
                    "network_member_id": None,
                    "owner_member_id": lisa.id,
                },
            ),
            "late": (lead, today - timedelta(days=30), {}),
            "mine": (pro, today, {}),
            "done": (lead, today, {"status": ActionStatus.DONE}),
            "dropped goal": (lead, today, {}),
            "next month": (lead, today + timedelta(days=30), {}),
        }
        for name, (checker, on, values) in checks.items():
            db.execute(
                update(Action)
                .where(Action.id == made[name])
                .values(check_by_id=checker.id, check_on=on, **values)
            )
        db.execute(update(Goal).where(Goal.id == other.id).values(status=GoalStatus.DROPPED))
        db.commit()
        db.expunge_all()
        for user in (db.get(User, world.lead_noord), db.get(User, world.pro_noord)):
            got = [astuple(check) for check in my_checks(user).items]
            assert got == checks_by_hand(user), user.email
            db.expunge_all()
        listed = my_checks(db.get(User, world.lead_noord)).items
        assert [c.action_id for c in listed] == [
            made["late"],
            made["oma"],
            made["family"],
            made["written"],
        ]
        assert [c.owner for c in listed] == [
            "Oma Ria",
            "Oma Ria",
            lisa.first_name,
            "Buurtcoach Els",
        ]
        assert {c.family_name for c in listed} == {"Visser"}


def test_long_lists_on_my_week_say_that_more_follow(client, world, app, monkeypatch):
    """Issue 21: "my tasks", "checks you do" and the hand-overs of the past month are cut to
    the first ones; when there are more, the page says so instead of hiding them, and shows
    the first ones in their own order (tasks and checks the soonest due, hand-overs the
    latest). With exactly as many as fit, nothing is said."""
    from wijkteam.cases import queries as cases_queries
    from wijkteam.dashboard import queries as dashboard
    from wijkteam.discussions import queries as discussions
    from wijkteam.discussions.models import Task
    from wijkteam.plans.models import Action

    monkeypatch.setattr(discussions, "MY_TASKS_SHOWN", 2)
    monkeypatch.setattr(dashboard, "MY_CHECKS_LIMIT", 2)
    today = clock.today()
    with app.test_request_context():
        pro, lead = db.get(User, world.pro_noord), db.get(User, world.lead_noord)
        case = notes.register(pro, "Lijstjes")
        plan = notes.start_plan(pro, case)
        goal = notes.goal(pro, case, plan)
        oma = notes.helper(pro, case)
        tasks, checks = [], []
        for i in range(3):
            task = Task(
                case_id=case.id,
                text=f"Taak {i}",
                owner_id=pro.id,
                due_on=today + timedelta(days=3 - i),
                created_by_id=lead.id,
            )
            db.add(task)
            action = notes.action(pro, case, goal, f"Controle {i}.", helper_id=oma.id)
            action.check_by_id, action.check_on = pro.id, today - timedelta(days=i)
            db.flush()
            tasks.append(task.id)
            checks.append(action.id)
        db.commit()
        case_id = case.id
    client.english()
    client.login("pro.noord@test.example")

    def section(html: str, heading: str) -> str:
        return html.split(f'id="{heading}"')[1].split("</section>")[0]

    html = client.get("/dashboard").get_data(as_text=True)
    mine = section(html, "tasks-heading")
    assert "You have more than 2 open tasks. These are due first" in mine
    assert "Taak 2" in mine and "Taak 1" in mine and "Taak 0" not in mine  # soonest due
    mine = section(html, "checks-heading")
    assert "More than 2 checks are due. These are the oldest" in mine
    assert "Controle 2" in mine and "Controle 1" in mine and "Controle 0" not in mine  # oldest
    with app.test_request_context():
        db.get(Task, tasks[0]).done_on = today
        db.get(Action, checks[0]).check_by_id = None
        db.commit()
    html = client.get("/dashboard").get_data(as_text=True)
    assert "more than 2 open tasks" not in html and "More than 2 checks" not in html
    assert "Taak 1" in html and "Controle 1" in html

    # Hand-overs: a team lead's month of them, the latest first.
    monkeypatch.setattr(cases_queries, "HANDOVERS_SHOWN", 2)
    for i in range(3):
        world.handover(case_id, hours_ago=i, reason=f"Overdracht {i}")
    client.logout()
    client.login("lead.noord@test.example")
    mine = section(client.get("/dashboard").get_data(as_text=True), "handover-heading")
    assert "More than 2 cases changed hands this past month. These are the latest:" in mine
    assert "Overdracht 0" in mine and "Overdracht 1" in mine and "Overdracht 2" not in mine


def test_the_dashboard_reads_its_lists_in_one_statement(client, world, app):
    """Issue 21: on PostgreSQL the dashboard and "my week" read every list in one statement
    (`dashboard.lists.lists`) next to the signals of the cases that need attention: with
    the session's own, three statements (nine for the team lead's view of the team and seven
    for the others before), whatever the lists hold. SQLite reads the lists one by one
    (`core.lists.Lists.read`): a statement each."""
    from wijkteam.core.db import get_engine

    with app.app_context():
        one_statement = get_engine().dialect.name == "postgresql"
    age_case(app, world.case(world.pro_noord, name="Eerste"))
    for email in ("lead.noord@test.example", "pro.noord@test.example"):
        client.login(email)
        for path in ("/dashboard", "/dashboard?scope=mine"):
            # what was asked, cases brought in, tasks, checks, hand-overs; a team lead also what
            # waits for their sign-off, and in their view of the team the waiting cases, the
            # caseload and the next meetings
            lead = email.startswith("lead")
            lists = 5 + lead + (3 if lead and path == "/dashboard" else 0)
            client.get(path)
            with count_queries(app) as counted:
                assert client.get(path).status_code == 200
            assert counted["n"] == 2 + (1 if one_statement else lists), (email, path, counted)
        client.logout()


def test_the_signals_statement_reads_each_table_from_the_teams_cases(app, world):
    """The signals of the team's open cases are read per case, by index, from the cases found
    once (the statement's CTE `open_cases`): no table of the database is read whole. SQLite
    once read every action of the database when the overdue actions were joined to the CTE
    (9 ms instead of 0.4 at 10,000 families; issue 21, eighteenth steps; it does so in the
    test's database too), so its plan is checked here, without statistics (with those of an
    earlier test's few rows SQLite rightly scans a table of three rows). PostgreSQL's plans
    are in docs/performance.md."""
    import pytest

    from wijkteam.core.db import get_engine
    from wijkteam.dashboard.queries import _signals_statement

    with app.app_context():
        engine = get_engine()
        if engine.dialect.name != "sqlite":
            pytest.skip("the query plan checked is SQLite's")
        today = clock.today()
        params = {
            "team_id": 1,
            "user_id": world.pro_noord,
            "today": today,
            "quiet_since": today,
            "low_since": today,
            "agreed_by": today,
        }
        with engine.connect() as conn, without_statistics(conn):
            for mine in (False, True):
                _rows, steps = sqlite_plan(conn, _signals_statement(mine), params)
                scans = [step for step in steps if step.startswith("SCAN ")]
                # The CTE's cases (a few hundred at most), and the union of what was found.
                assert set(scans) <= {"SCAN open_cases", "SCAN anon_1"}, steps
                assert "SCAN open_cases" in scans, steps
