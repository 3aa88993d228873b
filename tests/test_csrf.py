"""CSRF protection on every POST of the app."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import PASSWORD
from wijkteam.core.db import db
from wijkteam.notes.models import Note


def _url(rule) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<int:{name}>", "1")
    return path


def post_rules(app) -> list[str]:
    return [_url(rule) for rule in app.url_map.iter_rules() if "POST" in rule.methods]


def test_login_without_token_is_refused(client, world):
    resp = client.post("/login", data={"email": "pro.noord@test.example", "password": PASSWORD})
    assert resp.status_code == 400
    assert client.get("/cases").status_code == 302  # not logged in


def test_every_post_without_token_is_refused(client, world, app):
    case_id = world.case(world.pro_noord, name="Bakker")
    assert case_id == 1
    client.login("lead.noord@test.example")
    urls = post_rules(app)
    assert len(urls) >= 10
    rescuable = {
        _url(rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint in app.config["RESCUABLE_ENDPOINTS"]
    }
    assert rescuable  # the long text forms keep typed text instead of a bare 400
    for url in urls:
        resp = client.post(url, data={"name": "x", "version": "1", "question": "Mijn tekst"})
        if url in rescuable:
            assert resp.status_code == 303, url
        else:
            assert resp.status_code == 400, url
    assert world.case_obj(case_id).version == 1
    with app.app_context():
        assert db.scalar(select(func.count(Note.id))) == 0  # nothing saved without a token


def test_wrong_token_is_refused(client, world):
    client.login("pro.noord@test.example")
    resp = client.post("/logout", data={"csrf_token": "forged"})
    assert resp.status_code == 400
    assert client.get("/cases").status_code == 200  # still logged in
