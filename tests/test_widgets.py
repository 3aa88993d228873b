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


CHOICE_VALUES = (
    st.text(max_size=12)
    | st.integers()
    | st.booleans()
    | st.none()
    | st.text(max_size=12).map(Markup)
    | st.sampled_from(['"quoted"', "<b>&amp;</b>", "it's", Markup('a"b'), 0, "", "None"])
)


@given(
    value=CHOICE_VALUES,
    label=st.none() | st.text(max_size=12) | st.sampled_from(["<i>Oma</i>", Markup("<b>x</b>")]),
    selected=st.booleans(),
    render_kw=st.none() | st.just({}) | st.dictionaries(KEYS, VALUES, max_size=2),
    extra=st.dictionaries(KEYS, VALUES, max_size=2),
)
def test_an_option_is_the_same_markup_as_wtforms_own(value, label, selected, render_kw, extra):
    from wtforms.fields.choices import Choice

    from wijkteam.web.widgets import ORIGINAL_RENDER_OPTION, render_option

    choice = Choice(value=value, label=label, selected=selected, render_kw=render_kw)
    ours = render_option(core.Select, choice, **extra)
    theirs = ORIGINAL_RENDER_OPTION(core.Select, choice, **extra)
    assert isinstance(ours, Markup)
    assert ours == theirs


def test_a_select_renders_its_options_with_it(app):
    """Installed: the select's options come from the faster `render_option`, and how to call
    it is worked out once per class (the answer is the same each time)."""
    from wtforms import Form, SelectField
    from wtforms.fields.choices import SelectChoice

    from wijkteam.web.widgets import render_option

    class Probe(Form):
        kind = SelectField(
            choices=[SelectChoice("home", "Thuis <bezoek>"), SelectChoice("phone", 'Bellen "kort"')]
        )

    assert core.Select.render_option.__func__ is render_option
    assert core.Select._dispatch_render_option() is core.Select._dispatch_render_option()
    form = Probe(data={"kind": "phone"})
    assert str(form.kind()) == (
        '<select id="kind" name="kind"><option value="home">Thuis &lt;bezoek&gt;</option>'
        '<option selected value="phone">Bellen &#34;kort&#34;</option></select>'
    )
