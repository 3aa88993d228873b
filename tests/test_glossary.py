"""docs/glossary.md stays in step with the code: every name in its last column exists."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import wijkteam

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"


def _code_names() -> list[str]:
    names = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2].startswith("`"):
            names += re.findall(r"`([^`]+)`", cells[2])
    return names


def test_the_glossary_lists_the_domain() -> None:
    names = _code_names()
    assert len(names) >= 40
    for core in ("Family", "Case", "Plan", "Goal", "Action", "Note", "SafetyConcern"):
        assert core in names


def _model_modules() -> list[object]:
    """Every feature's models module (the domain's names live there)."""
    found = []
    for info in pkgutil.walk_packages(wijkteam.__path__, "wijkteam."):
        if info.name.endswith(".models"):
            found.append(importlib.import_module(info.name))
    return found


def _resolve(name: str, modules: list[object]) -> bool:
    first, *rest = name.split(".")
    for module in modules:
        obj = getattr(module, first, None)
        if obj is None:
            continue
        for part in rest:
            obj = getattr(obj, part, None)
        if obj is not None:
            return True
    return False


def test_every_name_in_the_glossary_exists_in_the_code() -> None:
    modules = _model_modules()
    missing = [name for name in _code_names() if not _resolve(name, modules)]
    assert not missing, f"docs/glossary.md names what the code does not have: {missing}"
