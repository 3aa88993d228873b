"""WTForms' attribute writer, faster and with the same output.

Every field a form shows passes its attributes through `wtforms.widgets.core.html_params`,
which builds each `name="value"` with `Markup.format` (string.Formatter plus escaping: some 20
microseconds an attribute). The conversation note's form writes about 190 of them: a quarter of
that page's time (issue 21). `html_params` below gives the very same Markup (the same order,
the same escaping, `True` as a bare attribute, `False` left out; tests/test_widgets.py checks it
against WTForms' own over generated input) with plain string joins. `install()` puts it where
WTForms looks it up: the module function, its re-export in `wtforms.widgets` (labels) and the
widgets' `html_params` attributes. WTForms is
pinned (requirements/app.lock); the test fails if a new version changes the output."""

from __future__ import annotations

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


def install() -> None:
    """Idempotent: every app created in a process installs it again."""
    core.html_params = html_params
    wtforms.widgets.html_params = html_params  # the labels' (wtforms.fields.core.Label)
    for widget in list(vars(core).values()):
        if isinstance(widget, type) and "html_params" in vars(widget):
            widget.html_params = staticmethod(html_params)  # type: ignore[attr-defined]
