"""A gentle nudge towards notes a family could read: spot labelling words in shareable parts.

Not a rule and not a block: the professional decides. The words are common Dutch labels that
judge people instead of describing what happened."""

from __future__ import annotations

import re
from collections.abc import Iterable

LABELS = (
    "ongemotiveerd",
    "niet gemotiveerd",
    "onwillig",
    "manipulatief",
    "asociaal",
    "agressief",
    "zwakbegaafd",
    "dom",
    "lui",
    "hysterisch",
    "probleemgezin",
    "multiprobleemgezin",
    "verwaarlozing",
    "onverantwoordelijk",
    "incapabel",
    "onhandelbaar",
    "leugenachtig",
    "claimend",
    "zorgmijdend",
    "weigerachtig",
)
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in LABELS) + r")\b", re.IGNORECASE)


def labelling_words(texts: Iterable[str]) -> list[str]:
    """The labelling words found, each once, in the order they first appear."""
    found: list[str] = []
    for text in texts:
        for match in _PATTERN.finditer(text or ""):
            word = match.group(1).lower()
            if word not in found:
                found.append(word)
    return found
