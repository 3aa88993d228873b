"""The migrations are the only way the schema is made: they must match the models."""

from __future__ import annotations

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from wijkteam import migrate
from wijkteam.core.db import Base, get_engine

DIALECT_ONLY_INDEXES = {"ix_note_parts_fts", "ix_goals_fts"}


def _include(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "table" and name and name.startswith("note_parts_fts"):
        return False
    return not (type_ == "index" and name in DIALECT_ONLY_INDEXES)


def _diff(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _include}
        )
        return compare_metadata(context, Base.metadata)


def test_search_indexes_exist_on_postgresql(app):
    with app.app_context():
        engine = get_engine()
        if engine.dialect.name != "postgresql":
            import pytest

            pytest.skip("full-text indexes are PostgreSQL only")
        names = {ix["name"] for ix in inspect(engine).get_indexes("note_parts")}
        assert "ix_note_parts_fts" in names


def test_models_and_migrations_agree(app):
    with app.app_context():
        assert _diff(get_engine()) == []


def test_upgrade_downgrade_upgrade(app):
    url = app.config["DATABASE_URL"]
    with app.app_context():
        engine = get_engine()
        engine.dispose()  # no pooled connection may hold locks on tables we drop
        migrate.downgrade(url, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}, inspect(
            engine
        ).get_table_names()
        migrate.upgrade(url, "head")
        tables = set(inspect(engine).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} <= tables
        assert _diff(engine) == []


def test_migrations_were_read_and_adjusted():
    """Alembic's autogenerate markers ('please adjust!') go once someone has read the file;
    ruff checks migrations like all other code (README, "Working on the code")."""
    marked = [
        path.name
        for path in (migrate.MIGRATIONS_DIR / "versions").glob("*.py")
        if "please adjust" in path.read_text() or "end Alembic commands" in path.read_text()
    ]
    assert not marked


def test_note_part_audience_migration_maps_internal(app, world, plan_case):
    """a5c0ffee0005: internal parts become the team's, the others the family's; going back,
    only the team's parts are internal. On SQLite the search index follows the copied table."""
    from sqlalchemy import text

    from tests.factories import cases as c
    from wijkteam.auth.models import User
    from wijkteam.cases.models import Case
    from wijkteam.core.db import db
    from wijkteam.notes.models import Audience, PartKind

    url = app.config["DATABASE_URL"]
    with app.test_request_context():
        case = db.get(Case, plan_case)
        lisa = next(m for m in case.family.members if m.first_name == "Lisa")
        c.note(
            db.get(User, world.pro_noord),
            case,
            parts={
                PartKind.QUESTION: ("Gedeeld woord", Audience.FAMILY),
                PartKind.STRENGTHS: ("Intern woord", Audience.TEAM),
                PartKind.FUTURE: ("Alleen Lisa woord", Audience.MEMBER, lisa.id),
                PartKind.COMPLIMENTS: ("Ouders woord", Audience.PARENTS),
            },
        )
        db.commit()
    with app.app_context():
        engine = get_engine()
        engine.dispose()
        migrate.downgrade(url, "a4c0ffee0004")
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT kind, internal FROM note_parts")).all()
        assert {kind: bool(internal) for kind, internal in rows} == {
            "question": False,
            "strengths": True,
            "future": False,
            "compliments": False,
        }
        migrate.upgrade(url, "head")
        with engine.begin() as conn:
            rows = conn.execute(
                text("SELECT kind, audience, audience_member_id FROM note_parts")
            ).all()
            assert {kind: (audience, member) for kind, audience, member in rows} == {
                "question": ("family", None),
                "strengths": ("team", None),
                "future": ("family", None),
                "compliments": ("family", None),
            }
            if conn.dialect.name == "sqlite":
                conn.execute(
                    text("UPDATE note_parts SET text = 'Nieuw zoekwoord' WHERE kind = 'strengths'")
                )
                found = conn.execute(
                    text("SELECT rowid FROM note_parts_fts WHERE note_parts_fts MATCH 'zoekwoord'")
                ).all()
                assert len(found) == 1
        assert _diff(engine) == []


def test_key_figure_migration_links_informal_workers(app, world, plan_case):
    """b3c0ffee0013: an informal worker of a family in one team becomes that team's key figure
    (linked to the catalogue entry of the same name), their one role the first of their list;
    a friend gets no key figure. Nothing of what was typed is lost."""
    from sqlalchemy import text

    from tests.factories import care
    from tests.factories import cases as c
    from wijkteam.auth.models import User
    from wijkteam.cases.models import Case
    from wijkteam.core.db import db
    from wijkteam.network.models import InformalRole, NetworkKind

    url = app.config["DATABASE_URL"]
    with app.test_request_context():
        pro = db.get(User, world.pro_noord)
        case = db.get(Case, plan_case)
        church = care.resource(pro, "Kerk De Bron")
        worker = c.helper(
            pro,
            case,
            "Broeder Kwesi",
            kind=NetworkKind.INFORMAL_WORKER,
            informal_roles=[InformalRole.SOCIAL_BROKER],
            organisation="Kerk De Bron",
        )
        friend = c.helper(pro, case, "Buurvrouw Els", kind=NetworkKind.FRIEND)
        ids = (church.id, worker.id, friend.id)
        db.commit()
    church_id, worker_id, friend_id = ids
    with app.app_context():
        engine = get_engine()
        engine.dispose()
        migrate.downgrade(url, "a9c0ffee0009")
        with engine.connect() as conn:
            role, organisation = conn.execute(
                text("SELECT informal_role, organisation FROM network_members WHERE id = :i"),
                {"i": worker_id},
            ).one()
        assert (role, organisation) == ("social_broker", "Kerk De Bron")
        migrate.upgrade(url, "head")
        with engine.connect() as conn:
            figures = conn.execute(
                text("SELECT id, team_id, name, resource_id FROM key_figures")
            ).all()
            assert [(f.team_id, f.name, f.resource_id) for f in figures] == [
                (world.noord, "Broeder Kwesi", church_id)
            ]
            rows = {
                r.id: r
                for r in conn.execute(
                    text(
                        "SELECT id, key_figure_id, informal_roles, organisation "
                        "FROM network_members"
                    )
                )
            }
        assert rows[worker_id].key_figure_id == figures[0].id
        roles = rows[worker_id].informal_roles
        assert (json.loads(roles) if isinstance(roles, str) else roles) == ["social_broker"]
        assert rows[worker_id].organisation == "Kerk De Bron"
        assert rows[friend_id].key_figure_id is None
        assert _diff(engine) == []


def test_the_way_out_migration_gives_closed_cases_their_ladder_and_regie(app, world, plan_case):
    """b1c0ffee0011: a case closed before gets a closing with its plan's last ladder level and
    regie (by date); an open case gets none; nothing else is guessed. Going back and up again
    keeps the schema equal to the models."""
    from datetime import date

    from sqlalchemy import text

    from tests.factories import cases as c
    from wijkteam.auth.models import User
    from wijkteam.cases.models import Case
    from wijkteam.core.db import db
    from wijkteam.plans import services as plans
    from wijkteam.plans.models import LadderLevel

    url = app.config["DATABASE_URL"]
    still_open = world.case(world.pro_noord, name="Open")
    with app.test_request_context():
        pro = db.get(User, world.pro_noord)
        case = db.get(Case, plan_case)
        plan = c.start_plan(pro, case, level=3, regie="taken_over")
        plans.change_ladder(
            pro,
            case,
            plan,
            level=LadderLevel.SHARED_DECISIONS,
            changed_on=date(2026, 3, 1),
            reason="Lisa beslist mee.",
            climb_back="",
        )
        db.commit()
    with app.app_context():
        engine = get_engine()
        engine.dispose()
        migrate.downgrade(url, "a9c0ffee0009")
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE cases SET status = 'closed', closed_on = :on WHERE id = :id"),
                {"on": date(2026, 4, 1), "id": plan_case},
            )
        migrate.upgrade(url, "head")
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT case_id, ladder_level, regie, aftercare_agreement, come_back "
                    "FROM case_closings"
                )
            ).all()
            contacts = conn.execute(text("SELECT count(*) FROM aftercare_contacts")).scalar()
        assert [tuple(r) for r in rows] == [(plan_case, 5, "taken_over", "", "")]
        assert still_open not in [r[0] for r in rows]
        assert contacts == 0
        assert _diff(engine) == []


def test_the_analyst_role_migration_widens_the_role_check(app, world, analyst):
    """b8c0ffee0018: "analyst" is a role the database takes (the CHECK stays for anything else,
    on SQLite too, where the table's own statement is changed); going back, an analyst becomes
    an inactive professional without a team, and the narrower check holds again."""
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    url = app.config["DATABASE_URL"]
    insert = text(
        "INSERT INTO users (email, display_name, role, active, created_at, updated_at, version,"
        " second_reviewer, phone, reachable, languages, background, expertise, work_percent)"
        " VALUES (:email, 'X', :role, :yes, '2026-12-01', '2026-12-01', 1, :no, '', '', '[]',"
        " '', '', 100)"
    )
    with app.app_context():
        engine = get_engine()
        with engine.connect() as conn, pytest.raises(IntegrityError):
            conn.execute(
                insert, {"email": "x@test.example", "role": "boss", "yes": True, "no": False}
            )
        engine.dispose()
        migrate.downgrade(url, "b7c0ffee0017")
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT role, team_id, active FROM users WHERE id = :i"), {"i": analyst}
            ).one()
            assert (row.role, row.team_id, bool(row.active)) == ("professional", None, False)
            with pytest.raises(IntegrityError):
                conn.execute(
                    insert, {"email": "y@test.example", "role": "analyst", "yes": True, "no": False}
                )
        engine.dispose()
        migrate.upgrade(url, "head")
        with engine.begin() as conn:
            conn.execute(
                insert, {"email": "z@test.example", "role": "analyst", "yes": True, "no": False}
            )
        assert _diff(engine) == []
