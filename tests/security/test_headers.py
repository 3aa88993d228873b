"""Every page of the app, as every kind of user and anonymously, carries the security headers;
no page needs inline script or style; case data is never stored by a browser cache; the
production cookies are Secure, HttpOnly and SameSite."""

from __future__ import annotations

import re

import pytest

from wijkteam import create_app
from wijkteam.core.config import ProductionConfig

# The team lead sees most pages; the case lead (pro.noord) the draft note; the admin the admin
# pages; the analyst the monitor export. Each reader walks the rules no earlier reader got a
# page for.
READERS = ("lead_noord", "pro_noord", "admin", "analyst")
REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin"}
UNSAFE_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
# GET rules that answer no user of the walk with 200, and why.
NOT_A_PAGE_FOR_ANYONE = {
    "cases.home": "redirects to the case list",
    "auth.login": "logged-in users are sent on; checked anonymously",
}


# Pages only for people who are not logged in (a logged-in reader gets 403): the one-time
# password link of an invitation or reset.
ANONYMOUS_PAGES = {"auth.password_link"}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def header_problems(resp, *, static: bool) -> list[str]:
    """What is wrong with one response's security headers and body."""
    problems = []
    headers = resp.headers
    csp = csp_directives(headers.get("Content-Security-Policy", ""))
    scripts = csp.get("script-src", csp.get("default-src"))
    if scripts is None:
        problems.append("no script-src or default-src in the CSP")
    elif any(src in UNSAFE_SOURCES for src in scripts):
        problems.append(f"unsafe script-src {scripts}")
    if any(src in UNSAFE_SOURCES[:3] for src in csp.get("style-src", [])):
        problems.append("inline style allowed by the CSP")
    if csp.get("frame-ancestors") not in (["'none'"], ["'self'"]):
        problems.append(f"frame-ancestors {csp.get('frame-ancestors')}")
    if csp.get("object-src") != ["'none'"]:
        problems.append("object-src is not 'none'")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if headers.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')!r}")
    if not static and "no-store" not in headers.get("Cache-Control", ""):
        problems.append(f"Cache-Control {headers.get('Cache-Control')!r} without no-store")
    if resp.mimetype == "text/html":
        html = resp.get_data(as_text=True)
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("inline event handler", EVENT_HANDLER),
            ("style attribute (blocked by the CSP)", STYLE_ATTRIBUTE),
        ):
            found = pattern.search(html)
            if found:
                problems.append(f"{name}: {found.group(0)[:80]}")
        if "javascript:" in html.lower():
            problems.append("a javascript: URL")
    return problems


def get_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods), key=lambda r: r.rule)


def test_every_page_carries_the_security_headers(app, world, town, analyst):
    world.analyst = analyst
    problems: list[str] = []
    answered_200: set[str] = set()
    rules = get_rules(app)
    assert len(rules) >= 60, "the walk must see the whole app"
    for who in (None, *READERS):
        client = app.test_client()
        if who is not None:
            client.login(world.email(getattr(world, who)))
        for rule in rules:
            if rule.endpoint in answered_200:
                continue
            url = town.url(rule)
            resp = client.get(url)
            if resp.status_code >= 500:
                problems.append(f"{who} GET {url}: {resp.status_code}")
            if resp.status_code in (200, 204) and who is not None:
                answered_200.add(rule.endpoint)
            problems += [
                f"{who} GET {url}: {p}"
                for p in header_problems(resp, static=rule.endpoint == "static")
            ]
            if who is None and rule.endpoint in ANONYMOUS_PAGES:
                assert resp.status_code == 200, (url, resp.status_code)
                answered_200.add(rule.endpoint)
            elif who is None and rule.endpoint not in ("static", "auth.login"):
                # Anonymous: every page sends to the login page (nothing else is public).
                assert resp.status_code in (302, 401), (url, resp.status_code)
    assert not problems, "\n".join(problems)
    # Guard: the walk saw real pages, not a wall of 404s.
    missing = {r.endpoint for r in rules} - answered_200 - set(NOT_A_PAGE_FOR_ANYONE)
    assert not missing, f"no reader got these pages (fix tests/factories): {sorted(missing)}"


def test_downloads_are_not_stored_and_are_attachments(app, client, world, town, analyst):
    for who, url in (
        ("lead.noord@test.example", "/outcomes.csv"),
        ("analyst@test.example", "/outcomes/monitor.csv"),
    ):
        client.login(who)
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.headers["Cache-Control"] == "no-store", url
        assert resp.headers["Content-Disposition"].startswith("attachment;"), url
        assert header_problems(resp, static=False) == [], url
        client.logout()
    client.login("pro.noord@test.example")
    case_id = town.noord["case_id"]
    downloads = ["/resources/export.csv"]
    # The printouts: asked for with a POST, made by the queue (at once in tests), then fetched.
    for url, data in (
        (f"/cases/{case_id}/printouts/plan", {"lang": "nl"}),
        (f"/cases/{case_id}/printouts/file", {"format": "pdf"}),
        (f"/cases/{case_id}/printouts/file", {"format": "json"}),
    ):
        resp = client.submit(url, data, page=f"/cases/{case_id}")
        assert resp.status_code == 303, url
        assert header_problems(resp, static=False) == [], url
        downloads.append(f"{resp.headers['Location']}/download")
    for url in downloads:
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.headers["Cache-Control"] == "no-store", url
        assert resp.headers["Content-Disposition"].startswith("attachment;"), url
        assert resp.headers["X-Content-Type-Options"] == "nosniff", url
        assert header_problems(resp, static=False) == [], url


def test_error_pages_and_posts_carry_the_headers_too(app, client, world, town):
    assert header_problems(client.get("/no-such-page"), static=False) == []
    client.login("pro.zuid@test.example")
    for resp in (
        client.get(f"/cases/{town.noord['case_id']}"),  # 404
        client.get("/admin/users"),  # 403
        client.get("/logout"),  # 405
        client.post("/logout"),  # 400: no CSRF token
        client.submit("/language", {"lang": "en", "next": "/cases"}),  # 302
    ):
        assert resp.status_code in (302, 400, 403, 404, 405)
        assert header_problems(resp, static=False) == [], resp.status_code


def test_static_files_may_be_cached_but_keep_the_other_headers(client):
    resp = client.get("/static/app.css")
    assert resp.status_code == 200
    assert "no-store" not in resp.headers.get("Cache-Control", "")
    assert header_problems(resp, static=True) == []


def test_the_pages_name_their_icon_and_it_is_served(client):
    """A browser asks for an icon on every page; without one named in the page it asks for
    /favicon.ico, which answered 404 (a console error and a log line per page). base.html
    names it for every page; the browser test of every main page sees it load."""
    import re
    from xml.etree import ElementTree

    html = client.get("/login").get_data(as_text=True)
    icons = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert len(icons) == 1, html[:600]
    resp = client.get(icons[0])
    assert resp.status_code == 200
    assert resp.mimetype == "image/svg+xml"
    assert header_problems(resp, static=True) == []
    root = ElementTree.fromstring(resp.get_data())  # noqa: S314 - our own static file
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


@pytest.fixture
def production_app(app):
    return create_app(
        ProductionConfig, SECRET_KEY="p" * 48, DATABASE_URL=app.config["DATABASE_URL"]
    )


def test_production_config_makes_strict_cookies(production_app):
    config = production_app.config
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert config["REMEMBER_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert config["REMEMBER_COOKIE_DURATION"] == 0
    assert config["DEBUG"] is False and config["TESTING"] is False


def test_production_sends_the_cookie_secure_httponly_samesite_and_hsts(production_app):
    resp = production_app.test_client().get("/login")  # the CSRF token opens a session
    assert resp.status_code == 200
    cookie = resp.headers["Set-Cookie"]
    assert cookie.startswith("__Host-wijkteam=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite", "path"} <= attributes
    assert "domain" not in attributes  # a __Host- cookie has none
    assert "samesite=lax" in cookie.lower()
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
    assert header_problems(resp, static=False) == []


def test_development_and_test_send_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_the_check_itself_catches_what_it_looks_for():
    from werkzeug.wrappers import Response

    bad = Response(
        '<script>alert(1)</script><a href="javascript:x()" onclick="y()" style="color:red">x</a>',
        mimetype="text/html",
        headers={"Content-Security-Policy": "script-src 'self' 'unsafe-inline'"},
    )
    problems = " | ".join(header_problems(bad, static=False))
    for expected in (
        "unsafe script-src",
        "frame-ancestors",
        "object-src",
        "nosniff",
        "Referrer-Policy",
        "no-store",
        "inline <script>",
        "inline event handler",
        "style attribute",
        "javascript:",
    ):
        assert expected in problems
