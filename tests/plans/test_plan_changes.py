"""The page "what changed since the family agreed" (issue 17, part 3): added, changed and ended
since the last agreed version, in the family's words; linked where the plan page says the draft
changed; a view of the case in the audit log."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select

from tests.plans.test_plan import action_data
from tests.plans.test_repeats_and_agreement import agree
from wijkteam.audit.models import AuditEvent
from wijkteam.core.db import db
from wijkteam.plans.compare import report
from wijkteam.plans.enums import ActionStatus, GoalStatus, Repeats

FIRST = "Wij willen 's ochtends zonder ruzie de deur uit."
SECOND = "Noah gaat weer graag naar school."


def page(client, ui) -> str:
    resp = client.get(f"{ui.base}/changes")
    assert resp.status_code == 200
    return unescape(resp.get_data(as_text=True))


def section(html: str, heading: str) -> str:
    """The text of the section under this heading (up to the next section), without tags."""
    start = html.index(heading)
    end = html.find("</section>", start)
    return " ".join(re.sub(r"<[^>]+>", " ", html[start:end]).split())


def test_without_an_agreed_version_there_is_nothing_to_compare(ui, client):
    client.english()
    ui.start()
    ui.add_goal(FIRST)
    html = page(client, ui)
    assert "Nothing is agreed with the family yet" in html
    assert "New since then" not in html


def test_nothing_changed_since_the_agreement(ui, client):
    client.english()
    ui.start()
    ui.add_goal(FIRST)
    assert agree(client, ui.base).status_code == 302
    html = page(client, ui)
    assert "Compared with version 1" in html
    assert "Nothing changed since then." in html
    plan_page = client.get(ui.base).get_data(as_text=True)
    assert "Draft: changed since then." not in plan_page
    assert f'href="{ui.base}/changes"' not in plan_page


def test_added_changed_and_ended_in_the_family_words(ui, client, app):
    client.english()
    ui.start()
    first = ui.goal_id(ui.add_goal(FIRST))
    second = ui.goal_id(ui.add_goal(SECOND))
    new_action = f"{ui.base}/goals/{first}/actions/new"
    client.submit(new_action, action_data(text="Kleren klaarleggen."), page=new_action)
    assert agree(client, ui.base).status_code == 302
    # Since then: a new goal, the first goal's words changed, the second goal achieved, a new
    # action, and the evaluation moved.
    ui.add_goal("Lisa heeft een avond per week voor zichzelf.")
    edit = f"{ui.base}/goals/{first}/edit"
    data = {"text": "Wij gaan om half acht rustig de deur uit.", "version": ui.version_of(edit)}
    assert client.submit(edit, data, page=edit).status_code == 302
    status = f"{ui.base}/goals/{second}/status"
    data = {
        "status": "achieved",
        "status_on": "2026-03-10",
        "status_reason": "Hij gaat elke dag.",
        "version": ui.version_of(status),
    }
    assert client.submit(status, data, page=status).status_code == 302
    client.submit(new_action, action_data(text="Wekker om zeven uur."), page=new_action)
    dates = f"{ui.base}/edit"
    data = {"started_on": "2026-02-01", "evaluation_on": "2027-01-15"}
    assert client.submit(dates, {**data, "version": ui.version_of(dates)}, page=dates)
    # The plan page links to the comparison where it says the draft changed.
    plan_page = client.get(ui.base).get_data(as_text=True)
    assert "Draft: changed since then." in plan_page
    assert f'href="{ui.base}/changes"' in plan_page

    html = page(client, ui)
    added = section(html, "New since then")
    assert "Lisa heeft een avond per week voor zichzelf." in added
    assert "Wekker om zeven uur." in added
    assert "Kleren klaarleggen." not in added
    changed = section(html, "Changed since then")
    assert "Wij gaan om half acht rustig de deur uit." in changed
    assert f"The words before: {FIRST}" in changed
    assert "Evaluation" in changed and "before: Dec 1, 2026" in changed
    ended = section(html, "Ended since then")
    assert SECOND in ended and "Achieved" in ended
    assert SECOND not in changed
    with app.app_context():
        views = db.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.case_id == ui.case_id, AuditEvent.action == "case.view"
            )
        )
        assert views and views >= 1


def test_the_page_is_a_logged_view_of_the_case(ui, client, app):
    ui.start()
    ui.add_goal(FIRST)

    def logged() -> list[str]:
        with app.app_context():
            return list(
                db.scalars(
                    select(AuditEvent.action)
                    .where(AuditEvent.case_id == ui.case_id)
                    .order_by(AuditEvent.id)  # PostgreSQL returns rows in no set order
                )
            )

    before = logged()
    page(client, ui)
    assert logged() == [*before, "case.view"]


def test_a_case_without_a_plan_has_no_changes_page(client, plan_case):
    client.login("pro.noord@test.example")
    assert client.get(f"/cases/{plan_case}/plan/changes").status_code == 404


def test_the_dutch_page_says_so_plainly(ui, client):
    ui.start()
    ui.add_goal(FIRST)
    agree(client, ui.base)
    ui.add_goal(SECOND)
    html = page(client, ui)
    assert "Wat is er veranderd sinds het gezin akkoord gaf" in html
    assert "Nieuw sinds toen" in html and SECOND in html


def snap(goals):
    return {"evaluation_on": None, "ladder_level": 3, "regie": "shared", "goals": goals}


def goal(status="active", actions=(), **fields):
    return {
        "id": 1,
        "text": FIRST,
        "why_it_matters": "",
        "first_step": "",
        "status": status,
        "members": [],
        "actions": list(actions),
        **fields,
    }


def action(**fields):
    return {
        "id": 7,
        "text": "Kleren klaarleggen.",
        "owner_kind": "family",
        "owner": "Lisa",
        "due_on": None,
        "repeats": "once",
        "status": "planned",
        **fields,
    }


def test_report_an_action_done_is_ended_and_its_other_changes_are_kept():
    result = report(
        snap([goal(actions=[action()])]),
        snap([goal(actions=[action(status="done", repeats="weekly")])]),
    )
    assert result.added == [] and result.changed == []
    (line,) = result.ended
    assert (line.kind, line.text, line.goal_text) == ("action", "Kleren klaarleggen.", FIRST)
    assert line.status == ActionStatus.DONE
    assert line.fields == [("repeats", Repeats.ONCE, Repeats.WEEKLY)]


def test_report_a_goal_made_active_again_is_changed_not_ended():
    result = report(snap([goal(status="dropped")]), snap([goal()]))
    (line,) = result.changed
    assert line.fields == [("status", GoalStatus.DROPPED, GoalStatus.ACTIVE)]
    assert result.ended == []


def test_report_an_older_version_without_ids_and_a_goal_gone():
    old = snap([goal(actions=[{k: v for k, v in action().items() if k not in ("id", "repeats")}])])
    assert not report(old, snap([goal(actions=[action()])])).any
    result = report(old, snap([]))
    assert [(line.kind, line.text, line.status) for line in result.ended] == [
        ("goal", FIRST, None),
        ("action", "Kleren klaarleggen.", None),
    ]
