"""The analysts' figures across all teams are kept as snapshots (wijkteam/outcomes/snapshots.py):
worked out once, shown with the moment they were made, worked out again by the job worker when
older than OUTCOMES_SNAPSHOT_SECONDS, and every hour for the last four ended quarters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update

from tests.conftest import ANALYST_EMAIL
from tests.outcomes.test_pages import Q3, seed
from wijkteam.core import clock
from wijkteam.core.db import db, get_engine, utc_now
from wijkteam.outcomes.models import OutcomeSnapshot
from wijkteam.outcomes.periods import Quarter
from wijkteam.outcomes.queries import outcome_counts
from wijkteam.outcomes.report import Report
from wijkteam.outcomes.snapshots import TEAMS, refresh, teams_report


@pytest.fixture
def kept(app):
    """Snapshots kept for an hour, as in production."""
    app.config["OUTCOMES_SNAPSHOT_SECONDS"] = 3600
    yield
    app.config["OUTCOMES_SNAPSHOT_SECONDS"] = 0


def snapshots(app) -> list[tuple[str, str]]:  # (quarter, scope) rows
    with app.app_context():
        rows = db.execute(select(OutcomeSnapshot.quarter, OutcomeSnapshot.scope))
        return [tuple(row) for row in rows]


def closed_on_page(client, url=f"/outcomes?period={Q3}") -> str:
    html = client.get(url).get_data(as_text=True)
    return html.split("Cases closed in the quarter: ", 1)[1].split(".", 1)[0]


def statements_of(app, client, url: str) -> list[str]:
    seen: list[str] = []
    with app.app_context():
        engine = get_engine()

    def before(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return seen


def test_a_kept_snapshot_is_shown_with_its_moment_until_it_is_an_hour_old(
    app, world, client, analyst, kept
):
    seed(app, world, noord=6, zuid=6)
    client.login(ANALYST_EMAIL)
    client.english()
    assert closed_on_page(client) == "12"
    assert snapshots(app) == [(Q3, TEAMS)]
    seed(app, world, noord=0, zuid=5)  # five more closed in Zuid
    html = client.get(f"/outcomes?period={Q3}").get_data(as_text=True)
    assert "Cases closed in the quarter: 12." in html  # the kept figures
    assert "Worked out on" in html and "they are worked out again every hour" in html
    # The kept figures are read, not worked out: none of the outcome queries runs.
    seen = statements_of(app, client, f"/outcomes?period={Q3}")
    assert not [s for s in seen if "in_care" in s or "closed_cases" in s]
    with app.app_context():
        db.execute(update(OutcomeSnapshot).values(computed_at=utc_now() - timedelta(hours=2)))
        db.commit()
    # An old one asks the worker (at once in tests) and the page shows the new figures.
    assert closed_on_page(client) == "17"
    with app.app_context():
        age = utc_now() - db.scalar(select(OutcomeSnapshot.computed_at))
    assert age < timedelta(minutes=5)
    assert snapshots(app) == [(Q3, TEAMS)]  # replaced, not added


def test_the_monitor_and_the_csv_read_the_same_snapshot(app, world, client, analyst, kept):
    seed(app, world, noord=6, zuid=6)
    client.login(ANALYST_EMAIL)
    client.get(f"/outcomes?period={Q3}")
    seed(app, world, noord=0, zuid=5)
    for url in (f"/outcomes/monitor.csv?period={Q3}", f"/outcomes.csv?period={Q3}"):
        seen = statements_of(app, client, url)
        assert not [s for s in seen if "in_care" in s or "closed_cases" in s], url
    assert len(snapshots(app)) == 1


def test_kept_figures_are_the_figures_worked_out(app, world):
    """A snapshot gives back every count, sum and mark as the report made them."""
    seed(app, world, noord=7, zuid=3)
    quarter = Quarter.parse(Q3)
    with app.test_request_context():
        counts = outcome_counts(quarter, team_id=None, by="team")
        live = Report(quarter, "team", counts, {})
        refresh(quarter)
        db.expunge_all()
        kept_report, _moment = teams_report(quarter)
    assert kept_report.values == live.values
    assert kept_report.sums == live.sums
    assert kept_report.marks == live.marks
    assert kept_report.groups == sorted(live.groups)


def test_a_job_asked_twice_works_the_figures_out_once(app, world):
    seed(app, world, noord=6, zuid=6)
    quarter = Quarter.parse(Q3)
    with app.test_request_context():
        first = refresh(quarter)
        made = first.computed_at
        again = refresh(quarter, replacing=made - timedelta(seconds=1))
        assert again.computed_at == made  # worked out since the one the asker saw: kept
        newer = refresh(quarter, replacing=made)
        assert newer.computed_at > made


def test_the_worker_works_out_the_last_four_ended_quarters_every_hour(app, world):
    from wijkteam.jobs.queue import huey, refresh_recent_outcomes
    from wijkteam.jobs.worker import run_outcomes

    assert refresh_recent_outcomes.task_class in huey._registry._periodic_tasks  # every hour
    seed(app, world, noord=6, zuid=6)
    with app.app_context():  # the worker's app
        run_outcomes(None, None)
    last = Quarter.of(clock.today()).previous()
    expected = {last.key, last.previous().key, last.previous().previous().key}
    expected.add(last.previous().previous().previous().key)
    assert {quarter for quarter, _scope in snapshots(app)} == expected


def test_a_team_lead_s_figures_are_worked_out_on_every_view(app, world, client, kept):
    seed(app, world, noord=6, zuid=0)
    client.login("lead.noord@test.example")
    client.english()
    assert closed_on_page(client) == "6"
    seed(app, world, noord=5, zuid=0)
    assert closed_on_page(client) == "11"
    assert snapshots(app) == []
    with app.app_context():
        assert db.scalar(select(func.count(OutcomeSnapshot.id))) == 0


def test_a_queue_that_cannot_be_reached_shows_the_kept_figures(
    app, world, client, analyst, kept, monkeypatch
):
    from wijkteam.jobs import queue

    seed(app, world, noord=6, zuid=6)
    client.login(ANALYST_EMAIL)
    client.english()
    assert closed_on_page(client) == "12"
    with app.app_context():
        db.execute(update(OutcomeSnapshot).values(computed_at=utc_now() - timedelta(hours=2)))
        db.commit()

    def down(*_args):
        raise ConnectionError("the queue is down")

    monkeypatch.setattr(queue, "refresh_outcomes", down)
    seed(app, world, noord=0, zuid=5)
    resp = client.get(f"/outcomes?period={Q3}")
    assert resp.status_code == 200
    assert "Cases closed in the quarter: 12." in resp.get_data(as_text=True)
