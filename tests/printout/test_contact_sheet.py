"""Who to call and the family's rights (issue 16, point 9): the facts the family's paper gets
from the case, its people and its team, with translated defaults for what an admin left empty."""

from __future__ import annotations

import dataclasses
import re

import pytest
from flask import render_template_string
from flask_babel import force_locale

from wijkteam.auth.models import TEAM_CONTACT_FIELDS, Team, User
from wijkteam.cases.models import Case
from wijkteam.core.db import db
from wijkteam.printout.contact_sheet import ContactSheet, contact_sheet
from wijkteam.printout.languages import CODES

TEAM = {
    "phone": "06-00000301",
    "email": "noord@wijkteam.example",
    "reachable": "maandag tot en met vrijdag, 9.00 tot 17.00 uur",
    "complaints": "De klachtenfunctionaris van de gemeente: 06-00000391",
    "client_support": "Cliëntondersteuning Naast Je: 06-00000392",
    "youth_rights": "AKJ regio Noord: 06-00000394",
    "veilig_thuis": "Veilig Thuis regio Noord: 06-00000395",
}

LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.S)


def sheet(case_id: int, lang: str) -> ContactSheet:
    with force_locale(lang):
        return contact_sheet(db.get(Case, case_id))


def test_an_empty_team_gets_the_defaults_and_no_made_up_numbers(world, ctx):
    case_id = world.case(world.pro_noord)
    en = sheet(case_id, "en")
    assert en.lead_name == db.get(User, world.pro_noord).display_name
    assert en.lead_email == "pro.noord@test.example"
    assert (en.lead_phone, en.lead_reachable) == ("", "")
    assert (en.duo_name, en.duo_phone, en.duo_email, en.duo_reachable) == (None,) * 4
    assert en.team_name == "Team Noord"
    assert (en.team_phone, en.team_email, en.team_reachable) == ("", "", "")
    assert en.complaints == "Ask the team for the complaints procedure of the municipality."
    assert en.client_support == "Ask the team or the municipality how to reach them."
    assert en.youth_rights == "AKJ, phone \u2066088 555 1000\u2069, www.akj.nl"
    assert en.veilig_thuis == "Veilig Thuis: 0800-2000, free, day and night"
    assert en.emergency == "112"


def test_the_defaults_follow_the_print_language(world, ctx):
    """The same sheet under force_locale("en") and ("nl"): the defaults are translated when the
    sheet is made (not when the module was imported); the facts stay as they are."""
    case_id = world.case(world.pro_noord, duo_id=world.pro2_noord)
    en, nl = sheet(case_id, "en"), sheet(case_id, "nl")
    assert nl.complaints == "Vraag het team naar de klachtenregeling van de gemeente."
    assert nl.client_support == "Vraag het team of de gemeente hoe je zo iemand bereikt."
    assert nl.youth_rights == "AKJ, telefoon \u2066088 555 1000\u2069, www.akj.nl"
    assert nl.veilig_thuis == "Veilig Thuis: 0800-2000, gratis, dag en nacht"
    defaults = ("complaints", "client_support", "youth_rights", "veilig_thuis")
    for name in defaults:
        assert getattr(en, name) != getattr(nl, name), name
    facts = [f.name for f in dataclasses.fields(ContactSheet) if f.name not in defaults]
    assert {n: getattr(en, n) for n in facts} == {n: getattr(nl, n) for n in facts}
    assert sheet(case_id, "en") == en  # and back again


def test_the_team_and_its_people_as_the_admin_typed_them(world, ctx):
    team = db.get(Team, world.noord)
    for name, value in TEAM.items():
        setattr(team, name, value)
    lead, duo = db.get(User, world.pro_noord), db.get(User, world.pro2_noord)
    lead.phone, lead.reachable = "06-00000312", "ma, di en do"
    duo.phone, duo.reachable = "+31 6 00000313", "wo en vr"
    db.commit()
    case_id = world.case(world.pro_noord, duo_id=world.pro2_noord)
    for lang in ("en", "nl"):
        s = sheet(case_id, lang)
        team_facts = (s.team_phone, s.team_email, s.team_reachable)
        texts = (s.complaints, s.client_support, s.youth_rights, s.veilig_thuis)
        assert dict(zip(TEAM_CONTACT_FIELDS, team_facts + texts, strict=True)) == TEAM
        assert (s.lead_phone, s.lead_reachable) == ("06-00000312", "ma, di en do")
        assert (s.duo_name, s.duo_email) == (duo.display_name, "pro2.noord@test.example")
        assert (s.duo_phone, s.duo_reachable) == ("+31 6 00000313", "wo en vr")


def test_the_sheet_cannot_be_changed(world, ctx):
    s = sheet(world.case(world.pro_noord), "nl")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.team_phone = "06-00000399"  # type: ignore[misc]


def _repeated_phrases(line: str) -> set[tuple[str, ...]]:
    """Runs of three words (case and punctuation aside) that a line says more than once."""
    words = [w for w in re.sub(r"[^\w\s]", " ", line.casefold()).split() if w]
    seen: set[tuple[str, ...]] = set()
    again: set[tuple[str, ...]] = set()
    for i in range(len(words) - 2):
        run = tuple(words[i : i + 3])
        (again if run in seen else seen).add(run)
    return again


@pytest.mark.parametrize("lang", CODES)
def test_a_default_does_not_repeat_what_the_paper_just_said(world, app, lang):
    """The paper introduces each of the team's texts ("You can get free help ...: independent
    client support.", "For young people and parents, about youth care:"); a default after it
    must not say that again (a team's paper that left them empty said "independent client
    support" and "young people and parents" twice)."""
    case_id = world.case(world.pro_noord)
    with app.test_request_context(), force_locale(lang):
        contact = contact_sheet(db.get(Case, case_id))
        assert not contact.typed  # Team Noord left every text empty: all are defaults
        html = render_template_string(
            '{% include "printout/_contact.html" %}', contact=contact, oral="", dutch_paper=True
        )
    items = [" ".join(re.sub("<[^>]+>", " ", li).split()) for li in LIST_ITEM.findall(html)]
    assert len(items) == 4, items
    for item in items:
        assert not _repeated_phrases(item), item
    assert "088 555 1000" in items[3] and "AKJ" in items[3]
