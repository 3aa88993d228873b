"""A sample printout that uses every class and macro of the print stylesheet, to look at.

    .venv/bin/python bench/paper_sample.py [--out /tmp/paper-sample] [--png]

Writes sample.pdf (and with --png one sample-<page>.png per page, pdftoppm at 60 dpi) into the
folder, and prints the paths. The contract is at the top of wijkteam/static/print/print.css;
the macros are in templates/printout/_paper.html. Fictional names only. Asserts nothing;
tests/printout/test_paper.py renders the same sample and checks what can be checked.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402

from wijkteam.printout.pdf import render_pdf  # noqa: E402

ARABIC_NAME = "عائشة الحسن"
TIGRINYA_NAME = "ሰላም ተስፋይ"

SAMPLE = """<!doctype html>
{% import "printout/_paper.html" as paper %}
<html lang="nl">
<head>
<meta charset="utf-8">
<title>Ons plan · Familie Mensah</title>
<link rel="stylesheet" href="wijkteam-print:/print.css">
{{ paper.page_style("Pagina", "van") }}
</head>
<body>
<p class="running-title">Ons plan · Familie Mensah · versie 3 van 4 december 2026</p>
<p class="proposal-banner">Voorstel, nog niet afgesproken</p>
<h1>Ons plan</h1>
<p class="intro">Dit is het plan van Ama, Kofi en {{ paper.bdi(tigrinya) }}. Hier staat wat jullie
  willen bereiken, wie waarmee helpt en wat we hebben afgesproken.</p>
<p class="muted">Dit is een voorstel. Lees het samen en zeg wat er anders moet.</p>
<p class="small">Gemaakt op 4 december 2026.</p>

<h2>Wie zijn jullie</h2>
<ul>
  <li>Ama Mensah · 12-03-1985</li>
  <li>Aisha {{ paper.bdi(arabic) }} · 09-08-1988</li>
  <li>{{ paper.bdi(tigrinya) }} · 01-02-2012</li>
</ul>

<h2>Wat jullie willen bereiken</h2>
{{ paper.ruler_legend("Begin", "Nu") }}
<div class="goal">
  <h3><span class="new-mark">Nieuw</span>Doel 1 · Ama</h3>
  <p class="family-words">Wij willen dat Kofi elke ochtend zonder huilen naar school gaat.</p>
  {{ paper.ruler(3, 6, "Begin 3, nu 6, op een schaal van 0 tot 10") }}
  <p><strong>Waarom dit belangrijk is:</strong> Dan begint de dag rustig voor iedereen.</p>
  <p><strong>Een stap hoger is:</strong> Kofi pakt zelf zijn tas in.
    <span class="oral-mark">(mondeling uitgelegd)</span><span class="nl-line" lang="nl"
    dir="ltr">De Nederlandse regel onder een tekst in een papier met twee talen.</span></p>
</div>
<div class="goal">
  <h3><span class="changed-mark">Veranderd</span>Doel 2 · Kofi</h3>
  <p class="family-words">Ik wil een vriendje in de klas.
    Gezinsondersteuningsprogrammacoördinatorenoverleg is een heel lang woord dat toch netjes
    moet afbreken, net als
    https://www.example.org/een/heel/lange/link/naar/een/pagina/met/informatie/voor/ouders.</p>
  {{ paper.ruler(4, 4, "Begin 4, nu ook 4") }}
</div>
<div class="goal">
  <h3>Doel 3 · Ama</h3>
  <p class="family-words">Zelf de tolk kunnen bellen.</p>
  {{ paper.ruler(none, 8, "Nu 8") }}
</div>
<div class="goal">
  <h3>Doel 4 · Kofi</h3>
  <p class="family-words">Nog geen cijfer gegeven.</p>
  {{ paper.ruler(none, none, "Nog geen cijfer") }}
</div>

<h3 class="keep-with-next">Dit is gelukt</h3>
<ul class="done-list">
  <li>Kofi gaat op woensdag met oma naar school.</li>
  <li>Ama heeft een vaste tolk bij de gesprekken op school.</li>
</ul>

<h2>Wie helpt waarmee</h2>
<p class="who">Oma Ria <span class="muted">(uit jullie eigen kring)</span></p>
<ul><li>Haalt Kofi op woensdag op · voor 16 december 2026</li></ul>
<table>
  <thead><tr><th>Wanneer</th><th>Wie</th><th>Wat</th></tr></thead>
  <tbody>
    <tr><td>3 mrt 2026</td><td>Sanne Kuipers</td><td>5 keer bekeken, 2 dingen veranderd</td></tr>
    <tr><td>4 mrt 2026</td><td>Aisha {{ paper.bdi(arabic) }}</td>
      <td>Onafhankelijkheidsverklaringsdocumentatie_zonder_spaties_die_de_kolom_niet_mag_oprekken</td></tr>
  </tbody>
</table>

<div class="box keep-together">
  <h3>Wie beslist</h3>
  <p>Jullie beslissen zelf. Wij helpen als jullie dat vragen.</p>
  <p>Willen jullie iets anders?</p>
  <div class="write-lines short"></div>
</div>

<section class="separate-sheet">
<h2>Wat we hebben afgesproken over veiligheid</h2>
<p>Om de kinderen veilig te houden, spraken we samen af:</p>
<ul>
  <li>Ama belt oma Ria als ze boos wordt.</li>
  <li>{{ paper.bdi(tigrinya) }} mag altijd de buurvrouw bellen.</li>
</ul>
<div class="signature-box">
  <h3>Klopt dit? Wat willen jullie veranderen?</h3>
  <div class="write-lines"></div>
  <div class="signers">
    {{ paper.signer("Naam", "Handtekening", "Datum", name="Ama Mensah") }}
    {{ paper.signer("Naam", "Handtekening", "Datum", name=arabic) }}
    {{ paper.signer("Naam", "Handtekening", "Datum") }}
  </div>
</div>
</section>

<section class="separate-sheet">
<h2>Wat vind je van onze hulp?</h2>
<div class="keep-together">
  <p class="keep-with-next"><strong>1. Voelde je je gehoord?</strong></p>
  <table class="ticks"><tr><td><span class="tick-box"></span><br>Helemaal niet</td><td><span
    class="tick-box"></span><br>Een beetje</td><td><span class="tick-box"></span><br>Soms wel, soms
    niet</td><td><span class="tick-box"></span><br>Grotendeels</td><td><span
    class="tick-box"></span><br>Helemaal</td></tr></table>
</div>
<p class="keep-with-next"><strong>4. Welk cijfer geef je ons, van 1 tot 10?</strong></p>
<table class="ticks"><tr>
  {% for n in range(1, 11) %}<td><span class="tick-box"></span><br>{{ n }}</td>{% endfor %}
</tr></table>
</section>
</body>
</html>
"""


def sample_html(app: Flask) -> str:
    """The sample document, rendered by the app's Jinja (its filters and settings)."""
    with app.app_context():
        template = app.jinja_env.from_string(SAMPLE)
        return template.render(arabic=ARABIC_NAME, tigrinya=TIGRINYA_NAME)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("/tmp/paper-sample"))  # noqa: S108
    parser.add_argument("--png", action="store_true", help="also one PNG per page (pdftoppm)")
    args = parser.parse_args()
    from wijkteam import create_app
    from wijkteam.core.config import TestConfig

    app = create_app(TestConfig, DATABASE_URL="sqlite://")
    args.out.mkdir(parents=True, exist_ok=True)
    pdf = args.out / "sample.pdf"
    pdf.write_bytes(render_pdf(sample_html(app)))
    print(pdf)
    if args.png:
        prefix = args.out / "sample"
        subprocess.run(  # noqa: S603 - fixed arguments
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(prefix)],  # noqa: S607
            check=True,
        )
        for png in sorted(args.out.glob("sample-*.png")):
            print(png)


if __name__ == "__main__":
    main()
