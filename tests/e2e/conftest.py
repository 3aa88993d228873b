"""Browser tests: the app served on a local port, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = Path(os.environ.get("WIJKTEAM_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("WIJKTEAM_REQUIRE_BROWSER") == "1"

# Checks of the pages' markup alone (axe-core, the keyboard's focus ring) give the same answer on
# every database; they run once, on SQLite, to keep CI within its time (they were 3 of its
# minutes on PostgreSQL). The journeys, which save through the browser, run on both.
markup_only = pytest.mark.skipif(
    os.environ.get("WIJKTEAM_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="markup checks run on SQLite; the page's markup does not depend on the database",
)


def _skip_or_fail(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"browser tests are required here but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        _skip_or_fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@contextmanager
def _fresh_page(browser) -> Iterator[object]:
    """A page in its own browser context: own cookies, like a second person's browser."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def page(browser):
    with _fresh_page(browser) as p:
        yield p


@pytest.fixture
def second_page(browser):
    with _fresh_page(browser) as p:
        yield p


# axe-core from npm (package.json; `python3 dev.py test` runs `npm ci` when it is missing).
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
# Structure that is not a WCAG failure by itself but that screen-reader users navigate by.
STRUCTURE = {
    "type": "rule",
    "values": ["heading-order", "empty-heading", "landmark-one-main", "landmark-unique", "region"],
}
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.exists():
        _skip_or_fail(f"axe-core is not installed ({AXE_JS} is missing: run npm ci)")
    return AXE_JS


def axe_violations(page, axe_js: Path, run_only: dict = WCAG_AA) -> list[dict]:
    """Run axe-core on the page as it is now (by default for WCAG 2.1 A and AA).

    The page must be in a context made with bypass_csp=True: axe is injected as an inline script,
    which the app's Content-Security-Policy (rightly) refuses.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_js))
    return page.evaluate(
        """async (runOnly) => {
            const result = await axe.run(document, {runOnly});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5),
                summary: (v.nodes[0] && v.nodes[0].failureSummary) || '',
            }));
        }""",
        run_only,
    )


def describe_violations(violations: list[dict]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    at {', '.join(v['targets'])}\n"
        f"    {v['summary']}".rstrip()
        for v in violations
    )


def assert_accessible(page, axe_js: Path, what: str) -> None:
    """No serious or critical WCAG 2.1 AA violation on the page (axe-core), and a sound
    structure of headings and landmarks."""
    blocking = [v for v in axe_violations(page, axe_js) if v["impact"] in BLOCKING]
    blocking += axe_violations(page, axe_js, STRUCTURE)
    assert not blocking, (
        f"{what} ({page.url}) has accessibility violations:\n" + describe_violations(blocking)
    )


@contextmanager
def logged_in_pages(
    browser, live_server: str, password: str, **context: Any
) -> Iterator[Callable[[str | None], Any]]:
    """A logged-in page per account (None: not logged in), made on first use and reused; the
    browser contexts get `context` (axe needs bypass_csp=True) and are closed at the end."""
    pages: dict[str | None, Any] = {}

    def get(email: str | None) -> Any:
        if email not in pages:
            page = browser.new_context(locale="nl-NL", **context).new_page()
            page.set_default_timeout(15_000)
            if email is not None:
                page.goto(f"{live_server}/login")
                page.fill("#email", email)
                page.fill("#password", password)
                page.click("button[type=submit].primary")
                page.wait_for_url(lambda url: "/login" not in url)
            pages[email] = page
        return pages[email]

    try:
        yield get
    finally:
        for page in pages.values():
            page.context.close()
