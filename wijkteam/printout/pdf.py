"""PDF rendering with WeasyPrint, locked down: the only resources it may load are the app's
own print stylesheet, fonts and images (no file:, no network, no app URLs with the user's
cookies), and nothing is ever attached to the PDF."""

from __future__ import annotations

import threading
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

PRINT_DIR = (Path(__file__).resolve().parent.parent / "static" / "print").resolve()
SCHEME = "wijkteam-print:"
# What a printout may load, by the file's ending, with the type it is served as. Anything else
# under static/print (the fonts' licence and README) is never served.
MIME_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
}


class BlockedResource(ValueError):
    """A document asked for something outside the bundled print resources."""


class BundledOnlyFetcher(URLFetcher):
    """Serves `wijkteam-print:/<name>` from static/print; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=())
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if not url.startswith(f"{SCHEME}/"):
            self.refused.append(url)
            raise BlockedResource(f"resource not allowed in a printout: {url[:200]}")
        path = (PRINT_DIR / url[len(SCHEME) + 1 :]).resolve()
        mime = MIME_TYPES.get(path.suffix.lower())
        if PRINT_DIR not in path.parents or not path.is_file() or mime is None:
            self.refused.append(url)
            raise BlockedResource(f"no such print resource: {url[:200]}")
        self.served.append(url)
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


_local = threading.local()


def font_config() -> FontConfiguration:
    """One font configuration per worker process (and thread), kept between documents.

    Making one scans the system's fonts, and each document's @font-face rules would load the
    bundled fonts again: together most of the time of a short printout. Kept, the bundled fonts
    are loaded once (WeasyPrint skips a face it already has). A worker process is replaced
    after some jobs (wijkteam/jobs/__main__.py), and its temporary font folder goes with it."""
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


# How a printout's template links the print stylesheet (templates/printout/*.html).
PRINT_CSS_LINK = f'<link rel="stylesheet" href="{SCHEME}/print.css">'


def print_stylesheet() -> CSS:
    """print.css parsed once per worker process (and thread), with the kept font configuration.

    Parsing it (and its @font-face rules) was a tenth of the time of a five-page plan. Applied
    as a user stylesheet instead of the document's link: above the user agent's rules, below
    the document's own <style> (the page numbers in the print language), as before, since that
    comes after the link in every template."""
    css = getattr(_local, "print_css", None)
    if css is None:
        css = _local.print_css = CSS(
            url=f"{SCHEME}/print.css", url_fetcher=BundledOnlyFetcher(), font_config=font_config()
        )
    return css


def render_pdf(html: str, fetcher: BundledOnlyFetcher | None = None) -> bytes:
    """A tagged PDF (PDF/UA-1: real, selectable text with structure for screen readers).

    The document's link to print.css is served by the stylesheet parsed once
    (`print_stylesheet`). With a `fetcher` of its own (tests that watch what a document loads)
    the document gets a fresh font configuration and loads print.css itself, so that every
    font is fetched through that fetcher."""
    stylesheets: list[CSS] = []
    if fetcher is None and PRINT_CSS_LINK in html:
        html = html.replace(PRINT_CSS_LINK, "", 1)
        stylesheets.append(print_stylesheet())
    document = HTML(string=html, url_fetcher=fetcher or BundledOnlyFetcher())
    fonts = FontConfiguration() if fetcher is not None else font_config()
    return document.write_pdf(
        pdf_variant="pdf/ua-1", attachments=[], font_config=fonts, stylesheets=stylesheets
    )
