"""A child is never the interpreter (issue 18, point 3): the one rule, and every form that
records an interpreter posted as an attacker would (a child's id in the picker, a child's name
in the name field), plus the question whether a professional interpreter was offered."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.conftest import form_version
from tests.network.conftest import NetworkUI
from tests.plans.conftest import PlanUI
from tests.plans.test_repeats_and_agreement import agree
from tests.safety.test_safety import STEP_OK, open_concern, step
from wijkteam.cases.interpreting import check_interpreter, is_child, named_child
from wijkteam.cases.models import FamilyMember, MemberRole
from wijkteam.core.db import db
from wijkteam.core.errors import FieldError
from wijkteam.network.models import NetworkMeeting
from wijkteam.notes.models import Note
from wijkteam.plans.models import PlanVersion
from wijkteam.safety.models import MeldcodeStep

CHILD_SAID = "Never ask a child to interpret. Book a professional interpreter."
OFFERED_ASKED = "Was a professional interpreter offered? Answer yes or no."
WARNING = "a lot of responsibility and power in the process"
LISA, NOAH = "member-1", "member-2"  # the parent and the child of plan_case
DAY = date(2026, 3, 10)


def member(first: str, role: MemberRole, born: date | None, member_id: int) -> FamilyMember:
    return FamilyMember(
        id=member_id, first_name=first, last_name="Mensah", role=role, date_of_birth=born
    )


FAMILY = [
    member("Akosua", MemberRole.PARENT, date(1985, 1, 1), 1),
    member("Kofi", MemberRole.CHILD, date(2005, 1, 1), 2),  # 21, but the role is child
    member("Zoë", MemberRole.OTHER, date(2009, 3, 11), 3),  # 17 on DAY (18 the day after)
    member("Yaw", MemberRole.OTHER, None, 4),  # age not known, not a child by role
]


def test_who_is_a_child():
    assert [is_child(m, DAY) for m in FAMILY] == [False, True, True, False]
    assert not is_child(FAMILY[2], date(2027, 3, 11))  # her eighteenth birthday


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        ("Kofi", True),
        ("kofi mensah", True),
        ("zoon Kofi", True),
        ("ZOE", True),  # without the accent
        ("Zoë Mensah", True),
        ("de kinderen", True),
        ("Akosua", False),
        ("Mevrouw Boateng (tolk)", False),
        ("Yaw", False),
    ],
)
def test_a_name_that_names_a_child(name, refused):
    assert named_child(name, FAMILY, DAY) is refused


def _refused_on(data: dict, network: set[int] = frozenset({7})) -> str:  # type: ignore[assignment]
    with pytest.raises(FieldError) as caught:
        check_interpreter(FAMILY, network, data, on=DAY)
    return caught.value.field


def test_the_rule(app):
    with app.test_request_context():
        assert _refused_on({"interpreter_member_id": 2, "interpreter_language": "Twi"}) == (
            "interpreter"
        )
        assert _refused_on({"interpreter_member_id": 3, "interpreter_language": "Twi"}) == (
            "interpreter"
        )
        assert _refused_on({"interpreter_name": "Kofi", "interpreter_language": "Twi"}) == (
            "interpreter_name"
        )
        assert _refused_on({"interpreter_member_id": 99, "interpreter_language": "Twi"}) == (
            "interpreter"
        )
        assert _refused_on({"interpreter_network_member_id": 8, "interpreter_language": "Twi"}) == (
            "interpreter"
        )
        assert _refused_on({"interpreter_invalid": True}) == "interpreter"
        both = {"interpreter_member_id": 1, "interpreter_network_member_id": 7}
        assert _refused_on(both) == "interpreter"
        # Someone of the network or an adult of the family: the question must be answered.
        assert _refused_on({"interpreter_network_member_id": 7, "interpreter_language": "Twi"}) == (
            "professional_interpreter_offered"
        )
        assert _refused_on({"interpreter_network_member_id": 7}) == "interpreter_language"
        ok = check_interpreter(
            FAMILY,
            {7},
            {
                "interpreter_member_id": 1,
                "interpreter_language": " Twi ",
                "professional_interpreter_offered": False,
            },
            on=DAY,
        )
        assert ok["interpreter_member_id"] == 1 and ok["interpreter_language"] == "Twi"
        assert ok["professional_interpreter_offered"] is False
        # A professional interpreter: the question is not asked (and an answer is not kept).
        pro = check_interpreter(
            FAMILY,
            set(),
            {
                "interpreter_name": "Mevrouw Boateng",
                "interpreter_language": "Twi",
                "professional_interpreter_offered": True,
            },
            on=DAY,
        )
        assert pro["professional_interpreter_offered"] is None


@pytest.fixture
def friend(client, plan_case) -> int:
    """pro.noord logged in (English); Ama of the church is in the Bakker family's network."""
    client.login("pro.noord@test.example")
    net = NetworkUI(client, plan_case)
    network_member_id = net.member_id(net.add("Ama Owusu", kind="informal_worker"))
    client.english()
    return network_member_id


def _says(resp, status: int, *texts: str) -> str:
    html = unescape(resp.get_data(as_text=True))
    assert resp.status_code == status, html[-2500:]
    for text in texts:
        assert text in html
    return html


# --- conversation notes ---------------------------------------------------------------------


def _note(client, case_id: int, **values: str):
    url = f"/cases/{case_id}/notes/new"
    data = {
        "contact_on": "2026-03-10",
        "kind": "home_visit",
        "location": "Thuis bij Lisa",
        "family_member_ids": "1",
        "question": "Lisa wil rustige ochtenden.",
        "save_draft": "y",
        **values,
    }
    return client.submit(url, data, page=url)


def test_note_form_offers_adults_and_network_never_the_child(client, plan_case, friend):
    html = _says(client.get(f"/cases/{plan_case}/notes/new"), 200, WARNING, CHILD_SAID)
    assert f'value="{LISA}"' in html and f'value="network-{friend}"' in html
    assert f'value="{NOAH}"' not in html


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"interpreter": NOAH, "interpreter_language": "Nederlands"}, CHILD_SAID),
        ({"interpreter_name": "noah bakker", "interpreter_language": "Nederlands"}, CHILD_SAID),
        ({"interpreter_name": "haar zoontje", "interpreter_language": "Nederlands"}, CHILD_SAID),
        ({"interpreter": "member-999", "interpreter_language": "Twi"}, "Choose from the people"),
        ({"interpreter": "member-x", "interpreter_language": "Twi"}, "Choose from the people"),
        ({"interpreter": "user-1", "interpreter_language": "Twi"}, "Choose from the people"),
    ],
)
def test_note_refuses_a_child_and_keeps_the_text(client, plan_case, friend, app, values, message):
    _says(_note(client, plan_case, **values), 422, message, "Thuis bij Lisa")
    with app.app_context():
        assert db.scalar(select(func.count(Note.id))) == 0


def test_note_with_a_key_figure_interpreting_asks_about_a_professional(
    client, plan_case, friend, app
):
    chosen = {"interpreter": f"network-{friend}", "interpreter_language": "Twi"}
    _says(_note(client, plan_case, **chosen), 422, OFFERED_ASKED, "Thuis bij Lisa")
    resp = _note(client, plan_case, **chosen, professional_interpreter_offered="no")
    assert resp.status_code == 302, unescape(resp.get_data(as_text=True))[-2000:]
    with app.app_context():
        note = db.scalar(select(Note))
        assert note.interpreter_network_member_id == friend
        assert note.professional_interpreter_offered is False
        assert note.interpreter_member_id is None
    _says(client.get(resp.headers["Location"]), 200, "Ama Owusu (Twi)", "No professional")
    # The draft opens again with the key figure chosen.
    edit = client.get(f"{resp.headers['Location']}/edit").get_data(as_text=True)
    assert f'<option selected value="network-{friend}">' in edit


# --- network meetings -----------------------------------------------------------------------


def _meeting(client, case_id: int, **values: str):
    url = f"/cases/{case_id}/network/meetings/new"
    data = {
        "held_on": "2026-03-10",
        "kind": "informal",
        "organised_by": "family",
        "family_member_ids": "1",
        "summary": "Wie helpt met de ochtenden?",
        **values,
    }
    return client.submit(url, data, page=url)


@pytest.mark.parametrize(
    "values",
    [
        {"interpreter": NOAH, "interpreter_language": "Nederlands"},
        {"interpreter_name": "Noah", "interpreter_language": "Nederlands"},
    ],
)
def test_meeting_refuses_a_child(client, plan_case, friend, app, values):
    _says(_meeting(client, plan_case, **values), 422, CHILD_SAID, "Wie helpt met de ochtenden?")
    with app.app_context():
        assert db.scalar(select(func.count(NetworkMeeting.id))) == 0


def test_meeting_with_a_key_figure_interpreting(client, plan_case, friend, app):
    chosen = {"interpreter": f"network-{friend}", "interpreter_language": "Twi"}
    _says(_meeting(client, plan_case, **chosen), 422, OFFERED_ASKED)
    resp = _meeting(client, plan_case, **chosen, professional_interpreter_offered="yes")
    assert resp.status_code == 302, unescape(resp.get_data(as_text=True))[-2000:]
    with app.app_context():
        meeting = db.scalar(select(NetworkMeeting))
        assert meeting.interpreter_network_member_id == friend
        assert meeting.professional_interpreter_offered is True
    _says(client.get(resp.headers["Location"]), 200, "Ama Owusu (Twi)", "was offered")


# --- the family's agreement of the plan -----------------------------------------------------


@pytest.fixture
def plan_base(client, plan_case, friend) -> str:
    plan = PlanUI(client, plan_case)
    plan.start()
    plan.goal_id(plan.add_goal("Wij willen rustige ochtenden."))
    return plan.base


@pytest.mark.parametrize(
    "values",
    [
        {"interpreter": NOAH, "interpreter_language": "Nederlands"},
        {"interpreter_name": "Noah Bakker", "interpreter_language": "Nederlands"},
    ],
)
def test_agreement_refuses_a_child(client, plan_base, app, values):
    for how in ("interpreter", "together"):  # never a child, whatever was chosen
        resp = agree(client, plan_base, note="Moeder wil het zo.", explained_how=how, **values)
        _says(resp, 422, CHILD_SAID)
    with app.app_context():
        assert db.scalar(select(func.count(PlanVersion.id))) == 0


def test_agreement_with_the_mother_interpreting_for_herself_is_asked_about(client, plan_base, app):
    html = _says(client.get(f"{plan_base}/finalise"), 200, WARNING)
    assert f'value="{NOAH}"' not in html
    chosen = {"interpreter": LISA, "interpreter_language": "Engels", "explained_how": "interpreter"}
    _says(
        agree(client, plan_base, note="Moeder wil het zo.", **chosen),
        422,
        OFFERED_ASKED,
        "Moeder wil het zo.",
    )
    resp = agree(client, plan_base, professional_interpreter_offered="yes", **chosen)
    assert resp.status_code == 302, unescape(resp.get_data(as_text=True))[-2000:]
    with app.app_context():
        version = db.scalar(select(PlanVersion))
        assert version.interpreter_member_id == 1 and version.professional_interpreter_offered
    _says(client.get(f"{plan_base}/versions/1"), 200, "Interpreter: Lisa Bakker.", "was offered")


# --- the Meldcode conversation (step 3) -----------------------------------------------------


@pytest.fixture
def concern_url(client, plan_case, friend) -> str:
    url = open_concern(client, f"/cases/{plan_case}/safety")
    for n in (1, 2):
        assert step(client, url, n, **STEP_OK[n]).status_code == 302
    return url


@pytest.mark.parametrize(
    "values",
    [
        {"interpreter": NOAH, "interpreter_language": "Nederlands"},
        {"interpreter_name": "Noah", "interpreter_language": "Nederlands"},
        # Not even on a step marked as not applicable.
        {
            "interpreter": NOAH,
            "interpreter_language": "Nederlands",
            "not_applicable": "y",
            "outcome": "Gesprek volgt.",
        },
    ],
)
def test_meldcode_conversation_refuses_a_child(client, concern_url, app, values):
    resp = step(client, concern_url, 3, **{**STEP_OK[3], "talked_with": "Lisa en Noah", **values})
    _says(resp, 422, CHILD_SAID, "Lisa en Noah")
    with app.app_context():
        assert db.scalar(select(func.count(MeldcodeStep.id)).where(MeldcodeStep.step == 3)) == 0


def test_meldcode_conversation_with_a_key_figure_interpreting(client, concern_url, friend, app):
    chosen = {"interpreter": f"network-{friend}", "interpreter_language": "Twi"}
    _says(step(client, concern_url, 3, **STEP_OK[3], **chosen), 422, OFFERED_ASKED)
    resp = step(
        client, concern_url, 3, **STEP_OK[3], **chosen, professional_interpreter_offered="no"
    )
    assert resp.status_code == 302, unescape(resp.get_data(as_text=True))[-2000:]
    with app.app_context():
        saved = db.scalar(select(MeldcodeStep).where(MeldcodeStep.step == 3))
        assert saved.interpreter_network_member_id == friend
        assert saved.professional_interpreter_offered is False
    _says(client.get(concern_url), 200, "Interpreter: Ama Owusu (Twi).", "No professional")
    # A correction opens with the key figure chosen, and a child is still refused.
    page = client.get(f"{concern_url}/steps/3").get_data(as_text=True)
    assert f'<option selected value="network-{friend}">' in page
    resp = step(
        client,
        concern_url,
        3,
        **STEP_OK[3],
        interpreter=NOAH,
        interpreter_language="Nl",
        version=form_version(page),
    )
    _says(resp, 422, CHILD_SAID)
