"""Language choice: the user's pick (session or account), else Dutch."""

from __future__ import annotations

from flask import current_app, session
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    lang = session.get("lang")
    if lang in languages:
        return str(lang)
    user = current_user
    if user and user.is_authenticated and user.locale in languages:
        return user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]
