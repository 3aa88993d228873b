"""Every print language translates every print string (issue 19): the texts of the paper's
own sources and every text looked up while the demo families' documents are made (plan or
closing letter for each reader and version, the file as PDF and JSON). Stale compiled
catalogues and placeholders are checked for every language in tests/test_translations.py."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po
from sqlalchemy import select

from tests.test_seed import clean_db, seeded  # noqa: F401 - the seeded database, once
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.printout.catalogs import PAPER_SOURCES, print_strings
from wijkteam.printout.languages import CODES, TRANSLATIONS, review


def catalog(code: str):
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=code)


def translated(message) -> bool:
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    return bool(strings) and all(strings) and not message.fuzzy


def test_every_print_string_is_translated_in_every_print_language(app):
    with app.test_request_context():
        cases = list(db.scalars(select(Case)))
        keys = print_strings(catalog("nl"), cases)
    assert len(keys) > 250  # a check with nothing to check would pass on anything
    assert ("(explained orally)", None) in keys and ("Added a goal", None) in keys
    missing = {}
    for code in CODES:
        if code == "en":
            continue  # the msgids are the English
        messages = catalog(code)
        lacking = [key for key in keys if not (m := messages.get(*key)) or not translated(m)]
        if lacking:
            missing[code] = sorted(map(str, lacking))[:10]
    assert not missing, missing


def test_the_sources_of_the_paper_exist():
    root = TRANSLATIONS.parent.parent
    assert all((root / path).is_file() for path in PAPER_SOURCES)


def test_every_print_language_says_whether_it_was_reviewed():
    for code in CODES:
        assert (TRANSLATIONS / code / "review.toml").is_file(), code
        state = review(code)
        assert state.note, code
        assert not state.reviewed or (state.reviewer and state.reviewed_on), code


def test_the_docs_say_the_state_of_each_language_and_show_it():
    docs = TRANSLATIONS.parent.parent / "docs"
    rows = re.findall(
        r"^\| (\w\w) \| [^|]+ \| (yes|no) \| \[plan-\1\.png\]\((printout/plan-\1\.png)\)",
        (docs / "printout.md").read_text(encoding="utf-8"),
        flags=re.M,
    )
    assert sorted(code for code, _state, _png in rows) == sorted(CODES)
    for code, state, png in rows:
        assert (state == "yes") == review(code).reviewed, code
        assert (docs / png).is_file(), png
