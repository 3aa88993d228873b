"""The way in, a confidence passed on, and "we stay responsible" checks (issue 18)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.factories import app_api as api
from tests.factories import care
from tests.factories import cases as c
from wijkteam.cases.models import Case, WayIn
from wijkteam.core import clock
from wijkteam.core.errors import FieldError
from wijkteam.keyfigures import services as keyfigures
from wijkteam.plans.models import Action


def test_way_in_through_a_new_key_figure_links_the_network(app, client, world):
    case_id = world.case(world.pro_noord, name="Mensahtest")
    client.english()
    client.login("pro.noord@test.example")
    url = f"/cases/{case_id}/way-in"
    # Through an intermediary, but nobody named: the form again, with what was typed.
    resp = client.submit(
        url,
        {"way_in": "intermediary", "way_in_detail": "via de kerkdienst", "version": "1"},
        page=url,
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Through whom did the family come?" in html and "via de kerkdienst" in html
    resp = client.submit(
        url,
        {
            "way_in": "intermediary",
            "new_key_figure": "Mevrouw Boateng",
            "via_groundwork": "y",
            "via_goes_along": "y",
            "version": "1",
        },
        page=url,
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    with app.app_context():
        case = api.db.get(Case, case_id)
        assert case.way_in == WayIn.INTERMEDIARY
        member = case.way_in_network_member
        assert member is not None and member.key_figure.name == "Mevrouw Boateng"
        assert member.family_id == case.family_id and member.may_contact is None
        assert [h.value for h in case.intermediary_help] == ["groundwork", "goes_along"]
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Mevrouw Boateng" in page and "did the groundwork with the family" in page


def test_team_lead_sees_through_whom_families_came_in(app, client, world):
    with app.test_request_context():
        pro = api.db.get(api.User, world.pro_noord)
        addo = care.key_figure(pro, "Mevrouw Addo")
        for name, data in (
            ("Eenfamilie", {"way_in": WayIn.INTERMEDIARY, "key_figure_id": addo.id}),
            ("Tweefamilie", {"way_in": WayIn.INTERMEDIARY, "key_figure_id": addo.id}),
            ("Driefamilie", {"way_in": WayIn.SCHOOL}),
        ):
            case = c.register(pro, name)
            keyfigures.set_way_in(pro, case, {**data, "via_first_contact": True}, new_case=True)
        api.db.commit()
    opened = c.OPENED
    query = f"?from={opened.isoformat()}&to={opened.isoformat()}"
    client.english()
    client.login("pro.noord@test.example")
    assert client.get(f"/way-in{query}").status_code == 403
    client.logout()
    client.login("lead.noord@test.example")
    page = client.get(f"/way-in{query}").get_data(as_text=True)
    assert "Through an intermediary (a key figure)</td><td>2</td>" in page
    assert "Through school</td><td>1</td>" in page
    assert "Mevrouw Addo" in page
    assert client.get("/way-in?from=gisteren").status_code == 200  # this quarter instead


@pytest.fixture
def confided(app, world):
    """A concern weighed up to step 4, with a signal a key figure heard in confidence."""
    with app.test_request_context():
        pro = api.db.get(api.User, world.pro_noord)
        case = c.register(pro, "Vertrouwenfamilie", members=c.lisa_and_noah("Vertrouwenfamilie"))
        _parent, child = c.members_of(case)
        plan = c.start_plan(pro, case)
        member = care.key_figure_member(pro, case, care.key_figure(pro, "Mevrouw Addo"))
        concern = care.concern(pro, case, plan, [child.id])
        signal = care.confided_signal(pro, case, concern, member.id)
        care.meldcode(pro, case, concern, upto=4)
        api.db.commit()
        return {"case": case.id, "concern": concern.id, "signal": signal.id}


def _decide(app, world, ids):
    with app.test_request_context():
        pro = api.db.get(api.User, world.pro_noord)
        case = api.db.get(Case, ids["case"])
        concern = api.db.get(api.all_models.SafetyConcern, ids["concern"])
        data = {"done_on": date(2026, 3, 4), **care.STEPS[5]}
        api.safety.record_step(pro, case, concern, 5, expected_version=None, data=data)
        api.db.commit()


def test_no_decision_before_the_agreement_with_who_passed_it_on(app, client, world, confided):
    with pytest.raises(FieldError) as refused:
        _decide(app, world, confided)
    assert refused.value.field == "step"
    with app.app_context():
        signal = api.db.get(api.all_models.Signal, confided["signal"])
        assert signal.source_confidential  # a confidence passed on is never shown around
    base = f"/cases/{confided['case']}/safety/{confided['concern']}/signals/{confided['signal']}"
    client.english()
    client.login("pro2.noord@test.example")  # not the case lead: the form names the source
    assert client.get(f"{base}/confidence").status_code == 403
    client.logout()
    client.login("pro.noord@test.example")
    resp = client.submit(
        f"{base}/confidence",
        {"confidence_agreement": "", "confidence_agreed_on": "2026-03-03", "version": "1"},
        page=f"{base}/confidence",
    )
    assert resp.status_code == 422
    resp = client.submit(
        f"{base}/confidence",
        {
            "confidence_agreement": "Wij zeggen dat school het zag; zij blijft erbuiten.",
            "confidence_agreed_on": "2026-03-03",
            "parents_told_duty": "y",
            "version": "1",
        },
        page=f"{base}/confidence",
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    _decide(app, world, confided)

    from wijkteam.printout.family_file import family_file

    with app.test_request_context():
        made = json.dumps(family_file(api.db.get(Case, confided["case"])), default=str)
    for hidden in ("zij blijft erbuiten", "in vertrouwen", "Sleutelfiguur van de kerk"):
        assert hidden not in made, hidden
    assert "agreement about a confidence" not in made


def test_a_volunteers_action_is_checked_and_an_overdue_check_shows(app, client, world):
    with app.test_request_context():
        pro = api.db.get(api.User, world.pro_noord)
        case = c.register(pro, "Checkfamilie")
        plan = c.start_plan(pro, case)
        goal = c.goal(pro, case, plan)
        member = care.key_figure_member(pro, case, care.key_figure(pro, "Mevrouw Addo"))
        action = c.action(pro, case, goal, "Gaat mee naar de huisarts.", helper_id=member.id)
        assert action.check_by_id == case.lead_id  # nothing is handed off silently
        assert action.check_on == clock.today() + timedelta(days=14)
        family_action = c.action(pro, case, goal, "Ouders bellen school.")
        assert family_action.check_by_id is None
        action.check_on = clock.today() - timedelta(days=1)  # the check is overdue
        api.db.commit()
        ids = (case.id, action.id)
    client.english()
    client.login("pro.noord@test.example")
    week = client.get("/dashboard").get_data(as_text=True)
    assert "checks you do" in week and "Gaat mee naar de huisarts." in week
    assert "1 check on an action of a volunteer is overdue." in week
    url = f"/cases/{ids[0]}/plan/actions/{ids[1]}/checked"
    resp = client.submit(url, {"version": "2"}, page=url)  # moved to overdue above
    assert resp.status_code == 302
    with app.app_context():
        checked = api.db.get(Action, ids[1])
        assert checked.last_checked_on == clock.today()
        assert checked.check_on == clock.today() + timedelta(days=14)
    assert "is overdue" not in client.get("/dashboard").get_data(as_text=True)
