"""No English on a Dutch page: every page with a form, walked as a Dutch user, shows no option,
label, legend or button whose text is an English msgid of the catalog (with a Dutch text that
differs). A text made once when a module loads (an f-string of a label, a list built at import)
is made before any language is chosen, so it stays English on every page; this walk finds it.

The pages come from the one URL table (tests/factories/urls.py) filled with team Noord's file
(tests/factories/town.py), as the security walks do: a new form is checked as soon as its route
exists."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

from tests.plans.conftest import PlanUI

PO = Path(__file__).resolve().parent.parent / "wijkteam/translations/nl/LC_MESSAGES/messages.po"
# The team lead sees most pages, the case lead the draft note, the admin the admin pages; each
# reader walks the rules no earlier reader got a page for.
READERS = ("lead_noord", "pro_noord", "admin")
# Pages walked more than once: the Meldcode's recorded step (a correction) and the next one.
VARIANTS: dict[str, list[dict[str, int]]] = {"safety.step": [{"step": 4}, {"step": 5}]}
WATCHED = {"option", "label", "legend", "button"}
NUMBERED = re.compile(r"^\d+\.\s+")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


@cache
def english_texts() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    """English msgid -> Dutch msgstr where they differ; msgids with placeholders as patterns."""
    with PO.open("rb") as f:
        catalog = read_po(f, locale="nl")
    # An English word that is Dutch too ("Kind": a child) is no sign of English.
    dutch = {normal(str(m.string)) for m in catalog if m.string and not m.pluralizable}
    plain: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for message in catalog:
        if not message.id or message.pluralizable or not message.string:
            continue
        msgid, msgstr = str(message.id), str(message.string)
        if normal(msgid) == normal(msgstr) or normal(msgid) in dutch:
            continue
        if PLACEHOLDER.search(msgid):
            literal = PLACEHOLDER.sub("", msgid)
            if len(re.findall(r"[A-Za-z]", literal)) >= 6:  # enough English to be sure
                parts = [re.escape(normal(p)) for p in PLACEHOLDER.split(msgid)[::2]]
                patterns.append((re.compile("^" + ".+".join(parts) + "$"), msgid))
        else:
            plain[normal(msgid)] = msgid
    return plain, patterns


def normal(text: str) -> str:
    return " ".join(text.split())


class Texts(HTMLParser):
    """The text of every option, label, legend and button (and submit input) of a page: the
    whole text of the element and each piece of text in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, list[str]]] = []
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and (a.get("type") or "").lower() in ("submit", "button", "reset"):
            self.found.append(("input", normal(a.get("value") or "")))
        elif tag in WATCHED:
            self.open.append((tag, []))

    def handle_data(self, data: str) -> None:
        for _tag, pieces in self.open:
            pieces.append(data)
        if self.open and data.strip():
            self.found.append((self.open[-1][0], normal(data)))

    def handle_endtag(self, tag: str) -> None:
        if tag not in WATCHED:
            return
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                name, pieces = self.open.pop(i)
                self.found.append((name, normal("".join(pieces))))
                break


def english_on(html: str) -> list[str]:
    plain, patterns = english_texts()
    parser = Texts()
    parser.feed(html)
    parser.close()
    found = []
    for tag, text in dict.fromkeys(parser.found):
        if not text:
            continue
        bare = NUMBERED.sub("", text)  # "1. No participation": a numbered option
        msgid = plain.get(text) or plain.get(bare)
        msgid = msgid or next((m for p, m in patterns if p.match(text) or p.match(bare)), None)
        if msgid is not None:
            found.append(f"<{tag}> {text!r} (msgid {msgid!r})")
    return found


def test_the_check_finds_english_and_passes_dutch():
    english = "<select><option>1. No participation</option></select><button>Save</button>"
    found = english_on(english + "<label>Does regie change?</label>")
    assert len(found) == 3, found
    assert english_on("<option>1. Geen participatie</option><button>Opslaan</button>") == []


def test_no_english_option_label_legend_or_button_on_a_dutch_page(app, world, town):
    problems: list[str] = []
    pages = 0
    answered: set[str] = set()
    rules = sorted(
        (r for r in app.url_map.iter_rules() if "GET" in (r.methods or ())),
        key=lambda r: r.rule,
    )
    for who in READERS:
        client = app.test_client()
        client.login(world.email(getattr(world, who)))
        for rule in rules:
            if rule.endpoint in answered or rule.endpoint == "static":
                continue
            for extra in VARIANTS.get(rule.endpoint, [{}]):
                url = town.resolve(rule, extra=extra).url
                resp = client.get(url)
                if resp.status_code != 200 or resp.mimetype != "text/html":
                    continue
                answered.add(rule.endpoint)
                html = resp.get_data(as_text=True)
                if "<form" not in html:
                    continue
                assert '<html lang="nl">' in html, f"{who} GET {url} is not Dutch"
                pages += 1
                problems += [f"{who} GET {url}: {p}" for p in english_on(html)]
    assert pages >= 60, f"the walk must see every form page, saw {pages}"
    assert not problems, "\n".join(problems)


def test_the_shared_form_texts_are_dutch(client, plan_case):
    """The error summary and the conflict box come from templates/_macros/, which the catalog
    extraction used to skip ("_*" folders): a refused form said "Not saved yet" in English."""
    client.login("pro.noord@test.example")
    plan = PlanUI(client, plan_case)
    plan.start()
    resp = plan.add_goal("")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Nog niet opgeslagen: kijk naar de velden die hieronder gemarkeerd zijn." in html
    assert "Not saved yet" not in html
