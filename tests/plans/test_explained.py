"""How the plan was explained when the family agreed (issue 19): read together, with an
interpreter (who and which language), or read aloud by someone the family chose (never a
child). Required on agreement; shown on the version page; versions agreed before show nothing."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import func, select, update

from tests.conftest import form_version
from tests.factories import app_api as api
from tests.factories import cases as c
from wijkteam.cases.interpreting import NEVER_A_CHILD_READS, check_reader
from wijkteam.core.db import db
from wijkteam.core.errors import FieldError
from wijkteam.plans.models import ExplainedHow, PlanVersion

NEVER_A_CHILD_READS_EN = (
    "Never ask a child to read the plan aloud to the family. Choose an adult, or book a "
    "professional interpreter."
)


@pytest.fixture
def goal_id(ui):
    ui.start()
    return ui.goal_id(ui.add_goal())


@pytest.fixture
def family(app, plan_case) -> dict[str, int]:
    """The ids of Lisa (the mother) and Noah (her son, a child)."""
    with app.app_context():
        lisa, noah = c.members_of(db.get(api.Case, plan_case))
        return {"lisa": lisa.id, "noah": noah.id}


def agree(client, base: str, **values: str):
    page = f"{base}/finalise"
    data = {
        "agreed_on": "2026-03-04",
        "agreed_how": "in_person",
        "member_ids": "1",
        "note": "Het gezin wilde doel 1 korter.",
        "version": form_version(client.get(page).get_data(as_text=True)),
        **values,
    }
    return client.submit(page, data, page=page)


def text_of(resp) -> str:
    """The page's text without tags, on one line."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True))).split())


def versions(app) -> int:
    with app.app_context():
        return db.scalar(select(func.count(PlanVersion.id)))


# --- the service ------------------------------------------------------------------------


def finalise(app, world, plan_case, **kw):
    """finalise_version as a professional of the team, with `kw` for how it was explained."""
    with app.test_request_context():
        user = db.get(api.User, world.pro_noord)
        case = db.get(api.Case, plan_case)
        plan = api.load_plan(case)
        try:
            version = api.plans.finalise_version(
                user,
                case,
                plan,
                expected_version=plan.version,
                agreed_on=date(2026, 3, 4),
                agreed_how=api.AgreedHow.IN_PERSON,
                member_ids=[c.members_of(case)[0].id],
                note="",
                **kw,
            )
            db.commit()
            return (version.explained_how, version.reader_shown, version.interpreter_shown)
        finally:
            db.rollback()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"explained_how": None}, "explained_how"),
        ({"explained_how": ExplainedHow.INTERPRETER}, "interpreter_name"),
        (
            {
                "explained_how": ExplainedHow.INTERPRETER,
                "interpreter": {"interpreter_name": "Tolk Mensah"},
            },
            "interpreter_language",
        ),
        (
            {
                "explained_how": ExplainedHow.INTERPRETER,
                "interpreter": {"interpreter_language": "Twi"},
            },
            "interpreter_name",
        ),
        (
            {
                "explained_how": ExplainedHow.TOGETHER,
                "interpreter": {"interpreter_language": "Twi"},
            },
            "explained_how",
        ),
        (
            {"explained_how": ExplainedHow.TOGETHER, "reader": {"reader_name": "Buurvrouw Els"}},
            "explained_how",
        ),
        (
            {
                "explained_how": ExplainedHow.INTERPRETER,
                "interpreter": {"interpreter_name": "Tolk Mensah", "interpreter_language": "Twi"},
                "reader": {"reader_name": "Buurvrouw Els"},
            },
            "explained_how",
        ),
        (
            {
                "explained_how": ExplainedHow.READER,
                "interpreter": {"interpreter_name": "Tolk Mensah", "interpreter_language": "Twi"},
                "reader": {"reader_name": "Buurvrouw Els"},
            },
            "explained_how",
        ),
        # The people are checked whatever was chosen: a child as reader never passes.
        (
            {"explained_how": ExplainedHow.TOGETHER, "reader": {"reader_name": "Noah"}},
            "reader_name",
        ),
        ({"explained_how": ExplainedHow.READER}, "reader"),
        ({"explained_how": ExplainedHow.READER, "reader": {"reader_name": "  "}}, "reader"),
        ({"explained_how": ExplainedHow.READER, "reader": {"reader_name": "Noah"}}, "reader_name"),
        (
            {"explained_how": ExplainedHow.READER, "reader": {"reader_name": "haar zoontje"}},
            "reader_name",
        ),
        ({"explained_how": ExplainedHow.READER, "reader": {"reader_member_id": 999999}}, "reader"),
        (
            {"explained_how": ExplainedHow.READER, "reader": {"reader_network_member_id": 99999}},
            "reader",
        ),
    ],
)
def test_the_service_refuses_a_missing_or_inconsistent_explanation(
    app, world, plan_case, goal_id, kw, field
):
    with pytest.raises(FieldError) as refused:
        finalise(app, world, plan_case, **kw)
    assert refused.value.field == field
    assert versions(app) == 0


def test_the_service_refuses_a_child_as_reader(app, world, plan_case, goal_id, family):
    with pytest.raises(FieldError) as refused:
        finalise(
            app,
            world,
            plan_case,
            explained_how=ExplainedHow.READER,
            reader={"reader_member_id": family["noah"]},
        )
    assert (refused.value.field, refused.value.message) == ("reader", NEVER_A_CHILD_READS)
    assert versions(app) == 0


def test_the_service_keeps_each_way_of_explaining(app, world, plan_case, goal_id, family):
    assert finalise(app, world, plan_case, explained_how=ExplainedHow.TOGETHER) == (
        ExplainedHow.TOGETHER,
        "",
        "",
    )
    assert finalise(
        app,
        world,
        plan_case,
        explained_how=ExplainedHow.INTERPRETER,
        interpreter={"interpreter_name": " Tolk Mensah ", "interpreter_language": "Twi"},
    ) == (ExplainedHow.INTERPRETER, "", "Tolk Mensah")
    assert finalise(
        app,
        world,
        plan_case,
        explained_how=ExplainedHow.READER,
        reader={"reader_member_id": family["lisa"]},
    ) == (ExplainedHow.READER, "Lisa Bakker", "")
    assert finalise(
        app,
        world,
        plan_case,
        explained_how=ExplainedHow.READER,
        reader={"reader_name": " Buurvrouw Els "},
    ) == (ExplainedHow.READER, "Buurvrouw Els", "")
    with app.app_context():
        kept = db.execute(
            select(
                PlanVersion.explained_how, PlanVersion.reader_member_id, PlanVersion.reader_name
            ).order_by(PlanVersion.number)
        ).all()
    assert [tuple(row) for row in kept] == [
        (ExplainedHow.TOGETHER, None, ""),
        (ExplainedHow.INTERPRETER, None, ""),
        (ExplainedHow.READER, family["lisa"], ""),
        (ExplainedHow.READER, None, "Buurvrouw Els"),
    ]


def test_check_reader_is_the_never_a_child_rule(app, plan_case, family):
    with app.app_context():
        members = c.members_of(db.get(api.Case, plan_case))
        on = date(2026, 3, 4)
        assert check_reader(members, [], {"reader_name": "Oom Kwame"}, on=on) == {
            "reader_name": "Oom Kwame",
            "reader_member_id": None,
            "reader_network_member_id": None,
        }
        for data, field in (
            ({"reader_member_id": family["noah"]}, "reader"),
            ({"reader_name": "noah bakker"}, "reader_name"),
            ({"reader_name": "de kinderen"}, "reader_name"),
            ({"reader_invalid": True}, "reader"),
            ({"reader_member_id": family["lisa"], "reader_network_member_id": 1}, "reader"),
        ):
            with pytest.raises(FieldError) as refused:
                check_reader(members, [1], data, on=on)
            assert refused.value.field == field, data


# --- the form -----------------------------------------------------------------------------


def test_the_form_asks_how_the_plan_was_explained(ui, client, goal_id, family):
    client.english()
    html = client.get(f"{ui.base}/finalise").get_data(as_text=True)
    assert "How was the plan explained?" in html
    radios = re.findall(r'<input[^>]*name="explained_how"[^>]*>', html)
    assert [re.search(r'value="(\w+)"', r).group(1) for r in radios] == [
        "together",
        "interpreter",
        "reader",
    ]
    assert "Read together (in Dutch)" in html and "Read aloud by someone the family chose" in html
    assert 'name="reader_name"' in html
    # A child is never offered as the one who reads aloud; the mother is.
    assert f'value="member-{family["lisa"]}"' in html
    assert f'value="member-{family["noah"]}"' not in html


def test_agreeing_without_saying_how_it_was_explained_is_a_clear_422(ui, client, app, goal_id):
    client.english()
    resp = agree(client, ui.base)
    assert resp.status_code == 422
    text = text_of(resp)
    assert "How was the plan explained to the family? Choose one." in text
    assert "Het gezin wilde doel 1 korter." in text  # what was typed is kept
    assert versions(app) == 0


def test_with_an_interpreter_needs_who_and_which_language(ui, client, app, goal_id):
    client.english()
    resp = agree(client, ui.base, explained_how="interpreter", interpreter_name="Tolk Mensah")
    assert resp.status_code == 422
    text = text_of(resp)
    assert "Which language did the interpreter speak?" in text
    assert 'value="Tolk Mensah"' in resp.get_data(as_text=True)
    resp = agree(client, ui.base, explained_how="interpreter", interpreter_language="Twi")
    assert resp.status_code == 422
    assert "Who interpreted? Choose the person or write the interpreter's name." in text_of(resp)
    resp = agree(client, ui.base, explained_how="together", interpreter_language="Twi")
    assert resp.status_code == 422
    assert "You filled in an interpreter: choose 'With an interpreter'" in text_of(resp)
    assert versions(app) == 0
    resp = agree(
        client,
        ui.base,
        explained_how="interpreter",
        interpreter_name="Tolk Mensah",
        interpreter_language="Twi",
    )
    assert resp.status_code == 302
    text = text_of(client.get(f"{ui.base}/versions/1"))
    assert "How the plan was explained: with an interpreter." in text
    assert "Agreed with an interpreter in Twi. Interpreter: Tolk Mensah." in text


@pytest.mark.parametrize(
    "attack",
    [
        {"reader": "member-{noah}"},
        {"reader_name": "Noah"},
        {"reader_name": "Noah Bakker"},
        {"reader_name": "haar zoontje"},
    ],
)
def test_a_child_posted_as_reader_is_refused(ui, client, app, goal_id, family, attack):
    """A form posted by hand with the child's id or name: refused with the rule, nothing saved."""
    client.english()
    values = {k: v.format(noah=family["noah"]) for k, v in attack.items()}
    resp = agree(client, ui.base, explained_how="reader", **values)
    assert resp.status_code == 422
    assert NEVER_A_CHILD_READS_EN in text_of(resp)
    assert versions(app) == 0


@pytest.mark.parametrize("bad", ["member-abc", "network-999999", "member-999999", "someone"])
def test_a_reader_not_offered_is_refused(ui, client, app, goal_id, bad):
    client.english()
    resp = agree(client, ui.base, explained_how="reader", reader=bad)
    assert resp.status_code == 422
    assert "Choose from the people offered." in text_of(resp)
    assert versions(app) == 0


def test_read_aloud_needs_someone_and_only_that_choice(ui, client, app, goal_id):
    client.english()
    resp = agree(client, ui.base, explained_how="reader")
    assert resp.status_code == 422
    assert "Who read the plan aloud? Choose the person or write their name." in text_of(resp)
    resp = agree(client, ui.base, explained_how="together", reader_name="Buurvrouw Els")
    assert resp.status_code == 422
    assert "You filled in who read the plan aloud" in text_of(resp)
    assert 'value="Buurvrouw Els"' in resp.get_data(as_text=True)
    assert versions(app) == 0


def test_the_version_page_shows_who_read_it_aloud(ui, client, app, goal_id, family):
    client.english()
    resp = agree(client, ui.base, explained_how="reader", reader=f"member-{family['lisa']}")
    assert resp.status_code == 302
    text = text_of(client.get(f"{ui.base}/versions/1"))
    assert (
        "How the plan was explained: read aloud by Lisa Bakker, someone the family chose." in text
    )
    resp = agree(client, ui.base, explained_how="reader", reader_name="Buurvrouw Els")
    assert resp.status_code == 302
    text = text_of(client.get(f"{ui.base}/versions/2"))
    assert "read aloud by Buurvrouw Els, someone the family chose." in text


def test_read_together_shows_in_dutch_and_an_older_version_shows_nothing(ui, client, app, goal_id):
    assert agree(client, ui.base, explained_how="together").status_code == 302
    text = text_of(client.get(f"{ui.base}/versions/1"))
    assert "Zo is het plan uitgelegd: samen gelezen, in het Nederlands." in text
    # A version agreed before this was asked: nothing is made up.
    with app.app_context():
        db.execute(update(PlanVersion).values(explained_how=None))
        db.commit()
    text = text_of(client.get(f"{ui.base}/versions/1"))
    assert "Zo is het plan uitgelegd" not in text and "samen gelezen" not in text
