"""Logging: a key=value line per request with its id and status, and no personal data."""

from __future__ import annotations

import re

import pytest
from flask import request

from wijkteam import create_app
from wijkteam.core.config import TestConfig

LINE_RE = re.compile(r"^ts=\S+ level=\w+ logger=\S+ pid=\d+ ")


def request_lines(err: str, request_id: str) -> list[str]:
    return [
        line
        for line in err.splitlines()
        if "logger=wijkteam.request" in line and f"request_id={request_id} " in line
    ]


def test_a_request_logs_one_line_with_its_id_status_and_route(client, world, capsys):
    resp = client.get("/login?next=/search%3Fq%3DFamilie%20Jansen")
    request_id = resp.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    err = capsys.readouterr().err
    lines = request_lines(err, request_id)
    assert len(lines) == 1, err
    line = lines[0]
    assert LINE_RE.match(line), line
    assert " method=GET route=/login endpoint=auth.login status=200 " in line
    assert "Jansen" not in err and "search" not in err  # the route, never the URL's query
    # Another request, another id.
    assert client.get("/login").headers["X-Request-Id"] != request_id


def test_a_logged_in_request_names_the_user_by_id_only(client, world, capsys):
    client.login("pro.noord@test.example")
    capsys.readouterr()
    resp = client.get(f"/cases/{world.case(world.pro_noord, name='Jansen')}")
    err = capsys.readouterr().err
    (line,) = request_lines(err, resp.headers["X-Request-Id"])
    assert " route=/cases/<int:case_id> " in line
    assert " status=200 ms=" in line
    assert line.endswith(f" user_id={world.pro_noord}")
    assert "pro.noord" not in err and "Jansen" not in err


def test_the_request_id_comes_from_a_trusted_proxy_only(app, world, capsys):
    direct = app.test_client()
    sent = {"X-Request-Id": "0123456789abcdef0123456789abcdef"}
    assert direct.get("/login", headers=sent).headers["X-Request-Id"] != sent["X-Request-Id"]

    proxied = create_app(TestConfig, DATABASE_URL=app.config["DATABASE_URL"], PROXY_HOPS=1)
    client = proxied.test_client()
    assert client.get("/login", headers=sent).headers["X-Request-Id"] == sent["X-Request-Id"]
    assert request_lines(capsys.readouterr().err, sent["X-Request-Id"])
    # Nothing that could break a log line is taken, even from the proxy.
    for bad in ("a b", 'x" status=200', "x" * 129, "é"):
        got = client.get("/login", headers={"X-Request-Id": bad}).headers["X-Request-Id"]
        assert re.fullmatch(r"[0-9a-f]{32}", got)


@pytest.mark.parametrize("email", ["pro.noord@test.example", "nobody.here@test.example"])
def test_a_failed_login_logs_neither_the_email_nor_the_password(client, world, capsys, email):
    client.csrf_token()
    capsys.readouterr()
    resp = client.submit("/login", {"email": email, "password": "Wachtwoord van Jansen"})
    assert "X-Request-Id" in resp.headers
    err = capsys.readouterr().err
    assert request_lines(err, resp.headers["X-Request-Id"]), err
    assert " method=POST route=/login " in err
    assert email.split("@")[0] not in err
    assert "@" not in err
    assert "Wachtwoord" not in err and "Jansen" not in err


def test_a_500_logs_the_error_and_where_but_not_the_posted_text(app, capsys):
    broken = create_app(
        TestConfig,
        DATABASE_URL=app.config["DATABASE_URL"],
        PROPAGATE_TEST_ERRORS=False,
        WTF_CSRF_ENABLED=False,
    )

    @broken.post("/broken")
    def _broken() -> str:
        # A bug that puts what was typed into the exception's message.
        return str(int(request.form["text"]))

    posted = {"text": "Familie Jansen: vader drinkt", "email": "j.jansen@voorbeeld.nl"}
    resp = broken.test_client().post("/broken", data=posted)
    assert resp.status_code == 500
    err = capsys.readouterr().err
    lines = err.splitlines()
    error = [line for line in lines if 'msg="unhandled error"' in line]
    assert len(error) == 1, err
    assert LINE_RE.match(error[0])
    assert f"request_id={resp.headers['X-Request-Id']} " in error[0]
    assert " level=ERROR " in error[0]
    assert " error=builtins.ValueError " in error[0]
    assert "tests/test_logging.py:" in error[0]  # where it happened
    (line,) = request_lines(err, resp.headers["X-Request-Id"])
    assert " level=ERROR " in line and " route=/broken " in line and " status=500 " in line
    assert "Jansen" not in err and "drinkt" not in err and "voorbeeld" not in err
    assert "invalid literal" not in err  # the message that would carry the text


def test_an_unknown_log_level_stops_the_app(app):
    with pytest.raises(RuntimeError, match="WIJKTEAM_LOG_LEVEL"):
        create_app(TestConfig, DATABASE_URL=app.config["DATABASE_URL"], LOG_LEVEL="LOUD")
