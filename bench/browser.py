"""One person's browser for the benchmarks: cookies, the login form, the forms' CSRF token;
over plain HTTP to a server the benchmark started (gunicorn), or in this process through
Flask's test client. And the server: gunicorn on a free port.

Importing this module puts the repository first on sys.path, so that the scripts in bench/
use the app and the test factories (tests/factories) of the checkout they are in; import it
before those."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

ROOT = Path(__file__).resolve().parent.parent
if sys.path[:1] != [str(ROOT)]:
    sys.path.insert(0, str(ROOT))

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
Fields = list[tuple[str, str]]


class FormParser(HTMLParser):
    """The fields of every <form method=post> on a page, as a browser would submit them
    (without any submit button)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "post": a.get("method") == "post"})
            self.forms[-1]["fields"] = []
            return
        if not self.forms:
            return
        fields: Fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                fields.append((self._select, value))
                self._select_first = ""  # chosen: no default needed

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            if self._select_first:  # nothing was selected: a browser sends the first option
                self.forms[-1]["fields"].append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            fields: Fields = self.forms[-1]["fields"]
            name, value = fields[-1]
            fields[-1] = (name, value + data)


def post_form(html: str, with_field: str) -> Fields:
    """The fields of the page's POST form that has a field called `with_field`."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        fields: Fields = form["fields"]
        if form["post"] and any(name == with_field for name, _ in fields):
            return fields
    raise LookupError(f"no POST form with a field {with_field!r}")


def replace(fields: Fields, **values: str) -> Fields:
    return [(name, values.get(name, value)) for name, value in fields]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class Browser:
    """One person's cookies. `port`: over plain HTTP to 127.0.0.1 (the production cookie is
    Secure, so it is sent back by hand); `app`: in this process, through the test client."""

    def __init__(self, *, port: int | None = None, app: Any = None, timeout: float = 60) -> None:
        if (port is None) == (app is None):
            raise ValueError("a Browser talks to a port or to an app")
        self.port, self.timeout = port, timeout
        self.client = app.test_client() if app is not None else None
        self.cookies: dict[str, str] = {}
        self._token: str | None = None

    def request(self, method: str, path: str, body: Fields | dict[str, str] | None = None):
        """One request (a form body is sent url-encoded); no redirect is followed."""
        if self.client is not None:
            data = MultiDict(body) if isinstance(body, list) else body
            resp = self.client.open(path, method=method, data=data)
            return Response(resp.status_code, dict(resp.headers), resp.get_data())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            for name, value in resp.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return Response(resp.status, dict(resp.getheaders()), resp.read())
        finally:
            conn.close()

    def login(self, email: str, password: str) -> None:
        """The login form filled in and sent, as a person does."""
        page = self.request("GET", "/login")
        fields = replace(post_form(page.text, "password"), email=email, password=password)
        status = self.request("POST", "/login", fields).status
        if status != 302:
            raise RuntimeError(f"login of {email} answered {status}")
        self._token = None  # a new session: a new security code

    def csrf_token(self, page: str) -> str:
        """The forms' security code of this session (read once, from `page`)."""
        if self._token is None:
            match = CSRF.search(self.request("GET", page).text)
            if match is None:
                raise RuntimeError(f"no CSRF token on {page}")
            self._token = match.group(1)
        return self._token

    def submit(self, path: str, data: dict[str, str], page: str) -> Response:
        """POST a form that is on `page`, with the session's security code."""
        return self.request("POST", path, {**data, "csrf_token": self.csrf_token(page)})

    def ask_plan(self, case_id: int, lang: str = "nl") -> str:
        """Ask for 'Ons plan' as the button on the plan page does: the print job's URL."""
        resp = self.submit(
            f"/cases/{case_id}/printouts/plan", {"lang": lang}, page=f"/cases/{case_id}/plan"
        )
        if resp.status != 303:
            raise RuntimeError(f"asking for the printout answered {resp.status}")
        return resp.headers["Location"]


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not come up in time")


def start_gunicorn(
    env: dict[str, str],
    workers: int,
    log: Path,
    *,
    timeout: int = 120,
    wait: float = 60,
    app: str = "wsgi:app",
) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn serving the app of this checkout on a free port, with `env` on top of ours
    (the production configuration: give WIJKTEAM_ENV, the secret key and the database)."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--timeout", str(timeout), app],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )  # fmt: skip
    wait_for_port(port, process, log, wait)
    return process, port
