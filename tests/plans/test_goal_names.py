"""On screen a goal is named by the family's own words, not "Goal 1" (issue 17, part 2): cut
at a word after 80 characters with the whole text shown next to it. The family's paper keeps
its numbers (templates/printout/)."""

from __future__ import annotations

import re
from html import unescape

from markupsafe import escape

from tests.plans.test_repeats_and_agreement import agree

SHORT = "Wij willen 's ochtends zonder ruzie de deur uit."
LONG = (
    "Wij willen dat Noah weer graag naar school gaat, dat hij 's ochtends op tijd is en dat "
    "de juf ons belt als het niet goed gaat."
)


def headings(html: str, tag: str) -> list[str]:
    found = re.findall(rf'<{tag} class="goal-name">(.*?)</{tag}>', html, re.S)
    # The words only: not the status or the members next to them.
    found = [re.sub(r'<span class="status">.*?</span>|<small>.*?</small>', "", h) for h in found]
    return [unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in found]


def test_the_plan_page_names_goals_by_their_words(ui, client):
    ui.start()
    short_id = ui.goal_id(ui.add_goal(SHORT))
    long_id = ui.goal_id(ui.add_goal(LONG))
    html = client.get(ui.base).get_data(as_text=True)
    assert "Doel 1" not in html and "Doel 2" not in html
    names = headings(html, "h3")
    assert names[0] == SHORT
    assert names[1].endswith("…") and len(names[1]) <= 80
    assert LONG.startswith(names[1].removesuffix("…"))
    # The headings link to the goal pages; the cut one has its whole text next to it.
    assert f'href="{ui.base}/goals/{short_id}">{escape(SHORT)}</a>' in html
    assert f'href="{ui.base}/goals/{long_id}">' in html
    assert unescape(html).count(LONG) == 1
    quotes = re.findall(r'<blockquote class="family-words">(.*?)</blockquote>', html, re.S)
    assert [unescape(q) for q in quotes] == [LONG]  # a short goal is not repeated under itself


def test_the_goal_page_is_headed_by_the_goal(ui, client):
    ui.start()
    goal_id = ui.goal_id(ui.add_goal(LONG))
    html = client.get(f"{ui.base}/goals/{goal_id}").get_data(as_text=True)
    (name,) = headings(html, "h1")
    assert name.endswith("…") and LONG.startswith(name.removesuffix("…"))
    assert LONG in unescape(html)  # the whole text, in the family's own words
    title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    assert name in title


def test_a_version_names_its_goals_by_their_words(ui, client):
    ui.start()
    ui.add_goal(SHORT)
    ui.add_goal(LONG)
    assert agree(client, ui.base).status_code == 302
    html = client.get(f"{ui.base}/versions/1").get_data(as_text=True)
    names = headings(html, "h2")
    assert names[0] == SHORT and names[1].endswith("…")
    assert "Doel 1" not in html
    assert unescape(html).count(LONG) == 1
