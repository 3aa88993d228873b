"""Logging: one key=value line per record on stderr, a request id, and no personal data.

`init_app` (called by `create_app`) sets up the root logger once per process, whatever the
number of apps, at the level of WIJKTEAM_LOG_LEVEL (INFO by default), and writes one line per
request:

    ts=2026-12-01T09:30:00.123Z level=INFO logger=wijkteam.request pid=4711
    request_id=5f0c... msg=request method=POST route=/cases/<int:case_id>/notes
    endpoint=notes.create status=303 ms=41 user_id=7

(one line in the log). What a line never holds: the path, query string or form values (only the
route pattern), names or e-mail addresses (at most the user's id; anything that looks like an
e-mail address in a message is replaced), and exception messages outside development (an
exception is logged as its type and where it happened: `int(text)` would otherwise write the
text). The request id comes from X-Request-Id when the app is behind a proxy we trust
(WIJKTEAM_PROXY_HOPS, docs/deploy.md), is made here otherwise, and goes back in the response's
X-Request-Id header, so a user's report or the proxy's log leads to the app's lines.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from flask import Flask, g, has_request_context, request
from sqlalchemy import inspect
from werkzeug.wrappers import Response

HEADER = "X-Request-Id"
# What we take from a proxy's header: nginx's $request_id is 32 hex digits; anything else that
# could break a log line or fill the disk is replaced by an id of our own.
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,128}")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
HANDLER_NAME = "wijkteam"
# Libraries that write a line per plugin, page or font at INFO, and the development server's
# line per request (with the query string; ours replaces it).
NOISY = ("alembic", "weasyprint", "fontTools", "werkzeug")
ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger("wijkteam.request")


def request_id() -> str:
    """This request's id (made on first use)."""
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex
    return str(g.request_id)


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (test runners replace it)."""

    def __init__(self) -> None:
        super().__init__()
        self.set_name(HANDLER_NAME)

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


class KeyValueFormatter(logging.Formatter):
    """ts, level, logger, pid, the request id inside a request, msg, then the record's own
    fields (`extra={"fields": {...}}`); values with spaces or quotes are JSON strings, so a
    record is always one line."""

    def __init__(self, exception_messages: bool = False) -> None:
        super().__init__()
        self.exception_messages = exception_messages

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        fields: dict[str, object] = {
            "ts": stamp.replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
        }
        rid = getattr(record, "request_id", None)
        if rid is None and has_request_context():
            rid = request_id()
        if rid is not None:
            fields["request_id"] = rid
        fields["msg"] = record.getMessage()
        fields.update(getattr(record, "fields", None) or {})
        if record.exc_info and record.exc_info[0] is not None:
            fields.update(self.exception_fields(*record.exc_info))
        line = " ".join(f"{key}={_value(value)}" for key, value in fields.items())
        return EMAIL_RE.sub("<email>", line)

    def exception_fields(
        self, kind: type[BaseException], error: BaseException | None, tb: TracebackType | None
    ) -> dict[str, object]:
        where = " > ".join(
            f"{_short(frame.filename)}:{frame.lineno}:{frame.name}"
            for frame in traceback.extract_tb(tb)
        )
        fields: dict[str, object] = {"error": f"{kind.__module__}.{kind.__qualname__}"}
        if self.exception_messages:
            fields["error_message"] = str(error)
        fields["where"] = where
        return fields


def _value(value: object) -> str:
    text = "-" if value is None else str(value)
    if text and not any(c.isspace() or c in '"=\\' for c in text) and text.isprintable():
        return text
    return json.dumps(text, ensure_ascii=False)


def _short(filename: str) -> str:
    """A file's path from the project or from site-packages: short, and no home folders."""
    path = Path(filename)
    if path.is_relative_to(ROOT):
        return path.relative_to(ROOT).as_posix()
    parts = path.parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1 :])
    return path.name


def configure(level: str, exception_messages: bool) -> None:
    """The root logger: our handler once (replaced, not added, when called again)."""
    numeric = logging.getLevelNamesMapping().get(level.upper())
    if numeric is None:
        raise RuntimeError(
            f"WIJKTEAM_LOG_LEVEL={level!r} is unknown; use DEBUG, INFO, WARNING or ERROR"
        )
    root = logging.getLogger()
    handler = next((h for h in root.handlers if h.get_name() == HANDLER_NAME), None)
    if handler is None:
        handler = _Stderr()
        root.addHandler(handler)
    handler.setFormatter(KeyValueFormatter(exception_messages=exception_messages))
    root.setLevel(numeric)
    for name in NOISY:
        logging.getLogger(name).setLevel(max(numeric, logging.WARNING))


def _user_id() -> object:
    """The logged-in user's id if this request loaded the user (never loads it, nor reads a
    column: the id comes from the identity map, so logging adds no query)."""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    state = inspect(user, raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


def init_app(app: Flask) -> None:
    configure(app.config.get("LOG_LEVEL", "INFO"), exception_messages=bool(app.debug))
    trust_header = bool(app.config.get("PROXY_HOPS"))

    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()
        sent = request.headers.get(HEADER, "") if trust_header else ""
        if REQUEST_ID_RE.fullmatch(sent):
            g.request_id = sent

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers[HEADER] = request_id()
        started = g.get("request_started")
        fields = {
            "method": request.method,
            "route": request.url_rule.rule if request.url_rule is not None else None,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000) if started else None,
            "user_id": _user_id(),
        }
        if response.status_code >= 500:
            level = logging.ERROR
        elif request.endpoint == "static":
            level = logging.DEBUG
        else:
            level = logging.INFO
        log.log(level, "request", extra={"fields": fields})
        return response
