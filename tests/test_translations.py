"""Translation catalogs: complete, compiled and safe to format.

These tests only read files (source, babel.cfg, .po and .mo); they need neither the app
nor the database. To fix a failure, update the catalogs:

    python3 dev.py i18n   # extract (templates/_macros/ included), update, compile
    # translate the new/empty entries in nl/LC_MESSAGES/messages.po, then again:
    python3 dev.py i18n
"""

from __future__ import annotations

import gettext
import os
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from wijkteam.printout.languages import CODES

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "wijkteam" / "translations"
# The screen's languages and the print languages (only the print strings are translated
# there: tests/printout/test_print_catalogs.py).
LANGUAGES = CODES
# Same keywords as the extract command: the defaults plus flask_babel's lazy_gettext as `_l`.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}

# printf-style conversions as Python's % operator reads them, including %%.
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)

Key = tuple[str, str | None]


@pytest.fixture(autouse=True)
def clean_db() -> None:
    """Replace conftest's autouse database cleanup: these tests need no app or database."""


def _key(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    context = message.context
    if isinstance(context, bytes):  # babel's read_mo hands contexts back undecoded
        context = context.decode("utf-8")
    return msgid, context


def _show(message: Message) -> str:
    return repr(message.id) + (f" (context {message.context!r})" if message.context else "")


def _scanned(dirpath: str) -> bool:
    """Folders to read, as dev.py's `--ignore-dirs=".* __pycache__"`: Babel's default also skips
    "_*" folders, and templates/_macros/ has texts (they were English on Dutch pages)."""
    name = os.path.basename(dirpath)
    return not name.startswith(".") and name != "__pycache__"


@cache
def fresh_catalog() -> Catalog:
    """Extract every msgid from the source right now, with the mapping in babel.cfg."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(ROOT / "babel.cfg"))
    catalog = Catalog(locale=None)
    for filename, lineno, msgid, comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=_scanned,
    ):
        catalog.add(msgid, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


@cache
def po_catalog(lang: str) -> Catalog:
    path = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as f:
        return read_po(f, locale=lang)


def mo_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo"


def _strings(message: Message) -> tuple[str, ...]:
    string = message.string
    if isinstance(string, tuple | list):
        return tuple(string)
    return (string or "",)


def test_extraction_finds_messages() -> None:
    """Guard against a broken babel.cfg making every other check pass vacuously."""
    ids = {_key(m)[0] for m in fresh_catalog() if m.id}
    assert len(ids) > 50, f"only {len(ids)} msgids extracted; is babel.cfg still right?"
    # One from Python via `_l`, one from a template, one plural from a template.
    assert "Question for help" in ids
    assert "Family %(name)s" in ids
    assert "%(num)d case" in ids
    assert "Not saved yet: please check the fields marked below." in ids  # templates/_macros/
    assert not any(".venv" in loc[0] for m in fresh_catalog() for loc in m.locations)


def test_every_msgid_has_a_dutch_translation() -> None:
    po = po_catalog("nl")
    missing, stale_plural = [], []
    for message in fresh_catalog():
        if not message.id:
            continue
        entry = po.get(message.id, context=message.context)
        if entry is None or not all(_strings(entry)):
            missing.append(_show(message))
        elif entry.id != message.id:
            # Same singular, but the plural was added, removed or changed in the source.
            stale_plural.append(f"{_show(message)} (catalog has {entry.id!r})")
    assert not missing, (
        f"{len(missing)} msgid(s) without a Dutch translation in nl/messages.po "
        "(run pybabel extract + update, then translate):\n  " + "\n  ".join(missing)
    )
    assert not stale_plural, "plural forms out of date:\n  " + "\n  ".join(stale_plural)


def test_one_voice_je_and_jouw() -> None:
    """The Dutch interface says "je/jouw", never the formal "u/uw" (issue 17)."""
    formal = re.compile(r"\b(u|uw|U|Uw)\b")
    found = [
        text
        for message in po_catalog("nl")
        if message.id
        for text in _strings(message)
        if formal.search(re.sub(r"%\(\w+\)[sd]", "", text))
    ]
    assert not found, found


def test_the_family_together_is_jullie_throughout_a_sentence() -> None:
    """The paper speaks to the family together as "jullie" and to one reader as "je"; one
    sentence does not switch halfway ("Jullie houden zelf de regie over je plan")."""
    mixed = re.compile(r"\bjullie\b[^.?!]*\b(je|jouw)\s+(plan|gezin|doelen|afspraken)\b", re.I)
    found = [
        text
        for message in po_catalog("nl")
        if message.id
        for text in _strings(message)
        if mixed.search(text)
    ]
    assert not found, found


def test_the_familys_paper_calls_what_is_theirs_jullie() -> None:
    """On the family's paper (templates/printout/, printout/) the family's plan, file and
    household are "jullie plan", "jullie dossier", "jullie gezin", as the paper's own headings
    say ("Jullie dossier"); "je" is for one reader ("Je mag lezen wat we over je opschrijven")
    and for the questionnaire each member fills in alone."""
    theirs = re.compile(r"\b(je|jouw) (plan|dossier|gezin)\b", re.I)
    found = [
        text
        for message in po_catalog("nl")
        if message.id and any("printout" in location for location, _line in message.locations)
        for text in _strings(message)
        if theirs.search(text)
    ]
    assert not found, found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_fuzzy_entries(lang: str) -> None:
    po = po_catalog(lang)
    # A fuzzy header makes `pybabel compile` skip the whole catalog.
    assert not po.fuzzy, f"the header of {lang}/messages.po is marked fuzzy"
    fuzzy = [_show(m) for m in po if m.id and m.fuzzy]
    assert not fuzzy, (
        f"fuzzy entries in {lang}/messages.po (check them, then drop the flag):\n  "
        + ("\n  ".join(fuzzy))
    )


def _expected_mo(po: Catalog) -> dict[Key, tuple[str, ...]]:
    """What `pybabel compile` writes for this .po (mirrors babel's write_mo)."""
    expected = {}
    for message in po:
        if not message.id or message.fuzzy or not message.string:
            continue
        if message.pluralizable:
            strings = tuple(s or message.id[min(i, 1)] for i, s in enumerate(_strings(message)))
        else:
            strings = _strings(message)
        expected[_key(message)] = strings
    return expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_mo_matches_po(lang: str) -> None:
    path = mo_path(lang)
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run pybabel compile"
    with open(path, "rb") as f:
        mo = read_mo(f)
    compiled = {_key(m): _strings(m) for m in mo if m.id}
    expected = _expected_mo(po_catalog(lang))

    not_compiled = sorted(repr(k[0]) for k in expected.keys() - compiled.keys())
    stale = sorted(repr(k[0]) for k in compiled.keys() - expected.keys())
    different = sorted(
        repr(k[0]) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k]
    )
    problems = {
        "in .po but not in .mo": not_compiled,
        "in .mo but not (or no longer) translated in .po, or fuzzy there": stale,
        "translated differently in .mo": different,
    }
    report = "\n".join(f"{what}: {', '.join(ids)}" for what, ids in problems.items() if ids)
    assert not report, f"{lang}/messages.mo is out of date; run pybabel compile.\n{report}"


def _placeholders(text: str) -> Counter[str]:
    return Counter(m.group(0) for m in PLACEHOLDER.finditer(text))


@cache
def _plural(lang: str):
    return gettext.c2py(po_catalog(lang).plural_expr)


def numbers_of(lang: str, form: int) -> set[int]:
    """The counts (0-1000) for which the language uses this plural form."""
    return {n for n in range(1001) if _plural(lang)(n) == form}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match(lang: str) -> None:
    problems = []
    for message in po_catalog(lang):
        if not message.id:
            continue
        msgids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = _strings(message)
        for i, string in enumerate(strings):
            if not string:
                continue  # untranslated: gettext falls back to the msgid
            msgid = msgids[min(i, len(msgids) - 1)]
            want, got = _placeholders(msgid), _placeholders(string)
            if len(msgids) == 2 and "%(num)d" not in got and len(numbers_of(lang, i)) == 1:
                # A plural form for one exact number may say it in words (Arabic "one goal",
                # "two goals"); a form that serves several numbers keeps the figure.
                want.pop("%(num)d", None)
            if want != got:
                problems.append(f"{msgid!r} -> {string!r}: expected {dict(want)}, got {dict(got)}")
            elif "%" in PLACEHOLDER.sub("", string):
                # Jinja's newstyle gettext always applies %, so a lone % raises at render time.
                problems.append(f"{msgid!r} -> {string!r}: stray '%' (write '%%')")
    assert not problems, f"placeholder mismatch in {lang}/messages.po:\n  " + "\n  ".join(problems)


def test_runtime_lookup() -> None:
    """The .mo files load with gettext (what Flask-Babel uses); English falls back to msgids."""
    with open(mo_path("nl"), "rb") as f:
        nl = gettext.GNUTranslations(f)
    assert nl.gettext("Cases") == "Casussen"
    assert nl.gettext("Family %(name)s") % {"name": "Bakker"} == "Gezin Bakker"
    assert nl.ngettext("%(num)d case", "%(num)d cases", 1) % {"num": 1} == "1 casus"
    assert nl.ngettext("%(num)d case", "%(num)d cases", 3) % {"num": 3} == "3 casussen"

    with open(mo_path("en"), "rb") as f:
        en = gettext.GNUTranslations(f)
    assert en.gettext("Cases") == "Cases"
    assert en.ngettext("%(num)d case", "%(num)d cases", 1) == "%(num)d case"
    assert en.ngettext("%(num)d case", "%(num)d cases", 3) == "%(num)d cases"
