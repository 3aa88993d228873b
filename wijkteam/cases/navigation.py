"""The case's own navigation (issue 17): the sections every page of a case links to, the one
the page belongs to, and "write a note" in one click for whoever may change the case.

Templates call `case_nav(case)` (cases/_case_nav.html), so every page of a case shows the same
navigation without each view passing it along."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from wijkteam.cases.models import Case
from wijkteam.core.permissions import can_edit_case
from wijkteam.web.helpers import actor


@dataclass(frozen=True)
class CaseSection:
    key: str
    label: LazyString
    endpoint: str  # the section's own page; it takes only case_id


# In the order of the navigation. The labels are the pages' own words in the catalog.
SECTIONS = (
    CaseSection("overview", _l("Overview"), "cases.show"),
    CaseSection("plan", _l("Plan"), "plans.show"),
    CaseSection("notes", _l("Conversation notes"), "notes.index"),
    CaseSection("network", _l("Network"), "network.index"),
    CaseSection("safety", _l("Safety"), "safety.index"),
    CaseSection("timeline", _l("Timeline"), "notes.case_timeline"),
    CaseSection("referrals", _l("Referrals"), "resources.case_referrals"),
)
# Where a page belongs: its endpoint first, then its blueprint; anything else of a case (editing
# the case or the family, the audit trail, a case discussion item, the family's file) is part
# of the overview, where its links are.
_BY_ENDPOINT = {
    "notes.case_timeline": "timeline",
    "printout.new_plan": "plan",
}
_BY_BLUEPRINT = {
    "plans": "plan",
    "notes": "notes",
    "network": "network",
    "safety": "safety",
    "resources": "referrals",
}
# The note form itself: a link to a new note there would only lose what is typed.
_WRITING = frozenset({"notes.new", "notes.edit"})


def section_of(endpoint: str | None) -> str:
    """The key of the section a page (by its endpoint) belongs to."""
    endpoint = endpoint or ""
    if endpoint in _BY_ENDPOINT:
        return _BY_ENDPOINT[endpoint]
    return _BY_BLUEPRINT.get(endpoint.partition(".")[0], "overview")


@dataclass(frozen=True)
class NavLink:
    label: LazyString
    url: str
    # aria-current: "page" on the section's own page, "true" on another page of the section.
    current: str | None


@dataclass(frozen=True)
class CaseNav:
    links: list[NavLink]
    write_note_url: str | None  # None: the user may not change the case (or is writing one)


def case_nav(case: Case) -> CaseNav:
    """The navigation of `case` as the logged-in user sees it on the current page."""
    endpoint = request.endpoint or ""
    here = section_of(endpoint)
    links = [
        NavLink(
            label=section.label,
            url=url_for(section.endpoint, case_id=case.id),
            current=("page" if endpoint == section.endpoint else "true")
            if section.key == here
            else None,
        )
        for section in SECTIONS
    ]
    may_write = can_edit_case(actor(), case) and endpoint not in _WRITING
    return CaseNav(
        links=links,
        write_note_url=url_for("notes.new", case_id=case.id) if may_write else None,
    )
