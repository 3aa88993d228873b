"""The Flesch-Douma score and its Dutch syllable counter, counted by hand."""

from __future__ import annotations

import pytest

from wijkteam.printout.pdf import render_pdf
from wijkteam.printout.readability import (
    NUMBER_SYLLABLES,
    analyse,
    flesch_douma,
    pdf_text,
    sentences,
    syllables,
    words,
)


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("gezinsplan", 3),  # ge-zins-plan
        ("afspraken", 3),  # af-spra-ken
        ("ziekenhuis", 3),  # zie-ken-huis
        ("eigen", 2),  # ei-gen
        ("geëvalueerd", 5),  # ge-ë-va-lu-eerd
        ("Wij", 1),
        ("rustige", 3),
        ("bekende", 3),  # no silent final e in Dutch
        ("nieuw", 1),  # ieu
        ("leeuw", 1),  # eeu
        ("koeien", 2),  # koei-en
        ("mooi", 1),
        ("haai", 1),
        ("ideeën", 3),  # i-dee-ën
        ("coördinator", 5),
        ("ruïne", 3),
        ("uitnodiging", 4),
        ("Ria", 2),  # i-a is not one vowel
        ("baby", 2),  # y as a vowel
        ("yoga", 2),  # y before a vowel is a consonant
        ("ሰላም", 1),  # no Latin vowels: at least one
        ("09-08-1988", NUMBER_SYLLABLES),
    ],
)
def test_syllables(word, count):
    assert syllables(word) == count


def test_words_leave_out_bullets_and_punctuation():
    assert words("• Ama Mensah · 12-03-1985, (oma-dag)!") == [
        "Ama",
        "Mensah",
        "12-03-1985",
        "oma-dag",
    ]
    assert words("1. Eerst bellen") == ["Eerst", "bellen"]


def test_a_known_short_text():
    # Wij(1) wil-len(2) rus-ti-ge(3) och-ten-den(3). O-ma(2) Ri-a(2) haalt(1) No-ah(2) op(1)
    # woens-dag(2) op(1). 11 words, 2 sentences, 20 syllables:
    # 206.835 - 0.93 * 5.5 - 77 * 20 / 11 = 61.72
    text = "Wij willen rustige ochtenden. Oma Ria haalt Noah op woensdag op."
    counted = analyse(text)
    assert (counted.sentences, counted.words, counted.syllables) == (2, 11, 20)
    assert flesch_douma(text) == pytest.approx(61.72, abs=0.01)


def test_hard_words_are_those_of_four_syllables_or_more():
    counted = analyse(
        "De gezinsondersteuning is geëvalueerd. De gezinsondersteuning helpt. "
        "Mail naar sanne.noord@wijkteam.example of kijk op https://www.wijkteam.example/informatie."
    )
    assert counted.hard_words == {"gezinsondersteuning": 2, "geëvalueerd": 1}


def test_sentences_of_text_from_a_pdf():
    text = (
        "Ons plan\n"  # a heading right above a paragraph
        "Dit is het plan van Ama en Noah. Hier staat wat jullie willen\n"  # wraps: one sentence
        "bereiken, en wie helpt\n"
        "\n"
        "Wie zijn jullie\n"
        "• Ama Mensah · 12-03-1985\n"  # list items without a full stop
        "• Aisha · 09-08-1988\n"
        "0\n\n1\n\n2\n"  # the figures of a ruler: no sentence
        "\n"
        "Waarom: Dan begint de dag rustig.\n"
    )
    assert sentences(text) == [
        ["Ons", "plan"],
        ["Dit", "is", "het", "plan", "van", "Ama", "en", "Noah"],
        ["Hier", "staat", "wat", "jullie", "willen", "bereiken", "en", "wie", "helpt"],
        ["Wie", "zijn", "jullie"],
        ["Ama", "Mensah", "12-03-1985"],
        ["Aisha", "09-08-1988"],
        ["Waarom"],
        ["Dan", "begint", "de", "dag", "rustig"],
    ]


def test_no_words_no_score():
    with pytest.raises(ValueError, match="no words"):
        flesch_douma("• 1 2 3")


def test_pdf_text_leaves_out_the_page_margins():
    html = """<!doctype html><html lang="nl"><head><title>t</title>
    <link rel="stylesheet" href="wijkteam-print:/print.css"></head><body>
    <p class="running-title">Ons plan · Familie Mensah</p>
    <p>Aisha <bdi>عائشة الحسن</bdi> gaat naar school.</p></body></html>"""
    pdf = render_pdf(html)
    body = pdf_text(pdf)
    assert "Aisha" in body and "عائشة الحسن" in body
    assert "Familie Mensah" not in body and "1/1" not in body.replace(" ", "")
    everything = pdf_text(pdf, page_margins=True)
    assert "Familie Mensah" in everything and "1/1" in everything.replace(" ", "")
    assert "\u202b" not in everything  # pdftotext's bidi marks are removed
