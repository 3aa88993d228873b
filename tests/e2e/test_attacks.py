"""Attacks that only a real browser shows: another site's page that auto-submits a form to us
while the victim is logged in (issue 14, item 4). Chromium applies SameSite, Origin and cookie
replacement the way users' browsers do."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.conftest import PASSWORD
from wijkteam.core.db import db
from wijkteam.rescue.models import FormRescue

ATTACK = "ATTACKER-TEXT: bel dit nummer"


@pytest.fixture(scope="module")
def evil_server() -> Iterator[int]:
    """Another site: a page that posts a note form to the URL in ?target= as soon as it loads."""

    @Request.application
    def evil(request: Request) -> Response:
        target = request.args["target"]
        html = f"""<!doctype html><html><body>
            <form id="f" method="post" action="{target}">
              <input name="question" value="{ATTACK}">
              <input name="contact_on" value="2026-03-10">
              <input name="kind" value="home_visit">
              <input name="save_draft" value="y">
            </form>
            <script>document.getElementById('f').submit();</script>
            </body></html>"""
        return Response(html, mimetype="text/html")

    server = make_server("127.0.0.1", 0, evil, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


def login(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", "pro.noord@test.example")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/cases.*"))


@pytest.mark.parametrize(
    "evil_host",
    [
        "localhost",  # another site: the SameSite=Lax cookie is not sent along
        "127.0.0.1",  # the same site on another port: the cookie is sent, the Origin differs
    ],
)
def test_a_cross_site_form_neither_plants_text_nor_logs_the_victim_out(
    page, live_server, evil_server, world, app, evil_host
):
    case_id = world.case(world.pro_noord, name="Bakker")
    login(page, live_server)
    form_url = f"{live_server}/cases/{case_id}/notes/new"
    page.goto(f"http://{evil_host}:{evil_server}/?target={form_url}")
    page.wait_for_load_state("load")
    page.wait_for_url(re.compile(rf"^{re.escape(live_server)}/.*"))  # the auto-submit landed
    page.wait_for_load_state("load")
    # Wherever the browser ended up, the attacker's text is not offered as the victim's own.
    assert ATTACK not in page.content()
    with app.app_context():
        assert list(db.scalars(select(FormRescue))) == []
    # Still logged in, and the form holds nothing of the attacker's.
    page.goto(form_url)
    assert page.url == form_url
    assert page.input_value("#question") == ""
    assert ATTACK not in page.content()
