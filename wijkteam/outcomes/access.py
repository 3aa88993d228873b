"""What an analyst may reach: the outcome pages and their own account's basics, nothing else.

An analyst (Role.ANALYST) reads the outcome figures across teams and no case, name, free text,
search, printout or list of cases (docs/outcomes.md, "Who sees the outcomes"). Rather than trust
every page to refuse them, one guard before every request answers 404 to an analyst on any
other page, exactly as for a page that does not exist; the error handler audits it like every
refused request (`case.denied` for an existing case, else `access.denied`)."""

from __future__ import annotations

from flask import Flask, abort, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from wijkteam.auth.models import Role

# The endpoints an analyst may reach.
ANALYST_ENDPOINTS = frozenset(
    {
        "outcomes.overview",
        "outcomes.csv",
        "outcomes.monitor",
        "auth.login",
        "auth.logout",
        "auth.set_language",
        "auth.change_password",
        "auth.keepalive",
        "static",
    }
)


def init_app(app: Flask) -> None:
    @app.before_request
    def _analysts_reach_only_the_outcomes() -> Response | None:
        if request.endpoint is None or not current_user.is_authenticated:
            return None  # an unknown URL is a 404 anyway; anonymous visitors go to the login
        if current_user.role != Role.ANALYST or request.endpoint in ANALYST_ENDPOINTS:
            return None
        if request.endpoint == "cases.home" and request.method == "GET":
            return redirect(url_for("outcomes.overview"))
        abort(404)
