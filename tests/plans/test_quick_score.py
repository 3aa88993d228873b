"""The family's score in two clicks from the plan page (issue 17, part 1): a number, then save.
Anything wrong shows the full score form with the message (422); a double click saves once."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.factories import app_api as api
from tests.factories import cases as c
from wijkteam.audit.models import AuditEvent
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.plans.models import ScaleScore

FORM_RE = re.compile(r'<form method="post" class="quick-score" action="([^"]+)">(.*?)</form>', re.S)


def quick_form(client, base: str) -> tuple[str, dict[str, str]]:
    """The first quick-score form on the plan page: its action and hidden fields."""
    match = FORM_RE.search(client.get(base).get_data(as_text=True))
    assert match, "no quick score on the plan page"
    hidden = dict(re.findall(r'<input name="(\w+)" type="hidden" value="([^"]*)"', match.group(2)))
    assert {"csrf_token", "form_id", "version"} <= hidden.keys()
    return unescape(match.group(1)), hidden


def scores(app) -> list[ScaleScore]:
    with app.app_context():
        return list(db.scalars(select(ScaleScore)))


@pytest.fixture
def goal_id(ui):
    ui.start()
    return ui.goal_id(ui.add_goal())


def test_a_number_and_save_records_the_family_score_for_today(ui, client, app, goal_id):
    client.english()
    html = client.get(ui.base).get_data(as_text=True)
    # Eleven radio buttons in a group named by the goal's words, and a link to the full form.
    assert html.count('name="family_score"') == 11
    assert "<legend>The family's score today for: Wij willen &#39;s ochtends" in html
    assert f'href="{ui.base}/goals/{goal_id}/scores/new">More about the score</a>' in html
    action, hidden = quick_form(client, ui.base)
    assert action == f"{ui.base}/goals/{goal_id}/scores/quick"
    resp = client.post(action, data={**hidden, "family_score": "7"})
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"{ui.base}#goal-{goal_id}")
    (score,) = scores(app)
    assert (score.family_score, score.professional_score, score.scored_on) == (
        7,
        None,
        clock.today(),
    )
    assert score.one_point_higher == ""
    html = client.get(ui.base).get_data(as_text=True)
    assert "The score is saved." in html and "family 7" in html
    with app.app_context():
        created = db.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "score.create")
        )
        assert created == 1


def test_a_double_click_saves_once(ui, client, app, goal_id):
    action, hidden = quick_form(client, ui.base)
    first = client.post(action, data={**hidden, "family_score": "4"})
    second = client.post(action, data={**hidden, "family_score": "4"})
    assert first.status_code == 302 and second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert len(scores(app)) == 1


def test_no_number_shows_the_full_form_with_the_message(ui, client, app, goal_id):
    client.english()
    action, hidden = quick_form(client, ui.base)
    resp = client.post(action, data=hidden)
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "Choose the family's score: a number from 0 to 10." in html
    # The full form, sent to the full score form's address, with today's date filled in.
    assert f'action="{ui.base}/goals/{goal_id}/scores/new"' in html
    assert 'name="one_point_higher"' in html and 'name="professional_score"' in html
    assert f'value="{clock.today().isoformat()}"' in html
    for value in ("11", "-1", "zeven"):
        resp = client.post(action, data={**hidden, "family_score": value})
        assert resp.status_code == 422, value
    assert scores(app) == []


def test_the_full_form_saves_what_the_quick_one_could_not(ui, client, app, goal_id):
    action, hidden = quick_form(client, ui.base)
    resp = client.post(action, data={**hidden, "version": "999", "family_score": "6"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'name="family_score" type="number" value="6"' in html  # the chosen number is kept
    page = f"{ui.base}/goals/{goal_id}/scores/new"
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html))
    fields.update(one_point_higher="Als oma op woensdag helpt.")
    resp = client.post(page, data=fields)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    (score,) = scores(app)
    assert (score.family_score, score.one_point_higher) == (6, "Als oma op woensdag helpt.")


def test_a_goal_changed_since_the_page_was_opened(ui, client, app, goal_id):
    client.english()
    action, hidden = quick_form(client, ui.base)
    edit = f"{ui.base}/goals/{goal_id}/edit"
    data = {"text": "Wij gaan rustig de deur uit.", "version": ui.version_of(edit)}
    assert client.submit(edit, data, page=edit).status_code == 302
    resp = client.post(action, data={**hidden, "family_score": "5"})
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "This goal was changed after you opened the plan." in html
    assert "Wij gaan rustig de deur uit." in html  # the words as they are now
    assert scores(app) == []


def test_a_goal_no_longer_worked_on(ui, client, app, goal_id):
    client.english()
    action, hidden = quick_form(client, ui.base)
    status = f"{ui.base}/goals/{goal_id}/status"
    data = {
        "status": "achieved",
        "status_on": clock.today().isoformat(),
        "status_reason": "Het lukt elke ochtend.",
        "version": ui.version_of(status),
    }
    assert client.submit(status, data, page=status).status_code == 302
    # The plan page offers no quick score for it any more ...
    assert 'class="quick-score"' not in client.get(ui.base).get_data(as_text=True)
    # ... and a post from a page opened before is refused, with the full form.
    resp = client.post(action, data={**hidden, "family_score": "8"})
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "This goal is no longer being worked on" in html
    assert scores(app) == []


def test_another_team_cannot_score(ui, client, other_client, app, goal_id):
    action, hidden = quick_form(client, ui.base)
    other_client.login("pro.zuid@test.example")
    token = other_client.csrf_token("/cases")
    resp = other_client.post(action, data={**hidden, "csrf_token": token, "family_score": "3"})
    assert resp.status_code == 404
    assert scores(app) == []


def test_a_closed_case_has_no_quick_score(ui, client, app, world, goal_id):
    action, hidden = quick_form(client, ui.base)
    with app.test_request_context():
        c.close(db.get(api.User, world.pro_noord), db.get(api.Case, ui.case_id))
        db.commit()
    assert 'class="quick-score"' not in client.get(ui.base).get_data(as_text=True)
    assert client.post(action, data={**hidden, "family_score": "3"}).status_code == 403
    assert scores(app) == []


def test_the_language_switch_on_a_refused_quick_score_returns_to_a_page(ui, client, goal_id):
    """The refused quick score is shown at an address that only takes POSTs: switching the
    language there goes back to the plan page the form was on, not to a 405."""
    action, hidden = quick_form(client, ui.base)
    resp = client.post(action, data=hidden, headers={"Referer": f"http://localhost{ui.base}"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert f'<input type="hidden" name="next" value="{ui.base}">' in html
    # Without a referrer of our own site: the start page.
    resp = client.post(action, data=hidden, headers={"Referer": "https://evil.example/x"})
    assert '<input type="hidden" name="next" value="/">' in resp.get_data(as_text=True)
    back = client.submit("/language", {"lang": "en", "next": ui.base}, page=ui.base)
    assert back.headers["Location"].endswith(ui.base)


def test_the_plan_page_offers_each_number_once_named_by_its_label(ui, client, goal_id):
    """The eleven radio buttons (plans/markup.py, a template loop until issue 21): values 0-10
    in order, each with its own id and a label for it, in the goal's own form."""
    action, _hidden = quick_form(client, ui.base)
    form = FORM_RE.search(client.get(ui.base).get_data(as_text=True)).group(2)
    radios = re.findall(
        r'<input type="radio" name="family_score" value="(\d+)" id="([^"]+)">'
        r'<label for="([^"]+)">(\d+)</label>',
        form,
    )
    assert [r[0] for r in radios] == [str(n) for n in range(11)]
    assert all(r[1] == r[2] == f"score-{goal_id}-{r[0]}" and r[3] == r[0] for r in radios)
    assert form.count('type="radio"') == 11
    assert action.endswith(f"/goals/{goal_id}/scores/quick")
