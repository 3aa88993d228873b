#!/usr/bin/env python3
"""The two quick-start commands, for a fresh machine with only Python 3.11+.

    python3 dev.py start   set up .venv, install, migrate, load demo data, serve on :5000
                           (with the printout worker: python -m wijkteam.jobs)
    python3 dev.py test    set up .venv, install, run the whole test suite (args go to pytest)

Also: `python3 dev.py i18n` (extract, update and compile the translations) and
`python3 dev.py lock` (update requirements/*.lock after a change of the dependencies in
pyproject.toml; `python3 dev.py lock --upgrade` or `--upgrade-package NAME` for newer versions).
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
# Exact versions with hashes, for every platform, made by `python3 dev.py lock` (never by hand):
# dev.lock holds the dependencies and the dev extra (installed here and in CI), app.lock the same
# versions of the dependencies alone (production, docs/deploy.md).
LOCK = ROOT / "requirements" / "dev.lock"
APP_LOCK = ROOT / "requirements" / "app.lock"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def run(*args: object, env: dict[str, str] | None = None) -> None:
    code = subprocess.call([str(a) for a in args], cwd=ROOT, env=env)  # noqa: S603
    if code:
        sys.exit(code)


def ensure_venv(*, check: bool = True) -> None:
    """Create .venv and install the locked versions (again when pyproject.toml or the lock changed).

    Everything comes from requirements/dev.lock (exact versions, hashes checked), then the
    project itself without dependencies; the check then fails when pyproject.toml asks for
    something the lock does not hold (run `python3 dev.py lock`).
    """
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may run on an older python3
        sys.exit("wijkteam needs Python 3.11 or newer.")
    if not PY.exists():
        print("Creating a virtual environment in .venv ...")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        print("Installing wijkteam and its dependencies (requirements/dev.lock) ...")
        run(PY, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", LOCK)
        run(PY, "-m", "pip", "install", "--quiet", "--no-deps", "-e", ".")
        if not check:
            return
        run(PY, "-c", CHECK_LOCK)
        STAMP.write_text(digest)


# Run in .venv after installing: every requirement of wijkteam and its dev extra is installed in
# a version that pyproject.toml allows (pip check leaves the extras out).
CHECK_LOCK = """
import sys
from importlib.metadata import PackageNotFoundError, requires, version
from packaging.requirements import Requirement

wrong = []
for line in requires("wijkteam") or []:
    req = Requirement(line)
    if req.marker is not None and not req.marker.evaluate({"extra": "dev"}):
        continue
    try:
        installed = version(req.name)
    except PackageNotFoundError:
        wrong.append(f"{req}: not in requirements/dev.lock")
        continue
    if not req.specifier.contains(installed, prereleases=True):
        wrong.append(f"{req}: requirements/dev.lock has {installed}")
if wrong:
    sys.exit("pyproject.toml and requirements/dev.lock differ; run `python3 dev.py lock`:\\n  "
             + "\\n  ".join(wrong))
"""


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
        # Babel skips folders named "_*" by default: templates/_macros/ has texts too.
        "--ignore-dirs=.* __pycache__",
        "-o",
        pot,
        ".",
    )
    run(pybabel, "update", "-i", pot, "-d", "wijkteam/translations", "--no-fuzzy-matching")
    run(pybabel, "compile", "-d", "wijkteam/translations")


def lock(extra: list[str]) -> None:
    """Write requirements/*.lock from pyproject.toml (uv, itself pinned there), then install.

    Versions already in the lock are kept unless asked otherwise: `--upgrade` for all,
    `--upgrade-package NAME` (repeatable) for one; uv takes the newest that pyproject.toml allows.
    app.lock takes dev.lock's versions.
    """
    ensure_venv(check=False)
    compile_ = [BIN / "uv", "pip", "compile", "pyproject.toml", "--quiet", "--universal"]
    compile_ += ["--python-version", "3.11", "--generate-hashes"]
    compile_ += ["--custom-compile-command", "python3 dev.py lock"]
    run(*compile_, "--extra", "dev", "--output-file", LOCK, *extra)
    run(*compile_, "--constraint", LOCK.relative_to(ROOT), "--output-file", APP_LOCK)
    print(f"Wrote {LOCK.relative_to(ROOT)} and {APP_LOCK.relative_to(ROOT)}.")
    ensure_venv()


def main() -> None:
    command, extra = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "start":
        start()
    elif command == "test":
        test(extra)
    elif command == "i18n":
        i18n()
    elif command == "lock":
        lock(extra)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
