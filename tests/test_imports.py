"""Any module of the app imports on its own, in a fresh interpreter.

Queries and loaders build their statements once, when their module is imported (issue 21), and
a statement with loader options (joinedload, ...) needs every mapped class to exist. So
importing anything of `wijkteam` imports every model first (wijkteam/__init__.py). Without
that, a process that happens to import a query module before the models it joins to (a worker,
a script, a new entry point) fails at start. Checked without the suite's own imports: in a new
interpreter (importing every module that way takes minutes; the rule is checked instead)."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Modules that build statements with loader options when they are imported.
BUILDS_AT_IMPORT = [
    "wijkteam.web.loaders",
    "wijkteam.cases.queries",
    "wijkteam.plans.queries",
    "wijkteam.discussions.queries",
    "wijkteam.reviews.queries",
    "wijkteam.network.queries",
    "wijkteam.notes.queries",
    "wijkteam.dashboard.queries",
]


def fresh(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


def test_importing_any_module_imports_every_model_first():
    done = fresh(
        "import sys, wijkteam.core.clock\n"
        "from wijkteam.core.db import Base\n"
        "tables = sorted(Base.metadata.tables)\n"
        "print(len(tables), 'wijkteam.models' in sys.modules)\n"
    )
    assert done.returncode == 0, done.stderr
    count, models = done.stdout.split()
    assert int(count) >= 30 and models == "True"


@pytest.mark.parametrize("module", BUILDS_AT_IMPORT)
def test_a_module_that_builds_statements_imports_first(module):
    done = fresh(f"import {module}")
    assert done.returncode == 0, done.stderr[-2000:]
