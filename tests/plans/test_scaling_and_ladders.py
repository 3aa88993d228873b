"""Scaling scores and their chart, the participation ladder, regie and the social ladder."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from tests.test_queries import count_queries
from wijkteam.audit.history import Revision
from wijkteam.core import clock
from wijkteam.core.db import AppendOnlyViolation, db
from wijkteam.plans.models import LadderEntry, ScaleScore, SocialLadderEntry


def points(html: str, series: str) -> int:
    return len(re.findall(rf'<circle class="point {series}"', html))


@pytest.fixture
def goal_id(ui):
    ui.start()
    return ui.goal_id(ui.add_goal())


def test_chart_shows_one_point_per_score(ui, client, goal_id):
    for day, fam, pro in (
        ("2026-02-10", "2", "3"),
        ("2026-03-10", "4", ""),
        ("2026-04-10", "6", "5"),
    ):
        resp = ui.add_score(
            goal_id,
            scored_on=day,
            family_score=fam,
            professional_score=pro,
            one_point_higher="Als oma helpt op woensdag.",
        )
        assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    html = client.get(f"{ui.base}/goals/{goal_id}").get_data(as_text=True)
    assert "<svg" in html and 'role="img"' in html
    assert points(html, "series-family") == 3
    assert points(html, "series-professional") == 2
    assert html.count('<polyline class="line series-family"') == 1
    assert "Als oma helpt op woensdag." in html  # the table alternative
    # The plan overview shows the latest score.
    client.english()
    assert "family 6" in client.get(ui.base).get_data(as_text=True)


def test_chart_with_one_score_and_without_scores(ui, client, goal_id):
    html = client.get(f"{ui.base}/goals/{goal_id}").get_data(as_text=True)
    assert "<svg" not in html
    ui.add_score(goal_id, scored_on="2026-02-10", family_score="5")
    html = client.get(f"{ui.base}/goals/{goal_id}").get_data(as_text=True)
    assert points(html, "series-family") == 1
    assert "<polyline" not in html


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"family_score": "11"}, "A score is a number from 0 to 10."),
        ({"family_score": "-1"}, "A score is a number from 0 to 10."),
        ({"professional_score": "zeven"}, "Fill in a whole number, for example 12."),
        ({}, "Fill in the family's score, yours, or both."),
    ],
)
def test_score_bad_input(ui, client, app, goal_id, values, message):
    client.english()
    resp = ui.add_score(
        goal_id, scored_on="2026-03-01", one_point_higher="Mijn tekst blijft.", **values
    )
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert message in html
    assert "Mijn tekst blijft." in html
    with app.app_context():
        assert db.scalar(select(ScaleScore.id)) is None


def test_score_date_rules(ui, client, goal_id):
    future = (clock.today() + timedelta(days=1)).isoformat()
    assert ui.add_score(goal_id, scored_on=future, family_score="3").status_code == 422
    assert ui.add_score(goal_id, scored_on="2025-12-01", family_score="3").status_code == 422


def test_correcting_and_striking_out_scores_keeps_them_on_record(ui, client, app, goal_id):
    ui.add_score(goal_id, scored_on="2026-02-10", family_score="2")
    ui.add_score(goal_id, scored_on="2026-03-10", family_score="9")
    with app.app_context():
        first, second = db.scalars(select(ScaleScore.id).order_by(ScaleScore.id)).all()
    page = f"{ui.base}/scores/{first}/edit"
    resp = client.submit(
        page,
        {"scored_on": "2026-02-10", "family_score": "3", "version": ui.version_of(page)},
        page=page,
    )
    assert resp.status_code == 302
    page = f"{ui.base}/scores/{second}/void"
    resp = client.submit(
        page, {"void_reason": "Verkeerd doel.", "version": ui.version_of(page)}, page=page
    )
    assert resp.status_code == 302
    html = client.get(f"{ui.base}/goals/{goal_id}").get_data(as_text=True)
    assert points(html, "series-family") == 1  # the struck-out score leaves the chart
    assert 'class="voided"' in html and "Verkeerd doel." in html  # but stays on record
    with app.app_context():
        assert db.scalar(
            select(Revision.old).where(
                Revision.table_name == "scale_scores", Revision.row_id == first
            )
        ) == {"family_score": 2}
        assert db.get(ScaleScore, second).voided_at is not None
    # A struck-out score cannot be changed any more.
    assert (
        client.submit(
            f"{ui.base}/scores/{second}/edit",
            {"scored_on": "2026-03-10", "family_score": "1", "version": "3"},
            page=f"{ui.base}/goals/{goal_id}",
        ).status_code
        == 403
    )


def ladder(ui, client, **values):
    data = {
        "level": "4",
        "changed_on": "2026-03-01",
        "reason": "Moeder geeft goed advies.",
        "climb_back": "",
    }
    data.update(values)
    return client.submit(f"{ui.base}/ladder", data, page=f"{ui.base}/ladder")


def test_ladder_up_and_down_with_history(ui, client, app):
    ui.start()  # level 3 on 2026-02-01
    client.english()
    assert ladder(ui, client, level="5", changed_on="2026-03-01").status_code == 302
    resp = ladder(
        ui, client, level="2", changed_on="2026-04-01", reason="Zorgen over veiligheid van Noah."
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "The level goes down: write what it would take to climb back." in html
    assert "Zorgen over veiligheid van Noah." in html
    resp = ladder(
        ui,
        client,
        level="2",
        changed_on="2026-04-01",
        reason="Zorgen over veiligheid van Noah.",
        climb_back="Afspraken over toezicht worden vier weken nagekomen.",
    )
    assert resp.status_code == 302
    with app.app_context():
        levels = [int(e.level) for e in db.scalars(select(LadderEntry).order_by(LadderEntry.id))]
    assert levels == [3, 5, 2]
    html = client.get(ui.base).get_data(as_text=True)
    assert "2. Informing" in html
    timeline = html.split('class="ladder-timeline"')[1].split("</ol>")[0]
    assert timeline.count("<li") == 3
    assert "down from 5" in timeline and "up from 3" in timeline
    assert "Afspraken over toezicht worden vier weken nagekomen." in timeline


def test_ladder_bad_input(ui, client):
    ui.start()
    client.english()
    resp = ladder(ui, client, level="3")
    assert resp.status_code == 422
    assert "The plan is already at this level." in resp.get_data(as_text=True)
    resp = ladder(ui, client, reason="")
    assert "Write why the level changes." in resp.get_data(as_text=True)
    resp = ladder(ui, client, changed_on="2026-01-20")
    assert "This date is before the last change of level." in resp.get_data(as_text=True)
    assert ladder(ui, client, level="0").status_code == 422
    assert ladder(ui, client, level="7").status_code == 422


def test_ladder_entries_are_never_changed(app, ui, ctx):
    ui.start()
    entry = db.scalar(select(LadderEntry))
    entry.reason = "anders"
    with pytest.raises(AppendOnlyViolation):
        db.flush()
    db.rollback()


def test_regie_changes_with_date_and_reason(ui, client, app):
    ui.start()
    client.english()
    page = f"{ui.base}/regie"
    resp = client.submit(
        page, {"regie": "shared", "changed_on": "2026-03-01", "reason": "x"}, page=page
    )
    assert resp.status_code == 422 and "Regie is already like this." in resp.get_data(as_text=True)
    resp = client.submit(
        page, {"regie": "taken_over", "changed_on": "2026-03-01", "reason": ""}, page=page
    )
    assert resp.status_code == 422
    resp = client.submit(
        page,
        {"regie": "taken_over", "changed_on": "2026-03-01", "reason": "Veiligheid Noah eerst."},
        page=page,
    )
    assert resp.status_code == 302
    html = client.get(ui.base).get_data(as_text=True)
    assert "Regie taken over (the professional directs)" in html
    assert "Veiligheid Noah eerst." in html


def test_social_ladder_for_adults_only(ui, client, app):
    page_lisa = f"/cases/{ui.case_id}/members/1/social-ladder"
    page_noah = f"/cases/{ui.case_id}/members/2/social-ladder"
    client.english()
    html = client.get(page_lisa).get_data(as_text=True)
    assert "not the participation ladder of the plan" in html  # the two ladders are named apart
    for level, day in (("2", "2026-02-01"), ("3", "2026-05-01")):
        resp = client.submit(
            page_lisa,
            {"level": level, "recorded_on": day, "note": "Gaat naar de ouderkamer."},
            page=page_lisa,
        )
        assert resp.status_code == 302
    resp = client.submit(page_noah, {"level": "2", "recorded_on": "2026-02-01"}, page=page_noah)
    assert resp.status_code == 422
    assert "for adults (18 and older)" in resp.get_data(as_text=True)
    html = client.get(page_lisa).get_data(as_text=True)
    assert "3. Taking part in organised activities" in html
    assert "2. Social contacts outside the home" in html
    with app.app_context():
        assert len(db.scalars(select(SocialLadderEntry)).all()) == 2
    assert client.get(f"/cases/{ui.case_id}/members/99/social-ladder").status_code == 404


def test_small_successes(ui, client, goal_id):
    page = f"{ui.base}/successes/new"
    resp = client.submit(
        page,
        {"noted_on": "2026-03-03", "goal_id": str(goal_id), "text": "Drie ochtenden zonder ruzie!"},
        page=page,
    )
    assert resp.status_code == 302
    assert "Drie ochtenden zonder ruzie!" in client.get(ui.base).get_data(as_text=True)
    resp = client.submit(page, {"noted_on": "2026-03-03", "goal_id": "999", "text": "x"}, page=page)
    assert resp.status_code == 422


def test_ladder_levels_are_offered_in_the_page_language(ui, client):
    """The level options are made when shown, not when the form class is built (at import,
    outside any request, they were English on Dutch pages)."""
    ui.start()
    dutch = client.get(f"{ui.base}/ladder").get_data(as_text=True)
    assert ">1. Geen participatie<" in dutch and "No participation" not in dutch
    client.english()
    english = client.get(f"{ui.base}/ladder").get_data(as_text=True)
    assert ">1. No participation<" in english and "Geen participatie" not in english


def test_the_plan_page_reads_only_the_lists_that_hold_something(ui, client, app, goal_id):
    """The plan's own statement reads its lists and says whether the family's social ladder
    holds anything (issue 21: `plans.page.read_plan_page`); an empty social ladder is not
    read. Empty, the page says so; once each holds something, the page shows it, with one
    query more for the social ladder (the goals' latest scores and the small successes come
    in the plan's one statement)."""
    client.english()
    with count_queries(app) as queries:
        html = unescape(client.get(ui.base).get_data(as_text=True))
    empty = queries["n"]
    assert "0 strengths chosen" in html and "Latest score" not in html
    assert "Lisa Bakker</a>:\nnot recorded" in html  # the family's one adult
    assert 'id="successes-heading"' not in html

    assert ui.add_score(goal_id, scored_on="2026-03-10", family_score="6").status_code == 302
    social = f"/cases/{ui.case_id}/members/1/social-ladder"
    resp = client.submit(social, {"level": "3", "recorded_on": "2026-02-01"}, page=social)
    assert resp.status_code == 302
    page = f"{ui.base}/successes/new"
    success = {"noted_on": "2026-03-03", "goal_id": str(goal_id), "text": "Drie ochtenden rustig."}
    assert client.submit(page, success, page=page).status_code == 302
    page = f"{ui.base}/strengths"
    assert client.submit(page, {"text": "Wij lachen veel."}, page=page).status_code == 302

    with count_queries(app) as queries:
        html = unescape(client.get(ui.base).get_data(as_text=True))
    assert "1 strength chosen" in html and "Latest score (Mar 10, 2026)" in html
    assert "3. Taking part in organised activities" in html and "not recorded" not in html
    assert "Drie ochtenden rustig." in html
    # the social ladder (the latest scores and the successes come with the plan)
    assert queries["n"] == empty + 1
