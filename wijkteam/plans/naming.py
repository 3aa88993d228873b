"""How a goal and an action's owner are named on screen. A goal by the family's own words
(never "Goal 1"), on one line, cut at a word after at most 80 characters; `goal_words` shows
the whole text where the name was cut or the text has more lines. The family's paper
(templates/printout/) numbers its goals.

Plain functions, not template macros: the plan page names each goal twice and a macro call
costs Jinja a frame and a context of its own (issue 21). Templates reach them as globals
(web/templating.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from markupsafe import Markup

if TYPE_CHECKING:
    from wijkteam.plans.models import Action

NAME_LENGTH = 80
_CUT = "…"


def goal_name(text: str) -> str:
    """The goal's words on one line, cut after a word within NAME_LENGTH characters, "…" at
    the cut (as Jinja's `truncate(80, false, "…", 0)`: a word longer than that is cut)."""
    words = " ".join(text.split())
    if len(words) <= NAME_LENGTH:
        return words
    return words[: NAME_LENGTH - len(_CUT)].rsplit(" ", 1)[0] + _CUT


def goal_words(text: str) -> Markup:
    """The whole text as the family wrote it, where its name does not show all of it."""
    if len(" ".join(text.split())) > NAME_LENGTH or "\n" in text.strip():
        return Markup('<blockquote class="family-words">%s</blockquote>') % text
    return Markup()


def owner_text(action: Action) -> str:
    """Who does an action, with what kind of owner: "Kwame (gezin)", "Oma Ria (netwerk)", "het
    gezin (gezin)" for the family as a whole (an include per action cost the plan page a
    context each; issue 21)."""
    name = action.owner_display or _("the family")
    return f"{name} ({action.owner_kind.short_label})"
