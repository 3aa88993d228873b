"""wijkteam: case management for neighbourhood teams. One family, one plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

# Every model first, whatever module is imported: queries and loaders build their statements
# once, when their module is imported, and a statement with loader options needs every mapped
# class to exist (tests/test_imports.py imports each module on its own).
from wijkteam import models as _models  # noqa: F401  (isort: skip)
from wijkteam.core.config import INSECURE_SECRET_KEYS, Config, config_from_env

ROOT = Path(__file__).resolve().parent.parent


class IdConverter(IntegerConverter):
    """<int:...> in URLs stops at the largest id the database holds (PostgreSQL's integer):
    a larger number is a 404 like any missing id, not an overflow error in the query."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(config: type[Config] | None = None, **overrides: Any) -> Flask:
    """Build the app from a config class (default: from WIJKTEAM_ENV) plus overrides."""
    from wijkteam import cli
    from wijkteam.admin.views import bp as admin_bp
    from wijkteam.audit.views import bp as audit_bp
    from wijkteam.auth import loader
    from wijkteam.auth.views import bp as auth_bp
    from wijkteam.cases.views import bp as cases_bp
    from wijkteam.closing.views import bp as closing_bp
    from wijkteam.core import db
    from wijkteam.dashboard.views import bp as dashboard_bp
    from wijkteam.discussions.views import bp as discussions_bp
    from wijkteam.extensions import babel, csrf
    from wijkteam.keyfigures.views import bp as keyfigures_bp
    from wijkteam.network.views import bp as network_bp
    from wijkteam.notes.views import bp as notes_bp
    from wijkteam.outcomes import access as outcomes_access
    from wijkteam.outcomes.views import bp as outcomes_bp
    from wijkteam.plans.views import bp as plans_bp
    from wijkteam.printout.views import bp as printout_bp
    from wijkteam.resources.views import bp as resources_bp
    from wijkteam.reviews.views import bp as reviews_bp
    from wijkteam.safety.views import bp as safety_bp
    from wijkteam.submissions import init_app as submissions_init_app
    from wijkteam.web import errors, i18n, logs, security, templating, widgets
    from wijkteam.web.i18n import select_locale

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    app.url_map.converters["int"] = IdConverter
    app.config.from_object(config or config_from_env())
    app.config.update(overrides)
    if app.config["ENV_NAME"] == "production" and (
        app.config["SECRET_KEY"] in INSECURE_SECRET_KEYS or len(app.config["SECRET_KEY"]) < 32
    ):
        raise RuntimeError(
            "WIJKTEAM_SECRET_KEY must be set to a random value of 32+ characters in production "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
    Path(app.instance_path).mkdir(exist_ok=True)
    logs.init_app(app)  # first: its request id and timing start before any other hook
    if app.config.get("PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    i18n.init_app(app)  # after babel: the request's translations looked up once
    widgets.install()  # WTForms' attributes written faster, the same HTML
    loader.init_app(app)
    submissions_init_app(app)  # after the CSRF check and the login
    security.init_app(app)
    outcomes_access.init_app(app)  # an analyst reaches the outcome pages only
    templating.init_app(app)
    errors.register_error_handlers(app)
    cli.init_app(app)

    for bp in (
        auth_bp,
        cases_bp,
        plans_bp,
        network_bp,
        safety_bp,
        notes_bp,
        printout_bp,
        admin_bp,
        audit_bp,
        resources_bp,
        dashboard_bp,
        reviews_bp,
        discussions_bp,
        keyfigures_bp,
        closing_bp,
        outcomes_bp,
    ):
        app.register_blueprint(bp)
    return app
