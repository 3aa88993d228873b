"""The main pages on a phone (390x844, issue 17): no sideways scrolling, a header of at most a
fifth of the screen with a compact menu, and axe-core's 0 serious or critical at that width.

Walks the pages of test_accessibility.py with the same demo data and accounts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.conftest import assert_accessible, logged_in_pages, markup_only
from tests.e2e.test_accessibility import LEAD, PAGES, _email, _page_id, seeded

__all__ = ["seeded"]  # the module's demo data (a fixture)

pytestmark = markup_only

PHONE = {"width": 390, "height": 844}
MAX_HEADER_SHARE = 0.20


@pytest.fixture(autouse=True)
def clean_db() -> Iterator[None]:
    """The seeded data stays for the whole module (see `seeded`)."""
    yield


@pytest.fixture(scope="module")
def as_phone(browser, live_server, seeded) -> Iterator[Callable[[str | None], Any]]:
    """A logged-in phone-sized page per account (CSP bypassed for axe), reused in the module."""
    with logged_in_pages(
        browser,
        live_server,
        seeded.password,
        bypass_csp=True,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    ) as get:
        yield get


def _fits(page) -> dict[str, float]:
    return page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
            header: document.querySelector('.site-header').getBoundingClientRect().height,
            wide: [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().width > 0
                    && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .slice(0, 5)
                .map(e => `${e.tagName}.${e.className} ${e.textContent.trim().slice(0, 40)}`),
        })"""
    )


@pytest.mark.parametrize(("who", "name", "status"), PAGES, ids=[_page_id(p) for p in PAGES])
def test_page_fits_a_phone(who, name, status, axe_js, as_phone, live_server, seeded):
    page = as_phone(_email(who, seeded))
    response = page.goto(live_server + seeded.urls[name])
    assert response is not None and response.status == status, (name, page.url)
    fits = _fits(page)
    assert fits["scroll"] <= fits["client"], f"{name} scrolls sideways: {fits}"
    assert fits["header"] <= MAX_HEADER_SHARE * PHONE["height"], f"{name}: header {fits}"
    assert_accessible(page, axe_js, f"{name} at 390 px")


# Pages of a case (issue 17): its own navigation wraps within the screen, every link a touch
# target of 44 px, one marked as the page's section; "Verslag schrijven" fits too.
CASE_PAGES = (
    "case",
    "case-edit",
    "plan",
    "goal",
    "plan-version",
    "notes",
    "note",
    "note-new",
    "network",
    "meeting",
    "safety",
    "concern",
    "timeline",
    "referrals",
    "referral",
    "audit",
    "item",
    "print-file",
    "case-closed",
)


@pytest.mark.parametrize("name", CASE_PAGES)
def test_the_case_navigation_fits_a_phone(name, as_phone, live_server, seeded):
    page = as_phone(LEAD)
    response = page.goto(live_server + seeded.urls[name])
    assert response is not None and response.status == 200, name
    found = page.evaluate(
        """() => ({
            client: document.documentElement.clientWidth,
            scroll: document.documentElement.scrollWidth,
            links: [...document.querySelectorAll('.case-nav a')].map(a => {
                const r = a.getBoundingClientRect();
                return {left: r.left, right: r.right, height: r.height,
                        current: a.getAttribute('aria-current'), cls: a.className};
            }),
        })"""
    )
    links = [link for link in found["links"] if "write-note" not in link["cls"]]
    assert len(links) == 7, f"{name}: {found['links']}"
    assert found["scroll"] <= found["client"], f"{name} scrolls sideways"
    for link in found["links"]:
        assert 0 <= link["left"] and link["right"] <= found["client"], f"{name}: {link}"
        assert link["height"] >= 44, f"{name}: a touch target under 44 px: {link}"
    assert len([link for link in links if link["current"]]) == 1, name
    writes = [link for link in found["links"] if "write-note" in link["cls"]]
    # The team lead may change every open case of the team; not a closed one, and the note
    # form itself has no second "write a note".
    assert len(writes) == (0 if name in ("case-closed", "note-new") else 1), name


def test_the_compact_menu_opens_with_the_keyboard(as_phone, live_server, seeded):
    page = as_phone(LEAD)
    page.goto(f"{live_server}/cases")
    menu = page.locator(".menu-compact nav a", has_text="Casusoverleg")
    assert not menu.is_visible()
    summary = page.locator(".menu-toggle")
    summary.focus()
    outline = summary.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline not in ("", "none"), "the menu button shows where the focus is"
    page.keyboard.press("Enter")
    assert menu.is_visible()
    box = menu.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    menu.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/discussions")
