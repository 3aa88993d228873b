"""Tamper evidence: every audit row is chained by hash in commit order; `flask audit-verify`
finds a row changed, deleted or added behind the app's back (plain SQL; on PostgreSQL past the
append-only trigger, as a superuser could)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import DateTime, bindparam, func, select, text

from tests.ops.support import age, make_case_file
from wijkteam import migrate
from wijkteam.audit import chain
from wijkteam.audit.models import AuditChainHead, AuditEvent
from wijkteam.audit.services import record
from wijkteam.auth.models import Team, User
from wijkteam.auth.services import create_team
from wijkteam.core.db import db, get_engine, utc_now


def verify(app, *args: str):
    return app.test_cli_runner().invoke(args=["audit-verify", *args])


def rows(app) -> list[AuditEvent]:
    with app.app_context():
        found = list(db.scalars(select(AuditEvent).order_by(AuditEvent.chain_seq)))
        db.expunge_all()
        return found


def head(app) -> tuple[int, str]:
    with app.app_context():
        found = db.get(AuditChainHead, chain.HEAD_ID)
        assert found is not None
        return found.seq, found.hash


@contextmanager
def behind_the_apps_back(app):
    """A transaction of plain SQL, with PostgreSQL's append-only trigger switched off for it
    (as a superuser can: session_replication_role = replica skips ordinary triggers)."""
    with app.app_context():
        engine = get_engine()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        yield conn


@pytest.fixture
def logged(app, world, client):
    """A log with some history: registrations, views, a refusal, a search."""
    case_id = world.case(world.pro_noord, name="Bakker")
    world.case(world.pro_noord, name="Jansen")
    client.login("pro.noord@test.example")
    client.get(f"/cases/{case_id}")
    client.get("/cases/999999")  # a refusal row, written after a rollback
    client.get("/search?q=bakker")
    client.logout()
    return case_id


def test_rows_are_chained_in_order_and_verify(app, logged):
    chained = rows(app)
    assert len(chained) >= 10
    assert [r.chain_seq for r in chained] == list(range(1, len(chained) + 1))
    previous = chain.GENESIS
    for row in chained:
        assert row.row_hash == chain.row_hash(previous, chain.content_of(row))
        previous = row.row_hash
    assert head(app) == (len(chained), previous)
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert f"{len(chained)} rows" in result.output
    assert f"{len(chained)}:{previous}" in result.output


def test_a_row_waits_for_the_commit_and_goes_with_a_rollback(app, world, ctx):
    user = db.get(User, world.pro_noord)
    count = select(func.count(AuditEvent.id))
    before = db.scalar(count)
    event = record(user, "case.view", case_id=42)
    assert chain.pending(db) == [event]
    db.flush()
    assert db.scalar(count) == before  # not before the commit
    db.rollback()
    assert chain.pending(db) == []
    db.commit()
    assert db.scalar(count) == before
    kept = record(user, "case.view", case_id=43)
    kept.detail = "changed before the commit is part of the row"
    db.commit()
    written = db.scalars(select(AuditEvent).where(AuditEvent.case_id.is_not(None))).all()
    assert [(r.case_id, r.detail, r.chain_seq) for r in written] == [
        (43, "changed before the commit is part of the row", before + 1)
    ]


@pytest.mark.parametrize("n", [1, 3, 5])
def test_a_commit_writes_its_rows_in_a_fixed_number_of_statements(app, world, ctx, n):
    """Issue 21: a commit's audit rows cost two statements on PostgreSQL whatever their
    number (the head's lock, which locks the rows' users first and hands out the ids; the rows
    inserted with the head's move), one for a single row (a page view: the database works out
    its hash); four on SQLite, two for a single row (the head's move works out its hash, then
    the row goes in). Every row is written whole, in order, with its fields; the chain
    verifies."""
    from tests.test_queries import count_queries

    user = db.get(User, world.pro_noord)
    record(user, "case.view", case_id=1)  # the chain's head exists
    db.commit()
    before = head(app)[0]
    for i in range(n):
        record(user, "case.view", case_id=100 + i, fields=["b", "a"], detail=f"bekeken {i}")
    with count_queries(app) as counted:
        db.commit()
    postgresql = db.get_bind().dialect.name == "postgresql"
    assert counted["n"] == ((1 if n == 1 else 2) if postgresql else (2 if n == 1 else 4)), counted
    written = [r for r in rows(app) if r.chain_seq > before]
    assert [(r.case_id, r.fields, r.detail, r.user_id) for r in written] == [
        (100 + i, ["a", "b"], f"bekeken {i}", user.id) for i in range(n)
    ]
    assert [r.chain_seq for r in written] == list(range(before + 1, before + n + 1))
    assert [r.id for r in written] == sorted(r.id for r in written)
    assert head(app) == (before + n, written[-1].row_hash)
    result = verify(app)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "detail",
    ['Zoë en "Ömer" bekeken\nop één \\ scherm ✓', "", "x" * 500],
)
@pytest.mark.parametrize("who", ["user", "nobody"])
def test_a_single_row_is_hashed_as_the_chain_says(app, world, ctx, detail, who):
    """A commit with one audit row (the database works out its hash from the previous hash,
    the place, the id and the rest of the row as Python serialised it; on SQLite with the
    connection's own sha256 function, core/db.py): the hash is the one `row_hash` gives for
    the row as it was read back, whatever the row holds (non-ASCII, quotes, a backslash, a
    newline, no user, no case), the row in memory holds what was written, and the chain
    verifies."""
    user = db.get(User, world.pro_noord) if who == "user" else None
    record(user, "case.view", case_id=1)  # the head exists and holds a hash
    db.commit()
    before_seq, before_hash = head(app)
    event = record(user, "case.view", case_id=None, fields=["ü", "a"], detail=detail)
    db.commit()
    (written,) = [r for r in rows(app) if r.chain_seq > before_seq]
    assert (written.id, written.chain_seq, written.row_hash) == (
        event.id,
        event.chain_seq,
        event.row_hash,
    )
    assert written.chain_seq == before_seq + 1
    assert (written.detail, written.fields, written.user_id) == (
        detail,
        ["a", "ü"],
        user.id if user else None,
    )
    assert written.row_hash == chain.row_hash(before_hash, chain.content_of(written))
    assert head(app) == (before_seq + 1, written.row_hash)
    result = verify(app)
    assert result.exit_code == 0, result.output


def test_a_sqlite_connection_without_the_hash_function_chains_a_row_as_before(app, world, ctx):
    """A connection that did not get `wijkteam_sha256` (an engine not made by make_engine)
    chains a single row the general way: four statements, the same chain."""
    from tests.test_queries import count_queries
    from wijkteam.core.db import SQLITE_SHA256

    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("the hash function is SQLite's; PostgreSQL has sha256")
    user = db.get(User, world.pro_noord)
    record(user, "case.view", case_id=1)
    db.commit()
    before_seq, before_hash = head(app)
    info = db.connection().connection.info
    assert info.pop(SQLITE_SHA256) is True
    try:
        record(user, "case.view", case_id=2, detail="zonder functie")
        with count_queries(app) as counted:
            db.commit()
    finally:
        info[SQLITE_SHA256] = True  # the pool record's own, whichever connection is next
    assert counted["n"] == 4
    (written,) = [r for r in rows(app) if r.chain_seq > before_seq]
    assert written.row_hash == chain.row_hash(before_hash, chain.content_of(written))
    assert verify(app).exit_code == 0


def test_a_savepoint_rolled_back_takes_only_its_own_rows(app, world, ctx):
    user = db.get(User, world.pro_noord)
    record(user, "outer")
    savepoint = db.begin_nested()
    record(user, "inner")
    savepoint.rollback()
    db.commit()
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id)).all()
    assert actions == ["outer"]


def test_a_changed_row_is_reported(app, logged):
    with behind_the_apps_back(app) as conn:
        conn.execute(text("UPDATE audit_events SET detail = 'nothing to see' WHERE chain_seq = 3"))
    result = verify(app)
    assert result.exit_code == 1
    assert "row 3 " in result.output and "does not match its hash" in result.output


def test_a_changed_time_or_user_is_reported(app, logged, world):
    with behind_the_apps_back(app) as conn:
        conn.execute(
            text("UPDATE audit_events SET user_id = :u WHERE chain_seq = 5"),
            {"u": world.lead_noord},
        )
    assert "row 5 " in verify(app).output


def test_a_deleted_row_is_reported_as_a_gap(app, logged):
    with behind_the_apps_back(app) as conn:
        conn.execute(text("DELETE FROM audit_events WHERE chain_seq = 4"))
    result = verify(app)
    assert result.exit_code == 1
    assert "row 4 of the chain is missing" in result.output


def test_deleting_the_last_rows_is_reported(app, logged):
    last, _hash = head(app)
    with behind_the_apps_back(app) as conn:
        conn.execute(text("DELETE FROM audit_events WHERE chain_seq > :n"), {"n": last - 2})
    result = verify(app)
    assert result.exit_code == 1
    assert f"rows {last - 1} to {last} of the chain is missing" in result.output


def test_a_row_added_behind_the_apps_back_is_reported(app, logged, world):
    last, last_hash = head(app)
    with behind_the_apps_back(app) as conn:
        # A forger who knows the format but the head is not moved on.
        values = {
            "chain_seq": last + 1,
            "id": 999_999,
            "at": datetime(2026, 11, 30, 12, tzinfo=UTC),
            "user_id": world.pro_zuid,
            "case_id": None,
            "action": "auth.login",
            "object_type": "",
            "object_id": None,
            "fields": [],
            "detail": "",
            "ip": "10.0.0.1",
        }
        conn.execute(
            AuditEvent.__table__.insert().values(
                **values, row_hash=chain.row_hash(last_hash, values)
            )
        )
    result = verify(app)
    assert result.exit_code == 1
    assert f"row {last + 1} " in result.output and "past the chain head" in result.output


def test_a_row_slipped_in_with_a_made_up_hash_is_reported(app, logged, world):
    with behind_the_apps_back(app) as conn:
        conn.execute(text("DELETE FROM audit_events WHERE chain_seq = 2"))
        conn.execute(
            text(
                "INSERT INTO audit_events (id, at, user_id, action, object_type, fields, detail, "
                "ip, chain_seq, row_hash) VALUES (999999, :at, :u, 'case.view', '', '[]', '', '', "
                "2, :h)"
            ),
            {"at": datetime(2026, 11, 30, tzinfo=UTC), "u": world.pro_zuid, "h": "a" * 64},
        )
    result = verify(app)
    assert result.exit_code == 1
    assert "row 2 " in result.output and "does not match its hash" in result.output


def test_a_changed_or_missing_head_is_reported(app, logged):
    with behind_the_apps_back(app) as conn:
        conn.execute(text("UPDATE audit_chain_heads SET hash = :h"), {"h": "b" * 64})
    assert "chain head does not match" in verify(app).output
    with behind_the_apps_back(app) as conn:
        conn.execute(text("DELETE FROM audit_chain_heads"))
    result = verify(app)
    assert result.exit_code == 1
    assert "chain head (audit_chain_heads) is missing" in result.output


def test_the_app_refuses_to_continue_a_chain_whose_head_was_deleted(app, logged, ctx):
    with behind_the_apps_back(app) as conn:
        conn.execute(text("DELETE FROM audit_chain_heads"))
    record(None, "case.view", case_id=1)
    with pytest.raises(chain.AuditChainError, match="head is missing"):
        db.commit()
    db.rollback()


def test_a_rewritten_tail_is_caught_by_a_noted_head(app, logged, world, client):
    """Whoever can write to the database and knows the format can recompute the hashes from
    a changed row on: the chain alone cannot tell. A head noted down elsewhere can."""
    noted_seq, noted_hash = head(app)
    client.login("pro.noord@test.example")
    client.get(f"/cases/{logged}")
    assert verify(app, "--anchor", f"{noted_seq}:{noted_hash}").exit_code == 0
    with behind_the_apps_back(app) as conn:
        conn.execute(text("UPDATE audit_events SET detail = 'rewritten' WHERE chain_seq = 2"))
        table = AuditEvent.__table__
        everything = conn.execute(select(table).order_by(table.c.chain_seq)).all()
        previous = everything[0].row_hash
        for row in everything[1:]:
            previous = chain.row_hash(previous, chain.content_of(row))
            conn.execute(
                text("UPDATE audit_events SET row_hash = :h WHERE id = :id"),
                {"h": previous, "id": row.id},
            )
        conn.execute(text("UPDATE audit_chain_heads SET hash = :h"), {"h": previous})
    assert verify(app).exit_code == 0  # the limit of a chain without a secret
    result = verify(app, "--anchor", f"{noted_seq}:{noted_hash}")
    assert result.exit_code == 1
    assert f"row {noted_seq} " in result.output and "noted down earlier" in result.output
    assert verify(app, "--anchor", "12:nothex").exit_code == 2


def test_an_empty_log_verifies(app):
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "empty" in result.output


def test_concurrent_writers_chain_in_commit_order(app, world):
    """Eight threads, each with its own session (and connection), write audit rows at the same
    time: some only audit rows, some after changing other rows first (a flush before the
    audit row and after it), the way views and services do. No deadlock, no lost row, and the
    chain verifies. (On PostgreSQL: real concurrent transactions; on SQLite they take turns.)"""
    n_threads, per_thread = 8, 6
    barrier = threading.Barrier(n_threads)
    errors: list[str] = []
    with app.test_request_context():
        teams = [create_team(None, name=f"Team {n}").id for n in range(n_threads)]
        db.commit()

    def writer(number: int) -> None:
        with app.test_request_context():
            try:
                user = db.get(User, world.pro_noord if number % 2 else world.pro2_noord)
                team = db.get(Team, teams[number])
                barrier.wait()
                for i in range(per_thread):
                    if (number + i) % 3 == 0:
                        # A service: a change flushed, an audit row, another change, commit.
                        team.area = f"Wijk {number}-{i}"
                        db.flush()
                        record(user, "team.update", obj=team, fields=["area"])
                        record(user, "case.view", case_id=number, detail=f"{number}-{i}-b")
                        team.name = f"Team {number}-{i}"
                        db.flush()
                    else:
                        record(user, "case.view", case_id=number, detail=f"{number}-{i}")
                    db.commit()
            except Exception as error:  # noqa: BLE001 - reported below, the test fails
                db.rollback()
                errors.append(f"{number}: {error!r}")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    written = [r for r in rows(app) if r.action in ("case.view", "team.update")]
    expected = sum(
        2 if (n + i) % 3 == 0 else 1 for n in range(n_threads) for i in range(per_thread)
    )
    assert len(written) == expected
    result = verify(app)
    assert result.exit_code == 0, result.output
    everything = rows(app)
    assert [r.chain_seq for r in everything] == list(range(1, len(everything) + 1))
    # Ids are handed out under the head's lock too: they follow the chain.
    assert [r.id for r in everything] == sorted(r.id for r in everything)


def test_the_head_is_free_while_a_writer_waits_for_its_user(app, world, ctx):
    """PostgreSQL: writing an audit row locks the user it refers to (the foreign key check)
    before the chain's head, in the head's own statement. Someone holds that user FOR UPDATE
    (as deleting or re-keying the user would), so our commit waits: while it waits, the head
    must be free for everyone else (holding it while waiting for a user lets the holder of
    the user, wanting the head, deadlock with us). Then the user is let go and the row goes
    in, in its place in the chain."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite writes one transaction at a time")
    user = db.get(User, world.pro2_noord)
    record(user, "case.view", case_id=1)  # the chain's head exists
    db.commit()
    before = head(app)[0]
    engine = get_engine()
    errors: list[str] = []

    def writer() -> None:
        with app.test_request_context():
            try:
                record(db.get(User, world.pro2_noord), "case.view", case_id=2, detail="waits")
                db.commit()
            except Exception as error:  # noqa: BLE001 - reported below, the test fails
                db.rollback()
                errors.append(repr(error))

    with engine.connect() as holder:
        holder.execute(
            text("SELECT 1 FROM users WHERE id = :id FOR UPDATE"), {"id": world.pro2_noord}
        )
        thread = threading.Thread(target=writer)
        thread.start()
        waiting = 0
        for _ in range(200):  # up to 10 s for the writer to be waiting for a lock
            # (pg_stat_activity is read once per transaction unless its snapshot is cleared)
            holder.execute(text("SELECT pg_stat_clear_snapshot()"))
            waiting = holder.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
            ).scalar()
            if waiting:
                break
            threading.Event().wait(0.05)
        assert waiting == 1, (errors, thread.is_alive())
        with engine.connect() as other:
            # NOWAIT: an error here if the waiting writer held the head.
            taken = other.execute(
                text("SELECT seq FROM audit_chain_heads WHERE id = :id FOR UPDATE NOWAIT"),
                {"id": chain.HEAD_ID},
            ).scalar()
            other.rollback()
        assert taken == before
        holder.rollback()  # the user is let go: the writer goes on
    thread.join(timeout=10)
    assert not thread.is_alive() and not errors, errors
    assert [r.detail for r in rows(app) if r.chain_seq > before] == ["waits"]
    result = verify(app)
    assert result.exit_code == 0, result.output


def test_existing_rows_are_chained_by_the_migration(app):
    """Rows written before the chain existed are chained by the migration, with the same hash
    as the app's (the migration keeps a frozen copy of it)."""
    url = app.config["DATABASE_URL"]
    with app.app_context():
        get_engine().dispose()
    migrate.downgrade(url, "a2c0ffee0002")
    try:
        with app.app_context(), get_engine().begin() as conn:
            for i, detail in enumerate(["zoek: fiets", "caf\u00e9 \u00e9\u00e9n \U0001f600", ""]):
                conn.execute(
                    text(
                        "INSERT INTO audit_events (at, action, object_type, fields, detail, ip) "
                        "VALUES (:at, :action, 'Case', :fields, :detail, '127.0.0.1')"
                    ).bindparams(bindparam("at", type_=DateTime(timezone=True))),
                    {
                        "at": datetime(2026, 1, 2, 3, 4, 5, 6 + i, tzinfo=UTC),
                        "action": "search",
                        "fields": '["a", "b"]',
                        "detail": detail,
                    },
                )
    finally:
        with app.app_context():
            get_engine().dispose()
        migrate.upgrade(url, "head")
    chained = rows(app)
    assert [r.chain_seq for r in chained] == [1, 2, 3]
    result = verify(app)
    assert result.exit_code == 0, result.output
    with app.test_request_context():
        record(None, "case.view", case_id=7)
        db.commit()
    assert verify(app).exit_code == 0
    assert rows(app)[-1].chain_seq == 4


def test_the_chain_holds_through_a_purge_a_backup_and_a_restore(app, logged, client, tmp_path):
    """The retention purge deletes case files but keeps (and adds to) the audit log; a backup
    and restore bring back the log and its head together."""
    since, long_ago = utc_now(), datetime(2001, 3, 1, tzinfo=UTC)
    make_case_file(app, long_ago)
    age(app, long_ago, since)
    cli = app.test_cli_runner()
    purged = cli.invoke(args=["purge-closed-cases", "--apply"])
    assert purged.exit_code == 0, purged.output
    assert "Removed 1 case(s)" in purged.output
    assert verify(app).exit_code == 0

    at_backup = head(app)
    made = cli.invoke(args=["backup", str(tmp_path / "backup")])
    assert made.exit_code == 0, made.output
    client.login("pro.noord@test.example")
    client.get(f"/cases/{logged}")
    assert head(app) != at_backup
    restored = cli.invoke(args=["restore", "--force", str(tmp_path / "backup")])
    assert restored.exit_code == 0, restored.output
    assert head(app) == at_backup
    result = verify(app)
    assert result.exit_code == 0, result.output
    client.login("pro.noord@test.example")  # the session was made after the backup
    client.get(f"/cases/{logged}")  # the restored log goes on from its head
    assert head(app)[0] > at_backup[0]
    assert verify(app).exit_code == 0
