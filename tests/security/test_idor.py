"""The IDOR matrix: every URL rule that names an object, with every method it allows, asked for
team Noord's objects by people who may not have them: users of another team, an admin without
a team, and (for the rules that are limited to a role) the wrong people within the team.

Each attempt must answer 403 or 404, change nothing in the database and leave exactly one audit
row that records the refused attempt. New routes are in the matrix as soon as they exist: the
URL table (tests/factories/urls.py) fails loudly on a URL parameter it cannot fill."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from sqlalchemy import select, text

import wijkteam.models  # noqa: F401 - every table in Base.metadata
from tests.conftest import audit_rows_after, last_audit_id
from wijkteam.core.db import Base, db

OUTSIDERS = ("pro_zuid", "lead_zuid", "admin")
# Tables a refused request may write: the refusal's own audit row (and the end of the audit
# chain), the login session's last-seen time, and failed logins.
MAY_CHANGE = {"audit_events", "audit_chain_heads", "auth_sessions", "login_throttles"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# A form post that would change something on most pages if the access check were missing.
PAYLOAD = {
    "version": "1",
    "name": "Gekaapt",
    "question_for_help": "Gekaapt",
    "question": "Gekaapt",
    "text": "Gekaapt",
    "summary": "Gekaapt",
    "reason": "Gekaapt",
    "description": "Gekaapt",
    "title": "Gekaapt",
    "comment": "Gekaapt",
    "outcome": "Gekaapt",
    "decision": "approve",
    "status": "ended",
    "close_reason": "moved",
    "closed_on": "2026-03-01",
    "held_on": "2026-03-01",
    "email": "gekaapt@test.example",
    "display_name": "Gekaapt",
    "role": "admin",
    "direction": "up",
    "item_ids": "1",
}


def object_rules(app) -> list[Any]:
    """Every rule that names an object (static files aside)."""
    return sorted(
        (r for r in app.url_map.iter_rules() if r.arguments and r.endpoint != "static"),
        key=lambda r: r.rule,
    )


def methods_of(rule) -> list[str]:
    return [m for m in METHODS if m in rule.methods]


def snapshot(app) -> dict[str, str]:
    """A digest of every row of every table a refused request must leave alone."""
    tables = [t for t in Base.metadata.sorted_tables if t.name not in MAY_CHANGE]
    with app.app_context():
        if db.get_bind().dialect.name == "postgresql":
            # One round trip: PostgreSQL digests each table itself.
            digest = "md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), ''))"
            query = " UNION ALL ".join(
                f"SELECT '{t.name}', {digest} FROM {t.name} r"  # noqa: S608 - our table names
                for t in tables
            )
            return dict(db.execute(text(query)).all())  # type: ignore[arg-type]
        digests = {}
        for table in tables:
            rows = sorted(repr(tuple(row)) for row in db.execute(select(table)))
            digests[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        return digests


class Prober:
    """One logged-in user trying URLs; collects every way an attempt went wrong."""

    def __init__(self, app, client, world, town, who: str) -> None:
        self.app, self.client, self.world, self.town, self.who = app, client, world, town, who
        self.user_id = getattr(world, who)
        client.login(world.email(self.user_id))
        self.token = client.csrf_token("/login")
        self.baseline = snapshot(app)
        self.problems: list[str] = []
        self.tried = 0

    def attempt(
        self, rule, method: str, *, statuses=(403, 404), denied_case: bool, may_view=False
    ) -> None:
        """One request. `may_view`: the user may see the case (a refusal within the team), so
        the page may have logged its view of the case before it refused."""
        target = self.town.resolve(rule)
        url = target.url
        since = last_audit_id(self.app)
        data = {**PAYLOAD, "csrf_token": self.token} if method != "GET" else None
        resp = self.client.open(url, method=method, data=data)
        self.tried += 1
        where = f"{self.who} {method} {url} ({rule.endpoint})"
        if resp.status_code not in statuses:
            self.problems.append(f"{where}: answered {resp.status_code}, expected {statuses}")
        now = snapshot(self.app)
        changed = sorted(t for t in now if now[t] != self.baseline[t])
        if changed:
            self.problems.append(f"{where}: changed {changed}")
            self.baseline = now
        rows = audit_rows_after(self.app, since)
        expected_action = "case.denied" if denied_case else "access.denied"
        refusals = [
            r
            for r in rows
            if r.action == expected_action
            and r.user_id == self.user_id
            and f"{resp.status_code} {method} {url} " in r.detail
            and r.ip == "127.0.0.1"
        ]
        views = [r for r in rows if may_view and r.action.endswith(".view")]
        views = [r for r in views if r.user_id == self.user_id]
        if len(refusals) != 1 or len(rows) != 1 + len(views):
            self.problems.append(
                f"{where}: audit rows {[(r.action, r.user_id, r.detail) for r in rows]}, "
                f"expected one {expected_action}"
            )
        elif denied_case and refusals[0].case_id != target.values["case_id"]:
            self.problems.append(f"{where}: the refusal names case {refusals[0].case_id}")

    def assert_clean(self, at_least: int) -> None:
        assert self.tried >= at_least, "the matrix tried too little"
        assert not self.problems, f"{len(self.problems)} problems:\n" + "\n".join(self.problems)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_another_teams_objects_are_refused_logged_and_untouched(app, client, world, town, who):
    prober = Prober(app, client, world, town, who)
    for rule in object_rules(app):
        if who == "admin" and rule.endpoint.startswith("admin."):
            continue  # managing accounts and teams is what admins are for
        for method in methods_of(rule):
            prober.attempt(rule, method, denied_case="case_id" in rule.arguments)
    prober.assert_clean(at_least=100)


# Rules that only some people within the team may use: (who, endpoint, methods, answer).
WITHIN_TEAM = [
    ("pro_noord", "audit.case_audit", ("GET",), 403),  # the audit trail: team lead only
    ("pro2_noord", "audit.case_audit", ("GET",), 403),
    # The family's file: the case lead (pro.noord) or the team lead.
    ("pro2_noord", "printout.new_file", ("POST",), 403),
    # A print job is only for who asked for it (pro.noord), as if it did not exist.
    ("pro2_noord", "printout.job", ("GET",), 404),
    ("pro2_noord", "printout.download", ("GET",), 404),
    ("lead_noord", "printout.job", ("GET",), 404),
    ("lead_noord", "printout.download", ("GET",), 404),
    # Closing: the case lead, the duo colleague or the team lead.
    ("pro2_noord", "cases.close", ("GET", "POST"), 403),
    # The family's satisfaction, also after closing: likewise (issue 20).
    ("pro2_noord", "closing.satisfaction", ("GET", "POST"), 403),
    # Who leads the case: the team lead, or a hand-over by the case lead (item 1 of issue 14).
    ("pro2_noord", "cases.change_lead", ("GET", "POST"), 403),
    # A signal with a confidential source: the case lead or the team lead.
    ("pro2_noord", "safety.edit_signal", ("GET", "POST"), 403),
    # The agreement about a confidence passed on names who passed it on: likewise (issue 18).
    ("pro2_noord", "safety.confidence", ("GET", "POST"), 403),
    # How families came in, per period: the team lead (issue 18).
    ("pro_noord", "keyfigures.way_in", ("GET",), 403),
    # What the family's file holds about a concern: the case lead or the team lead.
    ("pro2_noord", "safety.family_file", ("GET", "POST"), 403),
    # A draft note is its author's (pro.noord) alone, as if it did not exist.
    ("pro2_noord", "notes.edit", ("GET", "POST"), 404),
    ("lead_noord", "notes.edit", ("GET", "POST"), 404),
    # Sign-off: the team lead decides; who asked may look.
    ("pro2_noord", "reviews.review", ("GET", "POST"), 403),
    ("pro_noord", "reviews.review", ("POST",), 403),
    ("pro_noord", "safety.team", ("GET",), 403),
    # The team's caseload norm and part-time shares: the team lead (or an admin).
    ("pro_noord", "auth.team_settings", ("GET", "POST"), 403),
    # Case discussions: the team lead plans meetings and the agenda.
    ("pro_noord", "discussions.new", ("GET", "POST"), 403),
    ("pro_noord", "discussions.edit", ("GET", "POST"), 403),
    ("pro_noord", "discussions.add_to_agenda", ("POST",), 403),
    ("pro_noord", "discussions.move", ("POST",), 403),
    ("pro_noord", "discussions.postpone", ("GET", "POST"), 403),
    # Who brought a case in, or the team lead, changes or withdraws it.
    ("pro2_noord", "discussions.edit_item", ("GET", "POST"), 403),
    ("pro2_noord", "discussions.withdraw_item", ("POST",), 403),
]


def test_an_analyst_reaches_nothing_but_the_outcomes(app, client, world, town, analyst):
    """An analyst (issue 20) has no team and reads the outcome figures only: every other URL
    rule, with every method it allows, answers 404 (a case's as if it did not exist), changes
    nothing and leaves one refusal audit row: case.denied, naming the case, for a case's URL."""
    from wijkteam.outcomes.access import ANALYST_ENDPOINTS

    world.analyst = analyst
    prober = Prober(app, client, world, town, "analyst")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in ANALYST_ENDPOINTS or rule.endpoint == "cases.home":
            continue
        for method in methods_of(rule):
            prober.attempt(rule, method, statuses=(404,), denied_case="case_id" in rule.arguments)
    prober.assert_clean(at_least=180)
    assert client.get("/").headers["Location"].endswith("/outcomes")  # the home of an analyst


# Pages for people who are not logged in: a one-time password link. A logged-in user (anyone:
# it would act for another person) is refused with 403, so the walks above cover it.
ANONYMOUS_ONLY = {"auth.password_link"}


@pytest.mark.parametrize("who", sorted({w for w, *_ in WITHIN_TEAM}))
def test_role_limited_rules_are_refused_within_the_team(app, client, world, town, who):
    rules = {r.endpoint: r for r in app.url_map.iter_rules()}
    prober = Prober(app, client, world, town, who)
    for _who, endpoint, methods, answer in (row for row in WITHIN_TEAM if row[0] == who):
        assert endpoint in rules, f"{endpoint} is gone: update WITHIN_TEAM"
        for method in methods:
            assert method in rules[endpoint].methods, (endpoint, method)
            prober.attempt(
                rules[endpoint], method, statuses=(answer,), denied_case=False, may_view=True
            )
    prober.assert_clean(at_least=1)


@pytest.mark.parametrize("who", ["lead_noord", "pro_noord"])
def test_admin_pages_are_refused_to_everyone_but_admins(app, client, world, town, who):
    prober = Prober(app, client, world, town, who)
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            for method in methods_of(rule):
                prober.attempt(rule, method, statuses=(403,), denied_case=False)
    prober.assert_clean(at_least=8)


def test_the_team_file_is_seen_by_its_own_team(app, client, world, town):
    """The other side of the matrix: the same URLs open for the case lead, so the refusals
    above are about who asks, not about broken ids."""
    client.login("pro.noord@test.example")
    refused = {endpoint for who, endpoint, *_ in WITHIN_TEAM if who == "pro_noord"}
    opened = 0
    for rule in object_rules(app):
        if "GET" not in rule.methods or rule.endpoint.startswith("admin."):
            continue
        if rule.endpoint in refused or rule.endpoint in ANONYMOUS_ONLY:
            continue
        url = town.url(rule)
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
        opened += 1
    assert opened >= 40
    denials = audit_rows_after(app, 0)
    assert not [r for r in denials if r.action in ("case.denied", "access.denied")]


def test_a_refusal_keeps_no_half_done_change(app, client, world, town, monkeypatch):
    """A service that changed something and then refused (NotAllowed after a flush): the
    change is rolled back, and the refusal's audit row is committed on its own."""
    from wijkteam.cases import services
    from wijkteam.core.errors import NotAllowed

    def change_then_refuse(actor, case, **_kwargs):
        case.question_for_help = "Half gedaan"
        db.flush()
        raise NotAllowed("no")

    monkeypatch.setattr(services, "update_case", change_then_refuse)
    client.login("pro.noord@test.example")
    case_id = town.noord["case_id"]
    page = f"/cases/{case_id}/edit"
    html = client.get(page).get_data(as_text=True)
    version = html.split('name="version" type="hidden" value="')[1].split('"')[0]
    token = client.csrf_token(page)
    since = last_audit_id(app)
    before = snapshot(app)
    form = {
        "csrf_token": token,
        "question_for_help": "Nieuw",
        "lead_id": str(world.pro_noord),
        "duo_id": "",
        "status": "active",
        "version": version,
    }
    resp = client.post(page, data=form)
    assert resp.status_code == 403
    assert snapshot(app) == before
    rows = audit_rows_after(app, since)
    assert [(r.action, r.case_id, r.user_id) for r in rows] == [
        ("access.denied", case_id, world.pro_noord)
    ]


def test_the_team_lead_sees_the_refused_attempt_in_the_trail(app, world, town):
    outsider, lead = app.test_client(), app.test_client()
    outsider.login("pro.zuid@test.example")
    case_id = town.noord["case_id"]
    assert outsider.get(f"/cases/{case_id}/plan").status_code == 404
    lead.login("lead.noord@test.example")
    lead.english()
    html = lead.get(f"/cases/{case_id}/audit").get_data(as_text=True)
    assert "Was refused access to the case (not in the team)" in html
    assert "Pro Zuid" in html


def test_the_snapshot_sees_any_change(app, world, town):
    from sqlalchemy import update

    from wijkteam.network.models import NetworkMember

    before = snapshot(app)
    with app.app_context():  # a change that bumps no version and no updated_at
        db.execute(update(NetworkMember).values(notes="anders"))
        db.commit()
    after = snapshot(app)
    assert [t for t in before if before[t] != after[t]] == ["network_members"]


def test_a_refusal_before_the_case_lookup_still_names_the_foreign_case(app, client, world, town):
    """The Meldcode step is checked before the case is loaded: an outsider's attempt with a
    bad step still counts as an attempt on that case."""
    client.login("pro.zuid@test.example")
    case_id, concern_id = town.noord["case_id"], town.noord["concern_id"]
    since = last_audit_id(app)
    assert client.get(f"/cases/{case_id}/safety/{concern_id}/steps/9").status_code == 404
    assert client.get("/cases/999999/safety/1/steps/1").status_code == 404
    rows = audit_rows_after(app, since)
    assert [(r.action, r.case_id, r.user_id) for r in rows] == [
        ("case.denied", case_id, world.pro_zuid),
        ("access.denied", None, world.pro_zuid),
    ]
