"""The family's network through HTTP: members, consent, archive, eco-map, meetings."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select

from tests.plans.conftest import PlanUI
from wijkteam.audit.models import AuditEvent
from wijkteam.core.db import db
from wijkteam.network.models import NetworkMeeting, NetworkMember
from wijkteam.plans.models import Action


def test_add_member_with_everything(net, client, app):
    resp = net.add(
        "Auntie Efua",
        kind="informal_worker",
        informal_roles=["cultural_interpreter", "guide_to_services"],
        organisation="Ghanese vrouwenvereniging",
        languages="Twi, Engels",
        supports_emotional="y",
        supports_information="y",
        supports_practical="",
        closeness="middle",
        quality="supportive",
        gives_back="Akosua kookt voor de kerkdienst.",
        may_contact="yes",
        may_be_told="Alles over school, niets over geld.",
        consent_on="2026-03-01",
        related_member_id="1",
        phone="06-00000111",
    )
    member_id = net.member_id(resp)
    with app.app_context():
        m = db.get(NetworkMember, member_id)
        assert m.informal_roles == ["cultural_interpreter", "guide_to_services"]
        # The one role of before issue 18 follows the first of them, for older readers.
        assert m.informal_role.value == "cultural_interpreter"
        assert m.languages == ["Twi", "Engels"]
        assert m.may_contact is True and m.related_member.first_name == "Lisa"
        assert m.support_kinds == ["emotional", "information"]
    client.english()
    html = client.get(f"{net.base}/{member_id}").get_data(as_text=True)
    assert "Interpreter of language and culture" in html
    assert "Alles over school, niets over geld." in html


def test_member_without_consent_is_marked(net, client):
    net.add("Buurvrouw Ans", kind="neighbour")
    client.english()
    html = client.get(net.base).get_data(as_text=True)
    table = html.split('<table class="list network">')[1]
    row = table.split("Buurvrouw Ans")[1].split("</tr>")[0]
    assert "Not recorded yet" in row
    node = re.search(r'<g class="node kind-neighbour quality-supportive no-consent">', html)
    assert node, "the eco-map marks a member without consent"


def test_member_bad_input(net, client, app):
    client.english()
    resp = net.add("", relation="zus van Lisa")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Fill in a name" in html and "zus van Lisa" in html
    resp = net.add("X", informal_roles="confidant", kind="friend")
    assert "Roles are only recorded for volunteers and informal workers." in resp.get_data(
        as_text=True
    )
    resp = net.add("X", may_contact="yes")
    assert resp.status_code == 422
    assert "When did the family say this?" in unescape(resp.get_data(as_text=True))
    resp = net.add("X", email="geen-mail")
    assert "This is not a valid e-mail address." in resp.get_data(as_text=True)
    resp = net.add("X", quality="evil")
    assert resp.status_code == 422
    resp = net.add("X", related_member_id="999")
    assert resp.status_code == 422
    with app.app_context():
        assert db.scalar(select(func.count(NetworkMember.id))) == 0


def test_edit_conflict_keeps_text(net, client, other_client, app):
    member_id = net.member_id(net.add())
    page = f"{net.base}/{member_id}/edit"
    other_client.login("pro2.noord@test.example")
    v = net.version_of(page)
    base = {"name": "Oma Ria", "kind": "family", "closeness": "close", "version": v}
    assert (
        other_client.submit(
            page, {**base, "quality": "strained", "notes": "Collega."}, page=page
        ).status_code
        == 302
    )
    resp = client.submit(
        page, {**base, "quality": "supportive", "notes": "Mijn notitie."}, page=page
    )
    assert resp.status_code == 409
    assert "Mijn notitie." in resp.get_data(as_text=True)
    with app.app_context():
        assert db.get(NetworkMember, member_id).notes == "Collega."


def test_archive_and_restore_never_delete(net, client, app):
    member_id = net.member_id(net.add())
    page = f"{net.base}/{member_id}/archive"
    client.english()
    resp = client.submit(
        page,
        {"archived_on": "2026-05-01", "archive_reason": "", "version": net.version_of(page)},
        page=page,
    )
    assert resp.status_code == 422
    resp = client.submit(
        page,
        {
            "archived_on": "2026-05-01",
            "archive_reason": "Verhuisd.",
            "version": net.version_of(page),
        },
        page=page,
    )
    assert resp.status_code == 302
    html = client.get(net.base).get_data(as_text=True)
    assert "1 person no longer in the network" in html
    assert '<svg class="ecomap"' not in html  # nobody left on the current map
    assert "Oma Ria" in html  # but listed among those no longer in the network
    with app.app_context():
        assert db.get(NetworkMember, member_id).archived_on is not None
    # Restore.
    member_page = f"{net.base}/{member_id}"
    version = re.search(
        r'name="version" type="hidden" value="(\d+)"',
        client.get(member_page).get_data(as_text=True),
    ).group(1)
    resp = client.submit(f"{net.base}/{member_id}/restore", {"version": version}, page=member_page)
    assert resp.status_code == 302
    with app.app_context():
        assert db.get(NetworkMember, member_id).archived_on is None
        assert db.scalar(select(func.count(NetworkMember.id))) == 1


def test_ecomap_shows_members_and_styles_ties_by_quality(net, client):
    net.add(
        "Oma Ria",
        quality="supportive",
        closeness="close",
        may_contact="yes",
        consent_on="2026-02-01",
    )
    net.add("Oom Kees", quality="strained", closeness="middle")
    net.add(
        "Ex-partner",
        kind="friend",
        quality="unsafe",
        closeness="far",
        may_contact="no",
        consent_on="2026-02-01",
        may_be_told="Niets.",
    )
    net.add("Juf Sanne", kind="professional", closeness="far")
    html = client.get(net.base).get_data(as_text=True)
    svg = html.split('<svg class="ecomap"')[1].split("</svg>")[0]
    for name in ("Oma Ria", "Oom Kees", "Ex-partner", "Juf Sanne", "Bakker"):
        assert name in svg, name
    assert svg.count('class="tie line-supportive"') == 2
    assert svg.count('class="tie line-strained"') == 1
    assert svg.count('class="tie line-unsafe"') == 1
    assert svg.count('class="unsafe-mark"') == 1
    assert 'stroke-dasharray="10 6"' in svg  # strained reads as dashed, also on paper
    assert "<desc" in svg and 'role="img"' in svg
    # The text alternative: every member is in the table below the map too.
    table = html.split('<table class="list network">')[1].split("</table>")[0]
    for name in ("Oma Ria", "Oom Kees", "Ex-partner", "Juf Sanne"):
        assert name in table


def test_ecomap_as_of_an_earlier_date(net, client, app):
    from datetime import UTC, datetime

    from wijkteam.audit.history import Revision

    member_id = net.member_id(net.add("Oom Kees", quality="supportive"))
    page = f"{net.base}/{member_id}/edit"
    client.submit(
        page,
        {
            "name": "Oom Kees",
            "kind": "family",
            "closeness": "far",
            "quality": "strained",
            "version": net.version_of(page),
        },
        page=page,
    )
    # Pretend the member was added in January and the change was made in June.
    with app.app_context():
        db.execute(
            NetworkMember.__table__.update().values(created_at=datetime(2026, 1, 10, tzinfo=UTC))
        )
        db.execute(
            Revision.__table__.update().values(changed_at=datetime(2026, 6, 1, 12, tzinfo=UTC))
        )
        db.commit()
    now = client.get(net.base).get_data(as_text=True)
    assert now.count('class="tie line-strained"') == 1
    march = client.get(f"{net.base}?on=2026-03-01").get_data(as_text=True)
    assert march.count('class="tie line-supportive"') == 1
    assert march.count('class="tie line-strained"') == 0
    before = client.get(f"{net.base}?on=2026-01-01").get_data(as_text=True)
    assert (
        "Oom Kees"
        not in before.split('<section class="card" aria-labelledby="map-heading">')[1].split(
            "</section>"
        )[0]
    )
    client.english()
    bad = client.get(f"{net.base}?on=31-31-2026")
    assert bad.status_code == 200
    assert "not a date we understand" in unescape(bad.get_data(as_text=True))


def test_network_member_owns_plan_actions_and_is_flagged_when_overasked(net, client, app):
    volunteer = net.member_id(net.add("Vrijwilliger Joke", kind="volunteer"))
    plan = PlanUI(client, net.case_id)
    plan.start()
    goal_id = plan.goal_id(plan.add_goal())
    page = f"/cases/{net.case_id}/plan/goals/{goal_id}/actions/new"
    for i in range(3):
        resp = client.submit(
            page,
            {
                "text": f"Joke helpt {i}",
                "owner_kind": "network",
                "network_member_id": str(volunteer),
                "status": "planned",
            },
            page=page,
        )
        assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    client.english()
    html = client.get(f"{net.base}/{volunteer}").get_data(as_text=True)
    for i in range(3):
        assert f"Joke helpt {i}" in html
    assert "many open actions" in html
    assert "Possibly asked too much" in client.get(net.base).get_data(as_text=True)
    assert "Vrijwilliger Joke" in client.get(f"/cases/{net.case_id}/plan").get_data(as_text=True)


def test_action_owner_from_another_family_is_refused(net, client, app, world):
    other_case = world.case(world.pro_noord, name="Anders")
    client.submit(
        f"/cases/{other_case}/network/new",
        {"name": "Vreemde", "kind": "friend", "closeness": "far", "quality": "supportive"},
        page=f"/cases/{other_case}/network/new",
    )
    with app.app_context():
        stranger = db.scalar(select(NetworkMember.id).where(NetworkMember.name == "Vreemde"))
    plan = PlanUI(client, net.case_id)
    plan.start()
    goal_id = plan.goal_id(plan.add_goal())
    page = f"/cases/{net.case_id}/plan/goals/{goal_id}/actions/new"
    resp = client.submit(
        page,
        {
            "text": "x",
            "owner_kind": "network",
            "network_member_id": str(stranger),
            "status": "planned",
        },
        page=page,
    )
    assert resp.status_code == 422
    assert client.get(f"{net.base}/{stranger}").status_code == 404


def meeting_data(**values):
    data = {
        "held_on": "2026-04-01",
        "kind": "informal",
        "organised_by": "family",
        "family_member_ids": "1",
        "summary": "Samen gegeten en gepraat.",
        "agreed": "Oma haalt op woensdag op.",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def test_meeting_agreements_become_plan_actions_in_one_step(net, client, app):
    oma = net.member_id(net.add("Oma Ria"))
    plan = PlanUI(client, net.case_id)
    plan.start()
    goal_id = plan.goal_id(plan.add_goal())
    page = f"{net.base}/meetings/new"
    resp = client.submit(
        page,
        meeting_data(
            network_member_ids=str(oma),
            **{
                "agreements-0-text": "Oma haalt Noah op woensdag op.",
                "agreements-0-goal_id": str(goal_id),
                "agreements-0-owner": f"network-{oma}",
                "agreements-0-due_on": "2026-05-01",
                "agreements-1-text": "Lisa belt de school.",
                "agreements-1-goal_id": str(goal_id),
                "agreements-1-owner": "family-1",
                "agreements-2-text": "Opvoedcursus regelen.",
                "agreements-2-goal_id": str(goal_id),
                "agreements-2-owner": "other",
                "agreements-2-owner_name": "CJG",
            },
        ),
        page=page,
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    with app.app_context():
        meeting = db.scalar(select(NetworkMeeting))
        actions = db.scalars(
            select(Action).where(Action.meeting_id == meeting.id).order_by(Action.id)
        ).all()
        assert [
            (a.owner_kind.value, a.network_member_id, a.owner_member_id, a.owner_name)
            for a in actions
        ] == [
            ("network", oma, None, ""),
            ("family", None, 1, ""),
            ("professional", None, None, "CJG"),
        ]
        assert [m.name for m in meeting.network_members] == ["Oma Ria"]
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Oma haalt Noah op woensdag op." in html and "CJG" in html
    goal_page = client.get(f"/cases/{net.case_id}/plan/goals/{goal_id}").get_data(as_text=True)
    assert "Lisa belt de school." in goal_page


def test_meeting_bad_input_keeps_typing(net, client, app):
    page = f"{net.base}/meetings/new"
    client.english()
    # Agreements without a plan.
    resp = client.submit(
        page,
        meeting_data(**{"agreements-0-text": "Iets afgesproken.", "agreements-0-owner": "family"}),
        page=page,
    )
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "Choose a goal." in html
    assert "Iets afgesproken." in html and "Samen gegeten en gepraat." in html
    plan = PlanUI(client, net.case_id)
    plan.start()
    goal_id = plan.goal_id(plan.add_goal())
    resp = client.submit(
        page,
        meeting_data(**{"agreements-0-text": "Iets.", "agreements-0-goal_id": str(goal_id)}),
        page=page,
    )
    assert resp.status_code == 422 and "Choose who does it." in resp.get_data(as_text=True)
    resp = client.submit(page, meeting_data(family_member_ids=None, other_attendees=""), page=page)
    assert resp.status_code == 422
    assert "Who came? Tick at least one person." in resp.get_data(as_text=True)
    resp = client.submit(page, meeting_data(held_on="2999-01-01"), page=page)
    assert resp.status_code == 422
    # Adding a row keeps everything typed.
    resp = client.submit(
        page,
        meeting_data(add_agreement="y", **{"agreements-0-text": "Eerste afspraak."}),
        page=page,
    )
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'name="agreements-3-text"' in html and "Eerste afspraak." in html
    with app.app_context():
        assert db.scalar(select(func.count(NetworkMeeting.id))) == 0


def test_meeting_without_agreements_and_without_plan(net, client, app):
    resp = client.submit(
        f"{net.base}/meetings/new",
        meeting_data(kind="family_group_conference", organised_by="professional"),
        page=f"{net.base}/meetings/new",
    )
    assert resp.status_code == 302
    client.english()
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Family group conference (Eigen Kracht-conferentie)" in html


def test_network_changes_are_audited(net, client, app):
    member_id = net.member_id(net.add())
    client.get(f"{net.base}/{member_id}")
    with app.app_context():
        actions = list(
            db.scalars(select(AuditEvent.action).where(AuditEvent.case_id == net.case_id))
        )
    assert "network.create" in actions
    assert actions.count("case.view") >= 1


def test_network_page_queries_do_not_grow_with_members(net, client, app):
    from tests.test_queries import count_queries

    net.add("Eerste")
    client.get(net.base)
    with count_queries(app) as few:
        client.get(net.base)
    for i in range(12):
        net.add(
            f"Persoon {i}",
            kind=["friend", "neighbour", "volunteer"][i % 3],
            quality=["supportive", "strained", "unsafe"][i % 3],
            closeness=["close", "middle", "far"][i % 3],
        )
    with count_queries(app) as many:
        html = client.get(net.base).get_data(as_text=True)
    assert "Persoon 11" in html
    assert many["n"] == few["n"]
