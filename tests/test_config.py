"""Settings: production refuses to start without a real secret key."""

from __future__ import annotations

import pytest

from wijkteam import create_app
from wijkteam.core.config import ProductionConfig, config_from_env


@pytest.mark.parametrize("key", ["", "dev-only-not-secret", "change-me", "short-key"])
def test_production_refuses_a_weak_secret_key(key):
    with pytest.raises(RuntimeError, match="WIJKTEAM_SECRET_KEY"):
        create_app(ProductionConfig, SECRET_KEY=key, DATABASE_URL="sqlite://")


def test_production_starts_with_a_real_key_and_secure_cookies():
    app = create_app(ProductionConfig, SECRET_KEY="x" * 48, DATABASE_URL="sqlite://")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_environment_picks_the_config(monkeypatch):
    monkeypatch.setenv("WIJKTEAM_ENV", "development")
    assert config_from_env().ENV_NAME == "development"
    monkeypatch.delenv("WIJKTEAM_ENV")
    assert config_from_env() is ProductionConfig
    monkeypatch.setenv("WIJKTEAM_ENV", "nonsense")
    with pytest.raises(RuntimeError):
        config_from_env()


def test_security_headers(client, world):
    resp = client.get("/login")
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    client.login("pro.noord@test.example")
    assert client.get("/cases").headers["Cache-Control"] == "no-store"


def test_no_external_resources_in_pages(client, world):
    html = client.get("/login").get_data(as_text=True)
    assert "http://" not in html.replace("http://localhost", "")
    assert "https://" not in html


def test_the_wsgi_entry_point_puts_the_app_out_of_the_collectors_reach(tmp_path):
    """wsgi.py (what gunicorn's workers import) freezes what lives as long as the worker, so
    that a full collection does not walk it (docs/performance.md, bench/gc_pauses.py); an app
    made elsewhere (tests, the flask command) is left to Python's own settings."""
    import os
    import secrets
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "WIJKTEAM_ENV": "production",
        "WIJKTEAM_SECRET_KEY": secrets.token_urlsafe(48),
        "WIJKTEAM_DATABASE_URL": f"sqlite:///{tmp_path / 'wsgi.db'}",
    }
    probe = (  # an app made by create_app alone, then the one of wsgi.py
        "import gc; from wijkteam import create_app; create_app(); "
        "before = gc.get_freeze_count(); import wsgi; "
        "print(before, gc.get_freeze_count(), type(wsgi.app).__name__)"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    before, frozen, kind = done.stdout.splitlines()[-1].split()
    assert (int(before), kind) == (0, "Flask")
    assert int(frozen) > 50_000  # the app, its modules and SQLAlchemy's mappings


def test_ensure_database_makes_a_missing_postgresql_database_once(tmp_path):
    """The helper behind the test suite's database per worker and the benches' twin database:
    a missing database is made, an existing one left as it is; SQLite is left to itself."""
    import os
    import secrets

    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from wijkteam.core.db import ensure_database, make_engine

    sqlite = tmp_path / "never.sqlite3"
    ensure_database(f"sqlite:///{sqlite}")
    assert not sqlite.exists()
    url = os.environ.get("WIJKTEAM_TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL only: SQLite makes its file when first opened")
    name = f"test_ensure_{secrets.token_hex(4)}"
    fresh = make_url(url).set(database=name).render_as_string(hide_password=False)
    server = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")

    def count() -> int:
        with server.connect() as conn:
            return conn.execute(
                text("SELECT count(*) FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar_one()

    try:
        assert count() == 0
        ensure_database(fresh, via=url)
        ensure_database(fresh)  # through the server's own postgres database: already there
        assert count() == 1
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        server.dispose()
