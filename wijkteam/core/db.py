"""Engine and session set-up, the declarative Base with a naming convention, and mixins."""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import (
    DateTime,
    Integer,
    MetaData,
    create_engine,
    event,
    literal_column,
    make_url,
    text,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    ONETOMANY,
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    sessionmaker,
)
from sqlalchemy.orm.util import identity_key
from sqlalchemy.types import TypeDecorator
from werkzeug.local import LocalProxy

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always handed back timezone-aware (SQLite forgets tz)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class IntEnumType(TypeDecorator[enum.IntEnum]):
    """An IntEnum stored as its number (SQLAlchemy's default Enum would store the name)."""

    impl = Integer
    cache_ok = True

    def __init__(self, enum_cls: type[enum.IntEnum]) -> None:
        super().__init__()
        self.enum_cls = enum_cls

    def process_bind_param(self, value: int | None, dialect: Any) -> int | None:
        return None if value is None else int(self.enum_cls(value))

    def process_result_value(self, value: int | None, dialect: Any) -> enum.IntEnum | None:
        return None if value is None else self.enum_cls(value)


class AppendOnly:
    """Rows of these models are written once: the app never updates or deletes them."""


class AppendOnlyViolation(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _forbid_append_only_changes(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AppendOnly) and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnlyViolation(f"{type(obj).__name__} rows cannot be changed or deleted")


@dataclass(frozen=True)
class _ParentList:
    """A one-to-many list of a parent model that holds rows of a child model: the list's
    name, the parent's class and, per column of the parent's primary key, the child's
    attribute that holds it."""

    parent: type[Any]
    key: str
    child_attrs: tuple[str, ...]


_PARENT_LISTS: dict[type[Any], tuple[_ParentList, ...]] = {}  # by the child model


def _parent_lists(child: type[Any]) -> tuple[_ParentList, ...]:
    kept = _PARENT_LISTS.get(child)
    if kept is not None:
        return kept
    found = []
    child_mapper = sa_inspect(child)
    for mapper in Base.registry.mappers:
        for rel in mapper.relationships:
            if rel.direction is not ONETOMANY or not issubclass(child, rel.mapper.class_):
                continue
            pairs = dict(rel.local_remote_pairs)
            primary_key = list(mapper.primary_key)
            if set(pairs) != set(primary_key):
                continue  # a list not keyed by the parent's own id: not looked up here
            attrs = tuple(child_mapper.get_property_by_column(pairs[c]).key for c in primary_key)
            found.append(_ParentList(mapper.class_, rel.key, attrs))
    _PARENT_LISTS[child] = tuple(found)
    return _PARENT_LISTS[child]


@event.listens_for(Session, "after_flush")
def _expire_lists_of_new_rows_parents(session: Session, _ctx: Any) -> None:
    """A row added by its parent's id (`Action(goal_id=goal.id)`, as the services do) does
    not show in the parent's list when that list was already loaded in this session: a
    service that added an action and then read the plan's actions in the same session
    missed it (issue 21, found when the plan's goals stayed in memory longer). After each
    flush, every loaded list of a parent in this session that a new row belongs to is
    expired, so that it is read again when next used. Lists of parents not in the session,
    or not loaded, cost nothing."""
    for obj in session.new:
        for parent_list in _parent_lists(type(obj)):
            ident = tuple(getattr(obj, attr) for attr in parent_list.child_attrs)
            if None in ident:
                continue
            parent = session.identity_map.get(identity_key(parent_list.parent, ident))
            if parent is not None and parent_list.key not in sa_inspect(parent).unloaded:
                session.expire(parent, [parent_list.key])


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class VersionedMixin:
    """Optimistic locking: every UPDATE checks and bumps `version` (see services.check_version)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy declared_attr
        return {"version_id_col": cls.version}


PLAN_CACHE_MODES = ("auto", "force_generic_plan", "force_custom_plan")


def make_engine(
    url: str, *, prepared_statements: bool = False, plan_cache_mode: str = "auto"
) -> Engine:
    """An engine for `url`. `prepared_statements` (the app's engine on PostgreSQL): psycopg
    prepares a statement on the server once a connection has run it five times, and the
    prepared statements outlive the end of each request's transaction (see
    `_keep_prepared_statements`). Off: psycopg never prepares (PgBouncer in transaction mode).
    `plan_cache_mode`: PostgreSQL's setting for each connection. With `auto` (PostgreSQL's
    default) it kept planning our joined loads anew at every run of a prepared statement (a
    custom plan: 3-5 ms) where the generic plan takes 0.3 ms; the app sets
    `force_generic_plan` (docs/deploy.md, docs/performance.md)."""
    if plan_cache_mode not in PLAN_CACHE_MODES:
        raise ValueError(f"plan_cache_mode must be one of {', '.join(PLAN_CACHE_MODES)}")
    kwargs: dict[str, Any] = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
        if not prepared_statements and url.startswith("postgresql+psycopg"):
            kwargs["connect_args"] = {"prepare_threshold": None}
    engine = create_engine(url, **kwargs)
    if engine.dialect.driver == "psycopg":
        keep_long_statements_converted()
    if prepared_statements and engine.dialect.name == "postgresql":
        _keep_prepared_statements(engine)
    if plan_cache_mode != "auto" and engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _plan_cache_mode(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"SET plan_cache_mode = {plan_cache_mode}")  # one of three names
            cursor.close()
            dbapi_connection.commit()  # a SET inside a transaction ends with it

    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
            dbapi_connection.create_function(SQLITE_SHA256, 1, _sha256_hex, deterministic=True)
            record.info[SQLITE_SHA256] = True

    return engine


# psycopg turns a statement's placeholders (%(name)s) into PostgreSQL's ($1, $2, ...) with a
# regular expression, and keeps what it made (a cache of the last 128 statements, for the
# whole process) only for statements of at most 4,096 bytes and 50 parameters: a longer one is
# worked out again at every run. The app builds its statements once, so their texts are few
# and never change, and its longest are its busiest pages': the dashboard's lists in one
# (14 KB, 0.17 ms to convert at every request) and the outcome overview's (25 KB with 279
# parameters, 1.3 ms). Kept up to these sizes (issue 21, docs/performance.md); the cache
# stays bounded by its 128 statements.
KEPT_STATEMENT_BYTES = 32_768
KEPT_STATEMENT_PARAMS = 512


def keep_long_statements_converted() -> None:
    """Let psycopg keep its conversion of statements up to KEPT_STATEMENT_BYTES and
    KEPT_STATEMENT_PARAMS (its own limits, 4,096 and 50, are module constants it reads at
    every run; psycopg is pinned, and tests/ops/test_prepared_statements.py checks that the
    cache is used)."""
    from psycopg import _queries

    _queries.MAX_CACHED_STATEMENT_LENGTH = max(
        _queries.MAX_CACHED_STATEMENT_LENGTH, KEPT_STATEMENT_BYTES
    )
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(
        _queries.MAX_CACHED_STATEMENT_PARAMS, KEPT_STATEMENT_PARAMS
    )


# SQLite: sha256 of a text (UTF-8) as 64 hex digits, as PostgreSQL's
# encode(sha256(convert_to(text, 'UTF8')), 'hex'): the audit chain hashes a row in the
# statement that locks its head (wijkteam/audit/chain.py). A connection that has it says so
# in its pool record's `info`.
SQLITE_SHA256 = "wijkteam_sha256"


def ensure_database(url: str, *, via: str | None = None) -> None:
    """Make the PostgreSQL database of `url` if it does not exist yet, connected through `via`
    (another database on the same server; by default its `postgres` database). For the test
    suite's database per worker and the benches' second database; nothing for SQLite, whose
    file is made when first opened."""
    target = make_url(url)
    if target.get_backend_name() != "postgresql":
        return
    server = via or target.set(database="postgres").render_as_string(hide_password=False)
    engine = make_engine(server)
    try:
        with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            ).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        engine.dispose()


def _sha256_hex(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def _keep_prepared_statements(engine: Engine) -> None:
    """Let psycopg's prepared statements live as long as the connection.

    Planning a statement costs PostgreSQL more than running it for most of our queries (a
    joined load of a case with its family and people: 3-6 ms to plan, under 0.5 ms to run).
    psycopg prepares a statement once a connection has run it five times, so that it is planned
    once; but its rollback() deallocates every prepared statement of the connection (in case
    the transaction changed the schema), and every request ends with a rollback (the session is
    closed; reading pages commits nothing after the audit entry). So nothing was ever prepared.

    Here the rollback of an ordinary transaction is sent as a plain ROLLBACK, which leaves the
    prepared statements in place. Nothing at run time changes the schema (migrations run
    separately, `flask db upgrade`); should a DROP or ALTER run anyway, psycopg still sees it
    and deallocates. Anything out of the ordinary (a pipeline, two-phase commit, a broken or
    busy connection) takes psycopg's own rollback, which raises errors the usual way."""
    from psycopg import pq

    usual = (pq.TransactionStatus.INTRANS, pq.TransactionStatus.INERROR)
    plain_rollback = engine.dialect.do_rollback

    def do_rollback(dbapi_connection: Any) -> None:
        pgconn = dbapi_connection.pgconn
        status = pgconn.transaction_status
        if status == pq.TransactionStatus.IDLE:
            return
        if status in usual and not dbapi_connection._pipeline and not dbapi_connection._tpc:  # noqa: SLF001 - psycopg's own checks
            result = pgconn.exec_(b"ROLLBACK")
            if result.status == pq.ExecStatus.COMMAND_OK:
                return
        plain_rollback(dbapi_connection)

    engine.dialect.do_rollback = do_rollback  # type: ignore[method-assign]


def update_statistics(engine: Engine) -> str:
    """The query planner's statistics brought up to date, so that it chooses indexes by
    numbers instead of guesses (docs/performance.md, finding 3). SQLite never does this by
    itself: ANALYZE, with `analysis_limit` so that it reads a sample of each index (a few
    hundred milliseconds at 10,000 families). PostgreSQL's autovacuum does it: nothing to do.
    Run by the job worker every night, after `flask seed` and by `flask analyze`."""
    if engine.dialect.name != "sqlite":
        return f"{engine.dialect.name}: statistics are kept by autovacuum"
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
        tables = conn.exec_driver_sql("SELECT count(DISTINCT tbl) FROM sqlite_stat1").scalar()
    return f"sqlite: statistics of {tables} tables updated"


def init_app(app: Flask) -> None:
    engine = make_engine(
        app.config["DATABASE_URL"],
        prepared_statements=app.config["DB_PREPARED_STATEMENTS"],
        plan_cache_mode=app.config["DB_PLAN_CACHE_MODE"],
    )
    app.extensions["wijkteam.engine"] = engine
    app.extensions["wijkteam.sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_engine() -> Engine:
    return current_app.extensions["wijkteam.engine"]


def get_session() -> Session:
    """The session of the current app context (one per request, closed at teardown)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["wijkteam.sessionmaker"]()
    return g.db_session


db: Session = LocalProxy(get_session)  # type: ignore[assignment]


def plain_rows(statement: Any, params: dict[str, Any]) -> Any:
    """The rows of a statement without ORM entities, through the session's connection (no ORM
    result machinery: issue 21). A connection does not flush the session first as the
    session's own execute does: flushed here, so that a change made earlier in the transaction
    is seen."""
    db.flush()
    return db.connection().execute(statement, params)


_PLAIN_VALUE = re.compile(r"[a-z0-9_]+")


def one_of(column: Any, values: Iterable[Any]) -> Any:
    """`column IN ('a', 'b')` with fixed values written into the statement's text, for a
    statement built once (issue 21): `column.in_(values)` makes an expanding parameter, for
    which SQLAlchemy rewrites the statement's text at every run, and PostgreSQL's generic plan
    of a prepared statement knows the values only when they are in the text. Only plain
    values (an enumeration's members or strings of a-z, 0-9 and _) are written in."""
    texts = [value.value if isinstance(value, enum.Enum) else value for value in values]
    for value in texts:
        if not isinstance(value, str) or not _PLAIN_VALUE.fullmatch(value):
            raise ValueError(f"not a plain value to write into a statement: {value!r}")
    return column.in_([literal_column(f"'{value}'", column.type) for value in texts])
