"""How easy a printout is to read: the Flesch-Douma score of Dutch text, and a PDF's text.

    score = 206.835 - 0.93 * (words per sentence) - 77 * (syllables per word)

(Douma's adaptation of Flesch's reading ease to Dutch, 1960.) About 60-70 is plain Dutch, 70-80
fairly easy (B1), above 80 easy. It counts, it does not understand: a text of short, common
words can still be unclear. Used by bench/readability.py, never by the app's pages.

What counts (see `sentences`, `words` and `syllables`):
- A word is a run of characters between spaces that holds a letter or a digit, with the
  punctuation around it taken off; a word with a hyphen inside ("oma-dag") is one word. A word
  with a digit (a number, a date such as 09-08-1988) counts as one word of NUMBER_SYLLABLES
  syllables. Bullets (•, -, –, *, ✓) and list numbers ("1.") at the start of a line are not
  words.
- Syllables are groups of vowels (a e i o u y and their accented forms; 'y' only before a
  consonant or at the end). Inside a group, these count as one syllable, the longest first:
  eeu ieu oei aai ooi, then aa ee oo uu ie oe eu ui ei ij ou au; other vowels next to each other
  are one syllable each ("ru-ï-ne", "lu-eerd"), and a vowel with a diaeresis (ë, ï, ...) always
  starts a new one ("ge-ë-va-lu-eerd"). Dutch has no silent final e ("be-ken-de"), so nothing is
  taken off at the end. Every word has at least one syllable (names in another script too).
  Not handled: loan words ("mu-se-um" counts as two).
- Sentences end at . ! ? or : followed by a space or the end of the line. Text taken from a PDF
  also has line ends where no sentence ends (a paragraph wraps); a line end counts as the end of
  a sentence when the next line is empty or missing (the end of a block: a heading, a table
  cell, a paragraph), when the next line starts a list item (a bullet or "1."), or when the line
  looks like a heading: at most HEADING_WORDS words, not ending in a comma, followed by a line
  that starts with a capital letter or a digit. A "sentence" without any word of letters (the
  figures of a 0-10 ruler, a date alone in a table cell) is not counted.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

NUMBER_SYLLABLES = 2
HEADING_WORDS = 8
HARD_SYLLABLES = 4

# The page area inside print.css's @page margins (A4; points): the running header and the page
# numbers are in the margins, and are left out of pdf_text unless asked for.
MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
MARGIN_TOP, MARGIN_BOTTOM = 24 * MM, 22 * MM

_VOWELS = set("aeiouyáàâäéèêëíìîïóòôöúùûüý")
_DIAERESIS = set("äëïöüÿ")
_UNITS = (
    "eeu ieu oei aai ooi".split(),
    "aa ee oo uu ie oe eu ui ei ij ou au".split(),
)
_BULLET = re.compile(r"^\s*(?:[•\-–—*✓·▪◦]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*$")
_INLINE_END = re.compile(r"(?<=[.!?:])[\"'”’)\]]*\s+")
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_EDGE_PUNCTUATION = "\"'“”‘’()[]{}<>.,;:!?…·•–—-/*"


def syllables(word: str) -> int:
    """Syllables of one Dutch word (at least 1), by its vowel groups (module docstring)."""
    if any(ch.isdigit() for ch in word):
        return NUMBER_SYLLABLES
    w = word.lower().replace("ij", "\0")  # 'ij' is one vowel; \0 stands for it
    count = 0
    i = 0
    while i < len(w):
        if w[i] == "\0" or _is_vowel(w, i):
            j = i
            while j < len(w) and (w[j] == "\0" or _is_vowel(w, j)):
                j += 1
            count += _units_in(w[i:j].replace("\0", "ij"))
            i = j
        else:
            i += 1
    return max(count, 1)


def _is_vowel(w: str, i: int) -> bool:
    ch = w[i]
    if ch not in _VOWELS:
        return False
    if ch == "y":  # a consonant before a vowel ("yoga", "royaal")
        return i + 1 >= len(w) or w[i + 1] not in _VOWELS
    return True


def _units_in(group: str) -> int:
    """Syllables in one run of vowels."""
    count = 0
    i = 0
    while i < len(group):
        count += 1
        if group[i] in _DIAERESIS:
            i += 1
            continue
        for size, units in zip((3, 2), _UNITS, strict=True):
            piece = group[i : i + size]
            if piece in units:
                i += size
                break
        else:
            i += 1
    return count


def words(text: str) -> list[str]:
    """The words of a piece of text (one line or sentence), without bullets and punctuation."""
    out = []
    for token in _BULLET.sub("", text).split():
        word = token.strip(_EDGE_PUNCTUATION)
        if any(ch.isalnum() for ch in word):
            out.append(word)
    return out


def sentences(text: str) -> list[list[str]]:
    """The sentences of a text as lists of words (rules in the module docstring)."""
    lines = [line.strip() for line in _BIDI_CONTROLS.sub("", text).splitlines()]
    found: list[list[str]] = []
    current: list[str] = []
    for n, line in enumerate(lines):
        if not line:
            _close(found, current)
            current = []
            continue
        pieces = _INLINE_END.split(line)
        for piece in pieces[:-1]:
            current += words(piece)
            _close(found, current)
            current = []
        current += words(pieces[-1])
        following = lines[n + 1] if n + 1 < len(lines) else ""
        if _ends_sentence(line, following):
            _close(found, current)
            current = []
    _close(found, current)
    return found


def _ends_sentence(line: str, following: str) -> bool:
    if _SENTENCE_END.search(line) or not following or _BULLET.match(following):
        return True
    heading = len(words(line)) <= HEADING_WORDS and not line.endswith((",", ";", "-"))
    first = following.lstrip(_EDGE_PUNCTUATION)[:1]
    return heading and (first.isupper() or first.isdigit())


def _close(found: list[list[str]], current: list[str]) -> None:
    if any(any(ch.isalpha() for ch in w) for w in current):
        found.append(current)


@dataclass
class Readability:
    """The counts behind a Flesch-Douma score."""

    sentences: int
    words: int
    syllables: int
    hard_words: Counter[str] = field(default_factory=Counter)

    @property
    def score(self) -> float:
        if not self.words:
            raise ValueError("no words to score")
        return 206.835 - 0.93 * (self.words / self.sentences) - 77 * (self.syllables / self.words)


def analyse(text: str) -> Readability:
    """Sentences, words, syllables and the hard words (HARD_SYLLABLES or more, in lower case;
    numbers, e-mail addresses and links left out) of a Dutch text."""
    found = sentences(text)
    all_words = [w for sentence in found for w in sentence]
    counts = [syllables(w) for w in all_words]
    hard = Counter(
        w.lower()
        for w, n in zip(all_words, counts, strict=True)
        if n >= HARD_SYLLABLES and not any(ch.isdigit() or ch in "@/" for ch in w)
    )
    return Readability(len(found), len(all_words), sum(counts), hard)


def flesch_douma(text: str) -> float:
    """The Flesch-Douma reading ease of a Dutch text (higher is easier; ValueError without
    words)."""
    return analyse(text).score


def pdf_text(pdf: bytes, *, page_margins: bool = False) -> str:
    """The text of a PDF in reading order, as pdftotext (poppler-utils) gives it: one line per
    printed line, an empty line between blocks. Without `page_margins`, only the text inside
    the page margins of print.css (A4), so the running header and the page numbers are left
    out. Bidirectional control characters that pdftotext adds around Arabic are removed."""
    crop: list[str] = []
    if not page_margins:
        crop = ["-x", "0", "-y", f"{MARGIN_TOP:.0f}", "-W", f"{PAGE_W:.0f}"]
        crop += ["-H", f"{PAGE_H - MARGIN_TOP - MARGIN_BOTTOM:.0f}"]
    done = subprocess.run(  # noqa: S603 - fixed arguments, the PDF on stdin
        ["pdftotext", "-enc", "UTF-8", *crop, "-", "-"],  # noqa: S607 - poppler-utils on PATH
        input=pdf,
        capture_output=True,
        check=True,
    )
    return unicodedata.normalize("NFC", _BIDI_CONTROLS.sub("", done.stdout.decode("utf-8")))
