"""Markup the plan page writes many times over, made in Python (issue 21): the quick score's
eleven radio buttons per open goal were a template loop that cost the page about a quarter
of a millisecond for four goals. Only numbers go into it; no words, so no language."""

from __future__ import annotations

from markupsafe import Markup

_OPTION = (
    '<span class="score-option"><input type="radio" name="family_score" value="{n}" '
    'id="score-{goal}-{n}"><label for="score-{goal}-{n}">{n}</label></span>\n'
)


def score_options(goal_id: int) -> Markup:
    """The family's score 0-10 for one goal: a radio button and its label per number, each
    on its own line (as the template wrote them)."""
    goal = int(goal_id)  # a number, never markup from elsewhere
    return Markup("".join(_OPTION.format(goal=goal, n=n) for n in range(11)))  # noqa: S704
