"""The print languages: the languages the family's paper (plan, closing letter, file) can be
printed in, independent of the screen languages (core/config.py LANGUAGES).

Each has a catalogue in wijkteam/translations/<code>/ (the same `messages` domain as the
screen; only the print strings need a translation there, see printout/catalogs.py) and a
`review.toml` next to it that says whether a native speaker has reviewed it
(docs/printout.md, "Print languages")."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


@dataclass(frozen=True)
class PrintLanguage:
    code: str  # Babel's locale ("ar"): catalogue folder, dates and numbers, the lang attribute
    name: str  # in the language itself, as the family reads it
    dutch: str  # as the professional reads it on a Dutch screen
    english: str
    rtl: bool = False
    # What people write in a family member's languages field (lower case, Dutch and English).
    aliases: tuple[str, ...] = ()

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


LANGUAGES: tuple[PrintLanguage, ...] = (
    PrintLanguage("nl", "Nederlands", "Nederlands", "Dutch", aliases=("nederlands", "dutch")),
    PrintLanguage("en", "English", "Engels", "English", aliases=("engels", "english")),
    PrintLanguage(
        "ar", "العربية", "Arabisch", "Arabic", rtl=True, aliases=("arabisch", "arabic", "العربية")
    ),
    PrintLanguage("tr", "Türkçe", "Turks", "Turkish", aliases=("turks", "turkish", "türkçe")),
    PrintLanguage("pl", "Polski", "Pools", "Polish", aliases=("pools", "polish", "polski")),
    PrintLanguage(
        "uk",
        "Українська",
        "Oekraïens",
        "Ukrainian",
        aliases=("oekraïens", "oekraiens", "ukrainian", "українська"),
    ),
    PrintLanguage("ti", "ትግርኛ", "Tigrinya", "Tigrinya", aliases=("tigrinya", "tigrinia", "ትግርኛ")),
    PrintLanguage(
        "so", "Soomaali", "Somalisch", "Somali", aliases=("somalisch", "somali", "soomaali")
    ),
    PrintLanguage(
        "fa",
        "فارسی",
        "Farsi/Dari",
        "Farsi/Dari",
        rtl=True,
        aliases=("farsi", "perzisch", "persian", "dari", "farsi/dari", "فارسی", "دری"),
    ),
)
BY_CODE = {language.code: language for language in LANGUAGES}
CODES = tuple(BY_CODE)


def language(code: str | None) -> PrintLanguage:
    """The print language of a code; Dutch for an unknown or missing one."""
    return BY_CODE.get(code or "nl", BY_CODE["nl"])


def offered(team: Any) -> tuple[PrintLanguage, ...]:
    """The print languages a team offers, in the registry's order: Dutch always, the others as
    an admin chose them (Team.print_languages; None: all)."""
    chosen = getattr(team, "print_languages", None)
    if chosen is None:
        return LANGUAGES
    return tuple(lang for lang in LANGUAGES if lang.code == "nl" or lang.code in chosen)


def from_spoken(name: str) -> PrintLanguage | None:
    """The print language of a language as written in a family member's languages field
    ("Arabisch", "Engels (een beetje)", "Tigrinya"), or None when it is not one we print."""
    key = re.sub(r"\(.*?\)", "", name).strip().lower()
    for candidate in LANGUAGES:
        if key in candidate.aliases or key == candidate.code:
            return candidate
    return None


@dataclass(frozen=True)
class Review:
    """Whether a native speaker has read a print language's catalogue (its review.toml)."""

    reviewed: bool
    reviewer: str
    reviewed_on: str
    note: str


@cache
def review(code: str) -> Review:
    path = TRANSLATIONS / code / "review.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return Review(
        reviewed=bool(data.get("reviewed", False)),
        reviewer=str(data.get("reviewer", "")),
        reviewed_on=str(data.get("reviewed_on", "")),
        note=str(data.get("note", "")),
    )
