"""Jinja filters and globals: dates in Dutch time, ages, lists in words.

Closed lists label themselves: a template shows `{{ case.status.label }}` (see
wijkteam/core/enums.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from babel import Locale, dates
from babel.lists import format_list
from flask import Flask, current_app, render_template, request
from flask.globals import _cv_request
from flask_babel import format_date, format_datetime, get_locale, to_user_timezone
from flask_login import current_user
from markupsafe import Markup

from wijkteam.core import clock


@functools.lru_cache(maxsize=4096)
def _formatted_date(value: date, fmt: str, locale: Locale) -> str:
    return dates.format_date(value, fmt, locale=locale)


def date_text(value: date | None, fmt: str = "medium") -> str:
    """A date in the page's language. The same few dates come back on every page (a list of
    cases shows their last contacts and evaluations), and Babel takes some 30 microseconds for
    each: a plain date is formatted once per language and kept. A datetime is first moved to
    Dutch time by Flask-Babel, as before. (The app keeps Babel's named formats.)"""
    if not value:
        return ""
    if type(value) is date:
        locale = get_locale()
        if locale is not None:
            return _formatted_date(value, fmt, locale)
    return format_date(value, fmt)


def datetime_text(value: datetime | None, fmt: str = "minutes") -> str:
    """A moment in the page's language, in Dutch time (stored in UTC; Flask-Babel moves it to
    BABEL_DEFAULT_TIMEZONE, Europe/Amsterdam). "minutes", the default: the day as a medium date
    and the time without seconds ("4 dec 2026, 14:48"), joined as the language joins them;
    the audit trail asks for "medium", which keeps the seconds; any other Babel format too."""
    if not value:
        return ""
    if fmt != "minutes":
        return format_datetime(value, fmt)
    locale = get_locale() or Locale.parse("nl")
    local = to_user_timezone(value)
    return str(
        locale.datetime_formats["medium"].format(
            dates.format_time(local, "short", locale=locale),
            dates.format_date(local, "medium", locale=locale),
        )
    )


def _join_and(items: list[str]) -> str:
    """'Lisa, Noah en Evi' in the current language."""
    return format_list([str(i) for i in items], locale=str(get_locale())) if items else ""


def _age(born: date | None) -> int | None:
    if born is None:
        return None
    today = clock.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _page_to_return_to() -> str:
    """Where the language switch returns to: this page, or for a page answering a POST to an
    address that only takes POSTs (a refused quick score) the page the form was on."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or ()):
        return request.path
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path:
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return "/"


def main_menu() -> Markup:
    """The main menu of base.html (templates/_main_menu.html). It shows links and their names
    only, and depends on nothing but the language, the address the app is served under and
    four facts of the user's role; it was made anew for every page (some fifteen addresses
    and as many translations: 0.1-0.3 ms, a few percent of a light page; issue 21). Made once
    per process for each combination (at most a few dozen) and kept with the app. Anything
    else the menu showed would be shown to everyone of the same role: tests/test_menu.py
    holds the template to these facts."""
    user = current_user
    key = (
        str(get_locale()),
        request.script_root,
        bool(user.team_id),
        user.is_teamlead,
        user.is_analyst,
        user.is_admin,
    )
    menus: dict[tuple[object, ...], Markup] = current_app.extensions["wijkteam.menus"]
    menu = menus.get(key)
    if menu is None:
        menu = Markup(render_template("_main_menu.html"))  # noqa: S704 - a rendered template
        menus[key] = menu
    return menu


def template_url_for(app: Flask) -> Callable[..., str]:
    """The templates' `url_for`: Flask's, with the addresses it built kept (issue 21: a page
    builds some tens of them, each 6-9 microseconds; the plan page 36, a case list a few per
    row). Inside a request an address depends only on the endpoint, its values and the
    address the app is served under (`script_root`), as long as no function adds values
    (`url_defaults`: the app has none, tests/test_template_urls.py holds it so) and nothing but
    a path is asked for: with `_external`, `_anchor`, `_method` or `_scheme`, outside a
    request, or with a value that cannot be a key, it is Flask's own. Each value is kept with
    its type: `True` and `1` are equal keys but not equal addresses ("?x=True"). Per app and
    bounded, the most recent kept."""

    @functools.lru_cache(maxsize=4096)
    def built(
        script_root: str, blueprint: str | None, endpoint: str, values: tuple[Any, ...]
    ) -> str:
        return app.url_for(endpoint, **{name: value for name, _type, value in values})

    def url_for(endpoint: str, **values: Any) -> str:
        request_context = _cv_request.get(None)
        if request_context is None or any(name[:1] == "_" for name in values):
            return app.url_for(endpoint, **values)
        key = tuple(sorted((name, type(value), value) for name, value in values.items()))
        try:
            hash(key)
        except TypeError:  # a list of values, say
            return app.url_for(endpoint, **values)
        current = request_context.request
        relative = current.blueprint if endpoint[:1] == "." else None
        return built(current.script_root, relative, endpoint, key)

    return url_for


def init_app(app: Flask) -> None:
    from wijkteam.plans.markup import score_options
    from wijkteam.plans.naming import goal_name, goal_words, owner_text
    from wijkteam.printout.wording import comma, paper_date
    from wijkteam.web.forms import new_form_id

    app.jinja_env.filters.update(
        date=date_text, datetime=datetime_text, age=_age, join_and=_join_and, paper_date=paper_date
    )
    # A hand-written button form's one-time id (an AppForm has its own `form_id` field): a
    # second POST of the same button is answered with the first's result (wijkteam/submissions).
    app.jinja_env.globals["new_form_id"] = new_form_id
    app.jinja_env.globals["main_menu"] = main_menu
    app.jinja_env.globals["url_for"] = template_url_for(app)
    # A goal named by the family's own words, an action's owner (plans/naming.py).
    app.jinja_env.globals.update(goal_name=goal_name, goal_words=goal_words, owner_text=owner_text)
    # The quick score's radio buttons (plans/markup.py).
    app.jinja_env.globals["score_options"] = score_options
    # The paper's comma in the print language (printout/wording.py).
    app.jinja_env.globals["comma"] = comma
    app.extensions["wijkteam.menus"] = {}
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "current_locale": str(get_locale()),
            "languages": current_app.config["LANGUAGES"],
            "request_path": _page_to_return_to(),
        }
