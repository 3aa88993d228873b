"""Retention: closed case files go 20 years after their last change; nothing else does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select, text, update

from tests.ops.support import age, exists, make_case_file, snapshot, tables_hanging_off
from wijkteam.audit.history import Revision
from wijkteam.audit.models import AuditEvent
from wijkteam.audit.services import record
from wijkteam.auth.models import User
from wijkteam.cases.models import Case, CaseStatus, CloseReason, Family, FamilyMember
from wijkteam.cases.services import close_case, open_new_case, update_member
from wijkteam.core import clock
from wijkteam.core.db import Base, db, get_engine, utc_now
from wijkteam.ops import retention
from wijkteam.ops.retention import RETENTION_YEARS, years_before


def moments():
    now = utc_now()
    return {
        "past": years_before(now, RETENTION_YEARS) - timedelta(days=1),
        "nineteen": years_before(now, RETENTION_YEARS - 1),
        "ancient": years_before(now, 30),
    }


def purge(app, *args):
    result = app.test_cli_runner().invoke(args=["purge-closed-cases", *args])
    assert result.exit_code == 0, result.output
    return result.output


def audit_rows(app, case_id):
    with app.app_context():
        return db.scalars(
            select(AuditEvent.action).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)
        ).all()


def close(app, world, case_id, moment, since):
    """Close through the service (audit row, history), then move everything written since
    `since` (the case was made) back to `moment`."""
    with app.test_request_context():
        case = db.get(Case, case_id)
        close_case(
            db.get(User, world.pro_noord),
            case,
            expected_version=case.version,
            reason=CloseReason.GOALS_REACHED,
            closed_on=case.opened_on,
            note="",
        )
        db.commit()
    age(app, moment, since)
    with app.app_context():
        db.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(opened_on=moment.date(), closed_on=moment.date(), updated_at=moment)
        )
        db.commit()


def test_every_table_that_hangs_off_a_case_is_purged(app, world):
    """A row in EVERY table with a foreign-key chain to cases or families (also tables added
    later, found from Base.metadata): all of the purged file goes, none of the others."""
    at = moments()
    files = {}
    for name, moment in at.items():
        since = utc_now()
        files[name] = make_case_file(app, moment)
        age(app, moment, since)
    open_case = files["ancient"]["cases"]["id"]
    old_case = files["past"]["cases"]["id"]
    old_member = files["past"]["family_members"]["id"]
    with app.app_context():
        db.execute(
            update(Case)
            .where(Case.id == open_case)
            .values(status=CaseStatus.ACTIVE, closed_on=None)
        )
        # History found by table name and row id only (no case id on it).
        revision = Revision(
            table_name="family_members", row_id=old_member, changed_at=at["past"], old={}
        )
        db.add(revision)
        # Reading the file today must not keep it alive.
        record(None, "case.view", case_id=old_case)
        db.commit()
        # This row's own id: another table's history can have a row with the same row id (a
        # kept file's), which a search by row id alone found first on PostgreSQL now and then.
        history = revision.id
    trail = audit_rows(app, old_case)

    before = snapshot(app)
    dry = purge(app)
    assert f"Case {old_case} " in dry
    assert f"Family {files['past']['families']['id']}: no case left, removed too" in dry
    assert "Dry run: nothing was removed" in dry
    for name in ("nineteen", "ancient"):
        assert f"Case {files[name]['cases']['id']} " not in dry
    assert snapshot(app) == before

    purge(app, "--apply")
    left_behind = [table for table, row in files["past"].items() if exists(app, table, row)]
    assert left_behind == []
    with app.app_context():
        assert db.get(Revision, history) is None
    for name in ("nineteen", "ancient"):
        gone = [table for table, row in files[name].items() if not exists(app, table, row)]
        assert gone == [], name
    # The audit trail stays, with one row saying what was removed.
    assert audit_rows(app, old_case) == [*trail, "case.purge"]
    with app.app_context():
        purge_row = db.scalar(select(AuditEvent).where(AuditEvent.action == "case.purge"))
        assert purge_row.object_type == "Case" and purge_row.object_id == old_case
        assert "cases:1" in purge_row.fields and "families:1" not in purge_row.fields
        family_row = db.scalar(select(AuditEvent).where(AuditEvent.action == "family.purge"))
        assert family_row.object_id == files["past"]["families"]["id"]
        assert "families:1" in family_row.fields
    assert "Nothing is due." in purge(app)


def test_the_generic_case_file_really_covers_every_table(app):
    """Guards the test above: a table added later that hangs off cases gets a row there."""
    names = {t.name for t in tables_hanging_off("families", "cases")}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            if fk.referred_table.name in {"cases", "families"} and table.name != "audit_events":
                assert table.name in names
    assert {"notes", "note_parts", "ladder_entries", "revisions", "actions"} <= names


def test_boundaries_through_the_services(app, world):
    """Closed 20 years and a day ago: purged. Closed 19 years ago: kept. Open: never purged."""
    at = moments()
    since = utc_now()
    old = world.case(world.pro_noord, name="Oud")
    close(app, world, old, at["past"], since)
    since = utc_now()
    recent = world.case(world.pro_noord, name="Recent")
    close(app, world, recent, at["nineteen"], since)
    since = utc_now()
    still_open = world.case(world.pro_noord, name="Open")
    age(app, at["ancient"], since)
    with app.app_context():
        db.execute(update(Case).where(Case.id == still_open).values(opened_on=date(1990, 1, 1)))
        db.commit()
    before = snapshot(app)

    dry = purge(app)
    assert f"Case {old} " in dry
    assert f"Case {recent} " not in dry and f"Case {still_open} " not in dry
    # Ids and counts only: no names of families or people.
    assert "Oud" not in dry and "Ada" not in dry
    assert snapshot(app) == before

    applied = purge(app, "--apply")
    assert "Removed 1 case(s) and 1 family(ies)" in applied
    with app.app_context():
        assert db.get(Case, old) is None
        assert db.get(Case, recent) is not None and db.get(Case, still_open) is not None
        assert db.scalar(select(func.count()).select_from(Family)) == 2
        assert db.scalar(select(func.count()).select_from(FamilyMember)) == 2
    assert audit_rows(app, old)[-1] == "case.purge"
    assert "case.create" in audit_rows(app, old)


@pytest.mark.parametrize("table", ["goals", "notes", "revisions"])
def test_a_later_change_keeps_the_file(app, world, table):
    at = moments()
    since = utc_now()
    made = make_case_file(app, at["past"])
    age(app, at["past"], since)
    changed = years_before(utc_now(), 5)
    rows = Base.metadata.tables[table]
    column = "changed_at" if table == "revisions" else "updated_at"
    with app.app_context():
        db.execute(update(rows).where(rows.c.id == made[table]["id"]).values({column: changed}))
        db.commit()
    case_id = made["cases"]["id"]
    dry = purge(app)
    assert f"case {case_id} (last change {changed:%Y-%m-%d})" in dry
    purge(app, "--apply")
    assert exists(app, "cases", made["cases"])


def test_family_with_another_case_stays_and_its_changes_do_not_keep_the_old_case(app, world):
    at = moments()
    since = utc_now()
    old = world.case(world.pro_noord, name="Terug")
    close(app, world, old, at["past"], since)
    with app.test_request_context():
        actor = db.get(User, world.pro_noord)
        new = open_new_case(
            actor,
            db.get(Case, old),
            question_for_help="Weer hulp nodig.",
            lead_id=world.pro_noord,
            duo_id=None,
            opened_on=clock.today(),
        )
        member = db.scalars(select(FamilyMember)).one()
        update_member(
            actor, new, member, expected_version=member.version, data={"first_name": "Ada-Marie"}
        )
        db.commit()
        new_id, family_id = new.id, new.family_id

    output = purge(app, "--apply")
    assert f"Family {family_id}: kept (it has other cases)" in output
    with app.app_context():
        assert db.get(Case, old) is None
        assert db.get(Case, new_id) is not None
        assert db.get(Family, family_id) is not None
        assert db.scalars(select(FamilyMember.first_name)).all() == ["Ada-Marie"]
        # The new case's history of the member is the new case's: it stays.
        assert db.scalar(select(func.count()).select_from(Revision)) == 1


def test_a_family_whose_own_data_changed_later_waits_for_its_own_cutoff(app, world):
    at = moments()
    since = utc_now()
    made = make_case_file(app, at["past"])
    age(app, at["past"], since)
    changed = years_before(utc_now(), 2)
    members = Base.metadata.tables["family_members"]
    with app.app_context():
        db.execute(
            update(members)
            .where(members.c.id == made["family_members"]["id"])
            .values(updated_at=changed)
        )
        db.commit()
    family_id = made["families"]["id"]

    output = purge(app, "--apply")
    assert f"Family {family_id}: no case left, but its own data changed on" in output
    assert not exists(app, "cases", made["cases"])
    assert exists(app, "families", made["families"])

    # Eighteen years on the family itself is due (a family without cases).
    with app.app_context():
        plan = retention.plan_purge(now=utc_now() + timedelta(days=18 * 366))
        assert [(u.family_id, u.cases, u.family_removed) for u in plan.units] == [
            (family_id, [], True)
        ]
        retention.apply_purge(plan)
        assert db.get(Family, family_id) is None
        assert db.scalar(select(AuditEvent.object_id).where(AuditEvent.action == "family.purge"))
    left_behind = [t for t, row in made.items() if exists(app, t, row)]
    assert left_behind == []


def test_a_family_that_changed_meanwhile_is_rolled_back_whole(app, world):
    at = moments()
    since = utc_now()
    made = make_case_file(app, at["past"])
    age(app, at["past"], since)
    family_id = made["families"]["id"]
    with app.app_context():
        plan = retention.plan_purge()
        assert [(u.family_id, u.family_removed) for u in plan.units] == [(family_id, True)]
        # Between the report and the removal someone opens a new case for the family.
        db.execute(
            insert(Case).values(
                family_id=family_id,
                team_id=world.noord,
                lead_id=world.pro_noord,
                question_for_help="Weer hulp.",
                status=CaseStatus.INTAKE,
                opened_on=clock.today(),
            )
        )
        db.commit()
        outcome = retention.apply_purge(plan)
        assert outcome.purged == [] and [f for f, _error in outcome.failed] == [family_id]
        assert db.scalar(select(func.count()).where(AuditEvent.action == "case.purge")) == 0
    assert [t for t, row in made.items() if not exists(app, t, row)] == []


def test_audit_trail_is_no_foreign_key_and_stays_append_only(app):
    audit = Base.metadata.tables["audit_events"]
    assert all(fk.referred_table.name != "cases" for fk in audit.foreign_key_constraints)
    with app.app_context():
        if get_engine().dialect.name != "postgresql":
            pytest.skip("the database-level guard is PostgreSQL only")
        record(None, "case.view", case_id=12345)
        db.commit()
        with pytest.raises(Exception, match="append-only"), get_engine().begin() as conn:
            conn.execute(text("DELETE FROM audit_events"))


def test_note_search_index_stays_in_step_on_sqlite(app, world):
    with app.app_context():
        if get_engine().dialect.name != "sqlite":
            pytest.skip("the FTS5 index is SQLite only")
    since = utc_now()
    make_case_file(app, moments()["past"])
    age(app, moments()["past"], since)
    assert "Removed 1 case(s)" in purge(app, "--apply")
    check = "INSERT INTO note_parts_fts(note_parts_fts, rank) VALUES('integrity-check', 1)"
    with app.app_context(), get_engine().begin() as conn:
        conn.execute(text(check))


def test_years_before_handles_29_february():
    from datetime import UTC, datetime

    assert years_before(datetime(2024, 2, 29, tzinfo=UTC), 19).date() == date(2005, 2, 28)
    assert years_before(datetime(2026, 11, 22, tzinfo=UTC), 20).date() == date(2006, 11, 22)
