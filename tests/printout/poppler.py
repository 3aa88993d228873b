"""poppler-utils for the printout tests: the fonts a PDF embeds (pdffonts), where its words are
(pdftotext -bbox), and which characters its embedded fonts really have glyphs for."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from html import unescape

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader


def poppler(tool: str, *args: str, pdf: bytes) -> str:
    """Run a poppler-utils tool on the PDF (given on stdin: "-" in `args`) and return what it
    prints."""
    try:
        done = subprocess.run(  # noqa: S603 - fixed arguments
            [tool, *args],
            input=pdf,
            capture_output=True,
            check=True,
        )
    except FileNotFoundError:
        pytest.fail(f"{tool} is needed for these tests: apt-get install poppler-utils")
    return done.stdout.decode("utf-8")


@dataclass
class Font:
    pdf_name: str  # as pdffonts shows it, without the subset prefix: "Print-Sans-Ethiopic"
    family: str  # from the embedded font program's name table: "Noto Sans Ethiopic"
    embedded: bool
    covers: set[str]  # characters the embedded glyphs are for (Arabic forms as their letters)


def pdffonts(pdf: bytes) -> dict[str, bool]:
    """Font name (without subset prefix) -> embedded, as pdffonts lists them."""
    fonts = {}
    for line in poppler("pdffonts", "-", pdf=pdf).splitlines()[2:]:
        name, *_ = line.split()
        emb = re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        fonts[name.split("+", 1)[-1]] = bool(emb and emb.group(1) == "yes")
    return fonts


def embedded_fonts(pdf: bytes) -> list[Font]:
    """Every font of every page, read with pypdf and fontTools."""
    found: dict[str, Font] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = descriptor.get_object().get("/FontFile2")
            if program is None:
                found[name] = Font(name, "", False, set())
                continue
            tt = TTFont(io.BytesIO(program.get_object().get_data()))
            family = tt["name"].getDebugName(1) or ""
            cmap = tt.getBestCmap() if "cmap" in tt else {}
            covers = {ch for c in (cmap or {}) for ch in unicodedata.normalize("NFKC", chr(c))}
            found[name] = Font(name, family, True, covers)
    return list(found.values())


def covered(pdf: bytes) -> set[str]:
    """The characters some embedded font has a real glyph for."""
    return set().union(*(f.covers for f in embedded_fonts(pdf)))


@dataclass
class Word:
    text: str
    x: float
    y: float


def word_boxes(pdf: bytes, page: int = 1) -> list[Word]:
    """The words of a page (the first) with their left edge and top, in points."""
    html = poppler("pdftotext", "-f", str(page), "-l", str(page), "-bbox", "-", "-", pdf=pdf)
    return [
        Word(unescape(m.group(3)), float(m.group(1)), float(m.group(2)))
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
    ]


def text(pdf: bytes) -> str:
    """All the text of the PDF, as pdftotext gives it."""
    return poppler("pdftotext", "-enc", "UTF-8", "-", "-", pdf=pdf)
