"""More kinds of support and "asked, but said no" (issue 18, point 7): the form, the rules, the
network page, the member page and the family's own file."""

from __future__ import annotations

import json
from html import unescape

from sqlalchemy import func, select

from tests.printout.conftest import print_file
from wijkteam.audit.models import AuditEvent
from wijkteam.core.db import db
from wijkteam.network.models import AskedStatus, NetworkMember, SupportKind


def test_new_kinds_and_a_no_are_kept_and_shown(net, client, app):
    resp = net.add(
        "Buurman Henk",
        kind="neighbour",
        supports_practical="",
        supports_social_control="y",
        supports_intergenerational="y",
        supports_role_model="y",
    )
    henk = net.member_id(resp)
    said_no = net.add(
        "Tante Efua",
        asked_status="said_no",
        asked_on="2026-03-02",
        asked_for="Noah op maandag naar school brengen",
    )
    efua = net.member_id(said_no)
    with app.app_context():
        assert db.get(NetworkMember, henk).support_kinds == [
            SupportKind.SOCIAL_CONTROL,
            SupportKind.INTERGENERATIONAL,
            SupportKind.ROLE_MODEL,
        ]
        member = db.get(NetworkMember, efua)
        assert member.asked_status == AskedStatus.SAID_NO and member.said_no
        assert member.asked_on.isoformat() == "2026-03-02"
        assert (
            db.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "network.create")
            )
            == 2
        )
    # Dutch by default: the words of the kinds and of the no, with the date, on the list.
    html = unescape(client.get(net.base).get_data(as_text=True))
    html = html.split('<table class="list network">')[1]
    row = html.split("Buurman Henk")[1].split("</tr>")[0]
    assert "een oogje in het zeil houden, contact tussen generaties, rolmodel" in row
    row = html.split("Tante Efua")[1].split("</tr>")[0]
    assert "Gevraagd, maar zei nee" in row and "2026" in row
    client.english()
    page = unescape(client.get(f"{net.base}/{efua}").get_data(as_text=True))
    assert "Asked, but said no" in page and "Noah op maandag naar school brengen" in page
    # The edit form opens with the answer chosen.
    edit = client.get(f"{net.base}/{efua}/edit").get_data(as_text=True)
    assert '<option selected value="said_no">' in edit
    assert 'name="supports_social_control"' in edit


def test_asked_needs_a_date_in_the_past_and_a_known_answer(net, client, app):
    client.english()
    resp = net.add("Oom Kwame", asked_status="said_no", asked_for="Oppassen op woensdag")
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "When was this person asked?" in html and "Oppassen op woensdag" in html
    resp = net.add("Oom Kwame", asked_status="said_no", asked_on="2999-01-01")
    assert resp.status_code == 422
    assert "This date cannot be in the future." in resp.get_data(as_text=True)
    resp = net.add("Oom Kwame", asked_status="bribed", asked_on="2026-03-01")
    assert resp.status_code == 422
    with app.app_context():
        assert db.scalar(select(func.count(NetworkMember.id))) == 0
    # Without an answer recorded, a date or a question typed is not kept.
    kwame = net.member_id(net.add("Oom Kwame", asked_on="2026-03-01", asked_for="Oppassen"))
    with app.app_context():
        member = db.get(NetworkMember, kwame)
        assert member.asked_status is None and member.asked_on is None and member.asked_for == ""


def test_the_family_file_lists_who_said_no(net, client, plan_case):
    net.add("Tante Efua", asked_status="said_no", asked_on="2026-03-02", asked_for="Oppassen")
    net.add("Buurman Henk", supports_role_model="y", supports_practical="")
    file = json.loads(print_file(client, plan_case, "json", lang="en").data)
    people = {m["name"]: m for m in file["network"]}
    assert people["Tante Efua"]["asked"] == {
        "status": "Asked, but said no",
        "on": "2026-03-02",
        "for": "Oppassen",
    }
    assert people["Buurman Henk"]["asked"] is None
    assert people["Buurman Henk"]["support"] == ["role model"]
