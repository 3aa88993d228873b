"""PDF rendering with WeasyPrint, locked down: the only resources it may load are the app's
own print stylesheet and images (no file:, no network, no app URLs with the user's cookies),
and nothing is ever attached to the PDF."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PRINT_DIR = (Path(__file__).resolve().parent.parent / "static" / "print").resolve()
SCHEME = "wijkteam-print:"


class BlockedResource(ValueError):
    """A document asked for something outside the bundled print resources."""


class BundledOnlyFetcher(URLFetcher):
    """Serves `wijkteam-print:/<name>` from static/print; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=())
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if not url.startswith(f"{SCHEME}/"):
            self.refused.append(url)
            raise BlockedResource(f"resource not allowed in a printout: {url[:200]}")
        path = (PRINT_DIR / url[len(SCHEME) + 1 :]).resolve()
        if PRINT_DIR not in path.parents or not path.is_file():
            self.refused.append(url)
            raise BlockedResource(f"no such print resource: {url[:200]}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


def render_pdf(html: str, fetcher: BundledOnlyFetcher | None = None) -> bytes:
    """A tagged PDF (PDF/UA-1: real, selectable text with structure for screen readers)."""
    document = HTML(string=html, url_fetcher=fetcher or BundledOnlyFetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1", attachments=[])
