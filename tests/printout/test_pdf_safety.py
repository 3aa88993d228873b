"""The PDF renderer loads nothing but the bundled print resources and attaches nothing."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.printout.conftest import pdf_text, print_plan
from wijkteam.printout.pdf import BlockedResource, BundledOnlyFetcher, render_pdf

HOSTILE = """<!doctype html><html lang="nl"><head><title>t</title>
<link rel="stylesheet" href="wijkteam-print:/print.css">
<link rel="stylesheet" href="file:///etc/passwd">
<link rel="attachment" href="file:///etc/passwd">
<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">
<link rel="stylesheet" href="wijkteam-print:/../../../etc/passwd">
<style>@font-face { font-family: Evil; src: url("file:///usr/share/fonts/x.ttf"); }
@font-face { font-family: Evil2; src: url("wijkteam-print:/fonts/OFL.txt"); }
p { font-family: Evil, Evil2, sans-serif; }</style>
</head><body>
<p>Veilig</p>
<img src="file:///etc/passwd"><img src="https://example.org/pixel.png">
<img src="/cases/1/file.json">
<a rel="attachment" href="file:///etc/hostname">bijlage</a>
<iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>
</body></html>"""


def test_hostile_document_loads_nothing_and_attaches_nothing():
    fetcher = BundledOnlyFetcher()
    data = render_pdf(HOSTILE, fetcher)
    text = pdf_text(data)
    assert "Veilig" in text
    assert "root:" not in text
    root = PdfReader(BytesIO(data)).trailer["/Root"]
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    assert b"/EmbeddedFile" not in data
    assert any(u.startswith("file:") for u in fetcher.refused)
    assert any(u.startswith("http") for u in fetcher.refused)
    assert "file:///usr/share/fonts/x.ttf" in fetcher.refused
    assert "wijkteam-print:/fonts/OFL.txt" in fetcher.refused
    assert all(not u.startswith("wijkteam-print:/print.css") for u in fetcher.refused)


def test_fetcher_serves_only_bundled_files():
    fetcher = BundledOnlyFetcher()
    assert b"@page" in fetcher.fetch("wijkteam-print:/print.css").read()
    for url in (
        "file:///etc/passwd",
        "http://localhost:5000/cases",
        "data:text/plain,hi",
        "wijkteam-print:/../__init__.py",
        "wijkteam-print:/missing.css",
    ):
        with pytest.raises(BlockedResource):
            fetcher.fetch(url)


def test_fetcher_serves_fonts_as_fonts_and_no_other_file_of_the_bundle():
    fetcher = BundledOnlyFetcher()
    font = fetcher.fetch("wijkteam-print:/fonts/NotoSansEthiopic-Regular.ttf")
    assert font.headers["Content-Type"] == "font/ttf"
    assert font.read()[:4] == b"\x00\x01\x00\x00"  # TrueType
    assert fetcher.fetch("wijkteam-print:/print.css").headers["Content-Type"] == "text/css"
    for url in (
        "wijkteam-print:/fonts/OFL.txt",
        "wijkteam-print:/fonts/README.md",
        "wijkteam-print:/fonts",
        "wijkteam-print:/fonts/missing.ttf",
        "wijkteam-print:/fonts/../../printout/pdf.py",
        "wijkteam-print:/fonts/../../../../../usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "file:///usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    ):
        with pytest.raises(BlockedResource):
            fetcher.fetch(url)
    assert fetcher.served == [
        "wijkteam-print:/fonts/NotoSansEthiopic-Regular.ttf",
        "wijkteam-print:/print.css",
    ]


def test_note_text_with_markup_is_printed_as_text(client, full_case, app):
    """Family words are escaped before WeasyPrint sees them."""
    from wijkteam.auth.models import User
    from wijkteam.cases.models import Case
    from wijkteam.core.db import db
    from wijkteam.plans import services as plans
    from wijkteam.plans.queries import load_plan

    hostile = '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/passwd">'
    with app.test_request_context():
        case = db.get(Case, full_case)
        user = db.get(User, case.lead_id)
        plans.add_goal(user, case, load_plan(case), {"text": hostile, "member_ids": []})
        db.commit()
    client.login("pro.noord@test.example")
    data = print_plan(client, full_case).data
    assert 'img src="file:///etc/passwd"' in pdf_text(data).replace("\n", "")
    assert b"/EmbeddedFile" not in data
