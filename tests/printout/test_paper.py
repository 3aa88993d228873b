"""The paper layout of the printouts: print.css's contract and the macros of
templates/printout/_paper.html, checked on the sample of bench/paper_sample.py."""

from __future__ import annotations

import logging
import re
from io import BytesIO

import pytest
from flask_babel import force_locale
from pypdf import PdfReader
from weasyprint import HTML

from bench.paper_sample import ARABIC_NAME, sample_html
from tests.printout.poppler import poppler, text, word_boxes
from wijkteam.printout.contact_sheet import END_LTR, LTR, default_texts
from wijkteam.printout.paper import css_string
from wijkteam.printout.pdf import PRINT_DIR, BundledOnlyFetcher, print_stylesheet, render_pdf

# Classes of print.css for the family file's tables; the sample does not use them.
LEGACY = {"access", "scores"}
HEAD = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="wijkteam-print:/print.css">"""


def macro(app, call: str, **values) -> str:
    with app.app_context():
        source = '{% import "printout/_paper.html" as paper %}' + call
        return app.jinja_env.from_string(source).render(**values)


@pytest.fixture(scope="module")
def sample(app) -> tuple[str, bytes]:
    html = sample_html(app)
    return html, render_pdf(html)


def page_text(pdf: bytes, page: int) -> str:
    return poppler("pdftotext", "-f", str(page), "-l", str(page), "-", "-", pdf=pdf)


def test_page_style_writes_the_words_as_css_strings(app):
    style = macro(app, '{{ paper.page_style("Pagina", "van") }}')
    assert style == (
        '<style>@page { @bottom-right { content: "Pagina" " " counter(page) " " "van" " " '
        "counter(pages); } }</style>"
    )
    hostile = macro(app, "{{ paper.page_style(a, b) }}", a='Pa"ge</style><p>x', b="a\\b\nc")
    assert hostile.count("</style>") == 1 and "<p>" not in hostile
    assert css_string('Pa"ge</style>') == '"Pa\\"ge\\3c /style\\3e "'
    pdf = render_pdf(f"{HEAD}{hostile}</head><body><p>Tekst</p></body></html>")
    assert 'Pa"ge</style><p>x 1 a\\b c 1' in text(pdf)


def test_ruler_marks_the_start_and_the_current_score(app):
    html = macro(app, "{{ paper.ruler(3, 6, 'Begin 3, nu \"6\"') }}")
    cells = re.findall(r'<span class="([^"]+)" data-n="(\d+)">(\d+)</span>', html)
    assert [(n, text) for _, n, text in cells] == [(str(i), str(i)) for i in range(11)]
    assert {n: cls for cls, n, _ in cells if cls != "ruler-cell"} == {
        "3": "ruler-cell start",
        "6": "ruler-cell now",
    }
    assert html.startswith('<div class="ruler" role="img" aria-label="Begin 3, nu &#34;6&#34;">')
    assert 'class="ruler-cell start now" data-n="4"' in macro(app, "{{ paper.ruler(4, 4, '') }}")
    assert "start" not in macro(app, "{{ paper.ruler(none, none, '') }}")
    assert 'class="ruler-cell now" data-n="8"' in macro(app, "{{ paper.ruler(none, 8, '') }}")


def test_bdi_escapes_and_isolates(app):
    escaped = "<bdi>&lt;b&gt;Aisha&lt;/b&gt;</bdi>"
    assert macro(app, "{{ paper.bdi(t) }}", t="<b>Aisha</b>") == escaped
    assert macro(app, "{{ paper.bdi(none) }}") == "<bdi></bdi>"


def test_an_arabic_name_in_bdi_keeps_the_date_after_it(app):
    """WeasyPrint lays out the text of each inline element on its own, so a <bdi> isolates the
    name. Without it the date, next to Arabic letters in one run of text, is taken into the
    right-to-left run: it is placed before the name (to its left) and reads 1988-08-09. That is
    the reason for the macro."""
    with_bdi = macro(app, "Aisha {{ paper.bdi(name) }} · 09-08-1988", name=ARABIC_NAME)
    without = f"Aisha {ARABIC_NAME} · 09-08-1988"

    def positions(line: str) -> tuple[float, float, float]:
        words = word_boxes(render_pdf(f"{HEAD}</head><body><p>{line}</p></body></html>"))
        x = {w.text: w.x for w in words}
        arabic = [w.x for w in words if any("\u0600" <= ch <= "\u06ff" for ch in w.text)]
        date = {w.text: w.x for w in words if re.fullmatch(r"[\d-]{10}", w.text)}
        return x["Aisha"], min(arabic), date.get("09-08-1988", date.get("1988-08-09", 0))

    aisha, name, date = positions(with_bdi)
    assert aisha < name < date
    aisha, name, date = positions(without)
    assert aisha < date < name
    assert "1988-08-09" in text(render_pdf(f"{HEAD}</head><body><p>{without}</p></body></html>"))


def test_ltr_escapes_and_isolates_left_to_right(app):
    escaped = '<bdi dir="ltr">&lt;b&gt;06&lt;/b&gt;</bdi>'
    assert macro(app, "{{ paper.ltr(t) }}", t="<b>06</b>") == escaped
    assert macro(app, "{{ paper.ltr(none) }}") == '<bdi dir="ltr"></bdi>'


def _groups_left_to_right(body: str, groups: tuple[str, ...]) -> list[str]:
    """The groups of a number on a right-to-left paragraph, in the order they stand on the page
    from left to right."""
    html = f'{HEAD}</head><body><p dir="rtl" lang="ar">{body}</p></body></html>'
    words = [w for w in word_boxes(render_pdf(html)) if w.text.strip("\u060c,") in groups]
    return [w.text.strip("\u060c,") for w in sorted(words, key=lambda w: w.x)]


def test_a_phone_number_on_a_right_to_left_paper_reads_left_to_right(app):
    """On an Arabic or Farsi paper the groups of a number written with spaces stand in the
    opposite order in a plain isolate, as in plain text ("0313 0000 06"): each group is a
    number, and the spaces between take the paper's direction. `paper.ltr` keeps them in order,
    and so does the isolate around the AKJ's number in the contact sheet's default."""
    groups = ("06", "0000", "0313")
    phone = " ".join(groups)
    with app.app_context():
        as_bdi = macro(app, "الهاتف {{ paper.bdi(t) }}، www.akj.nl", t=phone)
        as_ltr = macro(app, "الهاتف {{ paper.ltr(t) }}، www.akj.nl", t=phone)
        with force_locale("ar"):
            akj = default_texts()["youth_rights"]
    assert _groups_left_to_right(as_bdi, groups) == list(reversed(groups))
    assert _groups_left_to_right(as_ltr, groups) == list(groups)
    assert _groups_left_to_right(akj, ("088", "555", "1000")) == ["088", "555", "1000"]
    plain = akj.replace(LTR, "").replace(END_LTR, "")
    assert _groups_left_to_right(plain, ("088", "555", "1000")) == ["1000", "555", "088"]


def test_the_sample_uses_every_class_of_the_stylesheet(sample):
    html, _ = sample
    css = (PRINT_DIR / "print.css").read_text()
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    declared = set(re.findall(r"\.([a-z][a-z-]*)(?=[\s.,:{\[)])", rules)) - LEGACY
    used = {c for value in re.findall(r'class="([^"]*)"', html) for c in value.split()}
    assert declared - used == set()
    assert used - declared == set()  # no class the stylesheet does not know


def test_the_sample_renders_without_warnings(app, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf(sample_html(app))
    assert [r.getMessage() for r in caplog.records] == []


def test_running_header_and_page_numbers_on_every_page(sample):
    _, pdf = sample
    pages = len(PdfReader(BytesIO(pdf)).pages)
    assert pages == 4  # the safety sheet and a paper form to tick each start a page
    for page in range(1, pages + 1):
        lines = [line for line in page_text(pdf, page).splitlines() if line.strip()]
        assert lines[0] == "Ons plan · Familie Mensah · versie 3 van 4 december 2026"
        assert lines[-1] == f"Pagina {page} van {pages}"
    # The running title is not in the flow of the first page as well.
    assert page_text(pdf, 1).count("versie 3") == 1


def test_the_safety_sheet_starts_a_page_and_the_signatures_stay_together(sample):
    _, pdf = sample
    last = [line for line in page_text(pdf, 3).splitlines() if line.strip()]
    assert last[1] == "Wat we hebben afgesproken over veiligheid"
    assert "Handtekening" in last and "Datum" in last


def test_long_words_and_links_stay_on_the_page(sample):
    _, pdf = sample
    right_margin = 595.28 - 18 * 72 / 25.4
    html = poppler("pdftotext", "-bbox", "-", "-", pdf=pdf)
    ends = [float(x) for x in re.findall(r'xMax="([\d.]+)"', html)]
    assert max(ends) <= right_margin + 0.5
    assert "Gezinsondersteuningsprogrammacoördinatorenoverleg" in text(pdf)


def contrast(color) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in color.coordinates)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def test_type_sizes_and_contrast(app):
    """Computed by WeasyPrint (px: 1pt = 4/3 px): body 12pt in near-black; .muted at least
    11pt and 7:1; .small at least 10pt; table cells wrap long words, tables are fixed."""
    html = sample_html(app)
    document = HTML(string=html, url_fetcher=BundledOnlyFetcher()).render()
    styles: dict[str, dict] = {}
    table_layouts = set()
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None:
                continue
            key = element.get("class") or element.tag
            styles.setdefault(key, box.style)
            if key == "table":  # the table's wrapper box and the table box
                table_layouts.add(box.style["table_layout"])
    pt = 4 / 3
    assert styles["intro"]["font_size"] >= 12 * pt
    body = styles["body"]
    assert body["font_size"] == 12 * pt and body["line_height"] == pytest.approx(1.45)
    assert contrast(body["color"]) >= 15
    assert styles["muted"]["font_size"] >= 11 * pt and contrast(styles["muted"]["color"]) >= 7
    assert styles["small"]["font_size"] >= 10 * pt and contrast(styles["small"]["color"]) >= 7
    assert "fixed" in table_layouts
    for key in ("td", "family-words", "body"):
        assert styles[key]["overflow_wrap"] == "break-word"
    assert styles["h2"]["font_size"] > body["font_size"]


def test_the_stylesheet_parsed_once_prints_as_the_linked_one(sample):
    """render_pdf serves the template's link to print.css with the stylesheet parsed once per
    thread; the paper is the same as when the document loads print.css itself."""
    html, pdf = sample
    assert print_stylesheet() is print_stylesheet()
    fetcher = BundledOnlyFetcher()
    linked = render_pdf(html, fetcher)
    assert "wijkteam-print:/print.css" in fetcher.served  # this one did load it itself
    pages = len(PdfReader(BytesIO(pdf)).pages)
    assert pages == len(PdfReader(BytesIO(linked)).pages)
    for page in range(1, pages + 1):
        assert page_text(pdf, page) == page_text(linked, page)
    assert word_boxes(pdf) == word_boxes(linked)  # the first page: the same words, same places


def test_the_stylesheet_has_no_left_or_right_outside_the_page_margins():
    """One stylesheet for both directions (issue 19): logical properties (start/end), never
    left/right, except the page's own margin boxes (@top-left, @bottom-right)."""
    css = re.sub(r"/\*.*?\*/", "", (PRINT_DIR / "print.css").read_text(), flags=re.S)
    css = re.sub(r"@(top|bottom)-(left|right)", "", css)
    assert not re.findall(r"[\w-]*\b(?:left|right)\b[\w-]*", css)


def _signature_page(app, lang: str, signers: list[str]) -> str:
    """A paper whose first page is two-thirds full before a signature box for `signers`, in
    `lang` ("nl", or a two-language paper as bilingual.merge makes it)."""
    from flask_babel import force_locale

    from wijkteam.printout import bilingual

    source = (
        '{% import "printout/_paper.html" as paper %}'
        + HEAD
        + "</head><body>"
        + "<p>Tekst die de bladzijde vult.</p>" * 24
        + '<div class="signature-box"><h2>{{ _("Is this right? What would you like to change?")'
        + ' }}</h2><div class="write-lines"></div><p>{{ _("Sign here if this is still your'
        + ' plan.") }}</p><div class="signers">{% for name in signers %}'
        + '{{ paper.signer(_("Name"), _("Signature"), _("Date"), name=name) }}'
        + "{% endfor %}</div></div></body></html>"
    )
    with app.test_request_context():
        template = app.jinja_env.from_string(source)
        with force_locale(lang):
            html = template.render(signers=signers)
        if lang == "nl":
            return html
        with force_locale("nl"):
            return bilingual.merge(html, template.render(signers=signers))


def test_a_two_language_signer_has_one_line_per_field_with_both_labels(app):
    """The Dutch of a sign field is its label only: a person gets one line for the name, one
    to sign and one for the date, each labelled in both languages (before, each field came
    twice, the name printed twice and two lines to sign)."""
    html = _signature_page(app, "ar", ["Mila Voorbeeld", "Ravi Voorbeeld"])
    assert html.count('class="sign-value"') == 6
    assert html.count("Mila Voorbeeld") == 1
    dutch = re.findall(r'<span class="nl-line" lang="nl" dir="ltr">(.*?)</span>', html)
    assert dutch.count("Handtekening") == 2 and dutch.count("Naam") == 2
    assert all("sign-value" not in line for line in dutch)
    printed = text(render_pdf(html))
    assert printed.count("Handtekening") == 2 and printed.count("Mila Voorbeeld") == 1


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_signers_that_do_not_fit_start_under_sign_here(app, lang):
    """Six signers do not fit under "Sign here" on a page that is two-thirds full: the box
    moves to a new page, and its first row of signers stays with "Sign here" instead of
    leaving the rest of that page blank (the rows' orphans and widows)."""
    names = [f"Persoon{n} Voorbeeld" for n in range(1, 7)]
    pdf = render_pdf(_signature_page(app, lang, names))
    pages = len(PdfReader(BytesIO(pdf)).pages)
    sign_here = next(p for p in range(1, pages + 1) if "handtekening" in page_text(pdf, p))
    assert sign_here > 1  # the box did not fit on the first page
    assert "Persoon1 Voorbeeld" in page_text(pdf, sign_here)
    assert "Persoon6 Voorbeeld" not in page_text(pdf, sign_here)
