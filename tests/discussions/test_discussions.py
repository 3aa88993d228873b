"""Case discussions through HTTP: submit -> agenda -> outcome -> follow-ups, ordering and
postponing, bad input, conflicts, scoping, audit and a constant number of queries."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.conftest import form_version
from tests.plans.conftest import PlanUI
from tests.test_queries import count_queries
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import User
from wijkteam.cases.models import Case, CaseStatus
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.discussions.models import CaseDiscussion, DiscussionItem, ItemStatus, Task
from wijkteam.plans.models import Action, OwnerKind

TODAY = clock.today()
LEAD = "lead.noord@test.example"
PRO = "pro.noord@test.example"


def submit_item(client, case_id: int, question: str = "Hoe betrekken we vader weer?", **extra):
    page = f"/cases/{case_id}/discussion-items/new"
    data = {"question": question, "tried": "Twee keer gebeld.", "need": "advice", **extra}
    return client.submit(page, data, page=page)


def item_id_of(resp) -> int:
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    return int(resp.headers["Location"].rsplit("/", 1)[1])


def plan_meeting(client, held_on: date, item_ids=(), attendees=(), guests=(), **extra):
    data: dict = {
        "held_on": held_on.isoformat(),
        "starts_at": "13:30",
        "location": "Wijkcentrum, zaal 2",
        "attendee_ids": [str(a) for a in attendees],
        "item_ids": [str(i) for i in item_ids],
        **extra,
    }
    for n, (name, role) in enumerate(guests):
        data[f"guests-{n}-name"] = name
        data[f"guests-{n}-role"] = role
    return client.submit("/discussions/new", data, page="/discussions/new")


def meeting_id_of(resp) -> int:
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    return int(resp.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def lead(other_client, world):
    other_client.login(LEAD)
    other_client.english()
    return other_client


@pytest.fixture
def pro(client, world):
    client.login(PRO)
    client.english()
    return client


def test_submit_agenda_outcome_and_follow_ups_in_one_step(pro, lead, world, app, plan_case):
    plan = PlanUI(pro, plan_case)
    plan.start()
    goal_id = plan.goal_id(plan.add_goal())

    # Bad input keeps what was typed.
    resp = submit_item(pro, plan_case, question="   ", tried="Met oma gesproken.")
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "Write the question you want the team's help with." in html
    assert "Met oma gesproken." in html
    item_id = item_id_of(submit_item(pro, plan_case))

    index = lead.get("/discussions").get_data(as_text=True)
    assert "Cases waiting for a meeting" in index and f"/discussion-items/{item_id}" in index
    board = lead.get("/dashboard").get_data(as_text=True)
    assert "1 case brought in waits for a meeting:" in board
    assert f"/discussion-items/{item_id}" in board
    assert f"/discussion-items/{item_id}" in pro.get("/dashboard").get_data(as_text=True)

    meeting = meeting_id_of(
        plan_meeting(
            lead,
            TODAY,
            item_ids=[item_id],
            attendees=[world.lead_noord, world.pro_noord, world.pro2_noord],
            guests=[("Gast Eén", "jeugdarts"), ("Gast Twee", "mantelzorger")],
        )
    )
    page = lead.get(f"/discussions/{meeting}").get_data(as_text=True)
    assert "Hoe betrekken we vader weer?" in page
    assert "Gast Eén (jeugdarts)" in page and "Pro2 Noord" in page
    with app.app_context():
        # Guests are a name and a role, never an account.
        assert db.scalar(select(func.count(User.id))) == 7
        assert db.get(DiscussionItem, item_id).status == ItemStatus.ON_AGENDA

    out = f"/discussion-items/{item_id}/outcome"
    version = form_version(pro.get(out).get_data(as_text=True))
    resp = pro.submit(
        out,
        {
            "summary": "Vader wil wel, maar voelt zich buitengesloten.",
            "advice": "Nodig vader apart uit.",
            "decisions": "Duo-collega gaat mee op huisbezoek.",
            "follow_ups-0-text": "Vader belt zelf de school.",
            "follow_ups-0-goal_id": str(goal_id),
            "follow_ups-0-owner": "family-1",
            "follow_ups-0-due_on": (TODAY + timedelta(days=14)).isoformat(),
            "follow_ups-1-text": "Mee op huisbezoek als duo.",
            "follow_ups-1-owner": f"user-{world.pro2_noord}",
            "follow_ups-1-due_on": (TODAY + timedelta(days=7)).isoformat(),
            "version": version,
        },
        page=out,
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    with app.app_context():
        item = db.get(DiscussionItem, item_id)
        assert item.status == ItemStatus.DISCUSSED
        assert item.decisions == "Duo-collega gaat mee op huisbezoek."
        action = db.scalar(select(Action).where(Action.discussion_item_id == item_id))
        assert (action.goal_id, action.owner_kind, action.owner_member_id) == (
            goal_id,
            OwnerKind.FAMILY,
            1,
        )
        task = db.scalar(select(Task).where(Task.item_id == item_id))
        assert (task.owner_id, task.text, task.done_on) == (
            world.pro2_noord,
            "Mee op huisbezoek als duo.",
            None,
        )
        task_id, task_version = task.id, task.version

    shown = pro.get(f"/discussion-items/{item_id}").get_data(as_text=True)
    assert "Vader belt zelf de school." in shown and "task for Pro2 Noord" in shown
    timeline = pro.get(f"/cases/{plan_case}/timeline").get_data(as_text=True)
    assert re.search(
        rf'<a href="/discussion-items/{item_id}">Discussed in the case discussion</a></span>\s*'
        r'<span class="summary">Duo-collega gaat mee op huisbezoek.</span>',
        timeline,
    )
    case_page = pro.get(f"/cases/{plan_case}").get_data(as_text=True)
    assert "Hoe betrekken we vader weer?" in case_page and "Discussed" in case_page

    # The task is on the owner's "my week", and can be marked done there.
    pro.logout()
    pro.login("pro2.noord@test.example")
    week = pro.get("/dashboard").get_data(as_text=True)
    assert "My tasks" in week and "Mee op huisbezoek als duo." in week
    resp = pro.submit(
        f"/tasks/{task_id}/done", {"version": str(task_version), "next": "/dashboard"}
    )
    assert resp.status_code == 302 and resp.headers["Location"] == "/dashboard"
    with app.app_context():
        assert db.get(Task, task_id).done_on == TODAY
    assert "Mee op huisbezoek als duo." not in pro.get("/dashboard").get_data(as_text=True)


def agenda_order(client, meeting: int) -> list[str]:
    html = client.get(f"/discussions/{meeting}").get_data(as_text=True)
    agenda = html.split('id="agenda-h"', 1)[1].split("Cases waiting for a meeting", 1)[0]
    return re.findall(r"Family (Gezin \w+)</a>", agenda)


def test_team_lead_orders_and_postpones_agenda_items(pro, lead, world, app):
    ids = []
    for name in ("Gezin A", "Gezin B", "Gezin C"):
        ids.append(item_id_of(submit_item(pro, world.case(world.pro_noord, name=name))))
    later = meeting_id_of(plan_meeting(lead, TODAY + timedelta(days=21)))
    meeting = meeting_id_of(plan_meeting(lead, TODAY + timedelta(days=7), item_ids=ids))
    assert agenda_order(lead, meeting) == ["Gezin A", "Gezin B", "Gezin C"]

    def version() -> str:
        with app.app_context():
            return str(db.get(CaseDiscussion, meeting).version)

    move = f"/discussions/{meeting}/items/{ids[2]}/move"
    assert lead.submit(move, {"direction": "up", "version": version()}).status_code == 302
    assert agenda_order(lead, meeting) == ["Gezin A", "Gezin C", "Gezin B"]

    # A stale version (someone else changed the agenda) changes nothing.
    stale = str(int(version()) - 1)
    resp = lead.submit(move, {"direction": "up", "version": stale}, follow_redirects=True)
    assert "Someone else changed the agenda in the meantime" in resp.get_data(as_text=True)
    assert agenda_order(lead, meeting) == ["Gezin A", "Gezin C", "Gezin B"]

    # Postpone A to the waiting list and B to the later meeting.
    page = f"/discussions/{meeting}/items/{ids[0]}/postpone"
    resp = lead.submit(page, {"to_discussion_id": "", "version": version()}, page=page)
    assert resp.status_code == 302
    page = f"/discussions/{meeting}/items/{ids[1]}/postpone"
    resp = lead.submit(page, {"to_discussion_id": str(later), "version": version()}, page=page)
    assert resp.status_code == 302
    assert agenda_order(lead, meeting) == ["Gezin C"]
    assert agenda_order(lead, later) == ["Gezin B"]
    with app.app_context():
        a = db.get(DiscussionItem, ids[0])
        assert (a.status, a.discussion_id, a.postponed_times) == (ItemStatus.WAITING, None, 1)
    index = lead.get("/discussions").get_data(as_text=True)
    assert "postponed once" in index

    # Add the waiting item back to the agenda: it goes to the end.
    resp = lead.submit(
        f"/discussions/{meeting}/agenda", {"item_ids": str(ids[0]), "version": version()}
    )
    assert resp.status_code == 302
    assert agenda_order(lead, meeting) == ["Gezin C", "Gezin A"]

    # Only the team lead plans and orders.
    assert pro.get("/discussions/new").status_code == 403
    assert pro.submit(move, {"direction": "up", "version": version()}).status_code == 403
    assert pro.get(f"/discussions/{meeting}/items/{ids[0]}/postpone").status_code == 403


def test_bad_input_is_explained_and_typing_kept(pro, lead, world, app, plan_case):
    item_id = item_id_of(submit_item(pro, plan_case))
    resp = plan_meeting(
        lead,
        TODAY,
        item_ids=[item_id],
        attendees=[world.pro_zuid],
        guests=[("", "wijkagent")],
        location="Ons vaste lokaal",
    )
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "Write the guest's name." in html
    assert "Choose one of the options offered." in html
    assert "Ons vaste lokaal" in html and "wijkagent" in html
    resp = plan_meeting(lead, date(1899, 1, 1))
    assert resp.status_code == 422
    assert "Check the date: it lies too far away." in unescape(resp.get_data(as_text=True))
    resp = lead.submit(
        "/discussions/new", {"held_on": "morgen", "starts_at": "25:99"}, page="/discussions/new"
    )
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "Not a valid date value." in html and "Not a valid time value." in html
    assert 'value="morgen"' in html

    meeting = meeting_id_of(plan_meeting(lead, TODAY, item_ids=[item_id]))
    out = f"/discussion-items/{item_id}/outcome"
    version = form_version(pro.get(out).get_data(as_text=True))
    resp = pro.submit(out, {"summary": "", "advice": "", "decisions": "", "version": version})
    assert resp.status_code == 422
    assert "Write what was discussed, the advice or the decisions." in resp.get_data(as_text=True)

    # No plan yet: a follow-up for the family (needs a goal) and a task without a date.
    resp = pro.submit(
        out,
        {
            "summary": "Besproken.",
            "follow_ups-0-text": "Moeder belt de huisarts.",
            "follow_ups-0-owner": "family-1",
            "follow_ups-1-text": "Overleg met Veilig Thuis.",
            "follow_ups-1-owner": f"user-{world.pro_noord}",
            "version": version,
        },
    )
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "Choose a goal: this becomes an action in the family's plan." in html
    assert "A task needs a date." in html
    assert "Moeder belt de huisarts." in html and "Overleg met Veilig Thuis." in html
    with app.app_context():
        assert db.get(DiscussionItem, item_id).status == ItemStatus.ON_AGENDA
        assert db.scalar(select(func.count(Task.id))) == 0
    assert meeting


def test_outcome_for_a_meeting_still_to_come_is_refused(pro, lead, plan_case):
    item_id = item_id_of(submit_item(pro, plan_case))
    meeting_id_of(plan_meeting(lead, TODAY + timedelta(days=3), item_ids=[item_id]))
    out = f"/discussion-items/{item_id}/outcome"
    version = form_version(pro.get(out).get_data(as_text=True))
    resp = pro.submit(out, {"summary": "Te vroeg.", "version": version})
    assert resp.status_code == 403
    assert "The meeting has not taken place yet." in resp.get_data(as_text=True)


def test_concurrent_outcome_gets_a_conflict_page_that_keeps_the_text(pro, lead, plan_case, app):
    item_id = item_id_of(submit_item(pro, plan_case))
    meeting_id_of(plan_meeting(lead, TODAY, item_ids=[item_id]))
    out = f"/discussion-items/{item_id}/outcome"
    v_pro = form_version(pro.get(out).get_data(as_text=True))
    v_lead = form_version(lead.get(out).get_data(as_text=True))
    assert lead.submit(out, {"summary": "Eerste versie.", "version": v_lead}).status_code == 302
    resp = pro.submit(out, {"summary": "Mijn eigen verslag.", "version": v_pro})
    assert resp.status_code == 409
    html = unescape(resp.get_data(as_text=True))
    assert "Someone else saved changes while you were editing" in html
    assert "Mijn eigen verslag." in html and "Eerste versie." in html
    with app.app_context():
        assert db.get(DiscussionItem, item_id).summary == "Eerste versie."


def test_other_teams_and_admins_see_nothing(pro, lead, client, world, app, plan_case):
    from tests.conftest import AppClient

    item_id = item_id_of(submit_item(pro, plan_case))
    meeting = meeting_id_of(plan_meeting(lead, TODAY, item_ids=[item_id]))
    outsider: AppClient = app.test_client()  # type: ignore[assignment]
    for email in ("lead.zuid@test.example", "pro.zuid@test.example", "admin@test.example"):
        outsider.login(email)
        for url in (
            f"/discussions/{meeting}",
            f"/discussions/{meeting}/edit",
            f"/discussion-items/{item_id}",
            f"/discussion-items/{item_id}/outcome",
            f"/discussions/{meeting}/items/{item_id}/postpone",
        ):
            assert outsider.get(url).status_code == 404, (email, url)
        resp = outsider.submit(
            f"/discussions/{meeting}/items/{item_id}/move", {"direction": "up", "version": "1"}
        )
        assert resp.status_code == 404
        resp = outsider.submit(f"/discussion-items/{item_id}/outcome", {"summary": "x"})
        assert resp.status_code == 404
        assert "Bakker" not in outsider.get("/discussions").get_data(as_text=True)
        outsider.logout()
    with app.app_context():
        assert db.get(DiscussionItem, item_id).summary == ""


def test_closed_case_cannot_be_brought_in(pro, app, plan_case):
    with app.app_context():
        db.get(Case, plan_case).status = CaseStatus.CLOSED
        db.commit()
    assert submit_item(pro, plan_case).status_code == 403


def test_views_and_changes_are_audited(pro, lead, app, plan_case):
    item_id = item_id_of(submit_item(pro, plan_case))
    meeting = meeting_id_of(plan_meeting(lead, TODAY, item_ids=[item_id]))
    lead.get(f"/discussions/{meeting}")
    pro.get(f"/discussion-items/{item_id}")
    with app.app_context():
        actions = list(
            db.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.case_id == plan_case)
                .order_by(AuditEvent.id)
            )
        )
    assert "discussion.submit" in actions and "discussion.agenda" in actions
    assert actions.count("discussion.view") >= 2


def test_meeting_page_queries_do_not_grow_with_the_agenda(pro, lead, world, app):
    def meeting_with(n: int) -> int:
        ids = [
            item_id_of(submit_item(pro, world.case(world.pro_noord, name=f"Gezin{n}x{i}")))
            for i in range(n)
        ]
        return meeting_id_of(plan_meeting(lead, TODAY, item_ids=ids))

    small, big = meeting_with(2), meeting_with(9)
    counts = []
    for meeting in (small, big):
        lead.get(f"/discussions/{meeting}")  # warm up (session, user)
        with count_queries(app) as counter:
            assert lead.get(f"/discussions/{meeting}").status_code == 200
        counts.append(counter["selects"])
    assert counts[0] == counts[1], counts
    for url in ("/discussions", "/dashboard"):
        lead.get(url)
        with count_queries(app) as counter:
            assert lead.get(url).status_code == 200
        assert counter["selects"] < 25, (url, counter)


def test_question_can_be_changed_and_withdrawn(pro, lead, client, app, plan_case):
    item_id = item_id_of(submit_item(pro, plan_case))
    meeting = meeting_id_of(plan_meeting(lead, TODAY + timedelta(days=2), item_ids=[item_id]))
    page = f"/discussion-items/{item_id}/edit"
    v_pro = form_version(pro.get(page).get_data(as_text=True))
    v_lead = form_version(lead.get(page).get_data(as_text=True))
    data = {"question": "Scherpere vraag van de teamleider.", "need": "decision", "tried": ""}
    assert lead.submit(page, {**data, "version": v_lead}).status_code == 302
    resp = pro.submit(page, {**data, "question": "Mijn betere vraag.", "version": v_pro})
    assert resp.status_code == 409
    assert "Mijn betere vraag." in resp.get_data(as_text=True)

    with app.app_context():
        version = db.get(DiscussionItem, item_id).version
    resp = pro.submit(f"/discussion-items/{item_id}/withdraw", {"version": str(version)})
    assert resp.status_code == 302
    with app.app_context():
        item = db.get(DiscussionItem, item_id)
        assert (item.status, item.discussion_id) == (ItemStatus.WITHDRAWN, None)
    assert "Nothing on the agenda yet." in lead.get(f"/discussions/{meeting}").get_data(
        as_text=True
    )
    # Once withdrawn it cannot be changed any more.
    assert pro.get(page).status_code == 403


def test_outcome_text_is_kept_when_the_session_ran_out(pro, lead, app, plan_case):
    from sqlalchemy import update

    from tests.conftest import PASSWORD
    from wijkteam.auth.models import AuthSession
    from wijkteam.core.db import utc_now

    item_id = item_id_of(submit_item(pro, plan_case))
    meeting_id_of(plan_meeting(lead, TODAY, item_ids=[item_id]))
    out = f"/discussion-items/{item_id}/outcome"
    html = pro.get(out).get_data(as_text=True)
    version = form_version(html)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    with app.app_context():  # the session runs out while the minutes are typed
        db.execute(update(AuthSession).values(revoked_at=utc_now()))
        db.commit()
    minutes = "Uitgebreid verslag van het overleg. " * 40
    resp = pro.post(out, data={"summary": minutes, "version": version, "csrf_token": token})
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    with app.app_context():
        assert db.get(DiscussionItem, item_id).summary == ""
    login = resp.headers["Location"]
    resp = pro.submit(login, {"email": PRO, "password": PASSWORD}, page=login)
    assert resp.headers["Location"].endswith(out)
    form = unescape(pro.get(out).get_data(as_text=True))
    assert minutes.strip() in form
    assert f'name="version" type="hidden" value="{version}"' in form


def test_waiting_cases_are_shown_a_page_at_a_time(pro, lead, world, app, monkeypatch):
    """Issue 21: a list that can grow is paged. The index pages the waiting cases (oldest
    first); the agenda forms and the meeting page offer the ones waiting longest and say more
    wait; the team lead's overview shows the first ones and says there are more. The pages
    run as many queries with 7 waiting as with 2."""
    from wijkteam.dashboard import lists as dashboard
    from wijkteam.discussions import queries

    monkeypatch.setattr(queries, "WAITING_PER_PAGE", 3)
    monkeypatch.setattr(queries, "WAITING_ON_A_FORM", 4)
    monkeypatch.setattr(dashboard, "DASHBOARD_WAITING", 2)

    def bring_in(n: int, start: int) -> list[int]:
        return [
            item_id_of(submit_item(pro, world.case(world.pro_noord, name=f"Wacht{i}")))
            for i in range(start, start + n)
        ]

    def selects(url: str) -> int:
        lead.get(url)
        with count_queries(app) as counter:
            assert lead.get(url).status_code == 200
        return counter["selects"]

    first = bring_in(2, 0)
    meeting = meeting_id_of(plan_meeting(lead, TODAY + timedelta(days=3)))
    urls = ("/discussions", "/discussions?waiting=2", f"/discussions/{meeting}", "/dashboard")
    few = [selects(url) for url in urls]
    ids = first + bring_in(5, 2)  # 7 waiting, oldest first
    assert [selects(url) for url in urls] == few

    def linked(html: str) -> list[int]:
        return [i for i in ids if f"/discussion-items/{i}" in html]

    page1 = lead.get("/discussions").get_data(as_text=True)
    assert linked(page1) == ids[:3]
    assert "waiting=2#" in page1 and "Page 1" in page1
    page3 = lead.get("/discussions?waiting=3").get_data(as_text=True)
    assert linked(page3) == ids[6:]
    assert "waiting=4#" not in page3 and "waiting=2#" in page3
    past_end = lead.get("/discussions?waiting=9").get_data(as_text=True)
    assert linked(past_end) == [] and "Back to the first page" in past_end

    show = lead.get(f"/discussions/{meeting}").get_data(as_text=True)
    offered = [int(i) for i in re.findall(r'name="item_ids" value="(\d+)"', show)]
    assert offered == ids[:4]
    assert "These are the 4 cases that wait longest. More cases wait" in show
    new = lead.get("/discussions/new").get_data(as_text=True)
    assert "These are the 4 cases that wait longest" in new

    board = lead.get("/dashboard").get_data(as_text=True)
    assert "More than 2 cases brought in wait for a meeting. These wait longest:" in board
    assert linked(board) == ids[:2]


def nav_links(html: str, anchor: str) -> list[dict[str, str]]:
    """The query of each link to `#anchor` (previous, next), in the page's order."""
    from urllib.parse import parse_qsl, urlsplit

    hrefs = re.findall(rf'href="([^"]*#{anchor})"', unescape(html))
    return [dict(parse_qsl(urlsplit(h).query)) for h in hrefs]


def test_coming_meetings_are_shown_a_page_at_a_time(lead, pro, world, app, monkeypatch):
    """Issue 21: a team that plans its meetings for the year ahead has more than a page of
    them; before, the ones after the tenth could not be seen until the first ones were held.
    The index pages them (soonest first), keeps the other lists' pages in its links, and runs
    as many queries with five coming meetings as with one. The dashboard shows the next two."""
    from wijkteam.discussions import queries

    monkeypatch.setattr(queries, "COMING_PER_PAGE", 2)
    monkeypatch.setattr(queries, "WAITING_PER_PAGE", 1)
    for i in range(3):
        submit_item(pro, world.case(world.pro_noord, name=f"Komend{i}"))

    def selects(url: str) -> int:
        lead.get(url)
        with count_queries(app) as counter:
            assert lead.get(url).status_code == 200
        return counter["selects"]

    earlier = meeting_id_of(plan_meeting(lead, TODAY - timedelta(days=14)))
    # planned out of order: the page orders them by date
    days = [9, 2, 30, 16, 23]
    first = meeting_id_of(plan_meeting(lead, TODAY + timedelta(days=days[0])))
    few = [selects(url) for url in ("/discussions", "/discussions?coming=2")]
    by_day = {days[0]: first}
    for day in days[1:]:
        by_day[day] = meeting_id_of(plan_meeting(lead, TODAY + timedelta(days=day)))
    soonest_first = [by_day[d] for d in sorted(days)]
    assert [selects(url) for url in ("/discussions", "/discussions?coming=2")] == few

    def coming(html: str) -> list[int]:
        part = html.split('id="upcoming-h"')[1].split("</section>")[0]
        return [int(i) for i in re.findall(r'href="/discussions/(\d+)"', part)]

    page1 = lead.get("/discussions").get_data(as_text=True)
    assert coming(page1) == soonest_first[:2]
    assert "coming=2" in page1 and f'href="/discussions/{earlier}"' in page1
    page2 = lead.get("/discussions?coming=2&page=1&waiting=1").get_data(as_text=True)
    assert coming(page2) == soonest_first[2:4]
    assert "coming=1" in page2 and "coming=3" in page2
    page3 = lead.get("/discussions?coming=3").get_data(as_text=True)
    assert coming(page3) == soonest_first[4:]
    assert "coming=4" not in page3
    for past_end in ("/discussions?coming=9", "/discussions?coming=99999999999999999999"):
        html = lead.get(past_end).get_data(as_text=True)
        assert coming(html) == [] and "Back to the first page" in html
    # each list's links keep the pages of the others
    page2 = lead.get("/discussions?coming=2&page=1&waiting=2").get_data(as_text=True)
    assert nav_links(page2, "upcoming-h") == [
        {"coming": "1", "waiting": "2", "page": "1"},
        {"coming": "3", "waiting": "2", "page": "1"},
    ]
    assert nav_links(page2, "waiting-h") == [
        {"waiting": "1", "page": "1", "coming": "2"},
        {"waiting": "3", "page": "1", "coming": "2"},
    ]
    board = lead.get("/dashboard").get_data(as_text=True)
    part = board.split('id="discussion-heading"')[1].split("</section>")[0]
    assert [int(i) for i in re.findall(r'href="/discussions/(\d+)"', part)] == soonest_first[:2]
    # a professional reads the same list
    assert coming(pro.get("/discussions?coming=2").get_data(as_text=True)) == soonest_first[2:4]


def test_what_i_brought_in_is_cut_to_the_longest_waiting(pro, lead, world, app, monkeypatch):
    """Issue 21: "Brought in by me" on the dashboard grows with every case brought in and not
    discussed; it shows the ones waiting longest and says there are more, on "my week" and on
    the team lead's overview (whose lists come in one query), with as many queries for 3 as
    for 2."""
    from wijkteam.discussions import queries

    monkeypatch.setattr(queries, "MY_ITEMS_SHOWN", 2)

    def bring_in(client, owner: int, names: list[str]) -> list[int]:
        return [item_id_of(submit_item(client, world.case(owner, name=n))) for n in names]

    def board(client) -> tuple[str, int]:
        client.get("/dashboard")
        with count_queries(app) as counter:
            html = client.get("/dashboard").get_data(as_text=True)
        return html, counter["selects"]

    notice = "You brought in more than 2 cases that were not discussed yet."
    for client, owner in ((pro, world.pro_noord), (lead, world.lead_noord)):
        first = bring_in(client, owner, [f"Ik{owner}a", f"Ik{owner}b"])
        html, few = board(client)
        mine = html.split('id="my-items-heading"')[1].split("</section>")[0]
        assert [i for i in first if f"/discussion-items/{i}" in mine] == first
        assert notice not in html
        ids = first + bring_in(client, owner, [f"Ik{owner}c"])
        html, many = board(client)
        mine = html.split('id="my-items-heading"')[1].split("</section>")[0]
        assert [i for i in ids if f"/discussion-items/{i}" in mine] == ids[:2]
        assert notice in mine
        assert many == few
