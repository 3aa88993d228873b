"""The print language is independent of the screen language, for every string (issue 16,
point 8): a Dutch paper asked from an English screen holds no English text of the app, and an
English paper asked from a Dutch screen no Dutch text of the app.

"Text of the app" is every message of the catalog whose Dutch differs from its English: the
longest piece of each between its placeholders (at least 12 characters, so that a word the
family wrote cannot look like one). The documents are checked as the HTML the worker hands to
WeasyPrint, so line breaks of the PDF cannot hide a phrase."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.printout.conftest import print_file, print_plan
from wijkteam.printout import render

CATALOG = Path(__file__).resolve().parents[2] / "wijkteam/translations/nl/LC_MESSAGES/messages.po"
MIN_PIECE = 12


def _piece(message: str) -> str | None:
    pieces = [p.strip(" .,:;()\"'") for p in re.split(r"%\(\w+\)[sd]|%[sd]|\n", message)]
    longest = max(pieces, key=len, default="")
    return longest if len(longest) >= MIN_PIECE else None


def _phrases() -> tuple[set[str], set[str]]:
    """(English pieces, Dutch pieces) of the messages whose translation differs."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    english, dutch = set(), set()
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for source, translated in zip(ids, strings, strict=False):
            if not translated or source == translated:
                continue
            en, nl = _piece(source), _piece(translated)
            if en and nl and en.lower() != nl.lower():
                english.add(en)
                dutch.add(nl)
    return english, dutch


ENGLISH, DUTCH = _phrases()


def _text(html: str) -> str:
    body = re.sub(r"<(style|title)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture
def html_documents(monkeypatch):
    """The worker's HTML instead of its PDF (the download then holds the HTML)."""
    monkeypatch.setattr(render, "render_pdf", lambda html: html.encode())


def test_the_catalog_check_finds_phrases():
    # A check with nothing to look for would pass on anything.
    assert len(ENGLISH) > 300 and len(DUTCH) > 300
    assert "Proposal, not agreed yet" in ENGLISH and "Voorstel, nog niet afgesproken" in DUTCH


@pytest.mark.parametrize(
    ("screen", "paper", "foreign"),
    [("en", "nl", ENGLISH), ("nl", "en", DUTCH)],
    ids=["english screen, dutch paper", "dutch screen, english paper"],
)
def test_no_string_of_the_screen_language_on_paper(
    client, full_case, html_documents, screen, paper, foreign
):
    client.login("pro.noord@test.example")
    if screen == "en":
        client.english()
    documents = {
        "plan": print_plan(client, full_case, paper).data.decode(),
        "file": print_file(client, full_case, "pdf", paper).data.decode(),
    }
    for name, html in documents.items():
        assert f'<html lang="{paper}" dir="ltr">' in html, name
        text = _text(html)
        found = sorted(p for p in foreign if p in text)
        assert not found, (name, found[:10])


def test_the_whole_family_is_in_the_paper_language(app, client, full_case, html_documents):
    """An action without a named person is 'het hele gezin' / 'the whole family'."""
    from tests.factories import app_api as api
    from tests.factories import cases as c
    from wijkteam.core.db import db

    with app.test_request_context():
        case = db.get(api.Case, full_case)
        goal = api.load_plan(case).goals[0]
        c.action(db.get(api.User, case.lead_id), case, goal, "Samen koken op zondag.")
        db.commit()
    client.login("pro.noord@test.example")
    client.english()
    dutch = _text(print_plan(client, full_case, "nl").data.decode())
    assert "het hele gezin" in dutch and "the whole family" not in dutch
    english = _text(print_plan(client, full_case, "en").data.decode())
    assert "the whole family" in english and "het hele gezin" not in english
