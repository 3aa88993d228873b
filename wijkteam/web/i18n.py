"""Language choice: the user's pick (session or account), else Dutch; and the translations of
the request, looked up once per request instead of once per string."""

from __future__ import annotations

import weakref
from typing import Any

import flask_babel
from babel import support
from flask import Flask, current_app, session
from flask.globals import _cv_app
from flask_babel import Domain
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    lang = session.get("lang")
    if lang in languages:
        return str(lang)
    user = current_user
    if user and user.is_authenticated and user.locale in languages:
        return user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _babel_state() -> Any:
    """Flask-Babel's per-request namespace (g._flask_babel), read without the proxies; None
    outside an application context or before Flask-Babel made it."""
    app_ctx = _cv_app.get(None)
    if app_ctx is None:
        return None
    return vars(app_ctx.g).get("_flask_babel")


class RequestDomain(Domain):
    """Flask-Babel's domain, keeping the request's translations next to the locale they are
    for. Flask-Babel finds them again for every string (three lookups through context proxies
    and the locale turned into a string each time: a few hundred times per page). They are
    kept with the very Locale object Flask-Babel holds for the request, so `force_locale`
    (the printouts switch language within a request: it puts another Locale object there)
    and `refresh` (which removes it) still change the language at once."""

    def get_translations(self) -> support.NullTranslations:
        kept = _kept_translations()
        if kept is not None:
            return kept
        translations = super().get_translations()
        state = _babel_state()
        locale = vars(state).get("babel_locale") if state is not None else None
        if locale is not None:
            state.wijkteam_translations = (locale, translations)
        return translations


def _kept_translations() -> support.NullTranslations | None:
    """The request's translations as `RequestDomain` kept them, if they are for the locale
    Flask-Babel holds now; None otherwise."""
    state = _babel_state()
    if state is None:
        return None
    kept = vars(state).get("wijkteam_translations")
    if kept is not None and kept[0] is vars(state).get("babel_locale"):
        return kept[1]
    return None


def _get_domain() -> Domain:
    """flask_babel.get_domain without the proxies once the request's domain is known."""
    state = _babel_state()
    if state is not None:
        domain = vars(state).get("babel_domain")
        if domain is not None:
            return domain
    return _flask_babel_get_domain()


_flask_babel_get_domain = flask_babel.get_domain


def init_app(app: Flask) -> None:
    """After babel.init_app: its domain becomes a RequestDomain with the same catalogues."""
    configuration = app.extensions["babel"]
    # Its catalogues' directories are read from the current app's configuration, as before.
    configuration.instance.domain_instance = RequestDomain(domain=configuration.default_domain)
    # gettext, lazy_gettext and the template's _() look the domain up by this module global
    # for every string; the same answer, found faster. Flask-Babel is pinned (requirements).
    flask_babel.get_domain = _get_domain
    # The templates' _() and gettext (and {% trans %}): Jinja's own, with the answer kept;
    # ngettext (and {% trans count %}) as Jinja's own.
    app.jinja_env.globals.update(
        _=template_gettext, gettext=template_gettext, ngettext=template_ngettext
    )


# Per catalogue (Flask-Babel keeps one per language for the process), each template string
# without variables as the template gets it. Weak: a catalogue that goes (a reload) takes its
# strings with it.
_TEMPLATE_STRINGS: weakref.WeakKeyDictionary[Any, dict[str, Markup]] = weakref.WeakKeyDictionary()


@pass_eval_context
def template_gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    """What Jinja's i18n extension installs for `_()` and `gettext` with Flask-Babel (newstyle:
    the translation, as Markup in an autoescaped template, always formatted with the
    variables so that "%%" reads "%"), with the result of a string without variables kept
    per catalogue: a page asks for some hundred of them, and the formatting and escaping
    cost more than the lookup (issue 21: a tenth of the case list's time). `_()` calls this
    directly instead of looking `gettext` up in the context first (Jinja's `_gettext_alias`:
    no template or view of ours passes its own `gettext`). tests/test_i18n.py holds the
    output equal to Jinja's own.

    It takes the evaluation context (autoescape or not), not the template's context as
    Jinja's does: Jinja makes a copy of the whole context for every call of a function that
    takes it from within a loop or block that has set a variable of its own (`Context.call`,
    `derived`), some forty times on the plan page (issue 21)."""
    # The kept translations at once (one lookup instead of Flask-Babel's domain's two).
    translations = _kept_translations()
    if translations is None:
        translations = flask_babel.get_translations()
    if not eval_ctx.autoescape:
        return translations.ugettext(string) % variables
    if variables:
        return _trusted(translations.ugettext(string)) % variables
    try:
        kept = _TEMPLATE_STRINGS[translations]
    except KeyError:
        kept = _TEMPLATE_STRINGS[translations] = {}
    found = kept.get(string)
    if found is None:
        found = kept[string] = _trusted(translations.ugettext(string)) % variables
    return found


@pass_eval_context
def template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    """The templates' `ngettext` (and `{% trans count %}`): as Jinja's i18n extension with
    Flask-Babel answers, without a copy of the context per call (see `template_gettext`)."""
    variables.setdefault("num", num)
    text = flask_babel.get_translations().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        return _trusted(text) % variables
    return text % variables


def _trusted(text: str) -> Markup:
    """The catalogue's text is ours, written as HTML may read it, as Jinja's i18n extension
    treats it; the variables put into it are escaped by `Markup.__mod__`."""
    return Markup(text)  # noqa: S704 - our own catalogue (see above)
