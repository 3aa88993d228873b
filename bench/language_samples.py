"""One picture per print language: the first two pages of a demo family's plan, side by side,
as docs/printout/plan-<code>.png (and the two-language Arabic plan as plan-ar-nl.png), so that
reviewers can judge each language without running the app (docs/printout.md, "Print
languages").

    .venv/bin/python bench/language_samples.py [--family "El Idrissi"] [--out docs/printout]

Needs pdftoppm (poppler-utils). Made from the demo data in a temporary database (demo.py)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from demo import demo_app, latest_cases
from flask_babel import force_locale
from PIL import Image

from wijkteam.jobs.models import JobKind, PrintJob
from wijkteam.printout.languages import CODES
from wijkteam.printout.render import render

ROOT = Path(__file__).resolve().parent.parent


def two_pages(pdf: bytes, out: Path, dpi: int) -> None:
    """Pages 1 and 2 of the PDF next to each other, with a thin grey frame around each."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        pdftoppm = shutil.which("pdftoppm") or "pdftoppm"
        subprocess.run(  # noqa: S603 - fixed program, our own file
            [pdftoppm, "-r", str(dpi), "-f", "1", "-l", "2", "-png", source, Path(tmp) / "p"],
            check=True,
        )
        pages = [Image.open(p).convert("L") for p in sorted(Path(tmp).glob("p-*.png"))]
        gap = 12
        width = sum(p.width for p in pages) + gap * (len(pages) + 1)
        height = max(p.height for p in pages) + 2 * gap
        sheet = Image.new("L", (width, height), 210)  # grey: the paper is black and white
        x = gap
        for page in pages:
            sheet.paste(page, (x, gap))
            x += page.width + gap
        sheet.save(out, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--family", default="El Idrissi")
    parser.add_argument("--out", default=str(ROOT / "docs" / "printout"))
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with demo_app():
        case = next((c for c in latest_cases() if c.family.name == args.family), None)
        if case is None:
            raise SystemExit(f"no demo family {args.family!r}")
        wanted = [(code, False) for code in CODES] + [("ar", True)]
        for code, both in wanted:
            options = {"lang": code, "bilingual": both}
            with force_locale(code):
                made = render(PrintJob(case=case, kind=JobKind.PLAN_PDF, options=options))
            name = out / (f"plan-{code}-nl.png" if both else f"plan-{code}.png")
            two_pages(made.body, name, args.dpi)
            print(name.relative_to(ROOT) if name.is_relative_to(ROOT) else name)


if __name__ == "__main__":
    main()
