"""The plan in the family's own language (issue 19): every print language prints its own
headings with real glyphs, right-to-left where it should; two-language paper; the team's
choice of languages and the family's languages as the suggestion."""

from __future__ import annotations

import re
import unicodedata
from io import BytesIO

import pytest
from flask_babel import force_locale, gettext
from pypdf import PdfReader
from sqlalchemy import select

from tests.printout.conftest import ask_plan, fetch, print_file, print_plan
from tests.printout.poppler import covered, text, word_boxes
from wijkteam.audit.models import AuditEvent
from wijkteam.auth.models import Team
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.printout import bilingual, render
from wijkteam.printout.languages import BY_CODE, CODES, from_spoken, offered

HEADINGS = ("What you want to reach", "Who does what", "Who you can call", "Who decides")
# Direction marks and the zero-width non-joiner of Farsi: pdftotext drops or adds them.
INVISIBLE = re.compile("[\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# pdftotext gives Arabic lam-alef ligatures back in a different order: such words are looked
# for in the HTML only.
LAM_ALEF = re.compile("ل[اأإآ]")


def plain(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", INVISIBLE.sub("", value)).split())


@pytest.fixture
def documents(monkeypatch):
    """The HTML of every document made, next to its PDF."""
    made: list[str] = []
    real = render.render_pdf

    def spy(html: str, fetcher=None) -> bytes:
        made.append(html)
        return real(html)

    monkeypatch.setattr(render, "render_pdf", spy)
    return made


# The family's goal in each language, as a professional would write it with an interpreter.
GOAL_IN = {
    "en": "We want calm mornings.",
    "ar": "نريد صباحات هادئة.",
    "tr": "Sakin sabahlar istiyoruz.",
    "pl": "Chcemy spokojnych poranków.",
    "uk": "Ми хочемо спокійних ранків.",
    "ti": "ህዱእ ንግሆ ንደሊ።",
    "so": "Waxaan rabnaa subaxyo degan.",
    "fa": "ما صبح‌های آرام می‌خواهیم.",
}


@pytest.mark.parametrize("code", CODES)
def test_each_print_language_prints_its_headings_with_real_glyphs(
    app, client, full_case, documents, code
):
    if code != "nl":
        add_goal_text(app, full_case, code, GOAL_IN[code])
    client.login("pro.noord@test.example")
    pdf = print_plan(client, full_case, code).data
    html = documents[-1]
    lang = BY_CODE[code]
    assert f'<html lang="{code}" dir="{lang.direction}">' in html
    printed = plain(text(pdf))
    with app.test_request_context(), force_locale(code):
        headings = [gettext(h) for h in HEADINGS]
    if code != "en":
        assert not set(headings) & set(HEADINGS), "a heading is not translated"
    checked = 0
    for heading in headings:
        assert heading in html
        if not LAM_ALEF.search(heading):
            assert plain(heading) in printed, (code, heading)
            checked += 1
    assert checked >= 2
    if code != "nl":  # the family's own text in its language
        assert f'<span lang="{code}" dir="{lang.direction}">{GOAL_IN[code]}</span>' in html
        assert plain(GOAL_IN[code]) in printed
    # No character printed as a box: every one has a glyph in an embedded font.
    letters = {ch for ch in printed if not ch.isspace()}
    assert letters <= covered(pdf), sorted(letters - covered(pdf))[:20]


@pytest.mark.parametrize("code", ["ar", "fa", "ti"])
def test_the_family_file_in_a_language_of_another_script(client, full_case, documents, code):
    client.login("pro.noord@test.example")
    pdf = print_file(client, full_case, "pdf", code).data
    assert f'<html lang="{code}" dir="{BY_CODE[code].direction}">' in documents[-1]
    printed = plain(text(pdf))
    assert {ch for ch in printed if not ch.isspace()} <= covered(pdf)


@pytest.mark.parametrize(
    ("code", "comma"), [("ar", "، "), ("fa", "، "), ("ti", "፣ "), ("nl", ", ")]
)
def test_the_paper_writes_the_commas_of_its_language(
    app, client, full_case, documents, code, comma
):
    """The parts of the contact line ("name, e-mail ...") are joined with the print
    language's comma: an Arabic paper wrote Latin commas between Arabic words. On a
    two-language paper the Dutch line under it keeps the Dutch comma."""
    client.login("pro.noord@test.example")
    pdf = print_plan(client, full_case, code).data
    line = re.search(r'<p class="key-line">(.*?)</p>', documents[-1], re.S).group(1)
    with app.test_request_context(), force_locale(code):
        with_mail = gettext("e-mail")
    assert f"<bdi>Pro Noord</bdi>{comma}{with_mail} " in line, line
    # The professional signs with the team's name, joined the same way.
    assert f"Pro Noord{comma}" in documents[-1].split('class="signers"')[1]
    if code != "nl":
        assert ", " not in line, line
        assert comma.strip() in plain(text(pdf))
        print_plan(client, full_case, code, bilingual="y")
        merged = re.search(r'<p class="key-line">(.*?)</p>', documents[-1], re.S).group(1)
        assert '</bdi>, e-mail <bdi dir="ltr">' in merged, merged


def test_dutch_words_on_a_right_to_left_paper_stay_left_to_right(client, full_case, documents):
    """The family's words, recorded in Dutch, are marked as Dutch on an Arabic paper, with
    "explained orally" after a goal or action."""
    client.login("pro.noord@test.example")
    print_plan(client, full_case, "ar")
    html = documents[-1]
    assert '<span lang="nl" dir="ltr">Wij willen rustige ochtenden.</span>' in html
    assert '<span class="oral-mark">(شُرح شفهيًا)</span>' in html
    print_plan(client, full_case, "nl")
    assert "oral-mark" not in documents[-1]


def test_the_teams_dutch_words_on_another_paper_are_marked_dutch(app, client, full_case, documents):
    """What the team typed in words for the paper (when the case lead and the team can be
    reached, how to complain, Veilig Thuis) is printed as typed, in Dutch. On an Arabic paper
    it is marked as Dutch, left to right, and on the plan "explained orally" follows it, as
    after a goal; a default the team left alone is in the paper's language."""
    with app.app_context():
        case = db.get(Case, full_case)
        case.lead.reachable = "di, wo en vr"
        case.team.reachable = "ma t/m vr, 9.00-17.00 uur"
        case.team.complaints = "De klachtenfunctionaris van de gemeente: 06-00000391"
        case.team.veilig_thuis = "Veilig Thuis regio Noord: 06-00000395"
        db.commit()
    client.login("pro.noord@test.example")
    print_plan(client, full_case, "ar")
    html = documents[-1]
    oral = '<span class="oral-mark">(شُرح شفهيًا)</span>'
    for typed in (
        "di, wo en vr",
        "ma t/m vr, 9.00-17.00 uur",
        "De klachtenfunctionaris van de gemeente: 06-00000391",
        "Veilig Thuis regio Noord: 06-00000395",
    ):
        assert f'<span lang="nl" dir="ltr">{typed}</span> {oral}' in html, typed
    with app.test_request_context(), force_locale("ar"):
        support = gettext("Ask the team or the municipality how to reach them.")
    assert support in html and f'<span lang="nl" dir="ltr">{support}' not in html
    print_plan(client, full_case, "nl")
    assert "di, wo en vr." in documents[-1] and '<span lang="nl"' not in documents[-1]
    assert "oral-mark" not in documents[-1]


def test_phone_numbers_on_a_right_to_left_paper_read_left_to_right(app, client, full_case):
    """The case lead's, the team's and the AKJ's numbers, written with spaces, stand on an
    Arabic paper as they are written: their groups left to right (`paper.ltr`)."""
    with app.app_context():
        case = db.get(Case, full_case)
        case.lead.phone = "06 0000 0312"
        case.team.phone = "030 000 0301"
        db.commit()
    client.login("pro.noord@test.example")
    pdf = print_plan(client, full_case, "ar").data
    numbers = {"0312": ["06", "0000", "0312"], "0301": ["030", "000", "0301"]}
    numbers["1000"] = ["088", "555", "1000"]
    found = {}
    for page in range(1, len(PdfReader(BytesIO(pdf)).pages) + 1):
        # Each word without the marks pdftotext may keep, and the commas and full stop after it.
        words = [(INVISIBLE.sub("", w.text).strip("\u060c."), w) for w in word_boxes(pdf, page)]
        for last, groups in numbers.items():
            for end in (w for t, w in words if t == last):
                line = [(w.x, t) for t, w in words if abs(w.y - end.y) < 5 and t in groups]
                found[last] = [t for _x, t in sorted(line)]
    assert found == numbers


def test_two_languages_put_the_dutch_under_each_text(app, client, full_case, documents):
    client.login("pro.noord@test.example")
    url = f"/cases/{full_case}/printouts/plan"
    pdf = fetch(client, client.submit(url, {"lang": "tr", "bilingual": "y"}, page=url)).data
    html = documents[-1]
    printed = plain(text(pdf))
    with app.test_request_context(), force_locale("tr"):
        turkish = gettext("What you want to reach")
    assert turkish in printed and "Wat jullie willen bereiken" in printed
    assert '<span class="nl-line" lang="nl" dir="ltr">Wat jullie willen bereiken</span>' in html
    # The running title stays in one language; the family's own words are not doubled.
    title = re.search(r'<p class="running-title">(.*?)</p>', html).group(1)
    assert "nl-line" not in title
    assert html.count("Wij willen rustige ochtenden.") == html.count("family-words")
    with app.app_context():
        row = db.scalars(
            select(AuditEvent).where(AuditEvent.action == "print.plan").order_by(AuditEvent.id)
        ).all()[-1]
        assert "lang=tr" in row.detail and "bilingual=True" in row.detail


def test_two_languages_mean_nothing_for_dutch(client, full_case, documents):
    client.login("pro.noord@test.example")
    url = f"/cases/{full_case}/printouts/plan"
    fetch(client, client.submit(url, {"lang": "nl", "bilingual": "y"}, page=url))
    assert "nl-line" not in documents[-1]


def test_the_team_chooses_its_print_languages(app, client, full_case):
    """An admin leaves Arabic out: the print form no longer offers it and refuses it."""
    with app.app_context():
        team = db.get(Case, full_case).team
        team.print_languages = ["tr", "pl"]
        db.commit()
        assert [lang.code for lang in offered(team)] == ["nl", "tr", "pl"]
    client.login("pro.noord@test.example")
    url = f"/cases/{full_case}/printouts/plan"
    page = client.get(url).get_data(as_text=True)
    assert 'value="tr"' in page and 'value="ar"' not in page
    refused = ask_plan(client, full_case, "ar")
    assert refused.status_code == 422
    assert 'id="lang-error"' in refused.get_data(as_text=True)


def test_only_an_admin_sets_the_team_print_languages(app, client, other_client, world):
    other_client.login("lead.noord@test.example")
    assert other_client.get(f"/admin/teams/{world.noord}/edit").status_code in (403, 404)
    client.login("admin@test.example")
    page = client.get(f"/admin/teams/{world.noord}/edit").get_data(as_text=True)
    ticked = re.findall(r'<input checked id="print_languages-\d+" [^>]*value="(\w+)">', page)
    assert ticked == [code for code in CODES if code != "nl"]  # all, until an admin chooses
    assert "nog niet nagelezen" in page


def test_the_family_languages_come_first_and_are_suggested(app, client, full_case):
    with app.app_context():
        family = db.get(Case, full_case).family
        for member in family.members:
            member.languages = ["Turks", "Nederlands"] if member.role.value == "parent" else []
        db.commit()
        first_names = [m.first_name for m in family.members if m.role.value == "parent"]
    client.login("pro.noord@test.example")
    page = client.get(f"/cases/{full_case}/printouts/plan").get_data(as_text=True)
    options = re.findall(r'<option([^>]*)value="(\w+)"([^>]*)>([^<]*)</option>', page)
    codes = [value for _a, value, _b, _label in options if value in CODES]
    assert codes[:2] == ["nl", "tr"]  # spoken in the family first, in the registry's order
    turkish = next(o for o in options if o[1] == "tr")
    assert "selected" in turkish[0] + turkish[2]
    assert all(name in turkish[3] for name in first_names)


def test_what_people_write_maps_to_a_print_language():
    assert from_spoken("Arabisch").code == "ar"
    assert from_spoken("Engels (een beetje)").code == "en"
    assert from_spoken("TIGRINYA").code == "ti"
    assert from_spoken("Dari").code == "fa"
    assert from_spoken("Twi") is None


def test_merge_puts_the_dutch_under_the_innermost_blocks():
    family = (
        '<html><body><p class="running-title">Planımız</p><h2>Hedefler</h2>'
        '<ul><li><span class="new-mark">Yeni</span>Oma <bdi>Ria</bdi> gelir</li></ul>'
        '<div class="goal"><p>Lisa</p><p>12</p></div></body></html>'
    )
    dutch = (
        '<html><body><p class="running-title">Ons plan</p><h2>Doelen</h2>'
        '<ul><li><span class="new-mark">Nieuw</span>Oma <bdi>Ria</bdi> komt</li></ul>'
        '<div class="goal"><p>Lisa</p><p>12</p></div></body></html>'
    )
    merged = bilingual.merge(family, dutch)
    assert '<p class="running-title">Planımız</p>' in merged  # no Dutch in the running title
    assert '<h2>Hedefler<span class="nl-line" lang="nl" dir="ltr">Doelen</span></h2>' in merged
    # The mark is not repeated; inline markup of the Dutch is kept.
    assert '<span class="nl-line" lang="nl" dir="ltr">Oma <bdi>Ria</bdi> komt</span></li>' in (
        merged
    )
    assert merged.count("nl-line") == 2  # the same words ("Lisa", "12") get no Dutch line


def test_merge_refuses_documents_of_another_shape():
    with pytest.raises(bilingual.Mismatch):
        bilingual.merge(
            "<html><body><p>a</p><p>b</p></body></html>", "<html><body><p>a</p></body></html>"
        )


def test_every_print_language_is_offered_by_default(app, world):
    with app.app_context():
        team = db.get(Team, world.noord)
        assert team.print_languages is None
        assert [lang.code for lang in offered(team)] == list(CODES)
        assert db.scalar(select(Team.print_languages).where(Team.id == world.noord)) is None


def add_goal_text(app, case_id: int, code: str, words: str) -> None:
    from tests.factories import app_api as api
    from tests.factories import cases as c

    with app.test_request_context():
        case = db.get(Case, case_id)
        goal = api.load_plan(case).goals[0]
        lead = db.get(api.User, case.lead_id)
        c.second_texts(lead, case, goal, {("goal", goal.id): words}, lang=code)
        db.commit()


def add_arabic(app, case_id: int) -> dict[str, str]:
    """The goal and its first action in Arabic, written with an interpreter."""
    from tests.factories import app_api as api
    from tests.factories import cases as c

    texts = {"goal": "نريد صباحات هادئة.", "action": "الجدة ريا تأخذ نوح يوم الأربعاء."}
    with app.test_request_context():
        case = db.get(Case, case_id)
        goal = api.load_plan(case).goals[0]
        action = goal.actions[0]
        c.second_texts(
            db.get(api.User, case.lead_id),
            case,
            goal,
            {("goal", goal.id): texts["goal"], ("action", action.id): texts["action"]},
        )
        db.commit()
        texts["dutch_action"] = action.text
    return texts


def test_a_second_text_is_printed_in_its_language(app, client, full_case, documents):
    texts = add_arabic(app, full_case)
    client.login("pro.noord@test.example")
    pdf = print_plan(client, full_case, "ar").data
    html = documents[-1]
    assert f'<span lang="ar" dir="rtl">{texts["goal"]}</span>' in html
    assert f'<span lang="ar" dir="rtl">{texts["action"]}</span>' in html
    printed = plain(text(pdf))
    assert plain(texts["goal"]) in printed
    assert "Wij willen rustige ochtenden." not in html  # the Arabic replaces the Dutch
    # On a Turkish paper the Dutch is printed, explained orally; on a Dutch one as it is.
    print_plan(client, full_case, "tr")
    turkish = documents[-1]
    assert texts["goal"] not in turkish
    assert '<span lang="nl" dir="ltr">Wij willen rustige ochtenden.</span> <span class="oral' in (
        turkish
    )
    print_plan(client, full_case, "nl")
    assert texts["goal"] not in documents[-1] and "oral-mark" not in documents[-1]


def test_two_languages_show_the_second_text_with_the_dutch_under_it(
    app, client, full_case, documents
):
    texts = add_arabic(app, full_case)
    client.login("pro.noord@test.example")
    url = f"/cases/{full_case}/printouts/plan"
    fetch(client, client.submit(url, {"lang": "ar", "bilingual": "y"}, page=url))
    html = documents[-1]
    assert re.search(
        rf'<span lang="ar" dir="rtl">{texts["goal"]}</span>'
        r'<span class="nl-line" lang="nl" dir="ltr">Wij willen rustige ochtenden\.</span>',
        html,
    )


def test_a_second_text_of_an_older_dutch_text_is_not_printed(app, client, full_case, documents):
    """When the Dutch changed after the second text was written, the paper prints the new
    Dutch (explained orally), never a translation of something else."""
    texts = add_arabic(app, full_case)
    with app.test_request_context():
        from tests.factories import app_api as api

        case = db.get(Case, full_case)
        goal = api.load_plan(case).goals[0]
        goal.text = "Wij willen rustige ochtenden en avonden."
        db.commit()
    client.login("pro.noord@test.example")
    print_plan(client, full_case, "ar")
    html = documents[-1]
    assert texts["goal"] not in html
    assert 'Wij willen rustige ochtenden en avonden.</span> <span class="oral-mark">' in html
    assert texts["action"] in html  # the action's Dutch did not change
