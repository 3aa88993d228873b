"""Hostile and random input for form fields and query parameters."""

from __future__ import annotations

import io
from datetime import date

from hypothesis import strategies as st

from tests.fuzz.html_forms import Control
from wijkteam.resources.services import CSV_COLUMNS

# Markup that must never come back unescaped, and what it would look like if it did.
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><script>alert(1)</script>",
    "'><svg onload=alert(1)>",
    "{{7*7}}ZZ",
    "{% raw %}{{ config }}",
    "${7*7}ZZ",
    "' OR 1=1 --",
    "'; DROP TABLE cases; --",
    "%(name)s %s %d {0}",
    "javascript:alert(1)",
    '=HYPERLINK("http://x.example")',
    "a%b_c\\d",
    "..\\..\\etc/passwd",
    "/cases\r\nX-Injected: 1",  # a header injection through a redirect target
    "//evil.example/",
    "/\\evil.example",
]
UNESCAPED_MARKERS = ["<script>alert(", "<img src=x onerror", "<svg onload", "49ZZ"]

ODD_PIECES = [
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u200b",  # zero width space
    "\u200d",  # zero width joiner
    "\ufeff",  # byte order mark
    "e\u0301\u0301\u0301",  # combining accents
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family emoji
    "\U0001f600",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",  # Arabic
    "\u4e2d\u6587",
    "\x00",
    "\x07\x1b[31m",
    "\r\n",
    "\t",
    "\u0000\u0000",
    "\uffff",
    "\U0010ffff",
    "\u0660\u0661",  # Arabic-Indic digits (int() reads them)
    "\u00a0",
    " ",
]

# Any Unicode except lone surrogates (a browser cannot send those in UTF-8).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
ODD_TEXT = st.lists(
    st.one_of(st.sampled_from(ODD_PIECES + PAYLOADS), ANY_TEXT), min_size=1, max_size=6
).map("".join)
LONG_PIECES = ["a", "\u00e9", "<b>", "\U0001f600", "x ", "<script>alert(1)</script>"]
# Just over the usual limits (200, 1000, 5000 characters); one field of an example gets a
# really long text (VERY_LONG), which is expensive to send, render and search.
LONG_TEXT = st.builds(
    lambda piece, n: (piece * n)[:n],
    st.sampled_from(LONG_PIECES),
    st.sampled_from([201, 1_001, 5_001]),
)
VERY_LONG_TEXT = st.builds(
    lambda piece, n: (piece * n)[:n],
    st.sampled_from(LONG_PIECES),
    st.sampled_from([10_000, 100_000]),
)
HOSTILE_TEXT = st.one_of(st.sampled_from(PAYLOADS), ODD_TEXT, ANY_TEXT, LONG_TEXT)

# What a whole-number or choice field must answer with a message, never a 500 (finding 15):
# int() reads '٣' and ' 12 ' but not '²' (which str.isdigit() lets through), nor 5,000 digits.
NUMBER_TRAPS = [
    "\u00b2",  # superscript two: isdigit() but not int()
    "\u0663",  # Arabic-Indic three
    "\u0661\u0662",  # Arabic-Indic twelve
    "1e5",
    " 12 ",
    "-0",
    "0x10",
    "9" * 5_000,
    "abc",
]
BAD_NUMBERS = [
    *NUMBER_TRAPS,
    "-1",
    "0",
    "11",
    "-0",
    "1.5",
    "1e3",
    "1e309",
    "NaN",
    "inf",
    "0x10",
    "\u0663",  # Arabic-Indic three
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999",
    "1" * 400,
    " 7 ",
    "",
    "abc",
]
BAD_DATES = [
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2026-02-30",
    "2026-13-01",
    "26-03-01",
    "01-03-2026",
    "2026/03/01",
    "2026-03-01T12:00",
    "tomorrow",
    "-1",
    "",
    "99999-01-01",
]
NUMBERS = st.one_of(
    st.integers(-3, 12).map(str),
    st.sampled_from(BAD_NUMBERS),
    st.integers(-(10**30), 10**30).map(str),
)
DATES = st.one_of(
    st.dates(date(2026, 1, 5), date(2026, 11, 1)).map(date.isoformat),
    st.sampled_from(BAD_DATES),
    st.dates(date(1, 1, 1), date(9999, 12, 31)).map(date.isoformat),
)


def ids_strategy(foreign_ids: list[int]) -> st.SearchStrategy[str]:
    """Values for a field that names an object: someone else's ids, odd numbers, text."""
    return st.one_of(
        st.sampled_from([str(i) for i in foreign_ids] or ["1"]),
        st.sampled_from(BAD_NUMBERS),
        HOSTILE_TEXT,
    )


def _plain(control: Control) -> st.SearchStrategy[str]:
    """A value that could pass validation, so that hostile values elsewhere reach the rules."""
    name = control.name.lower()
    if control.kind == "date" or name.endswith("_on"):
        return st.dates(date(2026, 3, 5), date(2026, 11, 1)).map(date.isoformat)
    if control.kind == "number" or "score" in name or name.endswith(("_from", "_to")):
        return st.integers(0, 10).map(str)
    if control.kind == "email" or "email" in name:
        return st.sampled_from(["lisa@example.org", ""])
    if "phone" in name:  # a team's or professional's phone allows digits, spaces, +, -, ()
        return st.sampled_from(["06-00000123", "+31 (0)6 00000123", ""])
    return st.sampled_from(["Rustig aan", "Oma Ria helpt op woensdag.", "Nederlands, Turks"])


def hostile_value(control: Control, foreign_ids: list[int]) -> st.SearchStrategy[str]:
    name = control.name.lower()
    if control.kind == "date" or name.endswith("_on"):
        return st.one_of(DATES, HOSTILE_TEXT)
    if control.kind == "number":
        return st.one_of(NUMBERS, HOSTILE_TEXT)
    if control.kind in ("select", "radio", "checkbox") or name.endswith(("_id", "_ids")):
        return st.one_of(ids_strategy(foreign_ids), NUMBERS)
    if control.kind == "hidden":
        return st.one_of(NUMBERS, HOSTILE_TEXT)
    return HOSTILE_TEXT


CSV_HEADER = ";".join(CSV_COLUMNS)
# A row the import accepts; the fuzzing changes a few of its cells, so that a hostile value
# gets past the checks before it (an unknown kind stops a row before its ages are read).
PLAIN_CSV_ROW = {
    "name": "Buurthuis",
    "kind": "other",
    "offers": "Koffie en een praatje",
    "audience": "everyone",
    "age_from": "4",
    "age_to": "12",
    "languages": "Nederlands, Turks",
    "area": "Noord",
    "contact_name": "Mira",
    "contact_phone": "",
    "contact_email": "",
    "when": "woensdag",
    "free": "ja",
}


def csv_text(changes: list[dict[str, str]]) -> str:
    """A CSV file of plain rows (one per dict of changed cells), each with a name of its own."""
    lines = [CSV_HEADER]
    for i, changed in enumerate(changes):
        row = {**PLAIN_CSV_ROW, "name": f"Buurthuis {i}", **changed}
        lines.append(";".join(row[c] for c in CSV_COLUMNS))
    return "\r\n".join(lines) + "\r\n"


def _plain_rows_with_hostile_cells() -> st.SearchStrategy[str]:
    cell = st.tuples(
        st.sampled_from(CSV_COLUMNS),
        st.one_of(st.sampled_from(NUMBER_TRAPS), NUMBERS, HOSTILE_TEXT),
    )
    changes = st.lists(st.lists(cell, max_size=3).map(dict), min_size=1, max_size=5)
    return changes.map(csv_text)


def file_strategy() -> st.SearchStrategy[bytes]:
    rows = st.lists(
        st.lists(st.one_of(HOSTILE_TEXT, NUMBERS), min_size=0, max_size=12).map(";".join),
        max_size=5,
    )
    return st.one_of(
        _plain_rows_with_hostile_cells().map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.binary(max_size=300),
        rows.map(lambda r: "\n".join([CSV_HEADER, *r]).encode("utf-8", "surrogatepass")),
        rows.map(lambda r: "\n".join(r).encode("utf-16")),
        st.just(b"\xff\xfe\x00\x00garbage"),
        st.just(b""),
    )


# Stands for the value the form has when it is sent (its current version, for instance).
CURRENT = "\x00current\x00"


def draw_value(
    data: st.DataObject, control: Control, foreign_ids: list[int], hostile: bool
) -> list[str] | None:
    """What to send for one control: a list of values (several = a repeated field), or None
    to leave the field out. A control that is not `hostile` gets what a person could send, so
    that the hostile values in the other fields get past validation into the rules."""
    keep = list(control.values)
    if not hostile:
        options = [o for o in control.options if o != ""] or control.options
        if control.kind in ("select", "radio", "checkbox") and options:
            if control.multiple or control.kind == "checkbox":
                fair = st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True)
            else:
                fair = st.sampled_from(options).map(lambda v: [v])
            return data.draw(st.one_of(fair, st.just(keep)), control.name)
        if control.kind == "hidden":
            return [CURRENT]
        plain = _plain(control).map(lambda v: [v])
        if any(v.strip() for v in keep):
            plain = st.one_of(st.just(keep), plain)
        return data.draw(plain, control.name)
    one = hostile_value(control, foreign_ids)
    return data.draw(
        st.one_of(
            one.map(lambda v: [v]),
            st.none(),  # a missing field
            st.lists(one, min_size=2, max_size=3),  # a repeated field
        ),
        control.name,
    )


def file_upload(content: bytes) -> tuple[io.BytesIO, str]:
    return io.BytesIO(content), "fuzz.csv"


# Query parameters of list and search pages.
QUERY_NAMES = [
    "q",
    "page",
    "scope",
    "status",
    "kind",
    "on",
    "lang",
    "language",
    "free",
    "archived",
    "resource_id",
    "next",
    "sort",
    "period",
    "from",
    "to",
    "team",
    "professional",
    "waiting",
    "coming",
    "pause",
    "auto",
]
QUERY_VALUES = st.one_of(
    st.sampled_from(
        [
            "-1",
            "0",
            "99999999999999999999",
            "9223372036854775808",
            "%",
            "_",
            "\\",
            "%%",
            "a%b_c\\",
            "'",
            '"',
            "mine",
            "team",
            "all",
            "closed",
            "en",
            "nl",
            "2026-01-01",
            "2026-Q3",
            "1999-Q4",
            "0000-00-00",
            "9999-12-31",
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "ab",
        ]
    ),
    HOSTILE_TEXT,
    NUMBERS,
)
