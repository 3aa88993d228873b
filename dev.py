#!/usr/bin/env python3
"""The two quick-start commands, for a fresh machine with only Python 3.11+.

    python3 dev.py start   set up .venv, install, migrate, load demo data, serve on :5000
                           (with the printout worker: python -m wijkteam.jobs)
    python3 dev.py test    set up .venv, install, run the whole test suite (args go to pytest)

Also: `python3 dev.py i18n` (extract, update and compile the translations).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".installed"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def run(*args: object, env: dict[str, str] | None = None) -> None:
    code = subprocess.call([str(a) for a in args], cwd=ROOT, env=env)  # noqa: S603
    if code:
        sys.exit(code)


def ensure_venv() -> None:
    """Create .venv and install the project (again when pyproject.toml changed)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may run on an older python3
        sys.exit("wijkteam needs Python 3.11 or newer.")
    if not PY.exists():
        print("Creating a virtual environment in .venv ...")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        print("Installing wijkteam and its dependencies ...")
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        STAMP.write_text(digest)


def ensure_axe() -> None:
    """Install axe-core (package-lock.json) for the browser accessibility tests, if npm exists.

    Without npm the accessibility tests skip, or fail when WIJKTEAM_REQUIRE_BROWSER=1 (CI).
    """
    npm = shutil.which("npm")
    if AXE.exists() or npm is None:
        return
    print("Installing axe-core for the browser tests (npm ci) ...")
    code = subprocess.call([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT)  # noqa: S603
    if code:
        print("npm ci failed: the accessibility tests will not run.", file=sys.stderr)


def app_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("WIJKTEAM_ENV", "development")
    env["FLASK_APP"] = "wsgi"
    return env


def start() -> None:
    ensure_venv()
    env = app_env()
    flask = BIN / "flask"
    run(flask, "db", "upgrade", env=env)
    run(flask, "seed", env=env)
    # Printouts are made by a queue worker, never in the web process (docs/deploy.md); here
    # one worker with the SQLite queue in instance/, stopped together with the server.
    worker = subprocess.Popen([str(PY), "-m", "wijkteam.jobs", "--workers", "1"], cwd=ROOT, env=env)  # noqa: S603
    print("\nwijkteam runs at http://127.0.0.1:5000  (Ctrl+C stops it)\n", flush=True)
    try:
        code = subprocess.call(  # noqa: S603
            [str(flask), "run", "--host", "127.0.0.1", "--port", "5000"], cwd=ROOT, env=env
        )
    except KeyboardInterrupt:
        code = 0
    finally:
        stop(worker)
    sys.exit(code)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a child process (Ctrl+C reaches it too; this covers the server ending by itself)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=70)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test(extra: list[str]) -> None:
    ensure_venv()
    ensure_axe()
    # The whole suite runs on every core (pytest-xdist, a database per worker); with arguments
    # (a file, -k, ...) pytest runs as asked.
    run(PY, "-m", "pytest", *(extra or ["-n", "auto", "--dist", "loadfile"]))


def i18n() -> None:
    ensure_venv()
    pybabel = BIN / "pybabel"
    pot = "wijkteam/translations/messages.pot"
    run(
        pybabel,
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "-k",
        "lazy_pgettext:1c,2",
        "--project=wijkteam",
        "-o",
        pot,
        ".",
    )
    run(pybabel, "update", "-i", pot, "-d", "wijkteam/translations", "--no-fuzzy-matching")
    run(pybabel, "compile", "-d", "wijkteam/translations")


def main() -> None:
    command, extra = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "start":
        start()
    elif command == "test":
        test(extra)
    elif command == "i18n":
        i18n()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
