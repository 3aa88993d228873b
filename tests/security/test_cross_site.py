"""Forms posted by another site (issue 14, items 4 and 5, as a class of test).

The session cookie is SameSite=Lax, so another site's auto-submitted form reaches us without it.
Walks every POST rule of the app: such a request never gets a cookie back (which would log the
victim out), and no rule that keeps typed text stores anything for it. Then every rescuable form
is tried with the victim's live cookie but another site's Origin: nothing is kept either."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.security.test_idor import METHODS, PAYLOAD
from wijkteam.core.db import db
from wijkteam.rescue.models import FormRescue

EVIL = {"Origin": "https://evil.example"}


def rescue_count(app) -> int:
    with app.app_context():
        return db.scalar(select(func.count(FormRescue.id))) or 0


def post_rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint != "static"),
        key=lambda r: r.rule,
    )


def test_a_post_without_our_cookie_never_gets_one_back(app, world, town):
    stranger = app.test_client()
    big = {**PAYLOAD, "question": "x" * 150_000, "csrf_token": "x"}
    problems, tried = [], 0
    for rule in post_rules(app):
        url = town.url(rule)
        for method in (m for m in METHODS if m in rule.methods and m != "GET"):
            resp = stranger.open(url, method=method, data=big, headers=EVIL)
            tried += 1
            if "Set-Cookie" in resp.headers:
                problems.append(f"{method} {url}: Set-Cookie {resp.headers['Set-Cookie'][:60]}")
            if resp.status_code >= 500:
                problems.append(f"{method} {url}: {resp.status_code}")
    assert tried >= 60
    assert not problems, "\n".join(problems)
    assert rescue_count(app) == 0


def test_no_rescuable_form_keeps_text_for_another_sites_post(app, client, world, town):
    """With the victim's live cookie (a same-site sibling or a browser that sends it) but
    another site's Origin and no valid security code: refused, nothing kept, still logged in."""
    rescuable = app.config["RESCUABLE_ENDPOINTS"]
    rules = [r for r in app.url_map.iter_rules() if r.endpoint in rescuable]
    assert len(rules) == len(rescuable) >= 4
    client.login("pro.noord@test.example")
    for rule in rules:
        url = town.url(rule)
        resp = client.post(url, data={**PAYLOAD, "csrf_token": "x"}, headers=EVIL)
        assert resp.status_code == 400, (url, resp.status_code)
    assert rescue_count(app) == 0
    assert client.get("/session/keepalive").status_code == 204
