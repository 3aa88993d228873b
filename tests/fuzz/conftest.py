"""Fuzzing every form and list page: which URL gets which object, as which user, and the checks
that every response must pass.

Profiles (environment variable WIJKTEAM_FUZZ_PROFILE):

- ``ci`` (default): few examples per endpoint, derandomized, so every run (and CI) tries the
  same input and the whole fuzz suite stays around a minute on SQLite.
- ``dev``: many random examples per endpoint, with Hypothesis' example database, for hunting:
  ``WIJKTEAM_FUZZ_PROFILE=dev python3 dev.py test tests/fuzz``.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from hypothesis import HealthCheck, Phase, settings

from tests.factories import app_api as api
from tests.factories.town import Town
from tests.fuzz.html_forms import Form, find_form
from tests.fuzz.strategies import UNESCAPED_MARKERS

settings.register_profile(
    "fuzz-ci",
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz-dev",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz_settings(examples: int | None = None) -> settings:
    """The profile's settings, optionally with fewer examples for an expensive endpoint;
    WIJKTEAM_FUZZ_EXAMPLES sets the number of examples for every endpoint."""
    profile = settings.get_profile(f"fuzz-{os.environ.get('WIJKTEAM_FUZZ_PROFILE', 'ci')}")
    if os.environ.get("WIJKTEAM_FUZZ_EXAMPLES"):
        return settings(profile, max_examples=int(os.environ["WIJKTEAM_FUZZ_EXAMPLES"]))
    if examples is None or os.environ.get("WIJKTEAM_FUZZ_PROFILE") == "dev":
        return profile
    return settings(profile, max_examples=min(examples, profile.max_examples))


# --- which URL, as which user ---------------------------------------------------------------

# Which object each URL parameter names, and the page that shows a POST-only endpoint's form:
# tests/factories/urls.py (shared with the security walks). A URL rule with a parameter that is
# not known there fails the tests, so that no new form is skipped.

# Endpoints fuzzed more than once, with other URL values (the Meldcode: a recorded step is
# corrected, the next one is new and, for step 5, asks for sign-off).
VARIANTS: dict[str, list[dict[str, str | int]]] = {"safety.step": [{"step": 4}, {"step": 5}]}
# Forms are posted as the case's professional, admin pages as an admin, sign-off and case
# discussion planning as the team lead.
PRO = "pro.noord@test.example"
LEAD = "lead.noord@test.example"
USERS: dict[str, str | None] = {
    "admin": "admin@test.example",
    "reviews": LEAD,
    "discussions": LEAD,  # plans the meetings and records outcomes
    "discussions.new_item": PRO,  # brings the case in
    "discussions.edit_item": PRO,
    "discussions.withdraw_item": PRO,
    "discussions.task_done": PRO,  # the task's owner
    "auth.team_settings": LEAD,  # the team's caseload norm
    "outcomes": LEAD,  # the team's outcomes (an analyst's: all teams)
    "outcomes.monitor": "analyst@test.example",  # the monitor export is the analysts'
    "auth.login": None,  # logged out
    "auth.password_link": None,  # a one-time link is used logged out
}


def rule_map_app() -> Flask:
    """An app only for reading its URL rules at collection time (it never opens a database)."""
    return api.create_app(api.TestConfig, DATABASE_URL="sqlite://")


@dataclass(frozen=True)
class Target:
    """A POST endpoint to fuzz, with the URL values it is fuzzed with."""

    endpoint: str
    extra: tuple[tuple[str, str | int], ...] = ()

    def __str__(self) -> str:
        return self.endpoint + "".join(f"[{k}={v}]" for k, v in self.extra)


def post_targets(app: Flask) -> list[Target]:
    targets = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "POST" not in (rule.methods or ()):
            continue
        for variant in VARIANTS.get(rule.endpoint, [{}]):
            targets.append(Target(rule.endpoint, tuple(sorted(variant.items()))))
    return targets


def get_rules(app: Flask) -> list[str]:
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.endpoint != "static"
    )


@dataclass
class Where:
    """A URL filled with team Noord's objects, the page with its form, and who acts."""

    url: str
    page: str
    user: str | None
    values: dict[str, Any]


def resolve(town: Town, endpoint: str, extra: dict[str, Any] | None = None) -> Where:
    """The URL of an endpoint filled in with team Noord's objects, and the page with its form."""
    found = town.resolve(endpoint, extra=extra)
    blueprint = endpoint.split(".")[0]
    user = USERS[endpoint] if endpoint in USERS else USERS.get(blueprint, PRO)
    return Where(url=found.url, page=found.page, user=user, values=found.values)


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def assert_clean(self) -> None:
        assert not self.records, [self.format(r) for r in self.records]


@pytest.fixture
def error_log(app: Flask) -> Iterator[ErrorLog]:
    handler = ErrorLog()
    loggers = {app.logger, logging.getLogger("werkzeug")}
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


# --- checks on responses --------------------------------------------------------------------


# The form tokens are random: one can hold "49ZZ" by chance (seen once in about a thousand runs).
_TOKENS = re.compile(r'name="csrf_token" value="[^"]*"')


def assert_escaped(body: str, where: str) -> None:
    body = _TOKENS.sub('name="csrf_token" value=""', body)
    for marker in UNESCAPED_MARKERS:
        assert marker not in body, f"unescaped {marker!r} in {where}"


def assert_wsgi_headers(resp: Any, where: str) -> None:
    """A WSGI server sends header values as latin-1 (PEP 3333): anything else fails there
    (the test client does not check this)."""
    for name, value in resp.headers.items():
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            pytest.fail(f"{where}: header {name} is not latin-1: {value!r}")


def check_response(client: Any, resp: Any, where: str, error_log: ErrorLog) -> None:
    """No server error, nothing unescaped, headers a server can send, redirects stay on this
    site and their page works."""
    assert resp.status_code < 500, f"{resp.status_code} from {where}"
    assert_wsgi_headers(resp, where)
    if "html" in resp.content_type:
        assert_escaped(resp.get_data(as_text=True), where)
    if 300 <= resp.status_code < 400:
        location = resp.headers["Location"]
        parts = urlsplit(location)
        assert parts.netloc in ("", "localhost"), f"{where} redirects off-site: {location}"
        assert location.startswith("/") or parts.netloc == "localhost", location
        follow = client.get(location)
        assert follow.status_code < 500, f"{follow.status_code} from {location} after {where}"
        if "html" in follow.content_type:
            assert_escaped(follow.get_data(as_text=True), f"{location} after {where}")
    error_log.assert_clean()


def open_form(client: Any, target: Where) -> Form | None:
    """GET the page with the form (logging in again when a fuzzed POST logged us out)."""
    resp = client.get(target.page)
    if resp.status_code == 302 and "/login" in resp.headers["Location"] and target.user:
        client.login(target.user)
        resp = client.get(target.page)
    if resp.status_code != 200:
        return None
    return find_form(resp.get_data(as_text=True), target.page, target.url)


# The family's file as JSON: asked for with a POST (a print job, made at once in tests), then
# downloaded; check_pages does both.
FAMILY_FILE_JSON = "/cases/{case_id}/printouts/file"

# Pages that show what a feature stores, checked after fuzzing its forms (as the team lead,
# who sees everything of the team).
PAGES: dict[str, list[str]] = {
    "cases": [
        "/cases?scope=team&status=all",
        "/cases/{case_id}",
        "/cases/{case_closed}",
        "/cases/{case_id}/audit",
        FAMILY_FILE_JSON,
        "/dashboard",
    ],
    "plans": [
        "/cases/{case_id}/plan",
        "/cases/{case_noplan}/plan",
        "/cases/{case_id}/plan/goals/{goal_id}",
        "/cases/{case_id}/plan/goals/{goal_id}/second-language",
        "/cases/{case_id}/plan/versions/1",
        "/cases/{case_id}/members/{family_member_id}/social-ladder",
        FAMILY_FILE_JSON,
        "/dashboard",
    ],
    "network": [
        "/cases/{case_id}/network",
        "/cases/{case_id}/network/{network_member_id}",
        "/cases/{case_id}/network/{network_member_archived}",
        "/cases/{case_id}/network/meetings/{meeting_id}",
        "/cases/{case_id}/plan",
    ],
    "notes": [
        "/cases/{case_id}/notes",
        "/cases/{case_id}/notes/{note_id}",
        "/cases/{case_id}/timeline",
        "/search?q=alert",
        "/search?q=script",
        "/cases/{case_id}/plan",
    ],
    "safety": [
        "/cases/{case_id}/safety",
        "/cases/{case_id}/safety/{concern_id}",
        "/safety",
        "/dashboard",
        "/cases/{case_id}/plan",
    ],
    "resources": [
        "/resources",
        "/resources/{resource_id}",
        "/referrals",
        "/cases/{case_id}/referrals",
        "/cases/{case_id}/referrals/{referral_id}",
        "/cases/{case_id}/plan",
    ],
    "reviews": ["/dashboard", "/reviews/{review_id}"],
    "closing": ["/cases/{case_closed}/satisfaction", "/cases/{case_closed}"],
    "discussions": [
        "/discussions",
        "/discussions/{discussion_id}",
        "/discussion-items/{item_id}",
        "/discussion-items/{item_discussed}",
        "/cases/{case_id}",
        "/cases/{case_id}/timeline",
        "/dashboard",
    ],
    "admin": [],
    "auth": ["/cases"],
}
ADMIN_PAGES = ["/admin/teams", "/admin/users", "/admin/users?page=2"]


def check_pages(client: Any, team: dict[str, Any], blueprint: str, error_log: ErrorLog) -> int:
    """Every page that shows the fuzzed data still answers 200, with nothing unescaped."""
    pages = [p.format(**team) for p in PAGES.get(blueprint, ["/cases/{case_id}"])]
    for page in pages:
        if page == FAMILY_FILE_JSON.format(**team):
            asked = client.submit(page, {"format": "json"}, page=page.rsplit("/", 2)[0])
            assert asked.status_code == 303, f"{page}: {asked.status_code}"
            page = f"{asked.headers['Location']}/download"
        resp = client.get(page)
        assert resp.status_code == 200, f"{page}: {resp.status_code}"
        assert_wsgi_headers(resp, page)
        if "html" in resp.content_type:
            assert_escaped(resp.get_data(as_text=True), page)
    error_log.assert_clean()
    return len(pages)
