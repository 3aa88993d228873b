"""Plain words for the family's paper: dates as people write them, when an action is due, who
directs. Every function reads the print language at call time (the worker's force_locale), so
nothing is translated before the print language is set."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date, pgettext
from flask_babel import gettext as _

from wijkteam.plans.models import Regie

# "4 december 2026" in Dutch, "4 December 2026" in English: no weekday, no abbreviations.
PAPER_DATE = "d MMMM y"


def comma() -> str:
    """The comma between the parts of a line or a list, as the print language writes it
    ("،" in Arabic and Farsi, "፣" in Tigrinya; ", " where the catalogue has nothing else)."""
    return pgettext("between the parts of a line or a list", ", ")


def paper_date(value: date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, PAPER_DATE)


def when_due(due: str | date | None, repeats: str | None, status: str, today: date) -> str:
    """ "before 4 December", "every week", or, for an open action whose date has passed,
    a plain line that it is to be looked at again (a past date is never presented as a plan)."""
    if isinstance(due, str):
        due = date.fromisoformat(due)
    every = {
        "daily": _("every day"),
        "weekly": _("every week"),
        "monthly": _("every month"),
    }.get(repeats or "once")
    if due is None:
        return every or ""
    done = status in ("done", "stopped")
    if due < today and not done:
        return _(
            "this was planned for %(date)s: we will look at it together again",
            date=paper_date(due),
        )
    if every:
        return _("%(every)s, until %(date)s", every=every, date=paper_date(due))
    if done:
        return ""
    return _("before %(date)s", date=paper_date(due))


def goal_result_words(result: str) -> str:
    """A goal's result at closing as the family reads it (closing letter, family's file)."""
    return {
        "reached": _("This worked out"),
        "partly": _("This partly worked out"),
        "not_reached": _("This did not work out (yet)"),
    }[result]


def regie_words(regie: str | None) -> str:
    """Who directs, in the family's terms."""
    if regie is None:
        return ""
    words = {
        Regie.OWN.value: _("You direct your own plan."),
        Regie.SHARED.value: _("You and we direct the plan together."),
        Regie.TAKEN_OVER.value: _(
            "For now we direct the plan. We want to give that back to you as soon as we can."
        ),
    }
    return words.get(regie, "")


# What part of the file a change was about, in plain words (the access log on paper).
_AREAS = {
    ("case.", "family.", "member."): "details",
    ("plan.", "goal.", "action.", "score.", "ladder.", "regie.", "success.", "social_ladder."): (
        "plan"
    ),
    ("note.",): "note",
    ("network.", "meeting."): "network",
    ("safety.",): "safety",
    ("referral.",): "help",
    ("discussion.", "review.", "task."): "team",
}


def area(action: str) -> str:
    for prefixes, name in _AREAS.items():
        if action.startswith(prefixes):
            return name
    return "other"


def area_words(name: str) -> str:
    return {
        "details": _("your family's details"),
        "plan": _("your plan"),
        "note": _("what we wrote about a talk"),
        "network": _("the people around you"),
        "safety": _("safety"),
        "help": _("help from others"),
        "team": _("our talks about your family with colleagues"),
    }.get(name, _("something else"))


def part_words(kind: str) -> str:
    """The parts of a conversation note as headings a family reads."""
    return {
        "question": _("Your question or wish"),
        "strengths": _("What you are good at"),
        "exceptions": _("When it goes better"),
        "future": _("What you want for later"),
        "compliments": _("Compliments"),
        "agreements": _("What we agreed"),
        "free_text": _("Also"),
    }.get(kind, kind)
