"""Typed text kept when a session ends, attacked: another site's form, an anonymous flood, the
next person on a shared computer. Kept text belongs to the user whose own session the request
carried, and nothing else stores text, replaces the cookie or ends a live session."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import func, select, update

from tests.conftest import PASSWORD
from tests.notes.test_notes import note_data
from wijkteam.auth.models import AuthSession, User
from wijkteam.core.db import db, utc_now
from wijkteam.notes.models import Note
from wijkteam.rescue import MAX_PER_USER
from wijkteam.rescue.models import FormRescue

ATTACK = "ATTACKER-TEXT: bel dit nummer"


@pytest.fixture
def page(client, plan_case):
    client.login("pro.noord@test.example")
    return f"/cases/{plan_case}/notes/new"


def rescues(app) -> list[FormRescue]:
    with app.app_context():
        rows = list(db.scalars(select(FormRescue)))
        db.expunge_all()
        return rows


def end_sessions(app) -> None:
    """The session runs out while the professional types (as after 30 idle minutes)."""
    with app.app_context():
        db.execute(update(AuthSession).values(revoked_at=utc_now()))
        db.commit()


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.scalar(select(User.id).where(User.email == email))


def test_a_cross_site_post_without_the_cookie_stores_nothing_and_keeps_the_session(
    app, client, page
):
    """Another site auto-submits the note form. The browser does not send our SameSite=Lax
    cookie with it, so the request looks anonymous; it must not store text and must not answer
    with a new cookie (that would replace the victim's live session: logged out)."""
    attacker = app.test_client()
    resp = attacker.post(
        page,
        data={"question": ATTACK, "csrf_token": "x"},
        headers={"Origin": "https://evil.example"},
    )
    assert resp.status_code in (302, 303, 400)
    assert "Set-Cookie" not in resp.headers
    assert rescues(app) == []
    # The victim is still logged in and the form is empty of the attacker's text.
    form = unescape(client.get(page).get_data(as_text=True))
    assert ATTACK not in form
    assert client.get("/session/keepalive").status_code == 204


def test_a_cross_origin_post_with_the_live_cookie_is_refused_without_keeping_text(
    app, client, page
):
    """A sibling site (same site, other origin) gets the cookie sent along: still nothing is
    kept, because the form did not come from our pages."""
    resp = client.post(
        page,
        data={"question": ATTACK, "csrf_token": "x"},
        headers={"Origin": "https://evil.wijkteam.example"},
    )
    assert resp.status_code == 400
    assert rescues(app) == []
    assert ATTACK not in unescape(client.get(page).get_data(as_text=True))
    assert client.get("/session/keepalive").status_code == 204


def test_an_anonymous_flood_writes_nothing(app, client):
    flooder = app.test_client()
    big = "x" * 199_000
    for n in range(50):
        resp = flooder.post(f"/cases/9000{n:02d}/notes/new", data={"question": big})
        assert resp.status_code in (302, 303, 400)
        assert "Set-Cookie" not in resp.headers
    # Even with a cookie of its own (a visit to the login page first), an anonymous client
    # has no session of a user to keep text for.
    flooder.get("/login")
    for n in range(5):
        flooder.post(f"/cases/9000{n:02d}/notes/new", data={"question": big, "csrf_token": "x"})
    assert rescues(app) == []


def test_a_logged_out_browser_keeps_nothing(app, client, page):
    client.logout()
    client.post(page, data=note_data(question=ATTACK, csrf_token="x"))
    assert rescues(app) == []


def test_kept_text_is_bound_to_its_user_and_capped(app, client, page):
    token = client.csrf_token(page)
    end_sessions(app)
    for n in range(MAX_PER_USER + 3):
        resp = client.post(page, data=note_data(question=f"Versie {n}", csrf_token=token))
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    kept = rescues(app)
    assert len(kept) == MAX_PER_USER
    assert {r.user_id for r in kept} == {user_id(app, "pro.noord@test.example")}


def test_the_next_person_on_the_browser_does_not_get_the_text(app, client, page):
    """Item 11: A's session ends with text kept; B logs in on the same browser. B never sees
    A's text, and the kept text is dropped."""
    token = client.csrf_token(page)
    end_sessions(app)
    secret = "Wat Lisa alleen aan Sanne vertelde."
    resp = client.post(page, data=note_data(question=secret, csrf_token=token))
    assert "/login" in resp.headers["Location"]
    assert len(rescues(app)) == 1
    resp = client.submit("/login", {"email": "pro2.noord@test.example", "password": PASSWORD})
    assert resp.status_code == 302
    assert secret not in unescape(client.get(page).get_data(as_text=True))
    assert rescues(app) == []
    with app.app_context():
        assert db.scalar(select(func.count(Note.id))) == 0


def test_kept_text_is_not_given_to_another_user_even_with_the_token(app, client, page):
    """The token alone is not enough: take_rescue checks whose text it is."""
    token = client.csrf_token(page)
    end_sessions(app)
    secret = "Alleen voor de eigen gebruiker."
    client.post(page, data=note_data(question=secret, csrf_token=token))
    with client.session_transaction() as sess:
        rescue_token = sess["rescue"]
    other = app.test_client()
    other.login("pro2.noord@test.example")
    with other.session_transaction() as sess:
        sess["rescue"] = rescue_token
    assert secret not in unescape(other.get(page).get_data(as_text=True))


def test_the_own_user_gets_the_text_back_after_logging_in(app, client, page):
    """The rule still serves its purpose: the same user, after the idle timeout."""
    token = client.csrf_token(page)
    end_sessions(app)
    text = "Een lang verslag van het huisbezoek. " * 20
    resp = client.post(
        page,
        data=note_data(question=text, csrf_token=token),
        headers={"Origin": "http://localhost"},
    )
    login = resp.headers["Location"]
    credentials = {"email": "pro.noord@test.example", "password": PASSWORD}
    resp = client.submit(login, credentials, page=login)
    assert resp.headers["Location"].endswith(page)
    assert text.strip() in unescape(client.get(page).get_data(as_text=True))
