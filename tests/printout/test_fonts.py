"""The printouts bring their own fonts: Latin, Arabic and Ge'ez (Ethiopic) names are printed
with the bundled Noto fonts on any machine, never as boxes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from tests.printout.poppler import covered, embedded_fonts, pdffonts, text
from wijkteam.printout.pdf import PRINT_DIR, BlockedResource, BundledOnlyFetcher, render_pdf

ROOT = Path(__file__).resolve().parents[2]
TIGRINYA = "ሰላም ተስፋይ"
ARABIC = "عائشة الحسن"
LATIN = "Wij willen rustige ochtenden"
HTML = f"""<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="wijkteam-print:/print.css"></head><body>
<p>Gezin Tesfay: <bdi>{TIGRINYA}</bdi> en <strong><bdi>{TIGRINYA}</bdi></strong></p>
<p>Aisha <bdi>{ARABIC}</bdi> · 09-08-1988</p>
<p>{LATIN}, <strong>samen</strong> met <em>oma</em>.</p>
</body></html>"""
LETTERS = set((TIGRINYA + ARABIC).replace(" ", ""))
ETHIOPIC = set(TIGRINYA.replace(" ", ""))
BUNDLED = {
    "Print-Sans": "Noto Sans",
    "Print-Sans-Bold": "Noto Sans",
    "Print-Sans-Italic": "Noto Sans",
    "Print-Sans-Arabic": "Noto Sans Arabic",
    "Print-Sans-Ethiopic": "Noto Sans Ethiopic",
    "Print-Sans-Ethiopic-Bold": "Noto Sans Ethiopic",
}


class NoFonts(BundledOnlyFetcher):
    """The bundle without its fonts: what a printout would be without them."""

    def fetch(self, url: str, headers: object = None):
        if "/fonts/" in url:
            self.refused.append(url)
            raise BlockedResource(url)
        return super().fetch(url, headers)


def test_every_script_is_printed_with_the_bundled_noto_fonts():
    fetcher = BundledOnlyFetcher()
    pdf = render_pdf(HTML, fetcher)

    # The PDF names a font after its @font-face family, and "Print Sans ..." is a name only
    # the bundle has: these fonts came from wijkteam/static/print/fonts, not from the system.
    listed = pdffonts(pdf)
    assert set(BUNDLED) <= set(listed), listed
    assert all(listed[name] for name in BUNDLED), "not embedded"
    families = {f.pdf_name: f.family for f in embedded_fonts(pdf)}
    assert {name: families[name] for name in BUNDLED} == BUNDLED
    assert {"wijkteam-print:/fonts/NotoSansEthiopic-Regular.ttf"} <= set(fetcher.served)
    assert not fetcher.refused

    # Real glyphs for every letter (no .notdef boxes), and the text comes back out.
    assert covered(pdf) >= LETTERS
    printed = text(pdf)
    assert TIGRINYA in printed and ARABIC in printed and LATIN in printed


def test_without_the_bundle_the_system_fonts_are_used():
    """The same document with the fonts refused: other fonts, none of the bundle's names."""
    pdf = render_pdf(HTML, NoFonts())
    assert not set(BUNDLED) & set(pdffonts(pdf))


ISOLATED = """
import sys
from tests.printout.test_fonts import HTML, NoFonts
from wijkteam.printout.pdf import render_pdf
out = sys.argv[1]
open(out + "/bundled.pdf", "wb").write(render_pdf(HTML))
open(out + "/refused.pdf", "wb").write(render_pdf(HTML, NoFonts()))
"""


def test_on_a_machine_with_only_a_latin_font_the_bundle_is_what_prints_geez(tmp_path):
    """A server whose only font is Latin (a Basic Latin cut of Noto Sans, so the test needs no
    installed font): with the bundle the Ethiopic and Arabic letters have glyphs; with the fonts
    refused they would be boxes. The text layer alone would not show it: WeasyPrint keeps the
    characters of missing glyphs in the PDF's text, so pdftotext returns them either way."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    latin = TTFont(PRINT_DIR / "fonts" / "NotoSans-Regular.ttf")
    cut = subset.Subsetter()
    cut.populate(unicodes=range(0x20, 0x7F))
    cut.subset(latin)
    latin["name"].setName("Latin Only", 1, 3, 1, 0x409)
    latin.save(fonts / "latin.ttf")
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", ISOLATED, str(tmp_path)], cwd=ROOT, env=env, check=True
    )
    bundled = (tmp_path / "bundled.pdf").read_bytes()
    refused = (tmp_path / "refused.pdf").read_bytes()

    assert covered(bundled) >= LETTERS
    assert set(BUNDLED) <= set(pdffonts(bundled))
    assert not covered(refused) & ETHIOPIC
    assert set(pdffonts(refused)) == {"Latin-Only"}
