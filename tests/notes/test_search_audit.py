"""Search shows text from several case files: each case shown gets a view row of its own (with
the words searched), besides the row for the search itself; and the rows cost no extra queries
per case."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import audit_rows_after, last_audit_id
from tests.test_queries import count_queries
from wijkteam.auth.models import User
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.notes import services
from wijkteam.notes.models import ContactKind, Note, PartKind


def finished_note(app, user_id: int, case_id: int, text: str) -> int:
    with app.test_request_context():
        user, case = db.get(User, user_id), db.get(Case, case_id)
        note = services.save_note(
            user,
            case,
            None,
            None,
            expected_version=None,
            data={
                "contact_on": case.opened_on,
                "kind": ContactKind.HOME_VISIT,
                "location": "",
                "interpreter_name": "",
                "interpreter_language": "",
                "family_member_ids": [],
                "network_member_ids": [],
                "colleague_ids": [],
                "parts": {PartKind.QUESTION: (text, None, None)},
                "pending": {"scores": [], "steps": []},
            },
            finalise=True,
        )
        db.commit()
        return note.id


@pytest.fixture
def school(app, world):
    """Three Noord cases whose notes mention school (one twice), one that does not, and a
    Zuid case that does."""
    cases = [world.case(world.pro_noord, name=n) for n in ("Bakker", "Jansen", "Visser")]
    notes = {
        cases[0]: [finished_note(app, world.pro_noord, cases[0], "Lisa gaat graag naar school.")],
        cases[1]: [
            finished_note(app, world.pro_noord, cases[1], "De school belt over Tim."),
            finished_note(app, world.pro_noord, cases[1], "Gesprek met school gepland."),
        ],
        cases[2]: [finished_note(app, world.pro_noord, cases[2], "Samen naar de sportclub.")],
    }
    zuid = world.case(world.pro_zuid, name="Zuidhuis")
    finished_note(app, world.pro_zuid, zuid, "Ook hier gaat het over school.")
    return cases, notes, zuid


def test_every_case_shown_gets_a_view_row_with_the_words(app, client, world, school):
    cases, notes, zuid = school
    client.login("pro2.noord@test.example")
    before = last_audit_id(app)
    html = client.get("/search?q=school").get_data(as_text=True)
    assert "Lisa gaat graag naar school." in html and "De school belt over Tim." in html
    rows = audit_rows_after(app, before)
    search = [r for r in rows if r.action == "search"]
    assert [(r.case_id, r.detail, r.user_id) for r in search] == [
        (None, "school", world.pro2_noord)
    ]
    shown = {r.case_id: r for r in rows if r.action == "search.view"}
    assert set(shown) == {cases[0], cases[1]}  # not the case without a hit, not Zuid's
    assert shown[cases[1]].fields == sorted(f"note:{n}" for n in notes[cases[1]])
    assert all(r.detail == "school" and r.user_id == world.pro2_noord for r in shown.values())
    assert zuid not in {r.case_id for r in rows}

    # The team lead sees the search in the case's own trail, with the words.
    client.logout()
    client.login("lead.noord@test.example")
    client.english()
    trail = client.get(f"/cases/{cases[1]}/audit").get_data(as_text=True)
    assert "Saw this case in search results" in trail
    assert "Searched for: school" in trail


def test_only_the_cases_on_the_page_shown_are_logged(app, client, world, school, monkeypatch):
    cases, _notes, _zuid = school
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)  # the app is the session's: put it back
    client.login("pro.noord@test.example")
    before = last_audit_id(app)
    client.get("/search?q=school")
    first = {r.case_id for r in audit_rows_after(app, before) if r.action == "search.view"}
    before = last_audit_id(app)
    client.get("/search?q=school&page=2")
    second = {r.case_id for r in audit_rows_after(app, before) if r.action == "search.view"}
    with app.app_context():
        newest_first = db.scalars(
            select(Note.case_id)
            .where(Note.case_id.in_([cases[0], cases[1]]))
            .order_by(Note.contact_on.desc(), Note.id.desc())
        ).all()
    assert first == set(newest_first[:2])
    assert second == set(newest_first[2:])


def test_no_hit_no_view_row(app, client, world, school):
    client.login("pro.noord@test.example")
    before = last_audit_id(app)
    client.get("/search?q=paardrijden")
    assert [r.action for r in audit_rows_after(app, before)] == ["search"]


def test_search_rows_cost_no_query_per_case(app, client, world):
    one = world.case(world.pro_noord, name="Een")
    finished_note(app, world.pro_noord, one, "Fietsen naar school.")
    client.login("pro.noord@test.example")
    client.get("/search?q=fietsen")  # warm up
    with count_queries(app) as few:
        client.get("/search?q=fietsen")
    for name in ("Twee", "Drie", "Vier", "Vijf", "Zes"):
        finished_note(app, world.pro_noord, world.case(world.pro_noord, name=name), "Fietsen.")
    before = last_audit_id(app)
    with count_queries(app) as many:
        client.get("/search?q=fietsen")
    assert len([r for r in audit_rows_after(app, before) if r.action == "search.view"]) == 6
    assert many["n"] == few["n"]
