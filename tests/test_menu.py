"""The main menu is made once per process for each role and language and shown to everyone
with that role and language (wijkteam/web/templating.py, main_menu). That holds only while the
menu depends on nothing else: these tests hold the template to it, and check that a kept menu
never reaches someone of another role or language."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import meta, nodes

from tests.conftest import ANALYST_EMAIL

MENU = Path(__file__).resolve().parents[1] / "templates" / "_main_menu.html"
# What the key of a kept menu is made of (besides the language and the app's address).
ROLE_FACTS = {"team_id", "is_teamlead", "is_analyst", "is_admin"}


def _menu_links(html: str) -> list[str]:
    menus = re.findall(r'<nav aria-label="[^"]+">(.*?)</nav>', html, re.S)
    assert len(menus) == 2  # wide and compact: the same menu twice
    assert menus[0] == menus[1]
    return re.findall(r'<a href="([^"]+)">', menus[0])


def test_the_menu_template_reads_nothing_but_the_role(app):
    """Any other name (the user's name, the page, a count) would be shown to everyone of the
    same role once it is kept: add it to the key in main_menu first, then here."""
    source = MENU.read_text(encoding="utf-8")
    tree = app.jinja_env.parse(source)
    assert meta.find_undeclared_variables(tree) == {"current_user"}
    names = {node.name for node in tree.find_all(nodes.Name)}
    assert names <= {"_", "gettext", "url_for", "current_user"}, names
    used = {node.attr for node in tree.find_all(nodes.Getattr)}
    assert used <= ROLE_FACTS, used - ROLE_FACTS
    for call in tree.find_all(nodes.Call):  # url_for with fixed endpoints only
        if isinstance(call.node, nodes.Name) and call.node.name == "url_for":
            assert all(isinstance(arg, nodes.Const) for arg in call.args)
            assert not call.kwargs


def test_each_role_gets_its_own_menu_from_one_process(app, world, analyst):
    """The same app (one process, the menus kept) serves a professional, a team lead, an
    admin and an analyst in turns: each sees the links of their role only."""
    app.extensions["wijkteam.menus"].clear()  # the app serves every test of this worker
    seen = {}
    for email in (
        "pro.noord@test.example",
        "lead.noord@test.example",
        "admin@test.example",
        ANALYST_EMAIL,
        "pro.noord@test.example",
    ):
        client = app.test_client()
        client.login(email)
        links = _menu_links(client.get("/auth/profile").get_data(as_text=True))
        assert seen.setdefault(email, links) == links
    assert "/admin/users" in seen["admin@test.example"]
    assert "/admin/users" not in seen["lead.noord@test.example"]
    assert "/safety" in seen["lead.noord@test.example"]
    assert "/safety" not in seen["pro.noord@test.example"]
    assert seen[ANALYST_EMAIL] == ["/outcomes"]
    assert "/outcomes" not in seen["pro.noord@test.example"]
    assert len(app.extensions["wijkteam.menus"]) == 4  # one per role: the fifth was kept


def test_the_menu_follows_the_language(client, world):
    client.login("pro.noord@test.example")
    dutch = client.get("/cases").get_data(as_text=True)
    client.english()
    english = client.get("/cases").get_data(as_text=True)
    assert ">Casussen</a>" in dutch.split("</nav>")[0]
    assert ">Cases</a>" in english.split("</nav>")[0]
    assert _menu_links(dutch) == _menu_links(english)
