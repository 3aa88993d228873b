"""The family's satisfaction (issue 20, part A): what each person answered about the help,
recorded by the case lead, the duo colleague or the team lead on a closed (or closing) case;
who answered is a member of 12 or older or a name; answers 1-5 and a mark 1-10; audited."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.factories import app_api as api
from tests.factories.cases import close_with_outcomes, person, satisfaction
from wijkteam.audit.models import AuditEvent
from wijkteam.cases.models import Case
from wijkteam.closing.models import SatisfactionAnswer, SatisfactionHow
from wijkteam.core import clock
from wijkteam.core.db import db
from wijkteam.core.errors import FieldError, NotAllowed

FORM_ID_RE = re.compile(r'name="form_id" type="hidden" value="([^"]+)"')


def _family() -> list[dict]:
    """Lisa (a parent), Noah (9, too young to answer) and Sara (14)."""
    return [
        person("Lisa", "Bakker", "parent", date(1990, 3, 1)),
        person("Noah", "Bakker", "child", date(2017, 5, 2), custody="mother"),
        person("Sara", "Bakker", "child", date(2012, 6, 1), custody="mother"),
    ]


@pytest.fixture
def closed_case(app, world) -> int:
    """A closed case of team Noord led by pro.noord (no duo colleague)."""
    case_id = world.case(world.pro_noord, name="Bakker", members=_family())
    with app.test_request_context():
        close_with_outcomes(db.get(api.User, world.pro_noord), db.get(Case, case_id))
        db.commit()
    return case_id


def members(app, case_id: int) -> dict[str, int]:
    with app.app_context():
        return {m.first_name: m.id for m in db.get(Case, case_id).family.members}


def answer_data(**values: str) -> dict[str, str]:
    return {
        "answered_on": clock.today().isoformat(),
        "member_id": "",
        "who_name": "",
        "how": "family_alone",
        "heard": "4",
        "own_say": "5",
        "better_now": "3",
        "rating": "8",
        "comment": "",
        **values,
    }


def answers(app, case_id: int) -> list[SatisfactionAnswer]:
    with app.app_context():
        rows = list(
            db.scalars(
                select(SatisfactionAnswer)
                .where(SatisfactionAnswer.case_id == case_id)
                .order_by(SatisfactionAnswer.id)
            )
        )
        db.expunge_all()
        return rows


def test_the_page_asks_the_questions_and_offers_who_may_answer(client, app, closed_case):
    client.login("pro.noord@test.example")
    client.english()
    resp = client.get(f"/cases/{closed_case}/satisfaction")
    assert resp.status_code == 200
    html = unescape(resp.get_data(as_text=True))
    for words in (
        "Did you feel heard?",
        "Could you decide about your plan yourself?",
        "Is it going better now than when we started?",
        "What mark do you give us, from 1 to 10?",
        "1 · Not at all",
        "2 · A little",
        "3 · Sometimes yes, sometimes no",
        "4 · Mostly",
        "5 · Completely",
        "Alone, on the paper form",
        "Together with the professional",
        "By phone",
        "No answers recorded yet.",
    ):
        assert words in html, words
    ids = members(app, closed_case)
    select = re.search(r'<select[^>]*name="member_id".*?</select>', html, re.S).group(0)
    options = dict(re.findall(r'<option value="(\d+)">([^<]+)</option>', select))
    # Lisa and Sara (14) answer for themselves; Noah (9) is not offered.
    assert options.get(str(ids["Lisa"])) == "Lisa Bakker"
    assert options.get(str(ids["Sara"])) == "Sara Bakker"
    assert str(ids["Noah"]) not in options
    # The closed case's page links to it.
    show = client.get(f"/cases/{closed_case}").get_data(as_text=True)
    assert f'href="/cases/{closed_case}/satisfaction"' in show


def test_answers_are_recorded_shown_in_words_and_audited(client, app, world, closed_case):
    ids = members(app, closed_case)
    client.login("pro.noord@test.example")
    page = f"/cases/{closed_case}/satisfaction"
    comment = "Sanne luisterde echt. Wel jammer dat het zo lang duurde."
    resp = client.submit(
        page, answer_data(member_id=str(ids["Sara"]), comment=f"  {comment} "), page=page
    )
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(page)
    resp = client.submit(
        page,
        answer_data(
            who_name="Oma Ria",
            how="by_phone",
            heard="",
            own_say="2",
            better_now="1",
            rating="",
        ),
        page=page,
    )
    assert resp.status_code == 302
    rows = answers(app, closed_case)
    assert [
        (r.member_id, r.who_name, r.how, r.heard, r.own_say, r.better_now, r.rating) for r in rows
    ] == [
        (ids["Sara"], "", SatisfactionHow.FAMILY_ALONE, 4, 5, 3, 8),
        (None, "Oma Ria", SatisfactionHow.BY_PHONE, None, 2, 1, None),
    ]
    assert rows[0].comment == comment
    assert rows[0].recorded_by_id == world.pro_noord
    assert rows[0].answered_on == clock.today()
    client.english()
    html = unescape(client.get(page).get_data(as_text=True))
    for words in ("Sara", "Oma Ria", "Mostly", "Completely", "A little", "no answer", comment):
        assert words in html, words
    assert "answers recorded: 2 · marks: 8" in unescape(
        client.get(f"/cases/{closed_case}").get_data(as_text=True)
    )
    with app.app_context():
        audit = list(
            db.scalars(
                select(AuditEvent)
                .where(AuditEvent.case_id == closed_case, AuditEvent.action == "case.satisfaction")
                .order_by(AuditEvent.id)
            )
        )
    assert [(a.user_id, a.object_type, a.fields) for a in audit] == [
        (
            world.pro_noord,
            "SatisfactionAnswer",
            ["better_now", "comment", "heard", "member_id", "own_say", "rating"],
        ),
        (world.pro_noord, "SatisfactionAnswer", ["better_now", "own_say", "who_name"]),
    ]
    assert all("Sanne" not in a.detail and "Oma" not in a.detail for a in audit)
    assert audit[1].detail == "how: by_phone"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"heard": "6"}, "Choose one of the options offered."),
        ({"heard": "0"}, "Choose one of the options offered."),
        ({"own_say": "abc"}, "Choose one of the options offered."),
        ({"better_now": "-1"}, "Choose one of the options offered."),
        ({"rating": "11"}, "Choose one of the options offered."),
        ({"rating": "0"}, "Choose one of the options offered."),
        ({"rating": "7.5"}, "Choose one of the options offered."),
        ({"how": ""}, "Choose how the questions were answered."),
        ({"how": "by_pigeon"}, "Choose one of the options offered."),
        ({"answered_on": ""}, "Fill in a date."),
        ({"answered_on": "2999-01-01"}, "This date cannot be in the future."),
        ({"answered_on": "2020-01-01"}, "The answers cannot be from before the case opened."),
        ({"who_name": "x" * 201}, "Write at most 200 characters."),
        (
            {"heard": "", "own_say": "", "better_now": "", "rating": ""},
            "Fill in at least one answer, the mark or what they said.",
        ),
    ],
)
def test_wrong_answers_are_refused_with_the_text_kept(client, app, closed_case, change, message):
    client.login("pro.noord@test.example")
    client.english()
    page = f"/cases/{closed_case}/satisfaction"
    typed = "Ze was blij met de hulp van oma."
    data = answer_data(**{"who_name": "Lisa's zus", **change})
    if change.get("heard") == "" and "rating" in change:
        data["comment"] = ""
    else:
        data["comment"] = typed
    resp = client.submit(page, data, page=page)
    assert resp.status_code == 422, change
    html = unescape(resp.get_data(as_text=True))
    assert message in html, change
    if data["comment"]:
        assert typed in html
    assert answers(app, closed_case) == []


def test_who_answered_is_a_member_of_12_or_older_or_a_name(client, app, world, closed_case):
    ids = members(app, closed_case)
    other = world.case(world.pro_noord, name="Anders")
    stranger = next(iter(members(app, other).values()))
    client.login("pro.noord@test.example")
    client.english()
    page = f"/cases/{closed_case}/satisfaction"
    for change, message in (
        ({"member_id": str(ids["Noah"])}, "Noah is younger than 12"),
        ({"member_id": str(stranger)}, "Choose a member of this family."),
        ({"member_id": "99999999"}, "Choose a member of this family."),
        ({"member_id": "abc"}, "Choose one of the options offered."),
        ({"member_id": str(ids["Lisa"]), "who_name": "Lisa"}, "not both"),
        ({}, "Choose who answered, or write their name."),
        ({"who_name": "   "}, "Choose who answered, or write their name."),
    ):
        resp = client.submit(page, answer_data(comment="Bewaar mij.", **change), page=page)
        assert resp.status_code == 422, change
        html = unescape(resp.get_data(as_text=True))
        assert message in html, change
        assert "Bewaar mij." in html
    assert answers(app, closed_case) == []
    # Sara is 14 now; on a day before her 12th birthday she could not have answered alone.
    with app.test_request_context():
        pro = db.get(api.User, world.pro_noord)
        case = db.get(Case, closed_case)
        with pytest.raises(FieldError) as refused:
            satisfaction(pro, case, member_id=ids["Sara"], on=date(2024, 5, 31))
        assert refused.value.field in ("member_id", "answered_on")
        db.rollback()
        assert satisfaction(pro, case, member_id=ids["Sara"], on=date(2026, 3, 2)).id


def test_the_answers_are_saved_once_however_often_sent(client, app, closed_case):
    client.login("pro.noord@test.example")
    page = f"/cases/{closed_case}/satisfaction"
    form_id = FORM_ID_RE.search(client.get(page).get_data(as_text=True)).group(1)
    data = {**answer_data(who_name="Lisa"), "form_id": form_id}
    first = client.submit(page, data, page=page)
    second = client.submit(page, data, page=page)
    assert first.status_code == 302 and second.status_code == 303
    with app.app_context():
        assert db.scalar(select(func.count()).select_from(SatisfactionAnswer)) == 1


def test_the_duo_and_the_team_lead_may_record_and_an_open_case_too(client, app, world):
    case_id = world.case(world.pro_noord, name="Jansen", duo_id=world.pro2_noord)
    page = f"/cases/{case_id}/satisfaction"
    for email in ("pro2.noord@test.example", "lead.noord@test.example"):
        client.login(email)
        assert client.get(page).status_code == 200, email
        resp = client.submit(page, answer_data(who_name="Ada Jansen"), page=page)
        assert resp.status_code == 302, email
        client.logout()
    assert len(answers(app, case_id)) == 2


def test_a_colleague_without_the_case_is_refused(client, app, world, closed_case):
    """pro2.noord is in the team but neither case lead nor duo: 403, nothing saved, audited."""
    client.login("pro2.noord@test.example")
    page = f"/cases/{closed_case}/satisfaction"
    assert client.get(page).status_code == 403
    resp = client.submit(page, answer_data(who_name="Gekaapt"), page=f"/cases/{closed_case}")
    assert resp.status_code == 403
    assert answers(app, closed_case) == []
    assert f'href="{page}"' not in client.get(f"/cases/{closed_case}").get_data(as_text=True)
    with app.app_context():
        denied = db.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "access.denied", AuditEvent.user_id == world.pro2_noord
            )
        ).all()
    assert len(denied) == 2 and all(d.case_id == closed_case for d in denied)


@pytest.mark.parametrize("email", ["pro.zuid@test.example", "lead.zuid@test.example"])
def test_another_teams_people_get_404_and_are_audited(client, app, world, closed_case, email):
    client.login(email)
    page = f"/cases/{closed_case}/satisfaction"
    assert client.get(page).status_code == 404
    assert client.submit(page, answer_data(who_name="Gekaapt"), page="/cases").status_code == 404
    assert client.get("/cases/99999999/satisfaction").status_code == 404
    assert answers(app, closed_case) == []
    with app.app_context():
        denied = db.scalars(
            select(AuditEvent.case_id).where(AuditEvent.action == "case.denied")
        ).all()
    assert denied == [closed_case, closed_case]


def test_the_service_refuses_who_may_not_record(app, world, closed_case):
    with app.test_request_context():
        case = db.get(Case, closed_case)
        for who in (world.pro2_noord, world.pro_zuid, world.admin):
            with pytest.raises(NotAllowed):
                satisfaction(db.get(api.User, who), case, who_name="Lisa")
        db.rollback()
        assert satisfaction(db.get(api.User, world.lead_noord), case, who_name="Lisa").id
        with pytest.raises(FieldError) as refused:
            satisfaction(
                db.get(api.User, world.pro_noord),
                case,
                who_name="Lisa",
                on=clock.today() + timedelta(days=1),
            )
        assert refused.value.field == "answered_on"
        db.rollback()
