"""One app per test session, built by the migrations; a clean database for every test.

Runs on SQLite by default and on PostgreSQL when WIJKTEAM_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.factories.cases import lisa_and_noah
from tests.factories.people import PASSWORD, World
from tests.factories.rows import Rows
from tests.factories.town import Town, build_town
from wijkteam import create_app, migrate
from wijkteam.auth import passwords
from wijkteam.core import clock
from wijkteam.core.config import TestConfig
from wijkteam.core.db import Base, ensure_database, get_engine, make_engine

# Cheap argon2id parameters for tests only: hashing seven accounts per test at production cost
# would dominate the run time. The algorithm (argon2id) stays the same.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# One "today" for the whole run: test modules take it at import, the app at every request, and a
# run that crosses midnight would compare the two across the date line.
clock.freeze(clock.today())
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION_RE = re.compile(r'name="version" type="hidden" value="(\d*)"')


def form_version(html: str) -> str:
    """The hidden optimistic-locking version of an edit form."""
    match = VERSION_RE.search(html)
    assert match, "no version field on the page"
    return match.group(1)


def database_url(tmp_dir: Any) -> str:
    """SQLite in the session's temp folder, or the PostgreSQL database given; with pytest-xdist
    each worker gets its own PostgreSQL database next to it (test_gw0, test_gw1, ...)."""
    url = os.environ.get("WIJKTEAM_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir}/test.sqlite3"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    own = base.set(database=f"{base.database}_{worker}").render_as_string(hide_password=False)
    ensure_database(own, via=url)
    return own


def reset_database(url: str) -> None:
    """Start from an empty database (PostgreSQL: the whole public schema)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class AppClient(FlaskClient):
    """A test client that posts forms the way a browser does: with the page's CSRF token."""

    def csrf_token(self, page: str = "/login") -> str:
        html = self.get(page, follow_redirects=True).get_data(as_text=True)
        match = CSRF_RE.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(
        self, url: str, data: dict[str, Any] | None = None, page: str | None = None, **kwargs: Any
    ) -> Any:
        token = self.csrf_token(page or "/login")
        return self.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)

    def login(self, email: str, password: str = PASSWORD) -> Any:
        return self.submit("/login", {"email": email, "password": password})

    def english(self) -> Any:
        """Switch this client's interface to English (for asserting on exact messages)."""
        return self.submit("/language", {"lang": "en", "next": "/login"})

    def logout(self) -> Any:
        return self.submit("/logout", page="/cases")


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = database_url(tmp_path_factory.mktemp("db"))
    reset_database(url)
    migrate.upgrade(url)
    application = create_app(TestConfig, DATABASE_URL=url)
    application.test_client_class = AppClient
    yield application
    with application.app_context():
        get_engine().dispose()


def _empty_postgresql(conn: Any, tables: list[str]) -> None:
    """Empty every table and restart every id at 1. TRUNCATE of fifty tables costs about a
    third of a second per test (it swaps files even for empty tables), which was minutes of the
    suite; DELETE with the triggers off (foreign keys and the audit log's append-only guard are
    triggers on PostgreSQL) is seven times faster. Needs a superuser, as CI's `postgres`;
    otherwise TRUNCATE as before."""
    try:
        with conn.begin_nested():
            conn.execute(text("SET LOCAL session_replication_role = replica"))
    except Exception:  # noqa: BLE001 - not allowed for this user: the slower, always-allowed way
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        return
    for name in tables:
        conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - our own names
    conn.execute(
        text(
            "SELECT setval(c.oid, 1, false) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
        )
    )


@pytest.fixture(autouse=True)
def clean_db(app: Flask) -> Iterator[None]:
    yield
    empty_database(app)


def empty_database(app: Flask) -> None:
    """Every table empty, every id back at 1."""
    with app.app_context():
        engine = get_engine()
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                _empty_postgresql(conn, tables)
            else:
                for name in tables:
                    conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - our own names


def last_audit_id(app: Flask) -> int:
    """The id of the newest audit row (0: none yet)."""
    from sqlalchemy import func, select

    from wijkteam.audit.models import AuditEvent
    from wijkteam.core.db import db

    with app.app_context():
        return db.scalar(select(func.max(AuditEvent.id))) or 0


def audit_rows_after(app: Flask, after: int) -> list[Any]:
    """The audit rows written after the row `after` (`last_audit_id`), oldest first: the order
    they were chained in (PostgreSQL returns rows in no order unless asked)."""
    from sqlalchemy import select

    from wijkteam.audit.models import AuditEvent
    from wijkteam.core.db import db

    with app.app_context():
        rows = list(
            db.scalars(select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id))
        )
        db.expunge_all()
        return rows


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


@pytest.fixture
def client(app: Flask) -> AppClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def other_client(app: Flask) -> AppClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture(scope="session")
def world_rows(app: Flask) -> tuple[Rows, dict[str, int]]:
    """The two teams and their people, built through the services once per session (worker)."""
    empty_database(app)
    ids = World(app).ids
    rows = Rows.take(app)
    empty_database(app)
    return rows, ids


@pytest.fixture
def world(app: Flask, world_rows: tuple[Rows, dict[str, int]]) -> World:
    """Team Noord and Team Zuid with their people (tests/factories/people.py): the rows of the
    session's build, put back for this test (the same ids, at a fraction of the cost)."""
    rows, ids = world_rows
    rows.restore(app)
    return World(app, ids)


@pytest.fixture(scope="session")
def town_rows(app: Flask, world_rows: tuple[Rows, dict[str, int]]) -> tuple[Rows, Town]:
    """Both teams' case files (tests/factories/town.py), built once per session (worker)."""
    base, ids = world_rows
    empty_database(app)
    base.restore(app)
    town = build_town(World(app, ids))
    rows = Rows.take(app, base=base)
    empty_database(app)
    return rows, town


@pytest.fixture
def town(world: World, town_rows: tuple[Rows, Town]) -> Town:
    """Both teams with a whole case file each, put back over `world` for this test."""
    rows, town = town_rows
    rows.restore(world.app)
    return town.copy(world)


@pytest.fixture
def plan_case(world: World) -> int:
    """A case of Team Noord led by pro.noord, with a parent (Lisa) and a child (Noah)."""
    return world.case(world.pro_noord, name="Bakker", members=lisa_and_noah("Bakker"))


ANALYST_EMAIL = "analyst@test.example"


@pytest.fixture
def analyst(world: World) -> int:
    """An analyst (no team): reads the outcomes of every team and nothing else (issue 20)."""
    from tests.factories.people import make_user
    from wijkteam.core.db import db

    with world.app.test_request_context():
        user_id = make_user(ANALYST_EMAIL, "analyst", None).id
        db.commit()
    return user_id
