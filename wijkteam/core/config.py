"""Settings from the environment, one class per environment."""

from __future__ import annotations

import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parents[2] / "instance"

# Values that must never reach production: the dev default and common placeholders.
INSECURE_SECRET_KEYS = {"", "dev", "change-me", "secret", "dev-only-not-secret"}


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


class Config:
    """Defaults shared by every environment; each value can be set with WIJKTEAM_*."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("WIJKTEAM_SECRET_KEY", "dev-only-not-secret")
    DATABASE_URL = os.environ.get(
        "WIJKTEAM_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'wijkteam.sqlite3'}"
    )
    # PostgreSQL: let psycopg prepare the statements a connection runs often, so that they are
    # planned once (docs/deploy.md). Set WIJKTEAM_DB_PREPARED_STATEMENTS=0 behind PgBouncer in
    # transaction mode, which cannot keep a connection's prepared statements.
    DB_PREPARED_STATEMENTS = os.environ.get("WIJKTEAM_DB_PREPARED_STATEMENTS", "1") != "0"
    # PostgreSQL's plan_cache_mode for the app's connections: a prepared statement's generic
    # plan is used at once, instead of planning it anew at each run (auto, force_custom_plan).
    DB_PLAN_CACHE_MODE = os.environ.get("WIJKTEAM_DB_PLAN_CACHE_MODE", "force_generic_plan")
    # Sessions end after this many idle minutes, and at the latest after MAX_HOURS.
    IDLE_TIMEOUT_MINUTES = _env_int("WIJKTEAM_IDLE_TIMEOUT_MINUTES", 30)
    SESSION_MAX_HOURS = _env_int("WIJKTEAM_SESSION_MAX_HOURS", 12)
    # Login throttling (wijkteam/auth/throttle.py, docs/security.md). Failures are counted per
    # account name AND client (the browser's device cookie, else its address), so nobody can
    # lock a colleague out from elsewhere. Past a limit the client waits FIRST_DELAY_SECONDS,
    # doubling with every further failure up to LOCKOUT_MINUTES; failures are forgotten after
    # twice LOCKOUT_MINUTES without one. Strangers (browsers that never logged in to the
    # account) are also limited per account name over all addresses, and per address over all
    # names (password spraying); a browser that logged in to the account before is not.
    LOGIN_MAX_FAILURES = _env_int("WIJKTEAM_LOGIN_MAX_FAILURES", 5)
    LOGIN_LOCKOUT_MINUTES = _env_int("WIJKTEAM_LOGIN_LOCKOUT_MINUTES", 15)
    LOGIN_FIRST_DELAY_SECONDS = _env_int("WIJKTEAM_LOGIN_FIRST_DELAY_SECONDS", 60)
    LOGIN_ACCOUNT_MAX_FAILURES = _env_int("WIJKTEAM_LOGIN_ACCOUNT_MAX_FAILURES", 20)
    LOGIN_ADDRESS_MAX_FAILURES = _env_int("WIJKTEAM_LOGIN_ADDRESS_MAX_FAILURES", 10)
    # How long a browser stays known to an account after a login (the device cookie).
    LOGIN_DEVICE_DAYS = _env_int("WIJKTEAM_LOGIN_DEVICE_DAYS", 90)
    DEVICE_COOKIE_NAME = "wijkteam-device"
    # An invitation or password link from an admin is valid this long, and only once.
    PASSWORD_LINK_HOURS = _env_int("WIJKTEAM_PASSWORD_LINK_HOURS", 72)
    PAGE_SIZE = _env_int("WIJKTEAM_PAGE_SIZE", 25)
    # The analysts' figures across all teams are kept this long before the job worker works
    # them out again (wijkteam/outcomes/snapshots.py, docs/outcomes.md).
    OUTCOMES_SNAPSHOT_SECONDS = _env_int("WIJKTEAM_OUTCOMES_SNAPSHOT_SECONDS", 3600)
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted; 0 when
    # clients reach the app directly (docs/deploy.md). The audit log records the client address.
    PROXY_HOPS = _env_int("WIJKTEAM_PROXY_HOPS", 0)
    # DEBUG, INFO, WARNING or ERROR: key=value lines on stderr (wijkteam/web/logs.py).
    LOG_LEVEL = os.environ.get("WIJKTEAM_LOG_LEVEL", "INFO")
    # Uploads (CSV imports) larger than this are refused with a clear page.
    MAX_CONTENT_LENGTH = _env_int("WIJKTEAM_MAX_UPLOAD_BYTES", 2 * 1024 * 1024)

    BABEL_DEFAULT_LOCALE = "nl"
    # The team's time zone: what "today" is (wijkteam/core/clock.py) and how times are shown.
    BABEL_DEFAULT_TIMEZONE = os.environ.get("WIJKTEAM_TIMEZONE", "Europe/Amsterdam")
    LANGUAGES = ("nl", "en")

    # CSRF tokens live as long as the session, so a long form is not lost to a token clock.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 0
    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = True


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
    DATABASE_URL = os.environ.get("WIJKTEAM_TEST_DATABASE_URL", "sqlite:///:memory:")
    # Every analyst's page works the figures out again (the queue runs at once in tests), so
    # a test sees what it just made; tests/outcomes/test_snapshots.py sets it to an hour.
    OUTCOMES_SNAPSHOT_SECONDS = 0


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-wijkteam"
    DEVICE_COOKIE_NAME = "__Host-wijkteam-device"
    # "Remember me" is not offered; should Flask-Login ever set its cookie, it is as strict.
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """Pick the config class named by WIJKTEAM_ENV (production unless told otherwise)."""
    name = os.environ.get("WIJKTEAM_ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"WIJKTEAM_ENV={name!r} is unknown; use one of {', '.join(CONFIGS)}"
        ) from None
