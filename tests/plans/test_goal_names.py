"""On screen a goal is named by the family's own words, not "Goal 1" (issue 17, part 2): cut
at a word after 80 characters with the whole text shown next to it. The family's paper keeps
its numbers (templates/printout/)."""

from __future__ import annotations

import re
from html import unescape

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment
from markupsafe import escape

from tests.plans.test_repeats_and_agreement import agree
from wijkteam.plans.naming import goal_name, goal_words

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


# The macros these names were made by until issue 21 (templates/_macros/goals.html), held
# equal to the functions that replace them (plans/naming.py): the same words, cut the same way.
_OLD_MACROS = """
{%- macro goal_name(text) -%}
{{ text.split()|join(" ")|truncate(80, false, "…", 0) }}
{%- endmacro %}
{%- macro goal_words(text) -%}
{% if text.split()|join(" ")|length > 80 or "\\n" in text.strip() -%}
<blockquote class="family-words">{{ text }}</blockquote>
{%- endif %}
{%- endmacro %}"""

_WORDS = st.lists(
    st.text(alphabet=st.sampled_from("ab é<&\"'\n\t"), min_size=0, max_size=30), max_size=12
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(_WORDS, st.text(max_size=200)))
def test_goal_names_are_cut_as_the_template_macros_cut_them(text):
    old = Environment(autoescape=True).from_string(_OLD_MACROS).module
    assert str(escape(goal_name(text))) == str(old.goal_name(text))
    assert str(goal_words(text)) == str(old.goal_words(text))


def test_a_goal_name_is_cut_at_a_word_and_a_long_word_is_cut():
    assert goal_name("a  b\nc") == "a b c"
    assert goal_name("x" * 80) == "x" * 80
    assert goal_name("woord " * 20) == ("woord " * 13).strip() + "…"
    assert goal_name("x" * 100) == "x" * 79 + "…"
    assert goal_words("kort") == ""
    assert goal_words("een\ntwee") == '<blockquote class="family-words">een\ntwee</blockquote>'
    assert goal_words("<b>" * 30) == (
        '<blockquote class="family-words">' + "&lt;b&gt;" * 30 + "</blockquote>"
    )
