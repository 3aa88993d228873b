"""A note's draft saves itself in the browser (issue 17): typing shows "Opgeslagen om hh:mm", the
page becomes the draft's page, closing it loses nothing, a save by hand during an autosave
waits for it, and a newer save from another tab is never overwritten."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.test_journeys import login
from wijkteam.core.db import db
from wijkteam.notes.models import Note, NoteStatus, PartKind

SAVED = re.compile(r"Opgeslagen om \d\d:\d\d")


def _notes(app) -> list[tuple[int, NoteStatus, str]]:
    with app.app_context():
        rows = [
            (n.id, n.status, (n.part(PartKind.QUESTION).text if n.part(PartKind.QUESTION) else ""))
            for n in db.scalars(select(Note).order_by(Note.id))
        ]
        db.expunge_all()
        return rows


def test_a_typed_note_saves_itself_and_survives_closing_the_page(
    page, second_page, live_server, world, app
):
    case_id = world.case(world.pro_noord, name="Bakker")
    login(page, live_server, "pro.noord@test.example")
    page.goto(f"{live_server}/cases/{case_id}/notes/new")
    status = page.locator("#autosave-status")
    assert "vanzelf opgeslagen" in status.inner_text()
    page.fill("#question", "Lisa wil rustiger ochtenden.")
    expect(status).to_have_text(SAVED, timeout=10_000)
    [(note_id, state, text)] = _notes(app)
    assert state == NoteStatus.DRAFT and text == "Lisa wil rustiger ochtenden."
    # The page is the draft's page now: a reload (or opening it later) shows the draft.
    assert page.url.endswith(f"/cases/{case_id}/notes/{note_id}/edit")
    # More typing goes into the same draft; hiding the page (tablet closed) saves at once.
    page.fill("#question", "Lisa wil rustiger ochtenden en Noah op tijd op school.")
    page.evaluate(
        "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'));"
    )
    page.wait_for_timeout(1500)
    [(same_id, _state, text)] = _notes(app)
    assert same_id == note_id
    assert text == "Lisa wil rustiger ochtenden en Noah op tijd op school."

    # Another tab (the same user) saves the draft by hand: the first tab's next autosave is
    # refused and says so; its text stays on the page.
    login(second_page, live_server, "pro.noord@test.example")
    second_page.goto(f"{live_server}/cases/{case_id}/notes/{note_id}/edit")
    second_page.fill("#question", "Versie uit het tweede tabblad.")
    second_page.click("[name=save_draft]")
    second_page.wait_for_url(re.compile(rf"/notes/{note_id}$"))
    page.evaluate(
        "Object.defineProperty(document, 'visibilityState', "
        "{value: 'visible', configurable: true});"
    )
    page.fill("#question", "Versie uit het eerste tabblad.")
    expect(status).to_contain_text("ergens anders", timeout=10_000)
    assert page.input_value("#question") == "Versie uit het eerste tabblad."
    [(_id, _state, text)] = _notes(app)
    assert text == "Versie uit het tweede tabblad."


def test_a_save_by_hand_during_an_autosave_waits_for_it(page, live_server, world, app):
    """Finishing the note while an autosave is on its way (a slow connection) does not meet a
    version conflict: the click waits for the autosave, then goes with the new version."""
    case_id = world.case(world.pro_noord, name="Jansen")
    login(page, live_server, "pro.noord@test.example")
    page.goto(f"{live_server}/cases/{case_id}/notes/new")
    held: list = []
    page.route(
        "**/notes/autosave",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    page.fill("#question", "Eerst een concept.")
    for _ in range(50):  # the autosave leaves after a pause in typing
        if held:
            break
        page.wait_for_timeout(200)
    assert held, "no autosave was sent"
    page.click("[name=finalise]")  # while the autosave is held back
    page.wait_for_timeout(300)
    assert _notes(app) == []  # nothing went yet: the finish waits
    held[0].continue_()
    page.wait_for_url(re.compile(rf"/cases/{case_id}/notes/\d+$"))
    assert "Het verslag is afgerond" in page.content()
    [(_id, state, text)] = _notes(app)
    assert state == NoteStatus.FINAL and text == "Eerst een concept."
