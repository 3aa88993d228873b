"""Conversation notes through HTTP: drafts, finishing into the plan, addenda, team-only parts,
bad input, conflicts, text kept when a session runs out, timeline and search."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select, update

from tests.conftest import PASSWORD
from tests.plans.conftest import PlanUI
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import AuthSession
from wijkteam.core.db import AppendOnlyViolation, db, utc_now
from wijkteam.notes.models import Audience, Note, NoteAddendum, NoteStatus, PartKind
from wijkteam.plans.models import Action, ScaleScore

VERSION_RE = re.compile(r'name="version" type="hidden" value="(\d*)"')


@pytest.fixture
def notes(client, plan_case):
    client.login("pro.noord@test.example")
    return f"/cases/{plan_case}/notes"


@pytest.fixture
def goal_id(client, plan_case):
    plan = PlanUI(client, plan_case)
    plan.start()
    return plan.goal_id(plan.add_goal("Wij willen rustige ochtenden."))


def note_data(**values):
    data = {
        "contact_on": "2026-03-10",
        "kind": "home_visit",
        "location": "Thuis",
        "family_member_ids": "1",
        "question": "Lisa wil dat de ochtenden rustiger gaan.",
        "strengths": "Lisa staat vroeg op en maakt ontbijt.",
        "save_draft": "y",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def save(client, url, **values):
    return client.submit(url, note_data(**values), page=url)


def note_id_of(resp) -> int:
    assert resp.status_code == 302, unescape(resp.get_data(as_text=True))[-2500:]
    return int(resp.headers["Location"].rsplit("/", 1)[1])


def test_draft_is_only_for_its_author(client, other_client, notes, app):
    note_id = note_id_of(save(client, f"{notes}/new"))
    with app.app_context():
        note = db.get(Note, note_id)
        assert note.status == NoteStatus.DRAFT
        assert {p.kind for p in note.parts} == {PartKind.QUESTION, PartKind.STRENGTHS}
    assert "Lisa wil dat de ochtenden" in client.get(notes).get_data(as_text=True)
    other_client.login("pro2.noord@test.example")
    assert other_client.get(f"{notes}/{note_id}").status_code == 404
    assert other_client.get(f"{notes}/{note_id}/edit").status_code == 404
    assert "Lisa wil dat de ochtenden" not in other_client.get(notes).get_data(as_text=True)


def test_finishing_puts_scores_and_next_steps_into_the_plan(client, notes, goal_id, app):
    page = f"{notes}/new"
    form = client.get(page).get_data(as_text=True)
    assert 'name="scores-0-goal_id"' in form and "Wij willen rustige ochtenden." in form
    resp = save(
        client,
        page,
        save_draft=None,
        finalise="y",
        **{
            "scores-0-goal_id": str(goal_id),
            "scores-0-family_score": "4",
            "scores-0-professional_score": "5",
            "scores-0-one_point_higher": "Als de kleren klaarliggen.",
            "steps-0-text": "Lisa legt de kleren 's avonds klaar.",
            "steps-0-goal_id": str(goal_id),
            "steps-0-owner": "family-1",
        },
    )
    note_id = note_id_of(resp)
    with app.app_context():
        note = db.get(Note, note_id)
        assert note.status == NoteStatus.FINAL and note.finalised_at is not None
        score = db.scalar(select(ScaleScore).where(ScaleScore.note_id == note_id))
        assert (score.family_score, score.professional_score) == (4, 5)
        assert score.scored_on == note.contact_on
        action = db.scalar(select(Action).where(Action.note_id == note_id))
        assert action.text == "Lisa legt de kleren 's avonds klaar."
        assert action.owner_member_id == 1
    goal_page = client.get(f"/cases/{notes.split('/')[2]}/plan/goals/{goal_id}").get_data(
        as_text=True
    )
    assert "Als de kleren klaarliggen." in goal_page
    # A finished note is not edited in place.
    assert client.get(f"{notes}/{note_id}/edit").status_code == 403
    resp = client.submit(
        f"{notes}/{note_id}/edit", note_data(question="Anders"), page=f"{notes}/{note_id}"
    )
    assert resp.status_code == 403


def test_draft_scores_wait_until_the_note_is_finished(client, notes, goal_id, app):
    resp = save(
        client, f"{notes}/new", **{"scores-0-goal_id": str(goal_id), "scores-0-family_score": "6"}
    )
    note_id = note_id_of(resp)
    with app.app_context():
        assert db.scalar(select(func.count(ScaleScore.id))) == 0
    html = client.get(f"{notes}/{note_id}/edit").get_data(as_text=True)
    assert 'name="scores-0-family_score" type="number" value="6"' in html


def test_team_only_parts_and_whole_note_internal(client, notes, app):
    note_id = note_id_of(save(client, f"{notes}/new", strengths_audience="team"))
    with app.app_context():
        parts = {p.kind: p.audience for p in db.get(Note, note_id).parts}
        assert parts == {PartKind.QUESTION: Audience.FAMILY, PartKind.STRENGTHS: Audience.TEAM}
    note_id = note_id_of(save(client, f"{notes}/new", all_internal="y", question_audience="family"))
    with app.app_context():
        assert all(p.audience == Audience.TEAM for p in db.get(Note, note_id).parts)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"contact_on": "2999-01-01"}, "This date cannot be in the future."),
        ({"contact_on": "2025-01-01"}, "This date is before the case was opened."),
        ({"interpreter_name": "Mevrouw Tolk"}, "Which language did the interpreter speak?"),
        (
            {"interpreter_name": "Noah", "interpreter_language": "Nederlands"},
            "Never ask a child to interpret.",
        ),
        (
            {"question": "", "strengths": "", "save_draft": None, "finalise": "y"},
            "Write at least one part, or a score, before finalising.",
        ),
        ({"kind": "telepathy"}, "Choose one of the options offered."),
    ],
)
def test_bad_input_keeps_typing(client, notes, app, values, message):
    client.english()
    resp = save(client, f"{notes}/new", location="Bij oma thuis", **values)
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert message in html
    assert "Bij oma thuis" in html
    with app.app_context():
        assert db.scalar(select(func.count(Note.id))) == 0


def test_score_out_of_range(client, notes, goal_id, app):
    client.english()
    resp = save(
        client, f"{notes}/new", **{"scores-0-goal_id": str(goal_id), "scores-0-family_score": "11"}
    )
    assert resp.status_code == 422
    assert "A score is a number from 0 to 10." in resp.get_data(as_text=True)


def test_draft_edit_conflict_keeps_text(client, other_client, notes, app):
    note_id = note_id_of(save(client, f"{notes}/new"))
    page = f"{notes}/{note_id}/edit"
    other_client.login("pro.noord@test.example")  # the same author on a second device
    version = VERSION_RE.search(client.get(page).get_data(as_text=True)).group(1)
    assert (
        other_client.submit(
            page, note_data(question="Op de tablet geschreven.", version=version), page=page
        ).status_code
        == 302
    )
    resp = client.submit(
        page, note_data(question="Op de laptop geschreven.", version=version), page=page
    )
    assert resp.status_code == 409
    assert "Op de laptop geschreven." in resp.get_data(as_text=True)
    with app.app_context():
        assert db.get(Note, note_id).part(PartKind.QUESTION).text == "Op de tablet geschreven."


def test_addenda_keep_the_original(client, other_client, notes, app):
    note_id = note_id_of(save(client, f"{notes}/new", save_draft=None, finalise="y"))
    page = f"{notes}/{note_id}"
    client.english()
    resp = client.submit(page, {"text": ""}, page=page)
    assert resp.status_code == 422 and "Write the addendum." in resp.get_data(as_text=True)
    other_client.login("pro2.noord@test.example")
    resp = other_client.submit(
        page, {"text": "Correctie: het was dinsdag, niet maandag.", "internal": "y"}, page=page
    )
    assert resp.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Correctie: het was dinsdag, niet maandag." in html
    assert "Lisa wil dat de ochtenden rustiger gaan." in html  # the original stays
    with app.app_context():
        addendum = db.scalar(select(NoteAddendum))
        assert addendum.internal and addendum.author.email == "pro2.noord@test.example"
    # Drafts get no addenda.
    draft = note_id_of(save(client, f"{notes}/new"))
    assert (
        client.submit(f"{notes}/{draft}", {"text": "x"}, page=f"{notes}/{draft}").status_code == 403
    )


def test_addenda_and_parts_of_final_notes_are_never_changed(app, ctx, world, plan_case):
    from wijkteam.auth.models import User
    from wijkteam.cases.models import Case
    from wijkteam.notes import services

    user = db.get(User, world.pro_noord)
    case = db.get(Case, plan_case)
    note = services.save_note(
        user,
        case,
        None,
        None,
        expected_version=None,
        finalise=True,
        data={
            "contact_on": case.opened_on,
            "kind": "phone",
            "location": "",
            "interpreter_name": "",
            "interpreter_language": "",
            "family_member_ids": [],
            "network_member_ids": [],
            "colleague_ids": [],
            "parts": {PartKind.QUESTION: ("Vraag", None, None)},
            "pending": {},
        },
    )
    addendum = services.add_addendum(user, case, note, text="Aanvulling", internal=False)
    db.commit()
    addendum.text = "anders"
    with pytest.raises(AppendOnlyViolation):
        db.flush()
    db.rollback()


def test_text_is_kept_when_the_session_ran_out(client, notes, app):
    client.english()
    page = f"{notes}/new"
    token = client.csrf_token(page)
    with app.app_context():  # the session runs out while the professional types
        db.execute(update(AuthSession).values(revoked_at=utc_now()))
        db.commit()
    long_text = "Een lang verslag van het huisbezoek. " * 50
    resp = client.post(page, data=note_data(question=long_text, csrf_token=token))
    assert resp.status_code == 302
    login_url = resp.headers["Location"]
    assert "/login" in login_url
    with app.app_context():
        assert db.scalar(select(func.count(Note.id))) == 0  # nothing saved without a login
    login_page = client.get("/login").get_data(as_text=True)
    assert "the text you typed is kept" in login_page
    resp = client.submit(
        login_url, {"email": "pro.noord@test.example", "password": PASSWORD}, page=login_url
    )
    assert resp.headers["Location"].endswith(page)
    form = unescape(client.get(page).get_data(as_text=True))
    assert long_text.strip() in form
    assert "Here is the text you typed before your session ended." in form
    # Taken once: the next visit is an empty form again.
    assert long_text.strip() not in unescape(client.get(page).get_data(as_text=True))


def test_text_is_kept_when_the_security_code_is_stale(client, notes, app):
    page = f"{notes}/new"
    resp = client.post(
        page, data=note_data(question="Mijn tekst blijft bewaard.", csrf_token="old-token")
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith(page)
    assert "Mijn tekst blijft bewaard." in client.get(page).get_data(as_text=True)
    with app.app_context():
        assert db.scalar(select(func.count(Note.id))) == 0


def test_keepalive(client, notes, other_client):
    assert client.get("/session/keepalive").status_code == 204
    assert other_client.get("/session/keepalive").status_code == 401  # not logged in


def test_timeline_shows_everything_in_date_order_and_filters(
    client, notes, goal_id, app, plan_case
):
    save(
        client,
        f"{notes}/new",
        contact_on="2026-03-10",
        question="Eerste bezoek.",
        save_draft=None,
        finalise="y",
    )
    save(
        client,
        f"{notes}/new",
        contact_on="2026-04-10",
        question="Tweede bezoek.",
        save_draft=None,
        finalise="y",
    )
    client.submit(
        f"/cases/{plan_case}/plan/ladder",
        {"level": "5", "changed_on": "2026-03-20", "reason": "Samen beslissen."},
        page=f"/cases/{plan_case}/plan/ladder",
    )
    timeline = f"/cases/{plan_case}/timeline"
    html = client.get(timeline).get_data(as_text=True)
    order = [html.index(t) for t in ("Tweede bezoek.", "Samen beslissen.", "Eerste bezoek.")]
    assert order == sorted(order)  # newest first
    notes_only = client.get(f"{timeline}?kind=note").get_data(as_text=True)
    assert "Tweede bezoek." in notes_only and "Samen beslissen." not in notes_only
    assert client.get(f"{timeline}?kind=nonsense").status_code == 200


def test_timeline_is_paginated_with_constant_queries(client, notes, app, plan_case):
    from tests.test_queries import count_queries

    save(client, f"{notes}/new", question="Bezoek 0", save_draft=None, finalise="y")
    timeline = f"/cases/{plan_case}/timeline"
    client.get(timeline)
    with count_queries(app) as few:
        client.get(timeline)
    per_page = app.config["PAGE_SIZE"]
    for i in range(1, per_page + 3):
        save(
            client,
            f"{notes}/new",
            question=f"Bezoek {i}",
            save_draft=None,
            finalise="y",
            contact_on=f"2026-0{1 + (i % 8)}-{1 + i % 27:02d}",
        )
    with count_queries(app) as many:
        page1 = client.get(timeline).get_data(as_text=True)
    assert many["n"] == few["n"]
    page2 = client.get(f"{timeline}?page=2").get_data(as_text=True)
    assert page1.count('class="timeline-note"') == per_page
    assert page2.count('class="timeline-note"') >= 1


def test_search_respects_access_and_drafts_and_is_audited(client, other_client, notes, app, world):
    save(
        client, f"{notes}/new", question="Het fietsplan werkt goed.", save_draft=None, finalise="y"
    )
    save(client, f"{notes}/new", question="Fietsplan concept van mij.")  # a draft
    other_case = world.case(world.pro_zuid, name="Zuidgezin")
    other_client.login("pro.zuid@test.example")
    other_notes = f"/cases/{other_case}/notes/new"
    other_client.submit(
        other_notes,
        note_data(
            contact_on="2026-02-01",
            question="Fietsplan in Zuid.",
            save_draft=None,
            finalise="y",
            family_member_ids=None,
        ),
        page=other_notes,
    )
    html = client.get("/search?q=fietsplan").get_data(as_text=True)
    assert "Het fietsplan werkt goed." in html
    assert "Fietsplan concept van mij." in html  # my own draft
    assert "Fietsplan in Zuid." not in html  # another team's case
    other_client.logout()
    other_client.login("pro2.noord@test.example")
    colleague = other_client.get("/search?q=fietsplan").get_data(as_text=True)
    assert "Het fietsplan werkt goed." in colleague
    assert "Fietsplan concept van mij." not in colleague  # someone else's draft
    with app.app_context():
        searches = db.scalars(select(AuditEvent).where(AuditEvent.action == "search")).all()
        assert {(e.user_id, e.detail) for e in searches} >= {
            (world.pro_noord, "fietsplan"),
            (world.pro2_noord, "fietsplan"),
        }


def test_search_for_goals_and_short_queries(client, notes, goal_id, app):
    html = client.get("/search?q=ochtenden").get_data(as_text=True)
    assert "Wij willen rustige ochtenden." in html
    client.get("/search?q=a")
    with app.app_context():
        assert (
            db.scalar(
                select(func.count(AuditEvent.id)).where(
                    AuditEvent.action == "search", AuditEvent.detail == "a"
                )
            )
            == 0
        )


def test_notes_list_is_paginated(client, notes, app):
    per_page = app.config["PAGE_SIZE"]
    for i in range(per_page + 1):
        save(client, f"{notes}/new", question=f"Verslag nummer {i:02d}.")
    first = client.get(notes).get_data(as_text=True)
    second = client.get(f"{notes}?page=2").get_data(as_text=True)
    assert first.count('class="card note') == per_page
    assert second.count('class="card note') == 1


def test_reopened_draft_keeps_its_next_steps(client, notes, goal_id, app):
    resp = save(
        client,
        f"{notes}/new",
        **{
            "steps-0-text": "Oma belt de school.",
            "steps-0-goal_id": str(goal_id),
            "steps-0-owner": "other",
            "steps-0-owner_name": "Oma Ria",
            "steps-0-due_on": "2026-12-01",
        },
    )
    note_id = note_id_of(resp)
    page = f"{notes}/{note_id}/edit"
    html = client.get(page).get_data(as_text=True)
    assert 'value="Oma belt de school."' in html and 'value="Oma Ria"' in html
    assert f'<option selected value="{goal_id}">' in html
    # Saving the reopened draft as it is keeps the step; finishing makes it an action.
    version = VERSION_RE.search(html).group(1)
    form = {
        "contact_on": "2026-03-10",
        "kind": "home_visit",
        "question": "Vraag",
        "steps-0-text": "Oma belt de school.",
        "steps-0-goal_id": str(goal_id),
        "steps-0-owner": "other",
        "steps-0-owner_name": "Oma Ria",
        "steps-0-due_on": "2026-12-01",
        "finalise": "y",
        "version": version,
    }
    assert client.submit(page, form, page=page).status_code == 302
    with app.app_context():
        action = db.scalar(select(Action).where(Action.note_id == note_id))
        assert (action.text, action.owner_name) == ("Oma belt de school.", "Oma Ria")


def test_search_index_follows_changes_to_a_draft(client, notes, app):
    note_id = note_id_of(save(client, f"{notes}/new", question="Het woord is kangoeroe."))
    assert "kangoeroe" in client.get("/search?q=kangoeroe").get_data(as_text=True)
    page = f"{notes}/{note_id}/edit"
    version = VERSION_RE.search(client.get(page).get_data(as_text=True)).group(1)
    client.submit(page, note_data(question="Het woord is nu flamingo.", version=version), page=page)
    assert "Het woord is nu flamingo." in client.get("/search?q=flamingo").get_data(as_text=True)
    assert (
        "kangoeroe"
        not in client.get("/search?q=kangoeroe")
        .get_data(as_text=True)
        .split('class="search-results"')[1]
    )


def test_search_with_odd_characters_does_not_break(client, notes):
    save(client, f"{notes}/new", question='Afspraak om 10:00 met "de juf".')
    for q in ['"de juf"', "10:00", "juf*", "AND OR NOT", "'; DROP TABLE notes; --", 'a"b']:
        assert client.get(f"/search?q={q}").status_code == 200, q


def test_labelling_words_get_a_gentle_tip(client, notes, app):
    client.english()
    resp = save(client, f"{notes}/new", question="Moeder is ongemotiveerd en Lui.")
    note_id_of(resp)  # saved all the same: a tip, not a block
    html = unescape(client.get(resp.headers["Location"]).get_data(as_text=True))
    assert "Words like 'ongemotiveerd', 'lui' judge rather than describe" in html
    resp = save(client, f"{notes}/new", question="Intern: ongemotiveerd?", question_audience="team")
    html = unescape(client.get(resp.headers["Location"]).get_data(as_text=True))
    assert "judge rather than describe" not in html  # internal parts are for the team
