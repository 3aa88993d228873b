"""The outcome pages as their readers use them: who sees what (team leads their own team,
analysts all teams and nothing else, professionals nothing), the CSV files, the monitor export
and its audit row, a fixed number of queries, and the page in Dutch."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from sqlalchemy import select

from tests.conftest import ANALYST_EMAIL
from tests.outcomes.builder import Builder
from tests.test_dutch_pages import english_on
from tests.test_queries import count_queries
from wijkteam.audit.models import AuditEvent
from wijkteam.closing.models import EndedBy, GoalResult
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.outcomes.export import MONITOR_HEADER
from wijkteam.outcomes.figures import COLUMNS
from wijkteam.outcomes.periods import Quarter

D = date
Q3 = "2026-Q3"


def seed(app, world, *, noord: int = 6, zuid: int = 2) -> None:
    """Cases closed in the third quarter of 2026: `noord` in Noord (pro.noord and pro2.noord
    taking turns; each of them in turn a drop-out with a 6, or ended together with a 7), `zuid`
    in Zuid."""
    build = Builder(app, world.pro_noord)
    for i in range(noord):
        second = (i // 2) % 2
        build.case(
            team_id=world.noord,
            lead_id=world.pro_noord if i % 2 else world.pro2_noord,
            opened=D(2026, 5, 1),
            closed=D(2026, 8, 1),
            ended_by=EndedBy.TOGETHER if second else EndedBy.FAMILY,
            results=[GoalResult.REACHED],
            answers=[{"rating": 6 + second, "heard": 4}],
        )
    for _i in range(zuid):
        build.case(
            team_id=world.zuid,
            lead_id=world.pro_zuid,
            opened=D(2026, 5, 1),
            closed=D(2026, 8, 1),
            ended_by=EndedBy.TEAM,
        )


def rows_of(resp) -> list[dict[str, str]]:
    assert resp.status_code == 200, resp.status_code
    assert resp.mimetype == "text/csv"
    body = resp.get_data()
    assert body.startswith("\ufeff".encode())  # a byte-order mark, for spreadsheets
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def audit_rows(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        rows = list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        db.expunge_all()
        return rows


def test_a_team_lead_sees_only_their_own_team(app, world, client):
    seed(app, world, noord=6, zuid=7)
    client.login("lead.noord@test.example")
    client.english()
    html = client.get(f"/outcomes?period={Q3}&team={world.zuid}").get_data(as_text=True)
    assert "The families of Team Noord" in html
    assert "Cases closed in the quarter: 6." in html  # not Zuid's 7, not 13
    assert "Team Zuid" not in html
    rows = rows_of(client.get(f"/outcomes.csv?period={Q3}&team={world.zuid}"))
    assert {r["scope"] for r in rows} == {"Team Noord"}
    closed = {r["group"]: r["value"] for r in rows if r["figure"] == "closed"}
    assert closed == {"all": "6", "Pro Noord": "< 5", "Pro2 Noord": "< 5"}
    # Someone of another team as "professional": not one of the choices, so the whole team.
    html = client.get(f"/outcomes?period={Q3}&professional={world.pro_zuid}").get_data(as_text=True)
    assert "Cases closed in the quarter: 6." in html
    assert "is not something we can show" in html


def test_a_professional_filter_shows_that_professionals_row(app, world, client):
    seed(app, world, noord=20)
    client.login("lead.noord@test.example")
    client.english()
    html = client.get(f"/outcomes?period={Q3}&professional={world.pro_noord}").get_data(
        as_text=True
    )
    assert "Showing: Pro Noord" in html
    assert "Cases closed in the quarter: 10." in html
    rows = rows_of(client.get(f"/outcomes.csv?period={Q3}&professional={world.pro_noord}"))
    assert {r["group"] for r in rows} == {"Pro Noord"}
    assert [r["figure"] for r in rows] == COLUMNS


def test_professionals_and_admins_do_not_see_the_outcomes(app, world, client):
    seed(app, world)
    for who in ("pro.noord@test.example", "admin@test.example", "admin.noord@test.example"):
        client.login(who)
        for url in ("/outcomes", "/outcomes.csv", f"/outcomes/monitor.csv?period={Q3}"):
            assert client.get(url).status_code == 403, (who, url)
        client.logout()
    assert len(audit_rows(app, "access.denied")) == 9
    # The monitor export is the analysts': a team lead is refused it too.
    client.login("lead.noord@test.example")
    assert client.get(f"/outcomes/monitor.csv?period={Q3}").status_code == 403


def test_the_pages_are_audited_with_their_filters(app, world, client, other_client, analyst):
    seed(app, world)
    client.login("lead.noord@test.example")
    client.get(f"/outcomes?period={Q3}&professional={world.pro_noord}")
    client.get(f"/outcomes.csv?period={Q3}")
    other_client.login(ANALYST_EMAIL)
    other_client.get(f"/outcomes/monitor.csv?period={Q3}")
    (view,) = audit_rows(app, "outcomes.view")
    assert (view.user_id, view.case_id) == (world.lead_noord, None)
    assert view.detail == f"{Q3}; team #{world.noord}; professional #{world.pro_noord}"
    (export,) = audit_rows(app, "outcomes.export")
    assert export.detail == f"{Q3}; team #{world.noord}"
    (monitor,) = audit_rows(app, "outcomes.monitor")
    assert (monitor.user_id, monitor.case_id) == (analyst, None)
    assert monitor.detail.startswith(f"{Q3}; all teams")


def test_the_monitor_export(app, world, client, analyst):
    seed(app, world, noord=6, zuid=2)
    client.login(ANALYST_EMAIL)
    resp = client.get(f"/outcomes/monitor.csv?period={Q3}")
    assert resp.headers["Content-Disposition"] == f'attachment; filename="monitor-{Q3}.csv"'
    rows = rows_of(resp)
    assert list(rows[0]) == list(MONITOR_HEADER)
    assert [(r["team_id"], r["team"]) for r in rows] == [
        (str(world.noord), "Team Noord"),
        (str(world.zuid), "Team Zuid"),
        ("", "all"),
    ]
    noord, zuid, every = rows
    # Noord's 6 would give Zuid's 2 away when taken from the 8: it is hidden too.
    assert (noord["period"], noord["closed"], zuid["closed"], every["closed"]) == (
        Q3,
        "×",
        "< 5",
        "8",
    )
    # Only a quarter that has ended, written as a quarter.
    current = Quarter.of(clock.today()).key
    for period in (current, "2026-Q5", "volgend jaar", "2026-07-01"):
        assert client.get(f"/outcomes/monitor.csv?period={period}").status_code == 400, period


def test_the_overview_csv(app, world, client):
    seed(app, world, noord=20)
    client.login("lead.noord@test.example")
    resp = client.get(f"/outcomes.csv?period={Q3}")
    assert resp.headers["Content-Disposition"] == f'attachment; filename="resultaten-{Q3}.csv"'
    rows = rows_of(resp)
    assert list(rows[0]) == ["period", "scope", "group", "figure", "label", "value"]
    groups = [r["group"] for r in rows]
    assert groups == ["all"] * len(COLUMNS) + ["Pro Noord"] * len(COLUMNS) + ["Pro2 Noord"] * len(
        COLUMNS
    )
    value = {(r["group"], r["figure"]): r["value"] for r in rows}
    assert value[("all", "closed")] == "20"
    assert value[("Pro Noord", "closed")] == "10"
    assert value[("all", "goal_attainment_pct")] == "100.0"
    assert value[("all", "mark_mean")] == "6.5"  # a point, whatever the page's language
    assert value[("all", "heard_answered")] == "20"
    assert value[("Pro Noord", "ended_by_family")] == "5"


def test_an_analyst_sees_all_teams_but_only_ended_quarters(app, world, client, analyst):
    seed(app, world, noord=6, zuid=6)
    client.login(ANALYST_EMAIL)
    client.english()
    html = client.get(f"/outcomes?period={Q3}").get_data(as_text=True)
    assert "The families of all teams" in html
    assert "Cases closed in the quarter: 12." in html
    assert "Team Noord" in html and "Team Zuid" in html
    assert "Pro Noord" not in html and "Pro2 Noord" not in html  # no professionals
    html = client.get(f"/outcomes?period={Q3}&team={world.zuid}").get_data(as_text=True)
    assert "Showing: Team Zuid" in html and "Cases closed in the quarter: 6." in html
    # The current quarter is not one an analyst can choose: the last ended one is shown.
    now = Quarter.of(clock.today())
    html = client.get(f"/outcomes?period={now.key}").get_data(as_text=True)
    assert "is not something we can show" in html
    assert f'value="{now.previous().key}" selected' in html
    assert f'value="{now.key}"' not in html


def test_periods_are_whole_quarters(app, world, client):
    seed(app, world)
    client.login("lead.noord@test.example")
    client.english()
    by_dates = client.get("/outcomes?from=2026-07-01&to=2026-09-30").get_data(as_text=True)
    assert 'value="2026-Q3" selected' in by_dates and "is not something" not in by_dates
    for query in ("from=2026-07-01&to=2026-09-29", "period=2026-Q9", "from=x&to=y"):
        html = client.get(f"/outcomes?{query}").get_data(as_text=True)
        assert "is not something we can show" in html, query
        assert f'value="{Quarter.of(clock.today()).key}" selected' in html


def test_an_analyst_lands_on_the_outcomes_and_sees_only_them_in_the_menu(
    app, world, client, analyst
):
    resp = client.login(ANALYST_EMAIL)
    assert resp.status_code == 302 and resp.location.endswith("/outcomes")
    assert client.get("/").location.endswith("/outcomes")
    client.english()
    html = client.get("/outcomes").get_data(as_text=True)
    menu = re.search(r'<nav aria-label="Main menu">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', menu) == ["/outcomes"]
    assert "/account/profile" not in html
    assert client.get("/account/password").status_code == 200


def test_team_leads_find_the_outcomes_in_the_menu_and_on_the_dashboard(world, client):
    client.login("lead.noord@test.example")
    for page in ("/dashboard", "/cases"):
        assert 'href="/outcomes"' in client.get(page).get_data(as_text=True), page
    client.logout()
    client.login("pro.noord@test.example")
    assert 'href="/outcomes"' not in client.get("/dashboard").get_data(as_text=True)


def test_the_overview_runs_a_fixed_number_of_queries(app, world, client, other_client, analyst):
    seed(app, world, noord=2, zuid=1)
    client.login("lead.noord@test.example")
    other_client.login(ANALYST_EMAIL)
    pages = ((client, f"/outcomes?period={Q3}"), (other_client, f"/outcomes?period={Q3}"))
    for who, url in pages:
        who.get(url)
    few = []
    for who, url in pages:
        with count_queries(app) as counted:
            assert who.get(url).status_code == 200
        few.append(counted["n"])
    seed(app, world, noord=40, zuid=25)
    build = Builder(app, world.pro_noord)
    for i in range(15):
        case = build.case(team_id=world.noord, lead_id=world.lead_noord, opened=D(2026, 6, i + 1))
        build.plan(case, started=D(2026, 6, 1), ladder=[(D(2026, 6, 1), 3)], goals=2)
        build.action(case, build_owner(i), created=D(2026, 6, 2))
        build.agree(case, D(2026, 7, 1))
        build.score(case, D(2026, 7, 2), i % 11)
        build.member(case, created=D(2026, 6, 1))
    many = []
    for who, url in pages:
        with count_queries(app) as counted:
            assert who.get(url).status_code == 200
        many.append(counted["n"])
    assert many == few


def build_owner(i: int):
    from wijkteam.plans.enums import OwnerKind

    return list(OwnerKind)[i % 3]


def test_the_page_in_dutch(app, world, client):
    seed(app, world, noord=20)
    client.login("lead.noord@test.example")
    html = client.get(f"/outcomes?period={Q3}").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert english_on(html) == []
    assert "6,5" in html  # the mean mark with a decimal comma
    assert "&lt; 5" in html or "< 5" in html


def test_a_hidden_number_gets_no_bar(app, world, client):
    """A bar for every shown number above 0 and none for a hidden one, which the chart and its
    table both mark."""
    seed(app, world, noord=20)
    build = Builder(app, world.pro_noord)
    for _i in range(2):
        build.case(
            team_id=world.noord,
            lead_id=world.pro_noord,
            opened=D(2026, 5, 1),
            closed=D(2026, 8, 2),
            ended_by=EndedBy.TEAM,
        )
    client.login("lead.noord@test.example")
    client.english()
    html = client.get(f"/outcomes?period={Q3}").get_data(as_text=True)
    for key in ("ending", "attainment", "marks", "ladder_moves"):
        chart = re.search(rf'<svg[^>]*"chart-{key}-title.*?</svg>', html, re.S).group(0)
        title = re.search(r"<title[^>]*>(.*?)</title>", chart).group(1)
        start = html.index(f"The figures of the chart: {title}")
        table = html[start : html.index("</table>", start)]
        values = re.findall(r'<td class="number">([^<]*)</td>', table)
        shown = [v for v in values if v not in ("&lt; 5", "×") and float(v) > 0]
        assert chart.count("<rect") == len(shown), (key, values)
        # The mark and its tooltip for each hidden row, and once in the description.
        assert chart.count("&lt; 5") == values.count("&lt; 5") * 2 + 1, key
    ending = re.search(r'<svg[^>]*"chart-ending-title.*?</svg>', html, re.S).group(0)
    assert "&lt; 5" in ending and "×" in ending  # the team's 2, and what would give it away
