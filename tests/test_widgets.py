"""wijkteam/web/widgets.py writes WTForms' attributes faster: the output must be the same."""

from __future__ import annotations

import wtforms.widgets
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms.widgets import core

from wijkteam.web.widgets import ORIGINAL, html_params

KEYS = st.sampled_from(
    ["name", "id", "class_", "for_", "data_goal_id", "aria_describedby", "value", "type",
     "checked", "required", "placeholder", "x_"]
) | st.text(min_size=1, max_size=8)  # fmt: skip
VALUES = (
    st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.text(max_size=20).map(Markup)
    | st.sampled_from(['"quoted"', "<b>&amp;</b>", "it's", Markup('a"b'), 0, None])
)


@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_the_same_markup_as_wtforms_own(attributes):
    ours, theirs = html_params(**attributes), ORIGINAL(**attributes)
    assert isinstance(ours, Markup)
    assert ours == theirs


def test_it_is_what_wtforms_uses_once_the_app_is_made(app):
    assert core.html_params is html_params
    assert wtforms.widgets.html_params is html_params
    assert core.Select().__call__.__globals__["html_params"] is html_params
    assert core.Input.html_params is html_params
    assert str(core.TextInput()(_Field(), class_="wide")) == (
        '<input class="wide" id="f" name="f" type="text" value="&lt;x&gt;">'
    )


class _Field:
    id = name = "f"
    flags = None

    def _value(self) -> str:
        return "<x>"
