"""Network meetings have a follow-up date (issue 18): when do we check whether the contacts
held? Past and not checked, with no later meeting: a signal on "my week" and the dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

from sqlalchemy import select, update

from tests.conftest import form_version
from tests.factories import app_api as api
from tests.factories.cases import helper, lisa_and_noah, members_of
from tests.network.test_network import meeting_data
from tests.test_queries import count_queries
from wijkteam.audit.models import AuditEvent
from wijkteam.cases.models import Case
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.network.models import NetworkMeeting

SIGNAL = "Check whether the contacts of the network meeting held"


def _meeting(app, world, case_id: int, *, held_on: date, follow_up_on: date | None) -> int:
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(Case, case_id)
        oma = helper(pro, case, f"Oma {held_on.isoformat()}")
        meeting = api.network.record_meeting(
            pro,
            case,
            None,
            held_on=held_on,
            kind=api.MeetingKind.INFORMAL,
            organised_by=api.OrganisedBy.FAMILY,
            network_member_ids=[oma.id],
            family_member_ids=[members_of(case)[0].id],
            other_attendees="",
            summary="Samen gepraat.",
            agreed="Oma komt op woensdag.",
            agreements=[],
            follow_up_on=follow_up_on,
        )
        db.commit()
        return meeting.id


def _passed(app, meeting_id: int, days: int = 1) -> None:
    """Move the meeting and its check date back, so the check date has passed."""
    with app.app_context():
        db.execute(
            update(NetworkMeeting)
            .where(NetworkMeeting.id == meeting_id)
            .values(
                held_on=clock.today() - timedelta(days=days + 30),
                follow_up_on=clock.today() - timedelta(days=days),
            )
        )
        db.commit()


def test_a_meeting_gets_a_follow_up_date(net, client, app):
    page = f"{net.base}/meetings/new"
    resp = client.submit(page, meeting_data(follow_up_on="2026-05-15"), page=page)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    with app.app_context():
        meeting = db.scalar(select(NetworkMeeting))
        assert meeting.follow_up_on == date(2026, 5, 15)
        assert meeting.followed_up_on is None
    client.english()
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "We check on" in html and "Record the check" in html


def test_a_follow_up_date_before_the_meeting_is_refused_and_the_text_kept(net, client, app):
    page = f"{net.base}/meetings/new"
    client.english()
    resp = client.submit(page, meeting_data(follow_up_on="2026-03-01"), page=page)
    assert resp.status_code == 422
    html = unescape(resp.get_data(as_text=True))
    assert "The check comes after the meeting." in html
    assert "Samen gegeten en gepraat." in html
    resp = client.submit(page, meeting_data(follow_up_on="later"), page=page)
    assert resp.status_code == 422
    with app.app_context():
        assert db.scalar(select(NetworkMeeting)) is None


def test_recording_the_check(client, world, app, plan_case):
    meeting_id = _meeting(
        app, world, plan_case, held_on=date(2026, 4, 1), follow_up_on=date(2026, 5, 1)
    )
    client.login("pro.noord@test.example")
    client.english()
    page = f"/cases/{plan_case}/network/meetings/{meeting_id}/follow-up"
    v = form_version(client.get(page).get_data(as_text=True))
    note = "Oma komt nog elke woensdag; de buurvrouw is afgehaakt."

    def send(**values: str):
        data = {"follow_up_on": "2026-05-01", "version": v, **values}
        return client.submit(page, data, page=page)

    for values, message in (
        ({"follow_up_note": note}, "Fill in when you checked."),
        ({"followed_up_on": "2026-05-02"}, "Write what you found."),
        ({"follow_up_on": ""}, "Fill in a date to check, or record the check."),
        ({"followed_up_on": "2026-03-01", "follow_up_note": note}, "before the meeting"),
        ({"follow_up_on": "2026-04-01"}, "The check comes after the meeting."),
    ):
        resp = send(**values)
        assert resp.status_code == 422, values
        html = unescape(resp.get_data(as_text=True))
        assert message in html, values
        if "follow_up_note" in values:
            assert note in html
    future = (clock.today() + timedelta(days=3)).isoformat()
    assert send(followed_up_on=future, follow_up_note=note).status_code == 422
    resp = send(followed_up_on="2026-05-02", follow_up_note=note)
    assert resp.status_code == 302
    html = unescape(client.get(resp.headers["Location"]).get_data(as_text=True))
    assert "Checked on" in html and note in html
    with app.app_context():
        meeting = db.get(NetworkMeeting, meeting_id)
        assert meeting.followed_up_on == date(2026, 5, 2)
        assert meeting.follow_up_note == note
        actions = db.scalars(select(AuditEvent.action).where(AuditEvent.case_id == plan_case))
        assert "meeting.follow_up" in list(actions)


def test_a_stale_check_gets_a_conflict_that_keeps_the_text(
    client, other_client, world, app, plan_case
):
    meeting_id = _meeting(
        app, world, plan_case, held_on=date(2026, 4, 1), follow_up_on=date(2026, 5, 1)
    )
    page = f"/cases/{plan_case}/network/meetings/{meeting_id}/follow-up"
    client.login("pro.noord@test.example")
    other_client.login("pro2.noord@test.example")
    v = form_version(client.get(page).get_data(as_text=True))
    other_v = form_version(other_client.get(page).get_data(as_text=True))
    assert (
        client.submit(page, {"follow_up_on": "2026-06-01", "version": v}, page=page).status_code
        == 302
    )
    mine = "Ik sprak Lisa: iedereen helpt nog."
    resp = other_client.submit(
        page,
        {
            "follow_up_on": "2026-05-01",
            "followed_up_on": "2026-05-03",
            "follow_up_note": mine,
            "version": other_v,
        },
        page=page,
    )
    assert resp.status_code == 409
    assert mine in unescape(resp.get_data(as_text=True))
    with app.app_context():
        assert db.get(NetworkMeeting, meeting_id).follow_up_on == date(2026, 6, 1)


def test_the_follow_up_page_of_another_team_is_404(client, world, app):
    case_id = world.case(world.pro_zuid, name="Zuid", members=lisa_and_noah("Zuid"))
    with app.test_request_context():
        pro = db.get(api.User, world.pro_zuid)
        case = db.get(Case, case_id)
        meeting = api.network.record_meeting(
            pro,
            case,
            None,
            held_on=date(2026, 4, 1),
            kind=api.MeetingKind.INFORMAL,
            organised_by=api.OrganisedBy.FAMILY,
            network_member_ids=[],
            family_member_ids=[members_of(case)[0].id],
            other_attendees="",
            summary="",
            agreed="",
            agreements=[],
            follow_up_on=date(2026, 5, 1),
        )
        db.commit()
        meeting_id = meeting.id
    client.login("pro.noord@test.example")
    page = f"/cases/{case_id}/network/meetings/{meeting_id}/follow-up"
    assert client.get(page).status_code == 404
    resp = client.submit(page, {"follow_up_on": "2026-06-01", "version": "1"}, page="/cases")
    assert resp.status_code == 404
    with app.app_context():
        assert db.get(NetworkMeeting, meeting_id).follow_up_on == date(2026, 5, 1)


def test_a_passed_check_is_a_signal_until_checked(client, world, app, plan_case):
    meeting_id = _meeting(
        app, world, plan_case, held_on=date(2026, 4, 1), follow_up_on=date(2026, 5, 1)
    )
    _passed(app, meeting_id)
    client.login("pro.noord@test.example")
    client.english()
    html = client.get("/dashboard").get_data(as_text=True)
    assert SIGNAL in html
    assert f'href="/cases/{plan_case}/network/meetings/{meeting_id}/follow-up"' in html
    other = client.get("/dashboard")  # the same for the team lead
    assert other.status_code == 200
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(Case, plan_case)
        meeting = db.get(NetworkMeeting, meeting_id)
        api.network.record_follow_up(
            pro,
            case,
            meeting,
            expected_version=meeting.version,
            data={
                "follow_up_on": meeting.follow_up_on,
                "followed_up_on": clock.today(),
                "follow_up_note": "Iedereen helpt nog.",
            },
        )
        db.commit()
    assert SIGNAL not in client.get("/dashboard").get_data(as_text=True)


def test_a_check_date_not_yet_passed_or_followed_by_a_meeting_is_no_signal(
    client, world, app, plan_case
):
    today = clock.today()
    first = _meeting(app, world, plan_case, held_on=date(2026, 4, 1), follow_up_on=None)
    _passed(app, first, days=0)  # the check date is today: not passed yet
    client.login("pro.noord@test.example")
    client.english()
    assert SIGNAL not in client.get("/dashboard").get_data(as_text=True)
    _passed(app, first, days=10)
    assert SIGNAL in client.get("/dashboard").get_data(as_text=True)
    # A later meeting counts as the check.
    _meeting(app, world, plan_case, held_on=today - timedelta(days=2), follow_up_on=None)
    assert SIGNAL not in client.get("/dashboard").get_data(as_text=True)


def test_a_closed_case_has_no_meeting_signal(client, world, app, plan_case):
    meeting_id = _meeting(
        app, world, plan_case, held_on=date(2026, 4, 1), follow_up_on=date(2026, 5, 1)
    )
    _passed(app, meeting_id)
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(Case, plan_case)
        api.close_case(
            pro,
            case,
            expected_version=case.version,
            reason=api.CloseReason.MOVED,
            closed_on=clock.today(),
            note="",
        )
        db.commit()
    client.login("lead.noord@test.example")
    client.english()
    assert SIGNAL not in client.get("/dashboard").get_data(as_text=True)


def test_meeting_signals_keep_the_dashboard_queries_constant(client, world, app):
    cases = [
        world.case(world.pro_noord, name=f"Gezin{i}", members=lisa_and_noah(f"G{i}"))
        for i in range(6)
    ]
    client.login("lead.noord@test.example")
    first = _meeting(app, world, cases[0], held_on=date(2026, 4, 1), follow_up_on=None)
    _passed(app, first)
    client.get("/dashboard")
    with count_queries(app) as few:
        html = client.get("/dashboard").get_data(as_text=True)
    assert html.count("/follow-up") == 1
    for case_id in cases[1:]:
        for _ in range(2):
            _passed(app, _meeting(app, world, case_id, held_on=date(2026, 4, 1), follow_up_on=None))
    with count_queries(app) as many:
        html = client.get("/dashboard").get_data(as_text=True)
    assert html.count("/follow-up") == 6  # one signal per case, however many meetings
    assert many["n"] == few["n"]
