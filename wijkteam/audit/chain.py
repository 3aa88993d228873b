"""Tamper evidence for the audit log: a hash chain over every row, in commit order.

Each audit row carries `chain_seq` (its place in the chain: 1, 2, 3, ... without gaps) and
`row_hash` = sha256(previous row's hash + a canonical serialisation of the row's content). The
one-row table `audit_chain_heads` holds the last place and hash. `verify` walks the chain:

- a row changed afterwards no longer matches its hash;
- a row deleted leaves a gap in chain_seq;
- the last rows deleted leave the head pointing past the end;
- a row added outside the app has no valid hash (or a place past the head).

Why commit order, and why at commit: several gunicorn workers write at once, and an id from a
sequence is handed out when a row is inserted, not when its transaction commits. So `record`
keeps a transaction's new rows aside (in `session.info`); just before the commit the hook below
flushes everything else, then locks the chain head (UPDATE ... RETURNING: a row lock on
PostgreSQL, the write lock on SQLite), numbers and hashes the rows, inserts them and moves the
head. The lock is held only for those few statements and the commit itself, never while a
service runs, and while holding it the transaction waits for no other lock (the users the rows
point at are locked FOR KEY SHARE before the head), so two transactions cannot deadlock on it.

The serialisation is part of the chain's contract (`CANON`): rows written years ago are checked
with it, so it must never change; a new format gets a new tag and both are kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Integer,
    Text,
    any_,
    bindparam,
    cast,
    column,
    event,
    exists,
    func,
    insert,
    select,
    table,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, SessionTransaction

from wijkteam.audit.models import AuditChainHead, AuditEvent
from wijkteam.core.db import SQLITE_SHA256

CANON = "wijkteam-audit-v1"
GENESIS = "0" * 64
HEAD_ID = 1
_PENDING = "wijkteam.audit.pending"

# The columns the hash covers, in this order (everything but row_hash itself).
CONTENT = (
    "chain_seq",
    "id",
    "at",
    "user_id",
    "case_id",
    "action",
    "object_type",
    "object_id",
    "fields",
    "detail",
    "ip",
)


class AuditChainError(RuntimeError):
    """The chain cannot be continued (its head is missing while rows exist)."""


# --- The hash -------------------------------------------------------------------------------


def _timestamp(value: datetime) -> str:
    if value.tzinfo is None:  # SQLite hands back naive UTC to code that bypasses UTCDateTime
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(values: dict[str, Any]) -> bytes:
    """The row's content as bytes that are the same on SQLite and PostgreSQL: a JSON array in
    CONTENT order, ASCII only (non-ASCII escaped), no spaces, UTC time in microseconds."""
    doc: list[Any] = [CANON]
    for name in CONTENT:
        value = values[name]
        if name == "at":
            value = _timestamp(value)
        elif name == "fields":
            value = list(value or [])
        doc.append(value)
    return json.dumps(doc, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def row_hash(previous: str, values: dict[str, Any]) -> str:
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical(values)).hexdigest()


def content_of(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in CONTENT}


# --- Writing: rows wait for the commit ------------------------------------------------------


def add_pending(session: Session, audit_event: AuditEvent) -> None:
    """Keep `audit_event` for this transaction's commit (see the module's docstring)."""
    transaction = session.get_nested_transaction()
    session.info.setdefault(_PENDING, []).append((audit_event, transaction))


def pending(session: Session) -> list[AuditEvent]:
    """The rows this session will add at its next commit."""
    return [row for row, _tx in session.info.get(_PENDING, [])]


def _inside(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """A rollback takes the rows recorded in it along (a savepoint: only those inside it)."""
    kept = session.info.get(_PENDING)
    if not kept:
        return
    if previous_transaction.nested:
        session.info[_PENDING] = [
            (row, tx) for row, tx in kept if not _inside(tx, previous_transaction)
        ]
    else:
        session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_transaction_end")
def _drop_at_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended (commit, rollback, close)
        session.info.pop(_PENDING, None)


@event.listens_for(Session, "before_commit")
def _chain_pending_rows(session: Session) -> None:
    kept = session.info.pop(_PENDING, None)
    if not kept:
        return
    rows = [row for row, _tx in kept]
    # Everything else first: no other row lock may be taken while the head is locked.
    session.flush()
    conn = session.connection()
    postgresql = conn.dialect.name == "postgresql"
    users = sorted({row.user_id for row in rows if row.user_id is not None})
    if len(rows) == 1:
        if postgresql and _chain_one(conn, rows[0], users):
            return
        if not postgresql and conn.connection.info.get(SQLITE_SHA256):
            if _chain_one_sqlite(conn, rows[0]):
                return
    seq, previous, ids = _lock_head(conn, len(rows), users)
    written = []
    for row, row_id in zip(rows, ids, strict=True):
        seq += 1
        row.id, row.chain_seq = row_id, seq
        row.row_hash = previous = row_hash(previous, content_of(row))
        written.append({name: getattr(row, name) for name in _COLUMNS})
    # The rows go in as plain rows (the ORM's unit of work for an append-only row cost as
    # much as the statements, issue 21); on PostgreSQL all of them together with the head's
    # move in one statement, whatever their number (a data-modifying WITH runs whether or not
    # the UPDATE reads from it).
    head = {"head_seq": seq, "head_hash": previous}
    if postgresql and len(written) == 1:  # a page view: the row's values as they are
        conn.execute(_ROW_WITH_THE_HEAD, {f"row_{k}": v for k, v in written[0].items()} | head)
    elif postgresql:
        columns = {f"rows_{name}": [entry[name] for entry in written] for name in _COLUMNS}
        columns["rows_fields"] = [json.dumps(list(entry["fields"] or [])) for entry in written]
        conn.execute(_ROWS_WITH_THE_HEAD, columns | head)
    else:
        conn.execute(insert(AuditEvent), written)
        conn.execute(_MOVE_HEAD, head)


_COLUMNS = (*CONTENT, "row_hash")
_MOVE_HEAD = (
    update(AuditChainHead)
    .where(AuditChainHead.id == HEAD_ID)
    .values(seq=bindparam("head_seq"), hash=bindparam("head_hash"))
)


def _rows_with_the_head() -> Any:
    """PostgreSQL: the rows inserted and the head moved in one statement, built once: one array
    per column (`rows_<column>`), unnested into rows. (A multi-row VALUES would be another
    statement for every number of rows, and not kept in SQLAlchemy's statement cache.)"""
    events = AuditEvent.__table__
    # `fields` (JSON, itself a list) goes as JSON text: a list of lists would be a 2-D array.
    arrays = [
        bindparam(f"rows_{name}", type_=ARRAY(Text if name == "fields" else events.c[name].type))
        for name in _COLUMNS
    ]
    rows = func.unnest(*arrays).table_valued(*_COLUMNS).render_derived(name="rows")
    values = [cast(rows.c.fields, JSON) if name == "fields" else rows.c[name] for name in _COLUMNS]
    written = insert(AuditEvent).from_select(list(_COLUMNS), select(*values))
    return _MOVE_HEAD.add_cte(written.cte("written"))


_ROWS_WITH_THE_HEAD = _rows_with_the_head()
# One row (most commits: a page view) as plain values, a little cheaper than arrays.
_ROW_WITH_THE_HEAD = _MOVE_HEAD.add_cte(
    insert(AuditEvent)
    .values(
        {
            name: bindparam(f"row_{name}", type_=AuditEvent.__table__.c[name].type)
            for name in _COLUMNS
        }
    )
    .cte("written")
)


def _after_place(values: dict[str, Any]) -> str:
    """The row's canonical serialisation after its place and id (CONTENT's first two):
    `canonical(values)` is `["<CANON>",<chain_seq>,<id>,` followed by this. JSON writes an
    integer as its digits, as PostgreSQL writes it as text."""
    doc = canonical(values | {"chain_seq": 0, "id": 0}).decode("ascii")
    if CONTENT[:2] != ("chain_seq", "id") or not doc.startswith(_BEFORE_THE_REST):
        raise AuditChainError("The serialisation no longer begins with the place and the id.")
    return doc[len(_BEFORE_THE_REST) :]


_OPENING = f'["{CANON}",'  # what the serialisation writes before the place
_BEFORE_THE_REST = _OPENING + "0,0,"  # ... and with place and id 0, before the rest
_REST = CONTENT[2:]  # the columns after the place and the id


def _chain_one(conn: Connection, row: AuditEvent, users: list[int]) -> bool:
    """PostgreSQL, one row (most commits: a page view): lock the head, chain the row and move
    the head in one statement, the hash worked out by the database (`_ONE_ROW_CHAINED`)
    instead of here between two statements (issue 21: an audited page a trip to the database
    less). Python serialises the row as always (`canonical`); the database only puts the
    previous hash, the place and the id in front of it, which `verify` checks as it checks
    every row. False if there is no head yet: the general path makes it."""
    params = {f"row_{name}": getattr(row, name) for name in _REST}
    found = conn.execute(
        _ONE_ROW_CHAINED, params | {"rest": _after_place(content_of(row)), "users": users}
    ).first()
    if found is None:
        return False
    row.id, row.chain_seq, row.row_hash = found.id, found.chain_seq, found.row_hash
    return True


def _chain_one_sqlite(conn: Connection, row: AuditEvent) -> bool:
    """SQLite, one row: the head's UPDATE takes the write lock, works out the row's place, id
    (after the last row: nobody else writes while we hold the lock) and hash (with the
    connection's `wijkteam_sha256`, core/db.py) and returns them; the row goes in with them.
    Two statements where the general path takes four (issue 21). False if there is no head
    yet: the general path makes it."""
    values = content_of(row)
    found = conn.execute(_HEAD_MOVED_SQLITE, {"rest": _after_place(values)}).first()
    if found is None:
        return False
    row.id, row.chain_seq, row.row_hash = int(found.id), int(found.seq), str(found.hash)
    conn.execute(insert(AuditEvent), [{name: getattr(row, name) for name in _COLUMNS}])
    return True


def _lock_head(conn: Connection, n: int, users: list[int]) -> tuple[int, str, list[int]]:
    """Lock the chain head; return the last place and hash, and ids for n new rows handed out
    under the lock (the id is part of the hash). UPDATE ... RETURNING locks on both databases
    (a plain SELECT would not take SQLite's write lock); on PostgreSQL the ids come with it,
    from RETURNING, which is worked out once the row is updated and so locked, and the users
    the rows refer to are locked first by the same statement (see _LOCK_HEAD_WITH_IDS)."""
    postgresql = conn.dialect.name == "postgresql"
    lock = _LOCK_HEAD_WITH_IDS if postgresql else _LOCK_HEAD
    params = {"n": n, "users": users} if postgresql else {}
    found = conn.execute(lock, params).first()
    if found is None:
        # Only an empty log has no head (the migration makes it; tests empty every table).
        if conn.execute(select(exists().where(AuditEvent.id.is_not(None)))).scalar():
            raise AuditChainError(
                "The audit chain head is missing while audit rows exist: run "
                "`flask audit-verify` and see docs/security.md."
            )
        insert_for = _insert_for(conn)
        conn.execute(
            insert_for(AuditChainHead)
            .values(id=HEAD_ID, seq=0, hash=GENESIS)
            .on_conflict_do_nothing(index_elements=["id"])
        )
        found = conn.execute(lock, params).first()
        if found is None:
            raise AuditChainError("The audit chain head could not be made.")
    if postgresql:
        ids = sorted(int(i) for i in tuple(found)[2])
    else:
        # SQLite: the head's lock is the database's write lock, so no one inserts meanwhile.
        last = conn.execute(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)).scalar()
        ids = list(range((last or 0) + 1, (last or 0) + 1 + n))
    return int(found.seq), str(found.hash), ids


# PostgreSQL: n ids from the table's sequence, as an array (`n` a bound parameter).
_NEXT_IDS = (
    select(func.array_agg(func.nextval(func.pg_get_serial_sequence("audit_events", "id"))))
    .select_from(func.generate_series(1, bindparam("n")))
    .scalar_subquery()
)


_LOCK_HEAD = (
    update(AuditChainHead)
    .where(AuditChainHead.id == HEAD_ID)
    .values(seq=AuditChainHead.seq)
    .returning(AuditChainHead.seq, AuditChainHead.hash)
)
# PostgreSQL: inserting a row that refers to a user takes a KEY SHARE lock on that user (the
# foreign key check). Those locks are taken first, so that whoever holds the head waits for
# nothing (a transaction that locked one of those users FOR UPDATE and then wants the head
# would otherwise deadlock with us). They used to be a statement of their own; now they are
# the head's statement's condition: an uncorrelated subquery is worked out once, before the
# row it filters is read, and so before that row is locked (issue 21: a trip to the database
# less on every audited request; tests/audit/test_chain.py holds the head free while we wait
# for a user).
_USERS = table("users", column("id"))
_USERS_LOCKED = (
    select(func.count())
    .select_from(
        select(_USERS.c.id)
        .where(_USERS.c.id == any_(bindparam("users", type_=ARRAY(Integer))))
        .with_for_update(read=True, key_share=True)
        .subquery()
    )
    .scalar_subquery()
)
_LOCK_HEAD_WITH_IDS = _LOCK_HEAD.where(_USERS_LOCKED >= 0).returning(_NEXT_IDS)


def _one_row_chained() -> Any:
    """PostgreSQL: one row chained in one statement. The head's UPDATE locks it (after the
    users, as `_LOCK_HEAD_WITH_IDS`), takes the row's id from the sequence and works out the
    row's hash from the head's previous hash and place, the id and the rest of the row's
    serialisation (`rest`, made by `canonical`): sha256 of `<previous hash>\\n["<CANON>",
    <place>,<id>,<rest>`, as `row_hash`. An UPDATE that had to wait for the lock works its new
    values out again on the row as the other transaction left it (PostgreSQL's READ COMMITTED),
    so the id too is taken under the lock, and `currval` is that id. The INSERT reads the
    head's new place, hash and the id from the UPDATE's RETURNING."""
    events = AuditEvent.__table__
    sequence = func.pg_get_serial_sequence("audit_events", "id")
    place = AuditChainHead.seq + 1
    content = func.concat(
        AuditChainHead.hash,
        "\n",
        _OPENING,
        place,
        ",",
        func.nextval(sequence),
        ",",
        bindparam("rest", type_=Text),
    )
    digest = func.encode(func.sha256(func.convert_to(content, "UTF8")), "hex")
    head = (
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID, _USERS_LOCKED >= 0)
        .values(seq=place, hash=digest)
        .returning(AuditChainHead.seq, AuditChainHead.hash, func.currval(sequence).label("id"))
        .cte("head")
    )
    row = [bindparam(f"row_{name}", type_=events.c[name].type) for name in _REST]
    return (
        insert(AuditEvent)
        .from_select(
            ["chain_seq", "id", "row_hash", *_REST],
            select(head.c.seq, head.c.id, head.c.hash, *row),
        )
        .returning(events.c.id, events.c.chain_seq, events.c.row_hash)
        .add_cte(head)
    )


_ONE_ROW_CHAINED = _one_row_chained()


def _head_moved_sqlite() -> Any:
    """SQLite: the head moved on by one row, its new hash worked out from its previous hash,
    the new place, the id after the last row and the rest of the row's serialisation (`rest`),
    as `_ONE_ROW_CHAINED` does on PostgreSQL; RETURNING gives the place, hash and id. The id's
    subquery reads audit_events, which this statement does not change, so the id in the hash
    and the one returned are the same."""
    place = AuditChainHead.seq + 1
    next_id = select(func.coalesce(func.max(AuditEvent.id), 0) + 1).scalar_subquery()
    content = (
        AuditChainHead.hash
        + "\n"
        + _OPENING
        + cast(place, Text)
        + ","
        + cast(next_id, Text)
        + ","
        + bindparam("rest", type_=Text)
    )
    return (
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .values(seq=place, hash=getattr(func, SQLITE_SHA256)(content, type_=Text))
        .returning(AuditChainHead.seq, AuditChainHead.hash, next_id.label("id"))
    )


_HEAD_MOVED_SQLITE = _head_moved_sqlite()


def _insert_for(conn: Connection) -> Any:
    insert: Any  # postgresql's or sqlite's, two types
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


# --- Checking ---------------------------------------------------------------------------------


@dataclass
class Verdict:
    rows: int = 0
    head_seq: int | None = None
    head_hash: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _walk(conn: Connection) -> Iterator[Any]:
    columns = [getattr(AuditEvent, name) for name in CONTENT]
    stmt = select(*columns, AuditEvent.row_hash).order_by(AuditEvent.chain_seq, AuditEvent.id)
    yield from conn.execution_options(yield_per=2000).execute(stmt)


def verify_connection(conn: Connection, anchors: Sequence[tuple[int, str]] = ()) -> Verdict:
    """Walk the chain in one snapshot of the database and report the first broken link."""
    verdict = Verdict()
    head = conn.execute(
        select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == HEAD_ID)
    ).first()
    head_seq = int(head.seq) if head is not None else 0
    verdict.head_seq = head_seq if head is not None else None
    verdict.head_hash = str(head.hash) if head is not None else None
    wanted = dict(anchors)
    expected, previous = 1, GENESIS
    for row in _walk(conn):
        verdict.rows += 1
        where = f"row {row.chain_seq} (id {row.id}, {_timestamp(row.at)}, {row.action})"
        if row.chain_seq is None or row.row_hash is None:
            verdict.problems.append(
                f"Audit row id {row.id} has no place in the chain: it was added outside the app."
            )
            return verdict
        if head is None:
            verdict.problems.append(
                "The chain head (audit_chain_heads) is missing while audit rows exist: it was "
                "deleted outside the app."
            )
            return verdict
        if row.chain_seq > head_seq:
            verdict.problems.append(
                f"Audit {where} lies past the chain head ({head_seq}): it was added outside "
                "the app, or the head was set back."
            )
            return verdict
        if row.chain_seq != expected:
            gap = (
                f"row {expected}"
                if row.chain_seq == expected + 1
                else f"rows {expected} to {row.chain_seq - 1}"
            )
            verdict.problems.append(
                f"Audit {gap} of the chain is missing (deleted outside the app): the chain "
                f"breaks before {where}."
            )
            return verdict
        if row.row_hash != row_hash(previous, content_of(row)):
            verdict.problems.append(
                f"Audit {where} does not match its hash: it was changed after it was written, "
                "or added outside the app."
            )
            return verdict
        if row.chain_seq in wanted and wanted.pop(row.chain_seq) != row.row_hash:
            verdict.problems.append(
                f"Audit {where} is not the row noted down earlier for that place: the chain was "
                "rewritten from there on."
            )
            return verdict
        previous = row.row_hash
        expected += 1
    last = expected - 1
    if head is not None and last != head_seq:
        gap = f"row {head_seq}" if last == head_seq - 1 else f"rows {last + 1} to {head_seq}"
        verdict.problems.append(
            f"The last audit {gap} of the chain is missing (deleted outside the app): the chain "
            f"head says {head_seq}, the log ends at {last}."
        )
    elif head is not None and previous != head.hash:
        verdict.problems.append(
            f"The chain head does not match the last audit row ({last}): the head or the last "
            "row was changed outside the app."
        )
    elif wanted:
        places = ", ".join(str(s) for s in sorted(wanted))
        verdict.problems.append(
            f"The chain has no row at {places}, noted down earlier: rows were removed or the "
            "chain was rewritten."
        )
    return verdict


def verify(engine: Engine, anchors: Sequence[tuple[int, str]] = ()) -> Verdict:
    """Check the whole chain, reading one consistent snapshot while the app keeps writing."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.execute(text("SET TRANSACTION READ ONLY"))
                return verify_connection(conn, anchors)
    with engine.connect() as conn:
        # pysqlite only begins a transaction before a write: begin one by hand so that all the
        # reads see one snapshot (WAL mode).
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("BEGIN")
        try:
            return verify_connection(conn, anchors)
        finally:
            conn.exec_driver_sql("ROLLBACK")


def parse_anchor(value: str) -> tuple[int, str]:
    """'SEQ:HASH', as `flask audit-verify` prints the chain head."""
    seq, _, digest = value.partition(":")
    digest = digest.strip().lower()
    if not seq.strip().isdecimal() or len(digest) != 64 or set(digest) - set("0123456789abcdef"):
        raise ValueError(f"{value!r} is not SEQ:HASH (a place in the chain and 64 hex digits)")
    return int(seq), digest


def anchors_from(values: Iterable[str]) -> list[tuple[int, str]]:
    return [parse_anchor(v) for v in values]
