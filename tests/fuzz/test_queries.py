"""Every page with hostile query parameters (page, q, filters, dates, next...), and every URL
with ids that do not exist or do not fit in a database integer: never a server error.

Reading pages changes nothing but the audit log, so the pages of a blueprint share one team
file (one test per blueprint) and each page is fuzzed on its own inside that test."""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urlencode

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.factories.urls import FIXED, PARAMS
from tests.fuzz.conftest import (
    LEAD,
    check_response,
    fuzz_settings,
    get_rules,
    resolve,
    rule_map_app,
)
from tests.fuzz.strategies import QUERY_NAMES, QUERY_VALUES

APP = rule_map_app()
PAGES = get_rules(APP)
BLUEPRINTS = sorted({endpoint.split(".")[0] for endpoint in PAGES})
# Random examples per page (besides the explicit ones below).
EXAMPLES: dict[str, int] = {}
DEFAULT_EXAMPLES = 6
ADMIN = "admin@test.example"
# Pages only the team lead opens (the others: as their forms are posted, see USERS).
LEAD_PAGES = {
    "audit.case_audit",
    "safety.team",
    "dashboard.index",
    "discussions.index",
    "keyfigures.way_in",
    "auth.team_settings",
}


def test_the_pages_are_enumerated():
    assert len(PAGES) >= 40
    assert {"cases.index", "notes.find", "resources.index", "safety.team"} <= set(PAGES)


def fuzz_query(client, town, error_log, endpoint: str) -> None:
    where = resolve(town, endpoint)
    user = LEAD if endpoint in LEAD_PAGES else where.user
    client.logout()
    if user:
        client.login(user)
    assert client.get(where.url).status_code in (200, 204, 302), where.url
    statuses: set[int] = set()

    @fuzz_settings(EXAMPLES.get(endpoint, DEFAULT_EXAMPLES))
    @example(params=[("page", "-1")])
    @example(params=[("page", "99999999999999999999"), ("q", "%_\\")])
    @example(params=[("q", "a%b_c\\"), ("page", "abc"), ("on", "0000-00-00")])
    @example(params=[("next", "//evil.example/"), ("lang", "<script>alert(1)</script>")])
    @given(
        params=st.lists(
            st.tuples(st.sampled_from(QUERY_NAMES), QUERY_VALUES), min_size=1, max_size=5
        )
    )
    def one_request(params: list[tuple[str, str]]) -> None:
        url = f"{where.url}?{urlencode(params)}"
        resp = client.get(url)
        statuses.add(resp.status_code)
        check_response(client, resp, f"GET {url}", error_log)

    one_request()
    assert statuses - {400, 404}, (endpoint, statuses)


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_pages_survive_hostile_query_parameters(client, town, error_log, blueprint, analyst):
    for endpoint in PAGES:
        if endpoint.split(".")[0] == blueprint:
            fuzz_query(client, town, error_log, endpoint)


# Numbers that a URL's <int:...> could be given but that are not (or cannot be) ids.
ODD_IDS = ["0", "999999", "2147483648", "9" * 30]
# A POST that passes the small forms (so that the id, not the form, decides the answer).
POST_DATA = {"version": "1", "direction": "up"}


def _rules_with_ids():
    return sorted(
        (rule.endpoint, name)
        for rule in APP.url_map.iter_rules()
        if rule.endpoint != "static"
        for name in rule.arguments
        if name in PARAMS or name in FIXED
    )


RULES_WITH_IDS = {
    blueprint: list(rules)
    for blueprint, rules in groupby(_rules_with_ids(), key=lambda r: r[0].split(".")[0])
}


@pytest.mark.parametrize("blueprint", sorted(RULES_WITH_IDS))
def test_urls_with_an_odd_id_are_a_404(client, town, error_log, blueprint):
    """Every id in every URL, replaced by one that does not exist or does not fit in a
    database integer: 404 (or a refusal), never a server error."""
    for endpoint, param in RULES_WITH_IDS[blueprint]:
        where = resolve(town, endpoint)
        client.logout()
        client.login(ADMIN if endpoint.startswith("admin.") else LEAD)
        token = client.csrf_token("/cases")
        rule = next(r for r in APP.url_map.iter_rules() if r.endpoint == endpoint)
        for odd in ODD_IDS:
            values = {**where.values, param: odd}
            url = rule.rule
            for name, value in values.items():
                url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                if method == "GET":
                    resp = client.get(url)
                else:
                    resp = client.post(url, data={"csrf_token": token, **POST_DATA})
                assert resp.status_code in (403, 404), f"{method} {url}: {resp.status_code}"
                check_response(client, resp, f"{method} {url}", error_log)
