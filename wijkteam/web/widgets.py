"""WTForms' attribute writer, faster and with the same output.

Every field a form shows passes its attributes through `wtforms.widgets.core.html_params`,
which builds each `name="value"` with `Markup.format` (string.Formatter plus escaping: some 20
microseconds an attribute). The conversation note's form writes about 190 of them: a quarter of
that page's time (issue 21). `html_params` below gives the very same Markup (the same order,
the same escaping, `True` as a bare attribute, `False` left out; tests/test_widgets.py checks it
against WTForms' own over generated input) with plain string joins. `install()` puts it where
WTForms looks it up: the module function, its re-export in `wtforms.widgets` (labels) and the
widgets' `html_params` attributes. WTForms is
pinned (requirements/app.lock); the test fails if a new version changes the output.

The same for a select's options (`render_option`: the note form renders some sixty) and for
the select's lookup of how to call it, kept per class (`_dispatch_render_option`)."""

from __future__ import annotations

import functools
from typing import Any

import wtforms.widgets
from markupsafe import Markup, escape
from wtforms.widgets import core

ORIGINAL = core.html_params
_QUOTE, _ESCAPED_QUOTE = Markup('"'), Markup("&quot;")


def html_params(**kwargs: Any) -> Markup:
    params = []
    for key, value in sorted(kwargs.items()):
        key = core.clean_key(key)
        if value is True:
            params.append(str(escape(key)))
        elif value is not False:
            params.append(f'{escape(key)}="{escape(value).replace(_QUOTE, _ESCAPED_QUOTE)}"')
    return Markup(" ".join(params))  # noqa: S704 - every key and value is escaped above


ORIGINAL_RENDER_OPTION = core.Select.__dict__["render_option"].__func__
_ORIGINAL_DISPATCH = core.Select.__dict__["_dispatch_render_option"].__func__


def render_option(cls: type, choice: Any, **kwargs: Any) -> Markup:
    """WTForms' `Select.render_option`, the same Markup, without building a dict of attributes
    for each option: an option with no attributes of its own (all of ours) has only its value
    and, when chosen, `selected` (`html_params` sorts them: `selected` first). Anything else
    goes to WTForms' own."""
    if kwargs or choice.render_kw:
        return ORIGINAL_RENDER_OPTION(cls, choice, **kwargs)
    # A value True or False is written as text (WTForms turns it into str for html_params,
    # which would write True as a bare attribute); escape() writes it so already.
    attributes = f'value="{escape(choice.value).replace(_QUOTE, _ESCAPED_QUOTE)}"'
    if choice.selected:
        attributes = "selected " + attributes
    label = escape(choice.label or choice.value)
    return Markup(f"<option {attributes}>{label}</option>")  # noqa: S704 - escaped above


@functools.cache
def _dispatch_for(cls: type) -> Any:
    return _ORIGINAL_DISPATCH(cls)


def _dispatch_render_option(cls: type) -> Any:
    """WTForms works out which signature `render_option` has (`inspect.signature`, some 15
    microseconds) for every select it renders; it depends on the class only."""
    return _dispatch_for(cls)


def install() -> None:
    """Idempotent: every app created in a process installs it again."""
    core.Select.render_option = classmethod(render_option)
    core.Select._dispatch_render_option = classmethod(_dispatch_render_option)
    _dispatch_for.cache_clear()  # whatever was worked out before, for the old render_option
    core.html_params = html_params
    wtforms.widgets.html_params = html_params  # the labels' (wtforms.fields.core.Label)
    for widget in list(vars(core).values()):
        if isinstance(widget, type) and "html_params" in vars(widget):
            widget.html_params = staticmethod(html_params)  # type: ignore[attr-defined]
